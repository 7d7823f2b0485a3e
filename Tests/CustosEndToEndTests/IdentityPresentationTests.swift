import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

extension Platforms.Shared {
    /// Presentations with the verifier's challenge and domain, suspension and resumption, and the token of a
    /// deleted identity, through a tenant gateway.
    @Suite("SSI Bridge presentations and status")
    struct IdentityPresentationTests {
        typealias SDK = IdentityBridgeFlowTests.SDK

        @Test("a holder's presentation verifies with its challenge and domain, and not with others")
        func presentation() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi-vp"), on: platform)
            let (admin, _, _) = try await IdentityBridgeFlowTests.admin(tenant, "Admin-vp")
            let holder = try await SDK(tenant: tenant).create("Holder-vp")
            let issued = try await admin.issue(holder.did, type: "BasicIdentityCredential", claimType: "Person")
            let credential = try JSONParser.parse(issued.body)
            let signer = Ed25519Signer(
                privateKey: try Ed25519.PrivateKey(seed: holder.seed), verificationMethod: holder.did + "#sign-0")
            let presentation = try VerifiablePresentation.sign(
                PresentationDraft(holder: try DID(holder.did), credentials: [credential]), signer: signer,
                challenge: "nonce-123", domain: "verifier.example", created: Date().addingTimeInterval(-5),
                expires: Date().addingTimeInterval(600))
            let body = try JSONSerialization.jsonObject(with: Data(try JCS.canonicalBytes(presentation)))
            func check(_ query: String) async throws -> (Bool?, String) {
                let answer = try await admin.call("POST", "/verification/check-presentation", body, query: query)
                return (answer.object["isVerified"] as? Bool, answer.text)
            }
            let good = try await check("&challenge=nonce-123&domain=verifier.example")
            #expect(good.0 == true, "\(good.1)")
            #expect(try await check("&challenge=other&domain=verifier.example").0 == false)
            #expect(try await check("&challenge=nonce-123&domain=evil.example").0 == false)
            // A presentation by someone who is not the credential's subject does not verify.
            let thief = try await SDK(tenant: tenant).create("Thief-vp")
            let stolen = try VerifiablePresentation.sign(
                PresentationDraft(holder: try DID(thief.did), credentials: [credential]),
                signer: Ed25519Signer(
                    privateKey: try Ed25519.PrivateKey(seed: thief.seed), verificationMethod: thief.did + "#sign-0"),
                challenge: "nonce-123", domain: "verifier.example", created: Date().addingTimeInterval(-5))
            let refused = try await admin.call(
                "POST", "/verification/check-presentation",
                try JSONSerialization.jsonObject(with: Data(try JCS.canonicalBytes(stolen))),
                query: "&challenge=nonce-123&domain=verifier.example")
            #expect(refused.object["isVerified"] as? Bool == false, "\(refused.text)")
        }

        @Test("suspension and resumption show at once; a deleted identity's token stops working")
        func suspensionAndDeletion() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi-susp"), on: platform)
            let (admin, _, _) = try await IdentityBridgeFlowTests.admin(tenant, "Admin-susp")
            var user = SDK(tenant: tenant)
            let person = try await user.create("Person-susp")
            let issued = try await admin.issue(person.did, type: "BasicIdentityCredential", claimType: "Person")
            let credential = try #require(issued.json)
            let proof = try #require((issued.object["proof"] as? [String: Any])?["proofValue"] as? String)
            #expect(try await admin.check(credential) == true)
            let suspend = ["signatureValue": proof, "suspended": true] as [String: Any]
            #expect(try await admin.call("POST", "/verification/revoke-credential", suspend).status == 200)
            let suspended = try await admin.call("POST", "/verification/check-credential", credential)
            #expect(
                suspended.object["isVerified"] as? Bool == false
                    && (suspended.object["error"] as? String)?.contains("suspended") == true, "\(suspended.text)")
            let resume = ["signatureValue": proof, "suspended": false] as [String: Any]
            #expect(try await admin.call("POST", "/verification/revoke-credential", resume).status == 200)
            #expect(try await admin.check(credential) == true)

            try await user.authenticate(person.did, seed: person.seed)
            #expect(try await user.call("GET", "/identities/search").status == 200)
            #expect(try await user.call("DELETE", "/identities/identity/\(person.did)").status == 200)
            let after = try await user.call("GET", "/identities/search")
            #expect(after.status == 401 && after.text.contains("no longer registered"), "\(after.text)")
            user.jwt = nil
        }
    }
}
