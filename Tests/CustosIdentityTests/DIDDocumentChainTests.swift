import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("did:custos document versions and chain verification")
struct DIDDocumentChainTests {
    /// A did:custos identity with three versions: v1 (#sign-0), v2 adds #sign-1, v3 (signed by #sign-1)
    /// removes #sign-0.
    struct Rotation {
        let identity: Fixture.Identity
        let newKey: Ed25519.PrivateKey
        let versions: [JSONValue]
        let newSigner: Ed25519Signer
    }

    static let hour: TimeInterval = 3600

    static func document(_ did: DID, keys: [(String, Ed25519.PrivateKey)], deactivated: Bool = false) -> DIDDocument {
        var methods: [(method: VerificationMethod, relationships: [VerificationRelationship])] = keys.map {
            (
                VerificationMethod(
                    id: DIDURL(did: did, fragment: $0.0), controller: did, key: .ed25519($0.1.publicKey)),
                [.capabilityInvocation, .authentication, .assertionMethod]
            )
        }
        if let first = keys.first {
            let kex = VerificationKey.x25519(try! first.1.publicKey.x25519())
            methods.append(
                (
                    VerificationMethod(id: DIDURL(did: did, fragment: "kex-0"), controller: did, key: kex),
                    [.keyAgreement]
                ))
        }
        return DIDDocument(id: did, methods: methods)
    }

    static func rotation() throws -> Rotation {
        let identity = Fixture.identity(1)
        let newKey = Fixture.key(2)
        let both = document(identity.did, keys: [("sign-0", identity.key), ("sign-1", newKey)])
        let v2 = try CustosDocumentVersion.next(
            after: identity.version1, document: both, signer: identity.signer, updated: Fixture.issued + hour)
        let newSigner = Ed25519Signer(privateKey: newKey, verificationMethod: identity.did.description + "#sign-1")
        let onlyNew = document(identity.did, keys: [("sign-1", newKey)])
        let v3 = try CustosDocumentVersion.next(
            after: v2, document: onlyNew, signer: newSigner, updated: Fixture.issued + 2 * hour)
        return Rotation(
            identity: identity, newKey: newKey, versions: [identity.version1, v2, v3], newSigner: newSigner)
    }

    /// Signs `document` as a version with `metadata` without any of the builder's checks, as a forger would.
    static func forge(_ document: DIDDocument, metadata: DocumentVersionMetadata, signer: Ed25519Signer) throws
        -> JSONValue
    {
        guard case .object(var members) = document.json else { return document.json }
        members[DocumentVersionMetadata.member] = metadata.json
        return try EddsaJcs2022.sign(
            .object(members), options: ProofOptions(purpose: .capabilityInvocation, created: metadata.updated),
            signer: signer)
    }

    static func chainError(_ versions: [JSONValue]) -> IdentityError? {
        do {
            _ = try DIDDocumentChain(verifying: versions)
            return nil
        } catch {
            return error
        }
    }

    @Test("version 1 carries the chain metadata and a capabilityInvocation proof by the initial key")
    func firstVersion() throws {
        let identity = Fixture.identity(1)
        let metadata = try DocumentVersionMetadata(version: identity.version1)
        #expect(metadata.versionId == 1)
        #expect(metadata.created == Fixture.issued && metadata.updated == Fixture.issued)
        #expect(metadata.previousVersionHash == nil)
        #expect(identity.version1["proof"]?["proofPurpose"] == "capabilityInvocation")
        #expect(identity.version1["proof"]?["verificationMethod"]?.stringValue == identity.did.description + "#sign-0")
        #expect(identity.chain.versions.count == 1)
        #expect(identity.chain.did.isDerived(from: identity.key.publicKey))
        #expect(identity.chain.latest.hash.hasPrefix("z"))
    }

    @Test("a key rotation over three versions verifies; each version links to the hash of the one before")
    func rotationChain() throws {
        let rotation = try Self.rotation()
        let chain = try DIDDocumentChain(verifying: rotation.versions)
        #expect(chain.versions.map(\.metadata.versionId) == [1, 2, 3])
        #expect(chain.versions[1].metadata.previousVersionHash == chain.versions[0].hash)
        #expect(chain.versions[2].metadata.previousVersionHash == chain.versions[1].hash)
        #expect(chain.versions[2].signedBy.fragment == "sign-1")
        #expect(chain.latest.document.method("#sign-0") == nil)
        #expect(try chain.latest.document.method("#sign-1")?.ed25519Key() == rotation.newKey.publicKey)
        #expect(chain.versions.allSatisfy { $0.metadata.created == Fixture.issued })
        #expect(!chain.isDeactivated)
    }

    @Test("resolution returns the latest version, or the version in force at a given time")
    func resolutionAtTime() async throws {
        let rotation = try Self.rotation()
        let did = rotation.identity.did
        let latest = try StaticDIDResolver.loading(rotation.versions.reversed())
        #expect(try await latest.resolve(did).method("#sign-0") == nil)
        let early = try StaticDIDResolver.loading(rotation.versions, resolutionTime: Fixture.issued + 30 * 60)
        #expect(try await early.resolve(did).method("#sign-1") == nil)
        #expect(try await early.resolve(did).method("#sign-0") != nil)
        let chain = try DIDDocumentChain(verifying: rotation.versions)
        #expect(try chain.version(at: Fixture.issued + 90 * 60).metadata.versionId == 2)
        #expect(throws: IdentityError.noVersionValidAt("2024-12-31T23:00:00Z")) {
            try chain.version(at: Fixture.issued - Self.hour)
        }
    }

    @Test("a credential signed by a rotated-out key verifies only against the version in force when it was issued")
    func rotatedKeyCredential() async throws {
        let rotation = try Self.rotation()
        let credential = Fixture.credential(by: rotation.identity)
        let latest = CredentialVerifier(resolver: try StaticDIDResolver.loading(rotation.versions))
        let error = await Fixture.failure { () async throws(IdentityError) in
            try await latest.verify(credential, now: Fixture.now)
        }
        #expect(error == .unknownVerificationMethod(rotation.identity.did.description + "#sign-0"))
        let historical = CredentialVerifier(
            resolver: try StaticDIDResolver.loading(rotation.versions, resolutionTime: Fixture.issued))
        _ = try await historical.verify(credential, now: Fixture.now)
    }

    @Test("failure: an update signed by a key the previous version does not list (a takeover attempt)")
    func updateByForeignKey() throws {
        let identity = Fixture.identity(1)
        let attacker = Fixture.key(66)
        let hijacked = Self.document(identity.did, keys: [("sign-0", attacker)])
        let attackerSigner = Ed25519Signer(
            privateKey: attacker, verificationMethod: identity.did.description + "#sign-0")
        #expect(throws: IdentityError.self) {
            try CustosDocumentVersion.next(
                after: identity.version1, document: hijacked, signer: attackerSigner, updated: Fixture.now)
        }
        let metadata = DocumentVersionMetadata(
            versionId: 2, created: Fixture.issued, updated: Fixture.now,
            previousVersionHash: identity.chain.latest.hash)
        let forged = try Self.forge(hijacked, metadata: metadata, signer: attackerSigner)
        guard case .versionChainBroken(let version, let reason)? = Self.chainError([identity.version1, forged]) else {
            Issue.record("a version signed by a foreign key was accepted")
            return
        }
        #expect(version == 2)
        #expect(reason.contains("does not verify"))
    }

    @Test("failure: an update signed by a method that is not under capabilityInvocation in the previous version")
    func updateByAssertionOnlyKey() throws {
        let identity = Fixture.identity(1)
        let assertionKey = Fixture.key(3)
        let did = identity.did
        let sign0 = VerificationMethod(
            id: DIDURL(did: did, fragment: "sign-0"), controller: did, key: .ed25519(identity.key.publicKey))
        let issuing = VerificationMethod(
            id: DIDURL(did: did, fragment: "issue-0"), controller: did, key: .ed25519(assertionKey.publicKey))
        let v2Document = DIDDocument(
            id: did, methods: [(sign0, [.capabilityInvocation]), (issuing, [.assertionMethod])])
        let v2 = try CustosDocumentVersion.next(
            after: identity.version1, document: v2Document, signer: identity.signer, updated: Fixture.now)
        let assertionSigner = Ed25519Signer(privateKey: assertionKey, verificationMethod: did.description + "#issue-0")
        #expect(
            throws: IdentityError.methodNotAuthorized(
                method: did.description + "#issue-0", relationship: "capabilityInvocation")
        ) {
            try CustosDocumentVersion.next(
                after: v2, document: v2Document, signer: assertionSigner, updated: Fixture.now + 1)
        }
        let v2Metadata = try DocumentVersionMetadata(version: v2)
        let metadata = DocumentVersionMetadata(
            versionId: 3, created: Fixture.issued, updated: Fixture.now + 1,
            previousVersionHash: try CustosDocumentVersion.hash(of: v2))
        _ = v2Metadata
        let forged = try Self.forge(v2Document, metadata: metadata, signer: assertionSigner)
        guard case .versionChainBroken(3, let reason)? = Self.chainError([identity.version1, v2, forged]) else {
            Issue.record("an update by an assertionMethod key was accepted")
            return
        }
        #expect(reason.contains("capabilityInvocation"))
    }

    @Test("failure: version 1 signed by a key that is not the one the tag was derived from")
    func firstVersionWrongKey() throws {
        let identity = Fixture.identity(1)
        let other = Fixture.key(9)
        let document = Self.document(identity.did, keys: [("sign-0", other)])
        let signer = Ed25519Signer(privateKey: other, verificationMethod: identity.did.description + "#sign-0")
        #expect(throws: IdentityError.self) {
            try CustosDocumentVersion.first(document, signer: signer, created: Fixture.issued)
        }
        let metadata = DocumentVersionMetadata(
            versionId: 1, created: Fixture.issued, updated: Fixture.issued, previousVersionHash: nil)
        let forged = try Self.forge(document, metadata: metadata, signer: signer)
        guard case .versionChainBroken(1, let reason)? = Self.chainError([forged]) else {
            Issue.record("a version 1 not bound to the tag was accepted")
            return
        }
        #expect(reason.contains("does not hash to the tag"))
    }

    @Test("failure: a skipped version, a wrong previous hash, a non-increasing time, a changed creation time")
    func metadataRules() throws {
        let identity = Fixture.identity(1)
        let document = identity.chain.latest.document
        let hash = identity.chain.latest.hash
        let cases: [(DocumentVersionMetadata, String)] = [
            (
                DocumentVersionMetadata(
                    versionId: 3, created: Fixture.issued, updated: Fixture.now, previousVersionHash: hash),
                "expected versionId 2"
            ),
            (
                DocumentVersionMetadata(
                    versionId: 2, created: Fixture.issued, updated: Fixture.now, previousVersionHash: "zNope"),
                "previousVersionHash"
            ),
            (
                DocumentVersionMetadata(
                    versionId: 2, created: Fixture.issued, updated: Fixture.issued, previousVersionHash: hash),
                "not later"
            ),
            (
                DocumentVersionMetadata(
                    versionId: 2, created: Fixture.now, updated: Fixture.now, previousVersionHash: hash),
                "created"
            ),
        ]
        for (metadata, expected) in cases {
            let version = try Self.forge(document, metadata: metadata, signer: identity.signer)
            guard case .versionChainBroken(_, let reason)? = Self.chainError([identity.version1, version]) else {
                Issue.record("accepted \(metadata)")
                continue
            }
            #expect(reason.contains(expected), "\(reason)")
        }
        #expect(Self.chainError([]) == .versionChainBroken(version: nil, reason: "no versions were given"))
    }

    @Test("deactivation ends the DID: resolution fails and no version may follow")
    func deactivation() async throws {
        let identity = Fixture.identity(1)
        let v2 = try CustosDocumentVersion.next(
            after: identity.version1, document: identity.chain.latest.document, signer: identity.signer,
            updated: Fixture.now, deactivate: true)
        let chain = try DIDDocumentChain(verifying: [identity.version1, v2])
        #expect(chain.isDeactivated)
        let resolver = StaticDIDResolver(chains: [chain])
        let error = await Fixture.failure { () async throws(IdentityError) in try await resolver.resolve(identity.did) }
        #expect(error == .deactivated(identity.did.description))
        #expect(throws: IdentityError.self) {
            try CustosDocumentVersion.next(
                after: v2, document: identity.chain.latest.document, signer: identity.signer, updated: Fixture.now + 60)
        }
        let metadata = DocumentVersionMetadata(
            versionId: 3, created: Fixture.issued, updated: Fixture.now + 60,
            previousVersionHash: try CustosDocumentVersion.hash(of: v2))
        let revived = try Self.forge(identity.chain.latest.document, metadata: metadata, signer: identity.signer)
        guard case .versionChainBroken(3, let reason)? = Self.chainError([identity.version1, v2, revived]) else {
            Issue.record("a version after deactivation was accepted")
            return
        }
        #expect(reason.contains("deactivated"))
    }

    @Test("assembling from ledger candidates skips spam and forks: the first valid successor wins")
    func assembling() throws {
        let identity = Fixture.identity(1)
        let keyA = Fixture.key(10)
        let keyB = Fixture.key(11)
        let forkA = try CustosDocumentVersion.next(
            after: identity.version1,
            document: Self.document(identity.did, keys: [("sign-0", identity.key), ("a", keyA)]),
            signer: identity.signer, updated: Fixture.now)
        let forkB = try CustosDocumentVersion.next(
            after: identity.version1,
            document: Self.document(identity.did, keys: [("sign-0", identity.key), ("b", keyB)]),
            signer: identity.signer, updated: Fixture.now)
        let spam: JSONValue = ["id": .string(identity.did.description), "custos": ["versionId": 2]]
        let chain = try DIDDocumentChain(assembling: [spam, identity.version1, forkA, forkB, "garbage"])
        #expect(chain.versions.count == 2)
        #expect(chain.latest.document.method("#a") != nil)
        #expect(Set(chain.rejected.map(\.index)) == [0, 3, 4])
        #expect(throws: IdentityError.self) { try DIDDocumentChain(assembling: [spam, forkA]) }
    }

    @Test("a change to any leaf of a signed version breaks the chain")
    func tamperedVersion() throws {
        let rotation = try Self.rotation()
        for (index, version) in rotation.versions.enumerated() {
            for mutation in Tamper.mutations(of: version) {
                var versions = rotation.versions
                versions[index] = mutation.value
                #expect(Self.chainError(versions) != nil, "version \(index + 1): \(mutation.path)")
            }
        }
    }
}
