import CustosCore
import CustosCrypto
import Foundation
import Testing

extension Platforms.Shared {
    /// Who may do what on a channel, through the real processes: access rights, revocation, hidden channels,
    /// pre-shared keys, public and privatePlus channels, and attempts across tenants and channels.
    @Suite("Audit Trail access end to end")
    struct ChannelAccessTests {
        typealias Flow = ChannelFlowTests

        static func channel(_ sdk: IdentityBridgeFlowTests.SDK, _ body: [String: Any] = [:], query: String = "")
            async throws -> [String: Any]
        {
            var body = body
            if body["topics"] == nil { body["topics"] = [["type": "audit", "source": "tests"]] }
            let created = try await Flow.trail(sdk, "POST", "/channels/create", body, query: query)
            #expect(created.status == 201, "\(created.text)")
            // A seed makes the author's keys: the platform's log must never show it.
            if let seed = created.object["seed"] as? String { try SharedPlatform.platform().note(secret: seed) }
            return created.object
        }

        static func payloads(_ response: HTTP.Response) throws -> [String] {
            try Flow.logs(response).compactMap { ($0["log"] as? [String: Any])?["payload"] as? String }
        }

        @Test("Write-only subscribers write but never read; rights go down, never up, unless the author says")
        func rights() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("rights"), on: platform)
            let (owner, _) = try await Flow.member(tenant, "Owner")
            let (writer, writerDID) = try await Flow.member(tenant, "Writer")
            let (stranger, strangerDID) = try await Flow.member(tenant, "Stranger")
            let address = try #require(try await Self.channel(owner)["channelAddress"] as? String)
            _ = try await Flow.trail(writer, "POST", "/subscriptions/request/\(address)", ["accessRights": "Write"])
            let authorized = try await Flow.trail(
                owner, "POST", "/subscriptions/authorize/\(address)", ["id": writerDID])
            #expect(authorized.status == 200, "\(authorized.text)")
            let again = try await Flow.trail(owner, "POST", "/subscriptions/authorize/\(address)", ["id": writerDID])
            #expect(again.status == 409, "\(again.text)")

            let written = try await Flow.trail(writer, "POST", "/channels/logs/\(address)", ["payload": "by writer"])
            #expect(written.status == 200, "\(written.text)")
            #expect(try await Flow.trail(writer, "GET", "/channels/logs/\(address)").status == 403)
            let validate = try await Flow.trail(
                writer, "POST", "/channels/validate/\(address)", [["link": written.object["link"]!, "log": [:]]])
            #expect(validate.status == 403, "\(validate.text)")
            #expect(try Self.payloads(try await Flow.trail(owner, "GET", "/channels/logs/\(address)")) == ["by writer"])

            // Not a member: no writing, no reading, no authorizing.
            #expect(try await Flow.trail(stranger, "POST", "/channels/logs/\(address)", ["payload": "x"]).status == 403)
            let foreignAuthorize = try await Flow.trail(
                stranger, "POST", "/subscriptions/authorize/\(address)", ["id": writerDID])
            #expect(foreignAuthorize.status == 403, "\(foreignAuthorize.text)")
            let foreignUpdate = try await Flow.trail(
                stranger, "PUT", "/subscriptions/\(address)/\(writerDID)", ["accessRights": "ReadAndWrite"])
            #expect(foreignUpdate.status == 403, "\(foreignUpdate.text)")
            // Subscriptions are listed to their author and to their own subscriber only.
            let listed = try #require(
                try await Flow.trail(stranger, "GET", "/subscriptions/\(address)").json as? [[String: Any]])
            #expect(listed.isEmpty)
            #expect(try await Flow.trail(stranger, "GET", "/subscriptions/\(address)/\(writerDID)").status == 403)
            #expect(try await Flow.trail(stranger, "GET", "/subscriptions/\(address)/\(strangerDID)").status == 404)

            // The writer may not raise its own rights; the author may.
            let raise = try await Flow.trail(
                writer, "PUT", "/subscriptions/\(address)/\(writerDID)", ["accessRights": "ReadAndWrite"])
            #expect(raise.status == 403, "\(raise.text)")
            let raised = try await Flow.trail(
                owner, "PUT", "/subscriptions/\(address)/\(writerDID)", ["accessRights": "ReadAndWrite"])
            #expect(raised.status == 200, "\(raised.text)")
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "after raise"])
            #expect(
                try Self.payloads(try await Flow.trail(writer, "GET", "/channels/logs/\(address)")) == ["after raise"])
            let lowered = try await Flow.trail(
                writer, "PUT", "/subscriptions/\(address)/\(writerDID)", ["accessRights": "Read"])
            #expect(lowered.status == 200, "\(lowered.text)")
            #expect(try await Flow.trail(writer, "POST", "/channels/logs/\(address)", ["payload": "x"]).status == 403)
        }

        @Test("revoking or deleting a subscription starts an epoch without it")
        func revokeAndDelete() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("revoke"), on: platform)
            let (owner, ownerDID) = try await Flow.member(tenant, "Owner")
            let (reader, readerDID) = try await Flow.member(tenant, "Reader")
            let (leaver, leaverDID) = try await Flow.member(tenant, "Leaver")
            let address = try #require(try await Self.channel(owner)["channelAddress"] as? String)
            for (sdk, did) in [(reader, readerDID), (leaver, leaverDID)] {
                _ = try await Flow.trail(sdk, "POST", "/subscriptions/request/\(address)", ["accessRights": "Read"])
                let authorized = try await Flow.trail(owner, "POST", "/subscriptions/authorize/\(address)", ["id": did])
                #expect(authorized.status == 200, "\(authorized.text)")
            }
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "one"])
            #expect(try Self.payloads(try await Flow.trail(reader, "GET", "/channels/logs/\(address)")) == ["one"])

            let revoked = try await Flow.trail(owner, "POST", "/subscriptions/revoke/\(address)", ["id": readerDID])
            #expect(revoked.status == 200 && revoked.text == "OK", "\(revoked.text)")
            #expect(try await Flow.trail(reader, "GET", "/channels/logs/\(address)").status == 403)
            let selfRevoke = try await Flow.trail(owner, "POST", "/subscriptions/revoke/\(address)", ["id": ownerDID])
            #expect(selfRevoke.status == 400, "\(selfRevoke.text)")

            let left = try await Flow.trail(leaver, "DELETE", "/subscriptions/\(address)/\(leaverDID)")
            #expect(left.status == 200 && left.body.isEmpty, "\(left.text)")
            #expect(try await Flow.trail(leaver, "GET", "/channels/logs/\(address)").status == 403)
            let authorDelete = try await Flow.trail(owner, "DELETE", "/subscriptions/\(address)/\(ownerDID)")
            #expect(authorDelete.status == 400, "\(authorDelete.text)")

            // A new request is a new subscription: it reads only what comes after its authorization.
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "two"])
            _ = try await Flow.trail(reader, "POST", "/subscriptions/request/\(address)", [:])
            _ = try await Flow.trail(owner, "POST", "/subscriptions/authorize/\(address)", ["id": readerDID])
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "three"])
            #expect(try Self.payloads(try await Flow.trail(reader, "GET", "/channels/logs/\(address)")) == ["three"])
            #expect(
                try Self.payloads(try await Flow.trail(owner, "GET", "/channels/logs/\(address)", query: "&asc=true"))
                    == ["one", "two", "three"])
        }

        @Test("hidden channels, channel info updates and closing a channel")
        func channelInfo() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("info"), on: platform)
            let (owner, ownerDID) = try await Flow.member(tenant, "Owner")
            let (friend, friendDID) = try await Flow.member(tenant, "Friend")
            let (other, _) = try await Flow.member(tenant, "Other")
            let name = "Hidden-" + UUID().uuidString
            let address = try #require(
                try await Self.channel(owner, ["name": name, "hidden": true, "visibilityList": [["id": friendDID]]])[
                    "channelAddress"] as? String)
            #expect(
                try await Flow.trail(owner, "POST", "/channels/create", ["name": name.lowercased(), "topics": []])
                    .status == 409)

            let seen = try await Flow.trail(friend, "GET", "/channel-info/channel/\(address)")
            #expect(seen.status == 200 && seen.object["visibilityList"] == nil, "\(seen.text)")
            let own = try await Flow.trail(owner, "GET", "/channel-info/channel/\(address)")
            #expect((own.object["visibilityList"] as? [[String: Any]])?.first?["id"] as? String == friendDID)
            #expect(try await Flow.trail(other, "GET", "/channel-info/channel/\(address)").status == 403)
            let otherSearch = try Flow.logs(
                try await Flow.trail(other, "GET", "/channel-info/search", query: "&author-id=\(ownerDID)"))
            #expect(otherSearch.isEmpty)
            let friendSearch = try Flow.logs(
                try await Flow.trail(friend, "GET", "/channel-info/search", query: "&name=hidden-"))
            #expect(friendSearch.contains { $0["channelAddress"] as? String == address })

            // A3: channels come into existence only by creation.
            var info = own.object
            #expect(try await Flow.trail(owner, "POST", "/channel-info/channel", info).status == 409)
            // A4: topics and visibility change; the author and Admins only.
            info["topics"] = [["type": "renamed", "source": "tests"]]
            info["hidden"] = false
            #expect(try await Flow.trail(other, "PUT", "/channel-info/channel", info).status == 403)
            let updated = try await Flow.trail(owner, "PUT", "/channel-info/channel", info)
            #expect(updated.status == 200 && updated.text == "OK", "\(updated.text)")
            let byTopic = try Flow.logs(
                try await Flow.trail(other, "GET", "/channel-info/search", query: "&topic-type=renamed"))
            #expect(byTopic.map { $0["channelAddress"] as? String } == [address])

            // A5: closing the channel; it is gone for everyone, and writes to it are refused.
            #expect(try await Flow.trail(other, "DELETE", "/channel-info/channel/\(address)").status == 403)
            let closed = try await Flow.trail(owner, "DELETE", "/channel-info/channel/\(address)")
            #expect(closed.status == 200, "\(closed.text)")
            #expect(try await Flow.trail(owner, "GET", "/channel-info/channel/\(address)").status == 404)
            #expect(try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "x"]).status == 404)
            #expect(try await Flow.trail(owner, "POST", "/channel-info/channel", info).status == 404)
        }

        @Test("pre-shared keys for auditors, and public channels")
        func presharedAndPublic() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("psk"), on: platform)
            let (owner, _) = try await Flow.member(tenant, "Owner")
            let (auditor, _) = try await Flow.member(tenant, "Auditor")
            let created = try await Self.channel(owner, ["hasPresharedKey": true])
            let address = try #require(created["channelAddress"] as? String)
            let psk = try #require(created["presharedKey"] as? String)
            #expect(psk.count == 32)
            // The shared platform's log is checked for noted secrets: a pre-shared key must never reach it.
            platform.note(secret: psk)
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "secret 1"])
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "secret 2"])

            // A9 with the API key only: the key reads everything; a wrong one nothing.
            let keyOnly = IdentityBridgeFlowTests.SDK(tenant: tenant)
            let history = try await Flow.trail(
                keyOnly, "GET", "/channels/history/\(address)", query: "&preshared-key=\(psk)&asc=true")
            #expect(try Self.payloads(history) == ["secret 1", "secret 2"])
            #expect(try await Flow.trail(keyOnly, "GET", "/channels/history/\(address)").status == 400)
            let wrong = String(repeating: "a", count: 32)
            let refused = try await Flow.trail(
                keyOnly, "GET", "/channels/history/\(address)", query: "&preshared-key=\(wrong)")
            #expect(refused.status == 403, "\(refused.text)")
            // A16 with the key: an Audit subscription that reads the whole history at once.
            let audit = try await Flow.trail(
                auditor, "POST", "/subscriptions/request/\(address)", ["presharedKey": psk])
            #expect(audit.status == 201 && audit.object["subscriptionLink"] == nil, "\(audit.text)")
            #expect(try Self.payloads(try await Flow.trail(auditor, "GET", "/channels/logs/\(address)")).count == 2)
            #expect(try await Flow.trail(auditor, "POST", "/channels/logs/\(address)", ["payload": "x"]).status == 403)

            // Public channels: no keys, readable by any subscriber from the start; no pre-shared key.
            #expect(
                try await Flow.trail(
                    owner, "POST", "/channels/create", ["type": "public", "hasPresharedKey": true, "topics": []]
                ).status == 400)
            let open = try #require(try await Self.channel(owner, ["type": "public"])["channelAddress"] as? String)
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(open)", ["payload": "in clear"])
            let subscribed = try await Flow.trail(auditor, "POST", "/subscriptions/request/\(open)", [:])
            #expect(subscribed.object["subscriptionLink"] as? String == open, "\(subscribed.text)")
            #expect(try Self.payloads(try await Flow.trail(auditor, "GET", "/channels/logs/\(open)")) == ["in clear"])
            let publicHistory = try await Flow.trail(keyOnly, "GET", "/channels/history/\(open)", query: "&type=public")
            #expect(try Self.payloads(publicHistory) == ["in clear"])
        }

        @Test("privatePlus: the author's keys open only with the asym-shared-key its DID's key agreement gives")
        func privatePlus() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("plus"), on: platform)
            var owner = IdentityBridgeFlowTests.SDK(tenant: tenant)
            let created = try await owner.call(
                "POST", "/identities/create", ["username": "Plus-" + UUID().uuidString, "claim": ["type": "Person"]])
            let keys = try #require(created.object["keys"] as? [String: Any], "\(created.text)")
            let sign = try #require(keys["sign"] as? [String: Any])
            let encrypt = try #require(keys["encrypt"] as? [String: Any])
            let did = try #require(created.object["id"] as? String)
            try await owner.authenticate(did, seed: try Base58.decode(try #require(sign["private"] as? String)))
            let address = try #require(
                try await Self.channel(owner, ["type": "privatePlus"])["channelAddress"] as? String)
            let info = try await Flow.trail(owner, "GET", "/channel-info/channel/\(address)")
            let peer = try #require(info.object["peerPublicKey"] as? String, "\(info.text)")
            // As the Integration Services client derives it: X25519(own #kex-0 private key, peerPublicKey), base58.
            let kex = try X25519.PrivateKey(
                rawRepresentation: try Base58.decode(try #require(encrypt["private"] as? String)))
            let shared = try kex.sharedSecret(with: try X25519.PublicKey(rawRepresentation: try Base58.decode(peer)))
            let asym = Base58.encode(shared)
            platform.note(secret: asym)

            let missing = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "x"])
            #expect(missing.status == 400 && missing.text.contains("asym-shared-key is required"), "\(missing.text)")
            let wrongKey = Base58.encode(SecureRandom.bytes(count: 32))
            let wrong = try await Flow.trail(
                owner, "POST", "/channels/logs/\(address)", ["payload": "x"], query: "&asym-shared-key=\(wrongKey)")
            #expect(wrong.status == 403, "\(wrong.text)")
            let written = try await Flow.trail(
                owner, "POST", "/channels/logs/\(address)", ["payload": "plus"], query: "&asym-shared-key=\(asym)")
            #expect(written.status == 200, "\(written.text)")
            let read = try await Flow.trail(
                owner, "GET", "/channels/logs/\(address)", query: "&asym-shared-key=\(asym)")
            #expect(try Self.payloads(read) == ["plus"])

            // Other channel types refuse the key.
            let plain = try #require(try await Self.channel(owner)["channelAddress"] as? String)
            let extra = try await Flow.trail(
                owner, "POST", "/channels/logs/\(plain)", ["payload": "x"], query: "&asym-shared-key=\(asym)")
            #expect(extra.status == 400 && extra.text.contains("Please do not define an asym-shared-key"))
        }

        @Test("other tenants and other channels get nothing; bad input gets a 4xx that says why")
        func isolationAndInput() async throws {
            let platform = try SharedPlatform.platform()
            let acme = try await TenantFixture.create(TenantFixture.uniqueID("acme"), on: platform)
            let globex = try await TenantFixture.create(TenantFixture.uniqueID("globex"), on: platform)
            let (owner, ownerDID) = try await Flow.member(acme, "Owner")
            let (reader, readerDID) = try await Flow.member(acme, "Reader")
            let (outsider, _) = try await Flow.member(globex, "Outsider")
            let first = try #require(try await Self.channel(owner)["channelAddress"] as? String)
            let second = try #require(try await Self.channel(owner)["channelAddress"] as? String)
            _ = try await Flow.trail(reader, "POST", "/subscriptions/request/\(first)", [:])
            _ = try await Flow.trail(owner, "POST", "/subscriptions/authorize/\(first)", ["id": readerDID])
            _ = try await Flow.trail(owner, "POST", "/channels/logs/\(first)", ["payload": "acme only"])
            let written = try await Flow.trail(owner, "POST", "/channels/logs/\(second)", ["payload": "second"])

            // Another tenant's identity, with its own key, does not find acme's channel at all.
            for (method, path) in [
                ("GET", "/channels/logs/\(first)"), ("GET", "/channel-info/channel/\(first)"),
                ("POST", "/subscriptions/request/\(first)"), ("GET", "/subscriptions/\(first)"),
            ] {
                let response = try await Flow.trail(outsider, method, path, method == "POST" ? [:] : nil)
                #expect(response.status == 404, "\(method) \(path): \(response.text)")
            }
            let search = try Flow.logs(
                try await Flow.trail(outsider, "GET", "/channel-info/search", query: "&author-id=\(ownerDID)"))
            #expect(search.isEmpty)
            // A subscription to one channel is no key to another.
            #expect(try await Flow.trail(reader, "GET", "/channels/logs/\(second)").status == 403)
            let crossValidate = try await Flow.trail(
                reader, "POST", "/channels/validate/\(first)", [["link": written.object["link"]!, "log": [:]]])
            let result = try Flow.logs(crossValidate)
            #expect(result.first?["isValid"] as? Bool == false, "\(crossValidate.text)")
            #expect(result.first?["error"] as? String == "log not found on the tangle")

            let badAddress = try await Flow.trail(owner, "GET", "/channels/logs/" + String(repeating: "0", count: 105))
            #expect(badAddress.status == 400, "\(badAddress.text)")
            let flipped = String(first.dropLast()) + (first.hasSuffix("0") ? "1" : "0")
            #expect(try await Flow.trail(owner, "GET", "/channels/logs/\(flipped)").status == 400)
            for body: [String: Any] in [[:], ["unknown": 1], ["type": ""], ["created": "yesterday"]] {
                let response = try await Flow.trail(owner, "POST", "/channels/logs/\(first)", body)
                #expect(response.status == 400, "\(body): \(response.text)")
            }
            let large = try await Flow.trail(
                owner, "POST", "/channels/logs/\(first)", ["payload": String(repeating: "x", count: 40_000)])
            #expect(large.status == 413, "\(large.text)")
            let dates = try await Flow.trail(
                owner, "GET", "/channels/logs/\(first)",
                query: "&start-date=2026-12-02T00:00:00Z&end-date=2026-12-01T00:00:00Z")
            #expect(dates.status == 400 && dates.text.contains("start date is after end date"), "\(dates.text)")
            let future = try await Flow.trail(
                owner, "GET", "/channels/logs/\(first)", query: "&start-date=2099-01-01T00:00:00Z")
            #expect(try Flow.logs(future).isEmpty)
            #expect(try await Flow.trail(owner, "POST", "/channels/validate/\(first)", [Any]()).status == 400)
            #expect(
                try await Flow.trail(owner, "POST", "/channels/create", ["topics": [["type": "t"]]]).status == 400)
            #expect(
                try await Flow.trail(owner, "POST", "/channels/create", ["type": "secret", "topics": []]).status == 400)
        }

        @Test("subscription state and imported subscriptions")
        func stateAndImport() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("state"), on: platform)
            let (owner, _) = try await Flow.member(tenant, "Owner")
            let (client, clientDID) = try await Flow.member(tenant, "Client")
            let address = try #require(try await Self.channel(owner)["channelAddress"] as? String)

            let state = try await Flow.trail(owner, "GET", "/subscriptions/state/\(address)")
            let encoded = try #require(state.object["state"] as? String, "\(state.text)")
            let decoded = try #require(
                try JSONSerialization.jsonObject(with: Data(try Base64.decode(encoded))) as? [String: Any])
            #expect(decoded["channelAddress"] as? String == address && decoded["publicKey"] is String)
            #expect(!String(decoding: try Base64.decode(encoded), as: UTF8.self).contains("private"))
            let same = try await Flow.trail(owner, "PUT", "/subscriptions/state/\(address)", ["state": encoded])
            #expect(same.status == 200 && same.body.isEmpty, "\(same.text)")
            var forged = decoded
            forged["publicKey"] = String(repeating: "ab", count: 32)
            let forgedState = Base64.encode(Array(try JSONSerialization.data(withJSONObject: forged)))
            #expect(
                try await Flow.trail(owner, "PUT", "/subscriptions/state/\(address)", ["state": forgedState]).status
                    == 409)
            #expect(try await Flow.trail(client, "GET", "/subscriptions/state/\(address)").status == 403)

            // A19: a subscription whose keys the client holds; it starts unauthorized whatever it says.
            let key = Ed25519.PrivateKey()
            let imported: [String: Any] = [
                "type": "Subscriber", "channelAddress": address, "id": clientDID, "isAuthorized": true,
                "accessRights": "Write", "publicKey": Hex.encode(key.publicKey.rawRepresentation),
            ]
            let added = try await Flow.trail(client, "POST", "/subscriptions/\(address)/\(clientDID)", imported)
            #expect(added.status == 201 && added.object["isAuthorized"] as? Bool == false, "\(added.text)")
            #expect(
                try await Flow.trail(client, "POST", "/subscriptions/\(address)/\(clientDID)", imported).status == 409)
            let authorized = try await Flow.trail(
                owner, "POST", "/subscriptions/authorize/\(address)", ["id": clientDID])
            #expect(authorized.status == 200, "\(authorized.text)")
            // The service holds no key for it, so it cannot write on its behalf.
            let write = try await Flow.trail(client, "POST", "/channels/logs/\(address)", ["payload": "x"])
            #expect(write.status == 409, "\(write.text)")
        }
    }
}
