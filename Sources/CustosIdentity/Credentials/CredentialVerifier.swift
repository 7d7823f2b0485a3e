import CustosCore
import CustosCrypto
import Foundation

/// Verifies credentials: structure, proofs (issuer key via the caller's resolver, method owned by the
/// issuer and authorised for assertionMethod), validity window against a supplied `now`, and status
/// (Bitstring Status List via the caller's fetcher; RevocationBitmap2022 via the issuer's document).
public struct CredentialVerifier: Sendable {
    /// Verification policy.
    public struct Options: Sendable {
        /// How proof sets are judged.
        public var proofPolicy: ProofExpectation.Policy
        /// Whether VC 1.1 credentials with JcsEd25519Signature2020 proofs (IS import) are accepted.
        public var acceptsLegacyCredentials: Bool
        /// When a credential has a status entry but it cannot be checked (no fetcher): fail if true,
        /// record a skipped check if false.
        public var requiresStatusCheck: Bool
        /// Whether a status list credential must come from the credential's own issuer.
        public var requiresStatusListFromIssuer: Bool
        /// Tolerance for clocks that run behind the issuer's, applied to `validFrom` and proof `created`.
        public var allowedClockSkew: TimeInterval

        /// Options with safe defaults: all proofs, legacy accepted, status required, same issuer, 5 minutes.
        public init(
            proofPolicy: ProofExpectation.Policy = .all,
            acceptsLegacyCredentials: Bool = true,
            requiresStatusCheck: Bool = true,
            requiresStatusListFromIssuer: Bool = true,
            allowedClockSkew: TimeInterval = 300
        ) {
            self.proofPolicy = proofPolicy
            self.acceptsLegacyCredentials = acceptsLegacyCredentials
            self.requiresStatusCheck = requiresStatusCheck
            self.requiresStatusListFromIssuer = requiresStatusListFromIssuer
            self.allowedClockSkew = allowedClockSkew
        }
    }

    /// Resolves issuer keys and documents.
    public let resolver: any DIDResolver
    /// Fetches status list credentials; `nil` when none is available.
    public let statusFetcher: (any StatusListFetcher)?
    /// The policy.
    public let options: Options

    /// A verifier with the given resolver, status list fetcher and options.
    public init(resolver: any DIDResolver, statusFetcher: (any StatusListFetcher)? = nil, options: Options = Options())
    {
        self.resolver = resolver
        self.statusFetcher = statusFetcher
        self.options = options
    }

    /// Verifies a credential secured with embedded proofs.
    public func verify(_ credential: JSONValue, now: Date) async throws(IdentityError) -> VerifiedCredential {
        var log = VerificationLog()
        return try await verify(credential, now: now, log: &log)
    }

    /// Verifies, recording each check in `log`.
    func verify(
        _ credential: JSONValue, now: Date, log: inout VerificationLog, checksStatus: Bool = true
    ) async throws(IdentityError) -> VerifiedCredential {
        let structure = try checkStructure(credential, log: &log)
        let expectation = ProofExpectation(
            purpose: .assertionMethod,
            controller: structure.issuer,
            policy: options.proofPolicy,
            acceptsLegacyProofs: options.acceptsLegacyCredentials,
            allowedClockSkew: options.allowedClockSkew)
        let proofs: [VerifiedProof]
        do throws(IdentityError) {
            proofs = try await DataIntegrityVerifier(resolver: resolver).verify(
                credential, expecting: expectation, now: now)
            log.passed("proof", proofs.map(\.summary).joined(separator: "; ") + ", issuer \(structure.issuer)")
        } catch {
            log.failed("proof", error)
            throw error
        }
        try checkValidity(structure, now: now, log: &log)
        if checksStatus {
            try await checkStatus(structure, now: now, log: &log)
        }
        let legacy = proofs.allSatisfy { $0.type == JcsEd25519Signature2020.proofType }
        return VerifiedCredential(
            json: credential,
            format: legacy ? .legacyJcsEd25519Signature2020 : .dataIntegrity,
            id: structure.id,
            issuer: structure.issuer,
            types: structure.types,
            subjectIDs: structure.subjectIDs,
            validFrom: structure.validFrom,
            validUntil: structure.validUntil,
            proofs: proofs,
            checks: log.checks)
    }

    /// Checks the structure; a VC 1.1 credential passes when `acceptsVersion1` (by default the
    /// `acceptsLegacyCredentials` option) allows it.
    func checkStructure(_ credential: JSONValue, acceptsVersion1: Bool? = nil, log: inout VerificationLog)
        throws(IdentityError) -> CredentialStructure
    {
        do throws(IdentityError) {
            let structure = try CredentialStructure(
                credential, acceptsVersion1: acceptsVersion1 ?? options.acceptsLegacyCredentials)
            let model = structure.isVersion1 ? "VC Data Model 1.1" : "VC Data Model 2.0"
            let types = structure.types.joined(separator: ", ")
            log.passed("structure", "\(model) credential \(structure.id ?? "(no id)") of type \(types)")
            return structure
        } catch {
            log.failed("structure", error)
            throw error
        }
    }

    /// Checks `validFrom`/`validUntil` (or the JWT's `nbf`/`exp`, passed as extra bounds).
    func checkValidity(
        _ structure: CredentialStructure, now: Date, notBefore: Date? = nil, notAfter: Date? = nil,
        log: inout VerificationLog
    ) throws(IdentityError) {
        let start = [structure.validFrom, notBefore].compactMap { $0 }.max()
        let end = [structure.validUntil, notAfter].compactMap { $0 }.min()
        if let start, start.timeIntervalSince(now) > options.allowedClockSkew {
            let error = IdentityError.notYetValid(validFrom: JSONFields.timestamp(start))
            log.failed("validity", error)
            throw error
        }
        if let end, now > end {
            let error = IdentityError.expired(validUntil: JSONFields.timestamp(end))
            log.failed("validity", error)
            throw error
        }
        let from = start.map { "from \(JSONFields.timestamp($0))" } ?? "from any time"
        let until = end.map { "until \(JSONFields.timestamp($0))" } ?? "without end"
        log.passed("validity", "valid \(from) \(until); checked at \(JSONFields.timestamp(now))")
    }

    func checkStatus(_ structure: CredentialStructure, now: Date, log: inout VerificationLog)
        async throws(IdentityError)
    {
        if structure.status.isEmpty {
            log.passed("status", "the credential has no credentialStatus")
            return
        }
        for (index, entry) in structure.status.enumerated() {
            let path = structure.status.count == 1 ? "credentialStatus" : "credentialStatus[\(index)]"
            do throws(IdentityError) {
                try await checkStatusEntry(entry, path: path, structure: structure, now: now, log: &log)
            } catch {
                log.failed("status", error)
                throw error
            }
        }
    }

    private func checkStatusEntry(
        _ entry: JSONValue, path: String, structure: CredentialStructure, now: Date, log: inout VerificationLog
    ) async throws(IdentityError) {
        let type = try JSONFields(entry, path: path).string("type")
        switch type {
        case BitstringStatusListEntry.type:
            let parsed = try BitstringStatusListEntry(json: entry, path: path)
            guard let statusFetcher else {
                let reason = "no status list fetcher is configured (supply the status list credential)"
                if options.requiresStatusCheck {
                    throw IdentityError.statusUnavailable(statusList: parsed.statusListCredential, reason: reason)
                }
                log.skipped(
                    "status",
                    "\(parsed.purpose.rawValue) entry \(parsed.index) of \(parsed.statusListCredential): \(reason)")
                return
            }
            if let issued = try await statusFetcher.issuedStatusList(at: parsed.statusListCredential) {
                try checkIssued(issued, for: parsed, issuer: structure.issuer)
                try report(try issued.list.status(at: parsed.index, size: parsed.size), entry: parsed, log: &log)
                return
            }
            let listCredential: JSONValue
            do throws(IdentityError) {
                listCredential = try await statusFetcher.statusListCredential(at: parsed.statusListCredential)
            } catch {
                let unavailable: IdentityError
                if case .statusUnavailable = error {
                    unavailable = error
                } else {
                    unavailable = IdentityError.statusUnavailable(
                        statusList: parsed.statusListCredential, reason: error.description)
                }
                if options.requiresStatusCheck {
                    throw unavailable
                }
                log.skipped("status", unavailable.description)
                return
            }
            let list = try await verifiedStatusList(listCredential, for: parsed, issuer: structure.issuer, now: now)
            let value = try list.status(at: parsed.index, size: parsed.size)
            try report(value, entry: parsed, log: &log)
        case RevocationBitmap2022.type:
            try await checkRevocationBitmap(entry, path: path, issuer: structure.issuer, log: &log)
        default:
            throw IdentityError.malformed(
                field: "\(path).type",
                reason: "'\(type)' is not a supported status type (BitstringStatusListEntry, RevocationBitmap2022)")
        }
    }

    private func report(_ value: Int, entry: BitstringStatusListEntry, log: inout VerificationLog) throws(IdentityError)
    {
        let place = "index \(entry.index) of \(entry.statusListCredential)"
        switch (entry.purpose, value) {
        case (_, 0):
            log.passed("status", "not set for \(entry.purpose.rawValue) (\(place))")
        case (.revocation, _):
            throw IdentityError.revoked(statusList: entry.statusListCredential, index: entry.index)
        case (.suspension, _):
            throw IdentityError.suspended(statusList: entry.statusListCredential, index: entry.index)
        case (.refresh, _):
            log.passed("status", "the issuer asks for this credential to be refreshed (\(place))")
        case (.message, _):
            log.passed("status", "status message 0x\(String(value, radix: 16)) (\(place))")
        }
    }

    /// The checks of ``verifiedStatusList(_:for:issuer:now:)`` that do not depend on the credential's proof.
    private func checkIssued(_ issued: IssuedStatusList, for entry: BitstringStatusListEntry, issuer: DID)
        throws(IdentityError)
    {
        if options.requiresStatusListFromIssuer, issued.issuer != issuer {
            throw IdentityError.statusListInvalid(
                statusList: entry.statusListCredential,
                reason: "it is issued by \(issued.issuer), not by the credential's issuer \(issuer)")
        }
        guard issued.purpose == entry.purpose else {
            throw IdentityError.statusPurposeMismatch(entry: entry.purpose.rawValue, list: issued.purpose.rawValue)
        }
    }

    /// Verifies a status list credential and decodes its bitstring.
    private func verifiedStatusList(
        _ credential: JSONValue, for entry: BitstringStatusListEntry, issuer: DID, now: Date
    ) async throws(IdentityError) -> BitstringStatusList {
        let url = entry.statusListCredential
        var inner = VerificationLog()
        let verified: VerifiedCredential
        do throws(IdentityError) {
            verified = try await verify(credential, now: now, log: &inner, checksStatus: false)
        } catch {
            throw IdentityError.statusListInvalid(statusList: url, reason: error.description)
        }
        guard verified.types.contains(BitstringStatusListCredential.type) else {
            throw IdentityError.statusListInvalid(
                statusList: url, reason: "its type does not include \(BitstringStatusListCredential.type)")
        }
        if let id = verified.id, id != url {
            throw IdentityError.statusListInvalid(statusList: url, reason: "its id is '\(id)'")
        }
        if options.requiresStatusListFromIssuer, verified.issuer != issuer {
            throw IdentityError.statusListInvalid(
                statusList: url, reason: "it is issued by \(verified.issuer), not by the credential's issuer \(issuer)")
        }
        let subject = try JSONFields(credential["credentialSubject"] ?? .null, path: "credentialSubject")
        guard try subject.strings("type").contains(BitstringStatusListCredential.subjectType) else {
            throw IdentityError.statusListInvalid(
                statusList: url, reason: "its credentialSubject is not a BitstringStatusList")
        }
        let purposes = try subject.strings("statusPurpose")
        guard purposes.contains(entry.purpose.rawValue) else {
            throw IdentityError.statusPurposeMismatch(
                entry: entry.purpose.rawValue, list: purposes.joined(separator: ", "))
        }
        do throws(IdentityError) {
            return try BitstringStatusList(encodedList: try subject.string("encodedList"))
        } catch {
            throw IdentityError.statusListInvalid(statusList: url, reason: error.description)
        }
    }

    private func checkRevocationBitmap(
        _ entry: JSONValue, path: String, issuer: DID, log: inout VerificationLog
    ) async throws(IdentityError) {
        let fields = try JSONFields(entry, path: path)
        let serviceID = try DIDURL(try fields.string("id"), relativeTo: issuer)
        let indexValue = fields["revocationBitmapIndex"]
        guard
            let index = indexValue?.stringValue.flatMap({ UInt32($0) })
                ?? indexValue?.intValue.flatMap({ UInt32(exactly: $0) })
        else {
            throw IdentityError.malformed(
                field: fields.field("revocationBitmapIndex"), reason: "must be an unsigned 32-bit integer")
        }
        guard serviceID.did == issuer else {
            throw IdentityError.malformed(
                field: fields.field("id"), reason: "must name a service of the issuer \(issuer)")
        }
        let document = try await resolver.resolve(issuer)
        guard let service = document.services.first(where: { $0.id == serviceID }) else {
            throw IdentityError.statusUnavailable(
                statusList: serviceID.description, reason: "the issuer's DID document has no such service")
        }
        let bitmap: RoaringBitmap
        do throws(IdentityError) {
            bitmap = try RevocationBitmap2022.decode(service: service)
        } catch {
            throw IdentityError.statusListInvalid(statusList: serviceID.description, reason: error.description)
        }
        if bitmap.contains(index) {
            throw IdentityError.revoked(statusList: serviceID.description, index: Int(index))
        }
        log.passed("status", "index \(index) is not revoked in \(serviceID) (RevocationBitmap2022)")
    }
}
