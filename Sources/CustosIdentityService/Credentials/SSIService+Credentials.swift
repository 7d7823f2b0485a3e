import CustosCore
import CustosCrypto
import CustosIdentity
import CustosServer
import Foundation

extension SSIService {
    /// How many random status indices are drawn before a fuller list is left for a new one.
    static let statusIndexAttempts = 8
    /// Claim types whose holders may issue with an initiator credential (is-api.md S15).
    static let initiatorClaimTypes: Set<String> = ["Person", "Service", "Organization"]

    /// Builds and signs a credential of the trust root: VC Data Model 2.0, `eddsa-jcs-2022`, with revocation and
    /// suspension entries at `index` of `list`. The subject carries the claim as given, its id and the initiator.
    static func issue(
        subject: String, type: String, claim: [String: JSONValue], initiator: String, row: SSITenantRow,
        list: String, index: Int, signer: Ed25519Signer, at date: Date
    ) throws -> CredentialRow {
        var members = claim
        members["id"] = .string(subject)
        members["initiator"] = .string(initiator)
        if members["@context"] == nil,
            let context = claim["type"]?.stringValue.flatMap(ClaimType.init(rawValue:))?.credentialSubjectContext
        {
            members["@context"] = context
        }
        let id = "urn:uuid:" + SecureRandom.uuidV4()
        let draft = CredentialDraft(
            issuer: try DID(row.trustRoot), subject: .object(members), types: [type], id: id,
            status: statusEntries(gatewayURL: row.gatewayURL, list: list, index: index))
        let credential = try VerifiableCredential.issue(draft, signer: signer, created: date)
        guard let proofValue = credential["proof"]?["proofValue"]?.stringValue else {
            throw RequestError(.internalFailure, "an issued credential has no proofValue")
        }
        return CredentialRow(
            id: id, subject: subject, type: type, credential: try JCS.canonicalBytes(credential),
            proofValue: proofValue, statusList: list, statusIndex: index, revoked: false, suspended: false)
    }

    /// `POST /verification/create-credential`, after the policies allowed the caller: issues the credential by
    /// the tenant's trust root and returns its canonical bytes.
    func createCredential(_ tenant: TenantID, body: JSONValue, caller: RelayedCaller) async throws -> [UInt8] {
        guard let subject = body["subject"], case .object = subject else {
            throw RequestError(.invalidInput, "subject must be an object with id, credentialType and claim")
        }
        guard let subjectID = subject["id"]?.stringValue, (try? DID(subjectID)) != nil else {
            throw RequestError(.invalidInput, "subject.id must be a DID")
        }
        guard let type = subject["credentialType"]?.stringValue, (1...100).contains(type.count) else {
            throw RequestError(.invalidInput, "subject.credentialType must be a string of 1 to 100 characters")
        }
        guard type != VerifiableCredential.type, type != BitstringStatusListCredential.type else {
            throw RequestError(.invalidInput, "subject.credentialType may not be \(type)")
        }
        guard let claim = subject["claim"]?.objectValue else {
            throw RequestError(.invalidInput, "subject.claim must be an object with a type")
        }
        // As in IS, a credential's claim is checked for its type only; identities' claims get the type schemas.
        _ = try IdentityClaim(validating: .object(claim), field: "subject.claim", checksTypeSchema: false)
        let row = try await self.tenant(tenant)
        let signer = try await trustRootSigner(row)
        var list = try await caches.value(\.currentLists, tenant, lifetime: SSICaches.tenantLifetime) {
            try await store.currentStatusList(tenant)
        }
        for _ in 0..<2 {
            guard let (listID, capacity) = list else { break }
            for _ in 0..<Self.statusIndexAttempts {
                let index = Int(SecureRandom.uniform(upperBound: UInt32(capacity)))
                let date = now()
                let credential = try Self.issue(
                    subject: subjectID, type: type, claim: claim, initiator: caller.did ?? row.trustRoot, row: row,
                    list: listID, index: index, signer: signer, at: date)
                if try await credentialWrites.submit(IssuedCredential(tenant: tenant, row: credential, issued: date)) {
                    logger.debug("credential issued", metadata: ["tenant": "\(tenant)", "list": "\(listID)"])
                    return credential.credential
                }
            }
            // Most indices drawn were taken: the list is full enough to start the next one.
            let next = Self.newStatusListID()
            try await store.insertStatusList(tenant, id: next, capacity: Self.statusListCapacity)
            caches.listOpened(tenant)
            list = (next, Self.statusListCapacity)
        }
        throw RequestError(.unavailable, "no free status list index; try again")
    }

    /// Whether `credential` passes the create-credential initiator checks of is-api.md S15 for `caller`: a
    /// VerifiedIdentityCredential about the caller, of a Person, Service or Organization, issued by this tenant's
    /// trust root, and valid now (proof, validity window, status).
    func initiatorVerified(_ tenant: TenantID, credential text: String, caller: String) async throws -> Bool {
        guard let credential = try? JSONParser.parse(text) else { return false }
        guard credential["credentialSubject"]?["id"]?.stringValue == caller,
            let claimType = credential["credentialSubject"]?["type"]?.stringValue,
            Self.initiatorClaimTypes.contains(claimType),
            credential["type"]?.arrayValue?.contains(.string(VerifiableCredential.verifiedIdentityType)) == true
        else { return false }
        let row = try await self.tenant(tenant)
        guard let verified = try? await credentialVerifier(tenant).verify(credential, now: now()) else { return false }
        return verified.issuer.description == row.trustRoot
    }

    /// `POST /verification/check-credential`: the credential's proof, validity window and status, and a trust
    /// chain from one of the tenant's trusted roots to its issuer.
    func checkCredential(_ tenant: TenantID, body: JSONValue) async throws -> JSONValue {
        let roots = try await trustedRootDIDs(tenant)
        do {
            let verified = try await credentialVerifier(tenant).verify(body, now: now())
            _ = try await trustDecision(tenant, for: verified.issuer, roots: roots).requireTrusted(verified.issuer)
            return ["isVerified": true]
        } catch let error as IdentityError {
            return ["isVerified": false, "error": .string(Self.truncated(error.description))]
        }
    }

    /// `POST /verification/check-presentation`: the presentation's proof (with `challenge` and `domain` when the
    /// verifier gives them), every credential in it, the holder as their subject, and every issuer trusted.
    func checkPresentation(_ tenant: TenantID, body: JSONValue, challenge: String?, domain: String?) async throws
        -> JSONValue
    {
        let roots = try await trustedRootDIDs(tenant)
        do {
            let verified = try await PresentationVerifier(credentialVerifier: credentialVerifier(tenant)).verify(
                body, challenge: challenge, domain: domain, requiresHolderAsSubject: true, now: now())
            for credential in verified.credentials {
                _ = try await trustDecision(tenant, for: credential.issuer, roots: roots).requireTrusted(
                    credential.issuer)
            }
            return ["isVerified": true]
        } catch let error as IdentityError {
            return ["isVerified": false, "error": .string(Self.truncated(error.description))]
        }
    }

    /// `POST /verification/revoke-credential`: revokes (or, with `"suspended"`, suspends or resumes) the
    /// tenant's credential whose proof value or id is exactly the one given. Returns false when none matches.
    func revokeCredential(_ tenant: TenantID, body: JSONValue) async throws -> Bool {
        guard let reference = Self.credentialReference(body) else {
            throw RequestError(.invalidInput, "signatureValue (the credential's proofValue) or id is required")
        }
        guard let credential = try await store.credential(tenant, reference: reference) else { return false }
        if let suspended = body["suspended"] {
            guard let value = suspended.boolValue else {
                throw RequestError(.invalidInput, "suspended must be true or false")
            }
            try await store.setSuspended(tenant, credentialID: credential.id, value)
        } else {
            _ = try await store.revoke(tenant, credentialID: credential.id)
        }
        caches.statusChanged()
        return true
    }

    /// The credential a revoke request names: `signatureValue` (the IS name) or `proofValue`, else `id`.
    static func credentialReference(_ body: JSONValue) -> String? {
        for field in ["signatureValue", "proofValue", "id"] {
            if let value = body[field]?.stringValue, !value.isEmpty, value.count <= 512 { return value }
        }
        return nil
    }

    /// The subject of the credential a revoke request names, for the policies.
    func credentialSubject(_ tenant: TenantID, reference: String) async throws -> String? {
        try await store.credential(tenant, reference: reference)?.subject
    }

    /// The tenant's trusted roots as verification sees them (``SSICaches``).
    func trustedRootDIDs(_ tenant: TenantID) async throws -> Set<DID> {
        try await caches.value(\.trustedRoots, tenant, lifetime: SSICaches.trustedRootsLifetime) {
            Set(try await store.trustedRoots(tenant).compactMap { try? DID($0) })
        }
    }

    /// `POST /verification/trusted-roots`: false when `did` is a trusted root already.
    func addTrustedRoot(_ tenant: TenantID, did: DID) async throws -> Bool {
        defer { caches.trustedRootsChanged(tenant) }
        return try await store.addTrustedRoot(tenant, did: did.description)
    }

    /// `DELETE /verification/trusted-roots/{id}`: false when `did` is not a trusted root.
    func removeTrustedRoot(_ tenant: TenantID, did: String) async throws -> Bool {
        defer { caches.trustedRootsChanged(tenant) }
        return try await store.removeTrustedRoot(tenant, did: did)
    }

    /// Whether `issuer` is a trusted root or reached from one by VerifiedIdentityCredentials issued on this
    /// platform, within the evaluator's depth.
    func trustDecision(_ tenant: TenantID, for issuer: DID, roots: Set<DID>) async throws -> TrustDecision {
        let evaluator = TrustChainEvaluator(trustedRoots: roots, credentialVerifier: credentialVerifier(tenant))
        if roots.contains(issuer) { return await evaluator.evaluate(issuer, credentials: [], now: now()) }
        var candidates: [JSONValue] = []
        var frontier: Set<String> = [issuer.description]
        var seen = frontier
        for _ in 0..<evaluator.maximumDepth where !frontier.isEmpty {
            let found = try await store.credentials(
                type: VerifiableCredential.verifiedIdentityType, subjects: Array(frontier))
            frontier = []
            for bytes in found {
                guard let credential = try? JSONParser.parse(bytes) else { continue }
                candidates.append(credential)
                if let next = credential["issuer"]?.stringValue ?? credential["issuer"]?["id"]?.stringValue,
                    seen.insert(next).inserted
                {
                    frontier.insert(next)
                }
            }
        }
        return await evaluator.evaluate(issuer, credentials: candidates, now: now())
    }

    static func truncated(_ text: String) -> String {
        text.count <= 300 ? text : String(text.prefix(300)) + "…"
    }
}
