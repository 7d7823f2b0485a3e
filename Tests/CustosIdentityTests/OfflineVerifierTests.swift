import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("OfflineVerifier: the entry point of custosctl verify")
struct OfflineVerifierTests {
    static func didKeyCredential() throws -> JSONValue {
        let key = Fixture.key(50)
        let draft = CredentialDraft(
            issuer: DIDKey.did(for: key.publicKey), subject: ["id": "did:example:holder", "name": "Grace"],
            id: "urn:uuid:offline-1")
        return try VerifiableCredential.issue(draft, signer: Ed25519Signer(didKey: key), created: Fixture.issued)
    }

    @Test("a did:key credential needs nothing else; the report lists every check")
    func didKeyCredential() async throws {
        let report = await OfflineVerifier.verify(try Self.didKeyCredential(), now: Fixture.now)
        #expect(report.isValid)
        #expect(report.error == nil && report.failures.isEmpty)
        #expect(report.subject == .credential)
        #expect(report.checks.map(\.name) == ["documents", "structure", "proof", "validity", "status", "trust"])
        #expect(report.checks.last?.outcome == .skipped)
        #expect(report.lines[0].hasPrefix("credential urn:uuid:offline-1 issued by did:key:z6Mk"))
        #expect(report.lines[0].hasSuffix(": VALID"))
        #expect(report.lines.contains { $0.hasPrefix("  ✓ proof: DataIntegrityProof/eddsa-jcs-2022 by did:key:") })
        #expect(report.description == report.lines.joined(separator: "\n"))
    }

    @Test("file text is accepted as is: JSON with whitespace, or a compact vc+jwt")
    func text() async throws {
        let credential = try Self.didKeyCredential()
        let pretty = "\n  " + (try JCS.canonicalString(credential)) + "\n"
        #expect(await OfflineVerifier.verify(pretty, now: Fixture.now).isValid)

        let key = Fixture.key(51)
        let draft = CredentialDraft(issuer: DIDKey.did(for: key.publicKey), subject: ["id": "did:example:x"])
        let jwt = try VCJWT.issue(draft.json(), signer: Ed25519Signer(didKey: key))
        let report = await OfflineVerifier.verify(jwt + "\n", now: Fixture.now)
        #expect(report.isValid, "\(report)")
        #expect(report.subject == .jwtCredential)
        #expect(report.checks.map(\.name).prefix(3) == ["documents", "jose", "structure"])
        let quoted = await OfflineVerifier.verify("\"\(jwt)\"", now: Fixture.now)
        #expect(quoted.isValid && quoted.subject == .jwtCredential)
    }

    @Test("a did:custos issuer is resolved from the supplied document versions, and named when missing")
    func didCustosIssuer() async throws {
        let issuer = Fixture.identity(1)
        let credential = Fixture.credential(by: issuer)
        let report = await OfflineVerifier.verify(credential, documents: [issuer.version1], now: Fixture.now)
        #expect(report.isValid, "\(report)")
        #expect(report.checks[0].detail.hasPrefix("0 DID document(s), 1 did:custos chain(s) (1 version(s))"))

        let missing = await OfflineVerifier.verify(credential, now: Fixture.now)
        #expect(!missing.isValid)
        #expect(missing.error == .didNotFound(issuer.did.description))
        #expect(missing.lines.contains { $0.hasPrefix("  ✗ proof: no DID document is known for \(issuer.did)") })
        #expect(
            missing.lines.last
                == "reason: no DID document is known for \(issuer.did); supply it (for example with --did-document)")
    }

    @Test("a presentation is verified with the required challenge and domain")
    func presentation() async throws {
        let issuer = Fixture.identity(1)
        let holderKey = Fixture.key(52)
        let holder = DIDKey.did(for: holderKey.publicKey)
        let presentation = try VerifiablePresentation.sign(
            PresentationDraft(holder: holder, credentials: [Fixture.credential(by: issuer, about: holder.description)]),
            signer: Ed25519Signer(didKey: holderKey), challenge: "nonce-1", domain: "example.org", created: Fixture.now)
        let options = OfflineVerifier.Options(
            challenge: "nonce-1", domain: "example.org", requiresHolderAsSubject: true)
        let report = await OfflineVerifier.verify(
            presentation, documents: [issuer.version1], now: Fixture.now, options: options)
        #expect(report.isValid, "\(report)")
        #expect(report.subject == .presentation)
        #expect(report.checks.contains { $0.name == "credential[0] holder" })
        let replay = await OfflineVerifier.verify(
            presentation, documents: [issuer.version1], now: Fixture.now, options: .init(challenge: "nonce-2"))
        #expect(replay.error == .wrongChallenge(expected: "nonce-2", actual: "nonce-1"))
    }

    @Test("status lists and trust credentials are recognised among the supplied documents")
    func statusAndTrust() async throws {
        let root = Fixture.identity(30)
        let issuer = Fixture.identity(1)
        let url = "https://status.example/lists/r"
        var list = try BitstringStatusList()
        let statusList = { (list: BitstringStatusList) throws -> JSONValue in
            try VerifiableCredential.issue(
                try BitstringStatusListCredential.draft(id: url, issuer: issuer.did, purpose: .revocation, list: list),
                signer: issuer.signer, created: Fixture.issued)
        }
        let entry = BitstringStatusListEntry(statusListCredential: url, index: 42, purpose: .revocation)
        let credential = Fixture.credential(by: issuer, status: [entry.json])
        let link = Fixture.credential(
            by: root, about: issuer.did.description, types: [VerifiableCredential.verifiedIdentityType],
            id: "urn:uuid:l")
        let options = OfflineVerifier.Options(trustedRoots: [root.did])
        let documents = [issuer.version1, root.version1, try statusList(list), link]
        let report = await OfflineVerifier.verify(credential, documents: documents, now: Fixture.now, options: options)
        #expect(report.isValid, "\(report)")
        #expect(report.checks[0].detail.contains("1 status list(s), 1 trust credential(s)"))
        #expect(
            report.checks.last?.detail
                == "issuer \(issuer.did) is trusted: chain \(root.did) → \(issuer.did) (urn:uuid:l)")

        try list.set(42)
        let revoked = await OfflineVerifier.verify(
            credential, documents: [issuer.version1, root.version1, try statusList(list), link], now: Fixture.now,
            options: options)
        #expect(revoked.error == .revoked(statusList: url, index: 42))
        let untrusted = await OfflineVerifier.verify(
            credential, documents: [issuer.version1, try statusList(BitstringStatusList())], now: Fixture.now,
            options: options)
        guard case .untrustedIssuer(let who, _)? = untrusted.error else {
            Issue.record("an issuer without a chain was trusted")
            return
        }
        #expect(who == issuer.did.description)
    }

    @Test("a did:custos document chain and an IS did:iota root document can be verified on their own")
    func documents() async throws {
        let identity = Fixture.identity(1)
        let v2 = try CustosDocumentVersion.next(
            after: identity.version1, document: identity.chain.latest.document, signer: identity.signer,
            updated: Fixture.now)
        let chain = await OfflineVerifier.verify([identity.version1, v2], now: Fixture.now)
        #expect(chain.isValid, "\(chain)")
        #expect(chain.subject == .didDocumentChain)
        #expect(chain.checks.map(\.name) == ["documents", "version 1", "version 2", "chain"])
        let iota = await OfflineVerifier.verify(LegacyImportTests.userMock, now: Fixture.now)
        #expect(iota.isValid, "\(iota)")
        #expect(iota.subject == .iotaDocument)
    }

    @Test("failure: unreadable input, unknown documents and bad supplied documents are reported, not thrown")
    func malformedInputs() async throws {
        let broken = await OfflineVerifier.verify(#"{"type": "VerifiableCredential", "#, now: Fixture.now)
        #expect(!broken.isValid)
        guard case .malformed("(input)", let reason)? = broken.error else {
            Issue.record("broken JSON was not reported as malformed input")
            return
        }
        #expect(reason.hasPrefix("is not valid JSON"))
        let unknown = await OfflineVerifier.verify(["hello": "world"], now: Fixture.now)
        #expect(unknown.subject == .unknown)
        #expect(!unknown.isValid)
        let badDocument = await OfflineVerifier.verify(
            try Self.didKeyCredential(), documents: [["not": "a DID document"]], now: Fixture.now)
        #expect(badDocument.error == .malformed(field: "id", reason: "is missing"))
        #expect(badDocument.checks.map(\.name) == ["documents"])
        let notJWT = await OfflineVerifier.verify("hello", now: Fixture.now)
        #expect(notJWT.error == .malformed(field: "jwt", reason: "must have three '.'-separated parts, not 1"))
    }

    @Test("after a key rotation, an older credential verifies only when resolving at its issuance time")
    func resolutionTime() async throws {
        let rotation = try DIDDocumentChainTests.rotation()
        let credential = Fixture.credential(by: rotation.identity)
        let latest = await OfflineVerifier.verify(credential, documents: rotation.versions, now: Fixture.now)
        #expect(latest.error == .unknownVerificationMethod(rotation.identity.did.description + "#sign-0"))
        let historical = await OfflineVerifier.verify(
            credential, documents: rotation.versions, now: Fixture.now, options: .init(resolutionTime: Fixture.issued))
        #expect(historical.isValid, "\(historical)")
    }

    @Test("an Integration Services credential (VC 1.1, JcsEd25519Signature2020) verifies with its did:iota document")
    func legacyImport() async throws {
        let documents = [try LegacyImportTests.issuerDocument()]
        let report = await OfflineVerifier.verify(
            try LegacyImportTests.legacyCredential(index: 6), documents: documents, now: Fixture.now)
        #expect(report.isValid, "\(report)")
        #expect(report.checks.contains { $0.detail.hasPrefix("JcsEd25519Signature2020 by did:iota:") })
        let revoked = await OfflineVerifier.verify(
            try LegacyImportTests.legacyCredential(index: 398), documents: documents, now: Fixture.now)
        #expect(revoked.error == .revoked(statusList: LegacyImportTests.userDID + "#signature-bitmap-0", index: 398))
    }
}
