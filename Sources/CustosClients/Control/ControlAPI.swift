/// The control plane's admin and internal API bodies, shared by the server, `custosctl` and `custos up`.
public enum ControlAPI {
    /// `POST /admin/v1/tenants`.
    public struct CreateTenant: Codable, Sendable, Equatable {
        /// The tenant's slug.
        public var id: String
        /// A display name; defaults to the id.
        public var name: String?
        /// Creates a body.
        public init(id: String, name: String? = nil) {
            self.id = id
            self.name = name
        }
    }

    /// A tenant as administrators see it.
    public struct Tenant: Codable, Sendable, Equatable {
        /// The slug.
        public var id: String
        /// The display name.
        public var name: String
        /// `provisioning`, `active` or `failed`.
        public var status: String
        /// The immutable ledger network name.
        public var ledgerNetwork: String
        /// Where integrators reach the tenant's API.
        public var gatewayUrl: String
        /// Creation time, RFC 3339.
        public var createdAt: String
        /// Creates a body.
        public init(
            id: String, name: String, status: String, ledgerNetwork: String, gatewayUrl: String, createdAt: String
        ) {
            self.id = id
            self.name = name
            self.status = status
            self.ledgerNetwork = ledgerNetwork
            self.gatewayUrl = gatewayUrl
            self.createdAt = createdAt
        }
    }

    /// A list of tenants.
    public struct TenantList: Codable, Sendable, Equatable {
        /// The tenants, by id.
        public var tenants: [Tenant]
        /// Creates a body.
        public init(tenants: [Tenant]) { self.tenants = tenants }
    }

    /// `POST /admin/v1/tenants/{id}/keys`.
    public struct CreateKey: Codable, Sendable, Equatable {
        /// A label for the key.
        public var name: String?
        /// Creates a body.
        public init(name: String? = nil) { self.name = name }
    }

    /// An API key's public description.
    public struct Key: Codable, Sendable, Equatable {
        /// The key id (not secret).
        public var id: String
        /// The label.
        public var name: String
        /// Creation time, RFC 3339.
        public var createdAt: String
        /// Revocation time, if revoked.
        public var revokedAt: String?
        /// Creates a body.
        public init(id: String, name: String, createdAt: String, revokedAt: String?) {
            self.id = id
            self.name = name
            self.createdAt = createdAt
            self.revokedAt = revokedAt
        }
    }

    /// A newly created key: the only time the secret is shown.
    public struct CreatedKey: Codable, Sendable, Equatable {
        /// The key's description.
        public var key: Key
        /// The secret API key (`cst_...`).
        public var secret: String
        /// Creates a body.
        public init(key: Key, secret: String) {
            self.key = key
            self.secret = secret
        }
    }

    /// A list of keys.
    public struct KeyList: Codable, Sendable, Equatable {
        /// The keys.
        public var keys: [Key]
        /// Creates a body.
        public init(keys: [Key]) { self.keys = keys }
    }

    /// The answer to tenant creation.
    public struct CreatedTenant: Codable, Sendable, Equatable {
        /// The tenant.
        public var tenant: Tenant
        /// Its first API key, shown only now.
        public var apiKey: CreatedKey
        /// Whether the gateway answered its readiness check before this response.
        public var gatewayReady: Bool
        /// Creates a body.
        public init(tenant: Tenant, apiKey: CreatedKey, gatewayReady: Bool) {
            self.tenant = tenant
            self.apiKey = apiKey
            self.gatewayReady = gatewayReady
        }
    }

    /// A gateway the local provisioner should run (`GET /internal/v1/gateways`).
    public struct Gateway: Codable, Sendable, Equatable, Hashable {
        /// The tenant it serves.
        public var tenant: String
        /// The loopback port it listens on.
        public var port: Int
        /// Creates a body.
        public init(tenant: String, port: Int) {
            self.tenant = tenant
            self.port = port
        }
    }

    /// The desired gateways.
    public struct GatewayList: Codable, Sendable, Equatable {
        /// The gateways.
        public var gateways: [Gateway]
        /// Creates a body.
        public init(gateways: [Gateway]) { self.gateways = gateways }
    }
}
