import CustosCore
import CustosCrypto
import CustosIdentityTesting
import Foundation
import Testing

extension Platforms.Shared {
    /// Identities and issuers of an Integration Services deployment (Chrysalis `did:iota`) moved to a tenant:
    /// registered with their root document, logged in with their IS key, trusted as issuers of IS credentials,
    /// and visible only to the tenant that imported them.
    @Suite("SSI Bridge: did:iota import")
    struct IdentityImportTests {
        typealias SDK = IdentityBridgeFlowTests.SDK

        static let userSeed = IntegrationServicesFixtures.userSeed
        static let userDID = IntegrationServicesFixtures.userDID
        static let userMock = IntegrationServicesFixtures.userMockText
        /// The IOTA Identity RevocationBitmap2022 vector of {5, 398, 67000}.
        static let bitmap =
            "data:application/octet-stream;base64,ZUp5ek1tQmdZR0lBQVVZZ1pHQ1FBR0laSUdabDZHUGN3UW9BRXVvQjlB"

        /// A root document of the mock key that also publishes its RevocationBitmap2022, as an IS issuer's did.
        static func issuerDocument() throws -> JSONValue {
            let mock = try JSONParser.parse(Array(userMock.utf8))
            guard case .object(var doc)? = mock["doc"] else { throw CancellationError() }
            doc["service"] = [
                [
                    "id": .string(userDID + "#signature-bitmap-0"), "type": "RevocationBitmap2022",
                    "serviceEndpoint": .string(bitmap),
                ]
            ]
            return try IntegrationServicesFixtures.legacySign(
                ["doc": .object(doc), "meta": mock["meta"]!], key: IntegrationServicesFixtures.userKey,
                method: userDID + "#sign-0")
        }

        /// An IS VC 1.1 VerifiedIdentityCredential issued by the mock, with its bitmap status at `index`.
        static func legacyCredential(index: Int) throws -> JSONValue {
            let subject = "did:iota:6hyaHgrvEeXD8z6qqd1QyYNQ1QD54fXfLs6uGew3DeNu"
            let credential: JSONValue = [
                "@context": "https://www.w3.org/2018/credentials/v1", "id": .string(subject),
                "type": ["VerifiableCredential", "VerifiedIdentityCredential"],
                "credentialSubject": ["id": .string(subject), "type": "Device", "initiator": ""],
                "issuer": .string(userDID), "issuanceDate": "2022-07-22T08:15:32Z",
                "credentialStatus": [
                    "id": .string(userDID + "#signature-bitmap-0"), "type": "RevocationBitmap2022",
                    "revocationBitmapIndex": .string(String(index)),
                ],
            ]
            return try IntegrationServicesFixtures.legacySign(
                credential, key: IntegrationServicesFixtures.userKey, method: userDID + "#sign-0")
        }

        /// A JSONValue as the Foundation object the SDK helper sends.
        static func object(_ value: JSONValue) throws -> Any {
            try JSONSerialization.jsonObject(with: Data(try JCS.canonicalBytes(value)))
        }

        /// `{isVerified, error}` of check-credential.
        static func check(_ sdk: SDK, _ credential: JSONValue) async throws -> (Bool?, String) {
            let answer = try await sdk.call("POST", "/verification/check-credential", try object(credential))
            #expect(answer.status == 200, "\(answer.text)")
            return (answer.object["isVerified"] as? Bool, answer.object["error"] as? String ?? "")
        }

        @Test("a did:iota identity is registered only with a root document that verifies and is its own")
        func registrationRefusals() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("iota"), on: platform)
            let (sdk, _, _) = try await IdentityBridgeFlowTests.admin(tenant, "Admin-refusals")
            let register = { (body: [String: Any]) in try await sdk.call("POST", "/identities/identity", body) }

            let missing = try await register(["id": Self.userDID, "username": "is-user"])
            #expect(missing.status == 400 && missing.text.contains("root document"), "\(missing.text)")

            var tampered = try JSONParser.parse(Array(Self.userMock.utf8))
            if case .object(var members) = tampered {
                members["meta"] = ["created": "2022-07-21T15:26:04Z", "updated": "2023-01-01T00:00:00Z"]
                tampered = .object(members)
            }
            let forged = try await register(
                ["id": Self.userDID, "username": "is-user", "document": try Self.object(tampered)])
            #expect(forged.status == 400 && forged.text.contains("does not verify"), "\(forged.text)")

            let other = "did:iota:GEpCtmCAqr9mdR1zC5iL6bg1jAq8NmR8QmmdH8T7eFtm"
            let mismatched = try await register(
                [
                    "id": other, "username": "is-user",
                    "document": try JSONSerialization.jsonObject(
                        with: Data(Self.userMock.utf8)),
                ])
            #expect(mismatched.status == 400 && mismatched.text.contains("not of id"), "\(mismatched.text)")

            let key = Ed25519.PrivateKey()
            let didKey = "did:key:z" + Base58.encode([0xED, 0x01] + key.publicKey.rawRepresentation)
            let extra = try await register(
                ["id": didKey, "username": "key-user", "document": try Self.object(try Self.issuerDocument())])
            #expect(extra.status == 400 && extra.text.contains("only for did:iota"), "\(extra.text)")

            let nothing = try await sdk.call("GET", "/identities/identity/\(Self.userDID)")
            #expect(nothing.status == 404, "no refused registration may leave a row: \(nothing.text)")
            let document = try await sdk.call("GET", "/verification/latest-document/\(Self.userDID)")
            #expect(document.status == 404, "\(document.text)")
        }

        @Test("an imported IS identity logs in, issues trusted IS credentials, and stays its tenant's alone")
        func importedIssuer() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("iota"), on: platform)
            let (admin, _, _) = try await IdentityBridgeFlowTests.admin(tenant, "Admin-iota")

            // The IS document as IS signed it (with its unsigned integrationMessageId) registers.
            let mock = try JSONSerialization.jsonObject(with: Data(Self.userMock.utf8))
            let user = try await admin.call(
                "POST", "/identities/identity", ["id": Self.userDID, "username": "is-user", "document": mock])
            #expect(user.status == 201, "\(user.text)")
            let again = try await admin.call(
                "POST", "/identities/identity", ["id": Self.userDID, "username": "is-user-2", "document": mock])
            #expect(again.status == 409, "\(again.text)")
            let latest = try await admin.call("GET", "/verification/latest-document/\(Self.userDID)")
            #expect(latest.status == 200, "\(latest.text)")
            let wire = try #require(latest.object["document"] as? [String: Any])
            #expect((wire["doc"] as? [String: Any])?["id"] as? String == Self.userDID)
            #expect((wire["proof"] as? [String: Any])?["type"] as? String == "JcsEd25519Signature2020")
            #expect((latest.object["metadata"] as? [String: Any])?["imported"] as? Bool == true)

            // Its IS key logs in (IS's #sign-0 is a capabilityInvocation method).
            var owner = SDK(tenant: tenant)
            try await owner.authenticate(Self.userDID, seed: Self.userSeed)
            let wrongKey = try await owner.call("GET", "/authentication/prove-ownership/\(Self.userDID)")
            let nonce = try #require(wrongKey.object["nonce"] as? String)
            let forged = Ed25519.PrivateKey().signature(for: SHA256.hash(Array(nonce.utf8)))
            let refused = try await owner.call(
                "POST", "/authentication/prove-ownership/\(Self.userDID)", ["signedNonce": Hex.encode(forged)])
            #expect(refused.status == 401, "\(refused.text)")

            // As an issuer: the document with its revocation bitmap replaces the first registration.
            let removed = try await admin.call("DELETE", "/identities/identity/\(Self.userDID)")
            #expect(removed.status == 200, "\(removed.text)")
            let issuer = try await admin.call(
                "POST", "/identities/identity",
                ["id": Self.userDID, "username": "is-issuer", "document": try Self.object(try Self.issuerDocument())])
            #expect(issuer.status == 201, "\(issuer.text)")
            let valid = try Self.legacyCredential(index: 6)
            let untrusted = try await Self.check(admin, valid)
            #expect(untrusted.0 == false && untrusted.1.contains("trust"), "\(untrusted.1)")
            let trusted = try await admin.call("POST", "/verification/trusted-roots", ["trustedRootId": Self.userDID])
            #expect(trusted.status == 200, "\(trusted.text)")
            let verified = try await Self.check(admin, valid)
            #expect(verified.0 == true, "\(verified.1)")
            let revoked = try await Self.check(admin, try Self.legacyCredential(index: 5))
            #expect(revoked.0 == false && revoked.1.contains("revoked"), "\(revoked.1)")
            guard case .object(var members) = valid else { return }
            members["issuanceDate"] = "2022-07-23T08:15:32Z"
            let changed = try await Self.check(admin, .object(members))
            #expect(changed.0 == false, "a changed IS credential verified")

            // Another tenant that trusts the same DID cannot use this tenant's import.
            let second = try await TenantFixture.create(TenantFixture.uniqueID("iota"), on: platform)
            let (otherAdmin, _, _) = try await IdentityBridgeFlowTests.admin(second, "Admin-iota-2")
            let otherTrust = try await otherAdmin.call(
                "POST", "/verification/trusted-roots", ["trustedRootId": Self.userDID])
            #expect(otherTrust.status == 200, "\(otherTrust.text)")
            let elsewhere = try await Self.check(otherAdmin, valid)
            #expect(elsewhere.0 == false && elsewhere.1.contains("imported"), "\(elsewhere.1)")
            let hidden = try await otherAdmin.call("GET", "/verification/latest-document/\(Self.userDID)")
            #expect(hidden.status == 404, "\(hidden.text)")
            let login = try await otherAdmin.call("GET", "/authentication/prove-ownership/\(Self.userDID)")
            #expect(login.status == 404, "\(login.text)")

            // Deleting the identity deletes the import: the issuer no longer resolves.
            let deleted = try await admin.call("DELETE", "/identities/identity/\(Self.userDID)")
            #expect(deleted.status == 200, "\(deleted.text)")
            let gone = try await Self.check(admin, valid)
            #expect(gone.0 == false && gone.1.contains("imported"), "\(gone.1)")
        }
    }
}
