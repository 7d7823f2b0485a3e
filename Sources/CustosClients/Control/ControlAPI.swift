import CustosControlAPI

/// The control plane's bodies under the names the rest of the platform uses: the admin API's are the types
/// generated from docs/openapi/control.json, never hand-kept copies.
public enum ControlAPI {
    public typealias CreateTenant = Components.Schemas.CreateTenant
    public typealias Tenant = Components.Schemas.Tenant
    public typealias TenantList = Components.Schemas.TenantList
    public typealias CreateKey = Components.Schemas.CreateKey
    public typealias Key = Components.Schemas.Key
    public typealias KeyList = Components.Schemas.KeyList
    public typealias CreatedKey = Components.Schemas.CreatedKey
    public typealias CreatedTenant = Components.Schemas.CreatedTenant
    public typealias Rotation = Components.Schemas.Rotation

    /// A gateway the local provisioner should run (`GET /internal/v1/gateways`).
    ///
    /// The internal route is not part of the admin document: one document's generated registration covers one
    /// route group, and this route belongs to the service-token group. It moves to an internal document of its
    /// own with the control-plane issue's internal API.
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
