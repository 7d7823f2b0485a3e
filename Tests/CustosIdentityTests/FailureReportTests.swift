import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

/// One test per kind of verification failure, end to end through ``OfflineVerifier``: each has its own
/// error case, and its message says what failed and what to do.
@Suite("Verification failures: one error each, with a message a person can act on")
struct FailureReportTests {
    static let issuer = Fixture.identity(1)

    static func report(
        _ input: JSONValue, documents: [JSONValue] = [issuer.version1], now: Date = Fixture.now,
        options: OfflineVerifier.Options = .init()
    ) async -> VerificationReport {
        await OfflineVerifier.verify(input, documents: documents, now: now, options: options)
    }

    /// Checks that the report failed with `expected`, that the failed check carries its message, and that
    /// the message contains `advice`.
    static func expectFailure(_ report: VerificationReport, _ expected: IdentityError, advice: String) {
        #expect(!report.isValid)
        #expect(report.error == expected, "\(report)")
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.detail == expected.description)
        #expect(expected.description.contains(advice), "\(expected.description)")
        #expect(report.lines.last == "reason: " + expected.description)
    }

    static func modified(_ value: JSONValue, _ key: String, _ newValue: JSONValue) -> JSONValue {
        guard case .object(var members) = value else { return value }
        members[key] = newValue
        return .object(members)
    }

    @Test("bad signature")
    func badSignature() async {
        let credential = Self.modified(Fixture.credential(by: Self.issuer), "id", "urn:uuid:someone-elses")
        Self.expectFailure(
            await Self.report(credential), .badSignature(method: Self.issuer.did.description + "#sign-0"),
            advice: "the document was changed after signing or signed with another key")
    }

    @Test("unknown verification method")
    func unknownMethod() async {
        let credential = Fixture.credential(by: Self.issuer)
        let proof = Self.modified(
            credential["proof"]!, "verificationMethod", .string(Self.issuer.did.description + "#sign-9"))
        Self.expectFailure(
            await Self.report(Self.modified(credential, "proof", proof)),
            .unknownVerificationMethod(Self.issuer.did.description + "#sign-9"),
            advice: "is not in its controller's DID document")
    }

    @Test("issuer document not supplied")
    func didNotFound() async {
        Self.expectFailure(
            await Self.report(Fixture.credential(by: Self.issuer), documents: []),
            .didNotFound(Self.issuer.did.description), advice: "supply it (for example with --did-document)")
    }

    @Test("expired")
    func expired() async {
        let credential = Fixture.credential(by: Self.issuer, validUntil: Fixture.issued + 3600)
        Self.expectFailure(
            await Self.report(credential), .expired(validUntil: "2025-01-01T01:00:00Z"),
            advice: "the credential expired at 2025-01-01T01:00:00Z")
    }

    @Test("not yet valid")
    func notYetValid() async throws {
        var draft = CredentialDraft(issuer: Self.issuer.did, subject: ["id": "did:example:x"])
        draft.validFrom = Fixture.now + 86_400
        let credential = try VerifiableCredential.issue(draft, signer: Self.issuer.signer, created: Fixture.issued)
        Self.expectFailure(
            await Self.report(credential), .notYetValid(validFrom: "2025-01-03T00:00:00Z"),
            advice: "is not valid before 2025-01-03T00:00:00Z")
    }

    static func statusCase(_ purpose: StatusPurpose) async throws -> VerificationReport {
        let url = "https://status.example/\(purpose.rawValue)"
        var list = try BitstringStatusList()
        try list.set(7)
        let listCredential = try VerifiableCredential.issue(
            try BitstringStatusListCredential.draft(id: url, issuer: issuer.did, purpose: purpose, list: list),
            signer: issuer.signer, created: Fixture.issued)
        let entry = BitstringStatusListEntry(statusListCredential: url, index: 7, purpose: purpose)
        return await report(
            Fixture.credential(by: issuer, status: [entry.json]), documents: [issuer.version1, listCredential])
    }

    @Test("revoked")
    func revoked() async throws {
        Self.expectFailure(
            try await Self.statusCase(.revocation), .revoked(statusList: "https://status.example/revocation", index: 7),
            advice: "the credential is revoked (index 7 of status list https://status.example/revocation)")
    }

    @Test("suspended")
    func suspended() async throws {
        Self.expectFailure(
            try await Self.statusCase(.suspension),
            .suspended(statusList: "https://status.example/suspension", index: 7),
            advice: "the credential is suspended")
    }

    @Test("untrusted issuer")
    func untrusted() async {
        let root = Fixture.identity(30)
        let report = await Self.report(
            Fixture.credential(by: Self.issuer), options: .init(trustedRoots: [root.did]))
        let reason = "no chain of valid VerifiedIdentityCredentials leads from a trusted root to \(Self.issuer.did)"
        Self.expectFailure(
            report, .untrustedIssuer(issuer: Self.issuer.did.description, reasons: [reason]),
            advice: "issuer \(Self.issuer.did) is not trusted: no chain of valid VerifiedIdentityCredentials")
    }

    static func presentation(challenge: String, domain: String) throws -> JSONValue {
        let holderKey = Fixture.key(60)
        let holder = DIDKey.did(for: holderKey.publicKey)
        return try VerifiablePresentation.sign(
            PresentationDraft(holder: holder, credentials: [Fixture.credential(by: issuer, about: holder.description)]),
            signer: Ed25519Signer(didKey: holderKey), challenge: challenge, domain: domain, created: Fixture.now)
    }

    @Test("wrong challenge")
    func wrongChallenge() async throws {
        let report = await Self.report(
            try Self.presentation(challenge: "old", domain: "example.org"),
            options: .init(challenge: "new", domain: "example.org"))
        Self.expectFailure(report, .wrongChallenge(expected: "new", actual: "old"), advice: "it may be replayed")
    }

    @Test("wrong domain")
    func wrongDomain() async throws {
        let report = await Self.report(
            try Self.presentation(challenge: "c", domain: "phishing.example"),
            options: .init(challenge: "c", domain: "example.org"))
        Self.expectFailure(
            report, .wrongDomain(expected: "example.org", actual: "phishing.example"),
            advice: "is bound to domain 'phishing.example', not 'example.org'")
    }

    @Test("malformed input")
    func malformed() async {
        let credential = Self.modified(Fixture.credential(by: Self.issuer), "validUntil", "next tuesday")
        Self.expectFailure(
            await Self.report(credential),
            .malformed(field: "validUntil", reason: "must be an RFC 3339 date-time, got 'next tuesday'"),
            advice: "malformed input: field 'validUntil' must be an RFC 3339 date-time")
    }

    @Test("every error case has a message, and its HTTP category")
    func messages() {
        let all: [IdentityError] = [
            .malformed(field: "f", reason: "r"), .invalidDID("x", reason: "r"), .unsupportedDIDMethod("web"),
            .didNotFound("did:x:y"), .resolutionFailed(did: "did:x:y", reason: "timeout"), .deactivated("did:x:y"),
            .unknownVerificationMethod("did:x:y#k"), .unsupportedKeyType(method: "did:x:y#k", type: "T"),
            .methodNotAuthorized(method: "did:x:y#k", relationship: "assertionMethod"),
            .methodNotControlledBy(method: "did:x:y#k", controller: "did:x:z"), .missingProof,
            .unsupportedProofType("T"), .unsupportedCryptosuite("S"), .wrongProofPurpose(expected: "a", actual: "b"),
            .contextMismatch, .badSignature(method: "did:x:y#k"), .proofExpired(expires: "t"),
            .proofCreatedInFuture(created: "t"), .notYetValid(validFrom: "t"), .expired(validUntil: "t"),
            .revoked(statusList: "u", index: 1), .suspended(statusList: "u", index: 1),
            .statusUnavailable(statusList: "u", reason: "r"), .statusListInvalid(statusList: "u", reason: "r"),
            .statusIndexOutOfRange(index: 9, size: 8), .statusPurposeMismatch(entry: "a", list: "b"),
            .statusListFull(capacity: 8), .untrustedIssuer(issuer: "did:x:y", reasons: []),
            .wrongChallenge(expected: "a", actual: nil), .wrongDomain(expected: "a", actual: nil),
            .holderMismatch(holder: "did:x:y", subject: "did:x:z"), .versionChainBroken(version: 2, reason: "r"),
            .noVersionValidAt("t"), .compression("r"),
        ]
        #expect(Set(all.map(\.description)).count == all.count)
        #expect(all.allSatisfy { $0.description.count > 12 })
        #expect(IdentityError.didNotFound("did:x:y").kind == .notFound)
        #expect(IdentityError.statusUnavailable(statusList: "u", reason: "r").kind == .unavailable)
        #expect(IdentityError.badSignature(method: "m").kind == .invalidInput)
    }
}
