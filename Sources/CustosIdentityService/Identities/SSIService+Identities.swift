import CustosCore
import CustosCrypto
import CustosIdentity
import CustosServer
import Foundation

extension SSIService {
    static let roles: Set<String> = ["Admin", "Manager", "User"]

    /// `POST /identities/create`: a new did:custos identity with keys generated here, its document anchored on
    /// the tenant ledger, registered with role User. The keys are returned once, in the IS shape; they are kept
    /// in custody (sealed) only when `storeIdentity` is true.
    func createIdentity(_ tenant: TenantID, body: JSONValue, caller: RelayedCaller) async throws -> JSONValue {
        let username = try Self.username(body, required: true)!
        var identity = try Self.identityFields(body, username: username)
        identity.creator = caller.did
        if try await store.search(tenant, IdentitySearch(username: username, limit: 1)).contains(where: {
            $0.row.username == username
        }) {
            throw RequestError(.conflict, "user already exists")
        }
        let row = try await self.tenant(tenant)
        let keys = IdentityKeyPair.generate()
        let did = try CustosDID(network: row.network, initialKey: keys.sign.publicKey).did
        let document = try CustosDocumentVersion.initialDocument(
            network: row.network, signingKey: keys.sign.publicKey, keyAgreementKey: keys.encrypt.publicKey)
        let created = now()
        let version = try CustosDocumentVersion.first(
            document,
            signer: Ed25519Signer(
                privateKey: keys.sign,
                verificationMethod: did.description + "#" + CustosDocumentVersion.signingFragment),
            created: created)
        let documentRow = try await anchor(version, tenant: tenant, did: did.description, number: 1, at: created)
        identity.did = did.description
        let sealed =
            body["storeIdentity"]?.boolValue == true ? try await seal(keys, tenant: tenant, did: did.description) : nil
        try await store.insertIdentity(tenant, identity, keys: sealed, document: documentRow)
        return ["id": .string(did.description), "keys": keys.isKeys]
    }

    /// `POST /identities/identity`: registers a DID created elsewhere; its document must resolve here (did:key,
    /// or did:custos of any tenant of this platform). A did:iota identity of Integration Services brings its root
    /// document in `document` (the IS wire form `{doc, meta, proof}`), which must verify offline; the tenant
    /// keeps it, as canonical JSON, for as long as the identity is registered.
    func registerIdentity(_ tenant: TenantID, body: JSONValue, caller: RelayedCaller) async throws {
        guard let id = body["id"]?.stringValue else { throw RequestError(.invalidInput, "id (a DID) is required") }
        let did = try DIDArgument(id).did
        var identity = try Self.identityFields(body, username: try Self.username(body, required: true)!)
        identity.did = did.description
        identity.creator = caller.did
        let imported = try Self.importedDocument(body["document"], did: did)
        if imported == nil {
            do { _ = try await resolver(tenant).resolve(did) } catch {
                throw RequestError(.invalidInput, "the DID does not resolve: \(error)")
            }
        }
        try await store.insertIdentity(tenant, identity, keys: nil, document: nil, imported: imported)
    }

    /// The canonical bytes of the did:iota root document a registration brings, verified; nil for other DIDs,
    /// which resolve here and so may not bring one.
    static func importedDocument(_ value: JSONValue?, did: DID) throws -> [UInt8]? {
        let document = value.flatMap { $0.isNull ? nil : $0 }
        guard did.method == IotaLegacyDocument.method else {
            guard document == nil else {
                throw RequestError(
                    .invalidInput, "document is taken only for did:iota identities; did:\(did.method) resolves here")
            }
            return nil
        }
        guard let document else {
            throw RequestError(
                .invalidInput,
                "a did:iota identity needs its root document in document ({doc, meta, proof}, as Integration "
                    + "Services' latest-document returned it): that network cannot be resolved any more")
        }
        let verified: DIDDocument
        do { verified = try IotaLegacyDocument.verify(document) } catch {
            throw RequestError(.invalidInput, "document does not verify: \(error)")
        }
        guard verified.id == did else {
            throw RequestError(.invalidInput, "document is the document of \(verified.id), not of id")
        }
        return try JCS.canonicalBytes(document)
    }

    /// `GET /identities/identity/{id}`: the identity with its live credentials; a hidden identity's claim and
    /// credentials only for itself and Admins.
    func identity(_ tenant: TenantID, did: String, caller: RelayedCaller) async throws -> JSONValue {
        guard let identity = try await store.identity(tenant, did: did) else {
            throw RequestError(.notFound, "no identity \(did) is registered with this tenant")
        }
        var revealed = !identity.hidden || caller.did == did
        if !revealed, let requester = caller.did { revealed = try await store.role(tenant, did: requester) == "Admin" }
        var members = Self.summary(identity)
        if revealed {
            members["claim"] = try identity.claim.map { try JSONParser.parse($0) } ?? .null
            members["verifiableCredentials"] = .array(
                try await store.credentials(tenant, subject: did).map { try JSONParser.parse($0.credential) })
        }
        return .object(members.filter { !$0.value.isNull })
    }

    /// `GET /identities/search`.
    func searchIdentities(_ tenant: TenantID, _ search: IdentitySearch) async throws -> JSONValue {
        .array(
            try await store.search(tenant, search).map { found in
                var members = Self.summary(found.row)
                members["claim"] = found.row.claimType.map { ["type": .string($0)] } ?? .null
                members["numberOfCredentials"] = .number(Double(found.credentialCount))
                return .object(members.filter { !$0.value.isNull })
            })
    }

    /// `PUT /identities/identity`, after the policies allowed it: sets `username`, `hidden` and `role`, and
    /// merges `claim` into the stored one (RFC 7386: members given replace, `null` removes, others stay).
    /// Server-owned members (`verifiableCredentials`, `isServerIdentity`, `registrationDate`, `creator`) are
    /// ignored. False when there is no such identity.
    func updateIdentity(_ tenant: TenantID, body: JSONValue) async throws -> Bool {
        guard let did = body["id"]?.stringValue else { throw RequestError(.invalidInput, "id (a DID) is required") }
        guard let current = try await store.identity(tenant, did: did) else { return false }
        // A `null` is refused, not read as "unchanged": the document types these members without it, as IS did.
        let role = try body["role"].map { value throws(RequestError) -> String in
            guard let role = value.stringValue, Self.roles.contains(role) else {
                throw RequestError(.invalidInput, "role must be Admin, Manager or User (leave it out to keep it)")
            }
            return role
        }
        if current.isServer, let role, role != current.role {
            throw RequestError(.conflict, "the trust root keeps the Admin role")
        }
        var claim: (bytes: [UInt8], type: String?)?
        if let patch = body["claim"] {
            guard case .object(let members) = patch else {
                throw RequestError(.invalidInput, "claim must be an object (leave it out to keep it)")
            }
            var merged = try current.claim.flatMap { try JSONParser.parse($0).objectValue } ?? [:]
            for (key, value) in members {
                merged[key] = value.isNull ? nil : value
            }
            _ = try IdentityClaim(validating: .object(merged))
            claim = (try JCS.canonicalBytes(.object(merged)), merged["type"]?.stringValue)
        }
        let hidden = try body["hidden"].map { value throws(RequestError) -> Bool in
            guard let flag = value.boolValue else {
                throw RequestError(.invalidInput, "hidden must be true or false (leave it out to keep it)")
            }
            return flag
        }
        // IS ignores an empty username instead of refusing it.
        let username = try Self.username(body, required: false)
        return try await store.updateIdentity(
            tenant, did: did, username: username, claim: claim, hidden: hidden, role: role)
    }

    /// `DELETE /identities/identity/{id}`: removes the registration, optionally revoking its credentials first.
    /// The DID's document versions stay on the ledger. False when there is no such identity.
    func deleteIdentity(_ tenant: TenantID, did: String, revokeCredentials: Bool) async throws -> Bool {
        guard let identity = try await store.identity(tenant, did: did) else { return false }
        guard !identity.isServer else { throw RequestError(.conflict, "the trust root cannot be deleted") }
        if revokeCredentials {
            let count = try await store.revokeAll(tenant, subject: did)
            caches.statusChanged()
            logger.info(
                "credentials revoked with their identity", metadata: ["tenant": "\(tenant)", "count": "\(count)"])
        }
        return try await store.deleteIdentity(tenant, did: did)
    }

    /// `GET /identities/key-pair`: a fresh key pair; nothing is stored.
    static func keyPair(type: String?) throws -> JSONValue {
        let keys = IdentityKeyPair.generate().isKeys
        switch type {
        case "ed25519": return keys["sign"]!
        case "x25519": return keys["encrypt"]!
        default: throw RequestError(.invalidInput, "key-type must be ed25519 or x25519")
        }
    }

    // MARK: Fields

    static func username(_ body: JSONValue, required: Bool) throws(RequestError) -> String? {
        guard let value = body["username"], !(required && value.isNull) else {
            if required { throw RequestError(.invalidInput, "username is required (3 to 100 characters)") }
            return nil
        }
        guard let username = value.stringValue else {
            throw RequestError(
                .invalidInput,
                required ? "username must be a string" : "username must be a string (leave it out to keep it)")
        }
        if username.isEmpty, !required { return nil }
        guard (3...100).contains(username.count) else {
            throw RequestError(.invalidInput, "username must have 3 to 100 characters")
        }
        return username
    }

    /// The caller-owned members of a new identity: claim (validated, stored as sent), hidden and
    /// registrationDate. The role is always User; `isServerIdentity` and `verifiableCredentials` are ignored.
    static func identityFields(_ body: JSONValue, username: String) throws -> IdentityRow {
        guard case .object = body else { throw RequestError(.invalidInput, "the body must be a JSON object") }
        var claimBytes: [UInt8]?
        var claimType: String?
        if let claim = body["claim"], !claim.isNull {
            _ = try IdentityClaim(validating: claim)
            claimBytes = try JCS.canonicalBytes(claim)
            claimType = claim["type"]?.stringValue
        }
        var registered = Date()
        if let date = body["registrationDate"], !date.isNull {
            guard let text = date.stringValue, let parsed = Timestamp.parse(text) else {
                throw RequestError(.invalidInput, "registrationDate must be an RFC 3339 date-time")
            }
            registered = parsed
        }
        let hidden = body["hidden"]?.boolValue ?? false
        return IdentityRow(
            did: "", username: username, registrationDate: registered, creator: nil, role: "User",
            claim: claimBytes, claimType: claimType, hidden: hidden, isServer: false)
    }

    /// The members every view of an identity has.
    static func summary(_ row: IdentityRow) -> [String: JSONValue] {
        [
            "id": .string(row.did), "username": .string(row.username),
            "registrationDate": .string(Timestamp.iso8601(row.registrationDate)),
            "creator": row.creator.map(JSONValue.string) ?? .null, "role": .string(row.role),
            "hidden": .bool(row.hidden),
        ]
    }
}
