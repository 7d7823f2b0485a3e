import CustosAuth
import CustosCore
import CustosCrypto
import Foundation
import Testing

extension Platforms.Shared {
    /// The Integration Services SDK example flows (is-api.md §6.2) against a tenant gateway, in plain HTTP the
    /// way the SDK sends them: `?api-key=` on every call, the JWT as `Authorization: Bearer`.
    @Suite("SSI Bridge end to end")
    struct IdentityBridgeFlowTests {
        /// An IS SDK client of one tenant: it signs nonces as `BaseClient.signNonce` does.
        struct SDK {
            let tenant: TenantFixture
            var jwt: String?

            func call(
                _ method: String, _ path: String, _ body: Any? = nil, query: String = "", api: String = "/api/v0.2"
            ) async throws -> HTTP.Response {
                var headers: [(String, String)] = []
                if let jwt { headers.append(("Authorization", "Bearer \(jwt)")) }
                let url = tenant.gatewayURL + api + path + "?api-key=\(tenant.apiKey)" + query
                return try await HTTP.request(method, url, headers: headers, body: body.map(HTTP.json))
            }

            /// `IdentityClient.create`: a Person unless told otherwise.
            func create(_ username: String, type: String = "Person", claim: [String: Any] = [:]) async throws
                -> (did: String, seed: [UInt8])
            {
                var claim = claim
                claim["type"] = type
                let created = try await call("POST", "/identities/create", ["username": username, "claim": claim])
                #expect(created.status == 201, "\(created.text)")
                let did = try #require(created.object["id"] as? String)
                let keys = try #require(created.object["keys"] as? [String: Any])
                let sign = try #require(keys["sign"] as? [String: Any])
                #expect(sign["type"] as? String == "ed25519" && sign["encoding"] as? String == "base58")
                return (did, try Base58.decode(try #require(sign["private"] as? String)))
            }

            /// `BaseClient.authenticate`: GET the nonce, sign SHA-256(nonce), POST it, keep the JWT.
            mutating func authenticate(_ did: String, seed: [UInt8]) async throws {
                let nonce = try await call("GET", "/authentication/prove-ownership/\(did)")
                let text = try #require(nonce.object["nonce"] as? String, "\(nonce.text)")
                #expect(text.count == 40 && text.allSatisfy(\.isHexDigit))
                let signature = try Ed25519.PrivateKey(seed: seed).signature(for: SHA256.hash(Array(text.utf8)))
                let proved = try await call(
                    "POST", "/authentication/prove-ownership/\(did)", ["signedNonce": Hex.encode(signature)])
                #expect(proved.status == 200, "\(proved.text)")
                jwt = try #require(proved.object["jwt"] as? String)
                // Single use: the same signed nonce does not log in twice.
                let replay = try await call(
                    "POST", "/authentication/prove-ownership/\(did)", ["signedNonce": Hex.encode(signature)])
                #expect(replay.status == 401, "\(replay.text)")
            }

            /// `IdentityClient.createCredential`.
            func issue(
                _ subject: String, type: String, claimType: String, claim: [String: Any] = [:],
                initiatorVC: Any? = nil
            ) async throws -> HTTP.Response {
                var claim = claim
                claim["type"] = claimType
                var body: [String: Any] = ["subject": ["id": subject, "credentialType": type, "claim": claim]]
                if let initiatorVC { body["initiatorVC"] = initiatorVC }
                return try await call("POST", "/verification/create-credential", body)
            }

            func check(_ credential: Any) async throws -> Bool? {
                try await call("POST", "/verification/check-credential", credential).object["isVerified"] as? Bool
            }
        }

        /// Example 0: an identity made Admin (here by the tenant key, where IS needed a database edit), logged in,
        /// issuing itself a VerifiedIdentityCredential.
        static func admin(_ tenant: TenantFixture, _ name: String) async throws -> (SDK, did: String, vc: Any) {
            var sdk = SDK(tenant: tenant)
            let admin = try await sdk.create(name)
            let promoted = try await sdk.call("PUT", "/identities/identity", ["id": admin.did, "role": "Admin"])
            #expect(promoted.status == 200, "\(promoted.text)")
            try await sdk.authenticate(admin.did, seed: admin.seed)
            let issued = try await sdk.issue(admin.did, type: "VerifiedIdentityCredential", claimType: "Service")
            #expect(issued.status == 200, "\(issued.text)")
            return (sdk, admin.did, try #require(issued.json))
        }

        @Test("examples 0-4: admin, identity and credential, update, delete, trusted authorities")
        func sdkExamples() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi"), on: platform)
            var (sdk, adminDID, _) = try await Self.admin(tenant, "Admin-1")

            // Example 1: the admin's VC is on its identity; a new user gets a credential that verifies.
            let found = try await sdk.call("GET", "/identities/identity/\(adminDID)")
            #expect(found.status == 200 && found.object["role"] as? String == "Admin", "\(found.text)")
            let adminVC = try #require((found.object["verifiableCredentials"] as? [Any])?.first)
            let user = try await sdk.create("User-1")
            let issued = try await sdk.issue(
                user.did, type: "BasicIdentityCredential", claimType: "Person", claim: ["profession": "Professor"],
                initiatorVC: adminVC)
            #expect(issued.status == 200, "\(issued.text)")
            let userVC = try #require(issued.object["proof"] as? [String: Any])
            #expect(userVC["cryptosuite"] as? String == "eddsa-jcs-2022")
            #expect(try await sdk.check(try #require(issued.json)) == true)

            // Example 2: search by username prefix, update the username; the claim is merged, not wiped.
            _ = try await sdk.create("MyUser-1", claim: ["familyName": "Doe"])
            let search = try await sdk.call("GET", "/identities/search", query: "&username=MyUser-")
            let hits = try #require(search.json as? [[String: Any]], "\(search.text)")
            #expect(hits.count == 1 && (hits.first?["claim"] as? [String: Any])?["type"] as? String == "Person")
            var update = try #require(hits.first)
            update["username"] = "Updated-MyUser-1"
            let updated = try await sdk.call("PUT", "/identities/identity", update)
            #expect(updated.status == 200, "\(updated.text)")
            let after = try await sdk.call("GET", "/identities/identity/\(try #require(update["id"] as? String))")
            #expect(after.object["username"] as? String == "Updated-MyUser-1")
            #expect((after.object["claim"] as? [String: Any])?["familyName"] as? String == "Doe")

            // Example 3: delete with revoke-credentials; the credential no longer verifies, the DID still resolves.
            let deleted = try await sdk.call(
                "DELETE", "/identities/identity/\(user.did)", query: "&revoke-credentials=true")
            #expect(deleted.status == 200, "\(deleted.text)")
            #expect(try await sdk.check(try #require(issued.json)) == false)
            let document = try await sdk.call("GET", "/verification/latest-document/\(user.did)")
            #expect(document.status == 200 && document.object["messageId"] is String, "\(document.text)")

            // Example 4: a credential of another issuer (another tenant's trust root) verifies only once trusted.
            let roots = try await sdk.call("GET", "/verification/trusted-roots")
            #expect((roots.object["trustedRoots"] as? [String])?.count == 1, "\(roots.text)")
            let other = try await TenantFixture.create(TenantFixture.uniqueID("ssi-other"), on: platform)
            let (otherSDK, _, _) = try await Self.admin(other, "Admin-other")
            let driver = try await sdk.create("Driver-1")
            let external = try await otherSDK.issue(
                driver.did, type: "BasicIdentityCredential", claimType: "Person", claim: ["driveAllowance": true])
            let externalVC = try #require(external.json, "\(external.text)")
            #expect(try await sdk.check(externalVC) == false)
            let otherRoot = try #require(
                (try await otherSDK.call("GET", "/verification/trusted-roots").object["trustedRoots"] as? [String])?
                    .first)
            let added = try await sdk.call("POST", "/verification/trusted-roots", ["trustedRootId": otherRoot])
            #expect(added.status == 200, "\(added.text)")
            #expect(try await sdk.check(externalVC) == true)
            let removed = try await sdk.call("DELETE", "/verification/trusted-roots/\(otherRoot)")
            #expect(removed.status == 200, "\(removed.text)")
            #expect(try await sdk.check(externalVC) == false)
            sdk.jwt = nil
        }

        @Test("tokens: EdDSA JWTs verify with the published JWKS, bad ones are 401, roles and tenants hold")
        func tokensAndRoles() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi-jwt"), on: platform)
            var (admin, adminDID, adminVC) = try await Self.admin(tenant, "Admin-2")
            let jwt = try #require(admin.jwt)

            // Third parties verify the token with the JWKS alone.
            let jwks = try await HTTP.request("GET", tenant.gatewayURL + "/.well-known/jwks.json")
            let key = try #require((jwks.object["keys"] as? [[String: Any]])?.first, "\(jwks.text)")
            let publicKey = try Ed25519.PublicKey(
                rawRepresentation: try Base64URL.decode(try #require(key["x"] as? String)))
            let token = try IdentityToken.verify(
                jwt, keys: [try #require(key["kid"] as? String): publicKey], tenant: try #require(TenantID(tenant.id)),
                now: Date())
            #expect(token.subject == adminDID && token.role == "Admin")
            #expect(
                try await admin.call("POST", "/authentication/verify-jwt", ["jwt": jwt]).object["isValid"] as? Bool
                    == true)

            // A tampered token is 401 with a JSON error, never 500; so is one of another tenant.
            var forged = admin
            forged.jwt = String(jwt.dropLast(2)) + (jwt.hasSuffix("AA") ? "BB" : "AA")
            let refused = try await forged.call("GET", "/identities/search")
            #expect(refused.status == 401 && refused.object["error"] is String, "\(refused.text)")
            let other = try await TenantFixture.create(TenantFixture.uniqueID("ssi-x"), on: platform)
            var stranger = SDK(tenant: other, jwt: jwt)
            #expect(try await stranger.call("GET", "/identities/search").status == 401)
            stranger.jwt = nil
            #expect(try await stranger.call("GET", "/identities/identity/\(adminDID)").status == 401)

            // Identity routes need the JWT; a User may not manage trusted roots, promote itself or issue freely.
            var anonymous = admin
            anonymous.jwt = nil
            #expect(try await anonymous.call("GET", "/identities/search").status == 401)
            var user = SDK(tenant: tenant)
            let person = try await user.create("Person-2")
            try await user.authenticate(person.did, seed: person.seed)
            #expect(
                try await user.call("POST", "/verification/trusted-roots", ["trustedRootId": person.did]).status == 403)
            #expect(
                try await user.call("PUT", "/identities/identity", ["id": person.did, "role": "Admin"]).status == 403)
            #expect(
                try await user.issue(person.did, type: "BasicIdentityCredential", claimType: "Person").status == 403)
            // ...unless it holds a VerifiedIdentityCredential of this tenant about itself.
            #expect(try await user.issue(adminDID, type: "X", claimType: "Person", initiatorVC: adminVC).status == 403)
            let vic = try await admin.issue(person.did, type: "VerifiedIdentityCredential", claimType: "Person")
            let byUser = try await user.issue(
                adminDID, type: "BasicIdentityCredential", claimType: "Service", initiatorVC: vic.json)
            #expect(byUser.status == 200, "\(byUser.text)")

            // Revocation: not by a stranger, by the Admin; the public status list then shows it.
            let proof = try #require((vic.object["proof"] as? [String: Any])?["proofValue"] as? String)
            var outsider = SDK(tenant: tenant)
            let third = try await outsider.create("Third-2")
            try await outsider.authenticate(third.did, seed: third.seed)
            #expect(
                try await outsider.call("POST", "/verification/revoke-credential", ["signatureValue": proof]).status
                    == 403)
            #expect(
                try await admin.call(
                    "POST", "/verification/revoke-credential", ["signatureValue": String(proof.dropLast())]
                )
                .status == 404, "a prefix matches nothing")
            let revoked = try await admin.call("POST", "/verification/revoke-credential", ["signatureValue": proof])
            #expect(revoked.status == 200, "\(revoked.text)")
            #expect(try await admin.check(try #require(vic.json)) == false)
            let status = try #require((vic.object["credentialStatus"] as? [[String: Any]])?.first)
            let list = try await HTTP.request("GET", try #require(status["statusListCredential"] as? String))
            #expect(
                list.status == 200
                    && (list.object["type"] as? [String])?.contains("BitstringStatusListCredential") == true)
            admin.jwt = nil
        }
    }
}
