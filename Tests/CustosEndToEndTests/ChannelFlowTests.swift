import CustosCore
import CustosCrypto
import Foundation
import Testing

extension Platforms.Shared {
    /// The Integration Services SDK channel examples (is-api.md §6.2, examples 5 to 7) against a tenant gateway, in
    /// plain HTTP the way the SDK's `ChannelClient` sends them, with identities and JWTs from the SSI Bridge.
    @Suite("Audit Trail channels end to end")
    struct ChannelFlowTests {
        typealias SDK = IdentityBridgeFlowTests.SDK

        /// An identity of the tenant, logged in.
        static func member(_ tenant: TenantFixture, _ name: String) async throws -> (sdk: SDK, did: String) {
            var sdk = SDK(tenant: tenant)
            let identity = try await sdk.create(name + "-" + UUID().uuidString.prefix(6))
            try await sdk.authenticate(identity.did, seed: identity.seed)
            return (sdk, identity.did)
        }

        static func trail(_ sdk: SDK, _ method: String, _ path: String, _ body: Any? = nil, query: String = "")
            async throws -> HTTP.Response
        {
            try await sdk.call(method, path, body, query: query, api: "/api/v0.1")
        }

        static func logs(_ response: HTTP.Response) throws -> [[String: Any]] {
            try #require(response.json as? [[String: Any]], "\(response.status) \(response.text)")
        }

        @Test("example 5: create a channel, write five logs, read them back as written")
        func createWriteRead() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("trail"), on: platform)
            let (owner, ownerDID) = try await Self.member(tenant, "User")
            let created = try await Self.trail(
                owner, "POST", "/channels/create",
                [
                    "name": "Channel-\(UUID().uuidString)",
                    "topics": [["type": "example-data", "source": "data-creator"]],
                ])
            #expect(created.status == 201, "\(created.text)")
            let address = try #require(created.object["channelAddress"] as? String)
            #expect(address.count == 105)
            #expect((created.object["seed"] as? String)?.count == 72)
            for index in 1...5 {
                let log: [String: Any] = [
                    "type": "log", "created": "2026-12-01T10:00:0\(index)Z",
                    "payload": ["log": "This is log file #\(index)"], "metadata": ["n": index],
                ]
                let written = try await Self.trail(owner, "POST", "/channels/logs/\(address)", log)
                #expect(written.status == 200, "\(written.text)")
                #expect((written.object["source"] as? [String: Any])?["id"] as? String == ownerDID)
                #expect((written.object["link"] as? String)?.count == 105)
                #expect((written.object["messageId"] as? String)?.count == 64)
            }
            let read = try Self.logs(
                try await Self.trail(owner, "GET", "/channels/logs/\(address)", query: "&asc=true"))
            #expect(read.count == 5)
            let payloads = read.compactMap { (($0["log"] as? [String: Any])?["payload"] as? [String: Any])?["log"] }
            #expect(payloads.compactMap { $0 as? String } == (1...5).map { "This is log file #\($0)" })
            #expect((read.first?["log"] as? [String: Any])?["created"] as? String == "2026-12-01T10:00:01Z")
            // Newest first without asc, and a page of two.
            let page = try Self.logs(
                try await Self.trail(owner, "GET", "/channels/logs/\(address)", query: "&limit=2&index=0"))
            #expect(page.count == 2)
            #expect(
                ((page.first?["log"] as? [String: Any])?["payload"] as? [String: Any])?["log"] as? String
                    == "This is log file #5")
        }

        @Test("example 6: a subscriber sees only what was written after its authorization")
        func authorizeSubscriber() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("trail"), on: platform)
            let (owner, _) = try await Self.member(tenant, "Owner")
            let (subscriber, subscriberDID) = try await Self.member(tenant, "Subscriber")
            let created = try await Self.trail(
                owner, "POST", "/channels/create", ["topics": [["type": "example-data", "source": "owner"]]])
            let address = try #require(created.object["channelAddress"] as? String, "\(created.text)")
            let first = try await Self.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "log 1"])
            #expect(first.status == 200, "\(first.text)")

            let refused = try await Self.trail(subscriber, "GET", "/channels/logs/\(address)")
            #expect(refused.status == 403, "\(refused.text)")
            let requested = try await Self.trail(
                subscriber, "POST", "/subscriptions/request/\(address)", ["accessRights": "ReadAndWrite"])
            #expect(requested.status == 201, "\(requested.text)")
            #expect((requested.object["subscriptionLink"] as? String)?.count == 105)
            let again = try await Self.trail(subscriber, "POST", "/subscriptions/request/\(address)", [:])
            #expect(again.status == 409, "\(again.text)")

            let pending = try #require(
                try await Self.trail(owner, "GET", "/subscriptions/\(address)", query: "&is-authorized=false").json
                    as? [[String: Any]])
            #expect(pending.map { $0["id"] as? String } == [subscriberDID])
            for subscription in pending {
                let authorized = try await Self.trail(
                    owner, "POST", "/subscriptions/authorize/\(address)", ["id": try #require(subscription["id"])])
                #expect(authorized.status == 200, "\(authorized.text)")
                #expect((authorized.object["keyloadLink"] as? String)?.count == 105)
            }
            let second = try await Self.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "log 2"])
            #expect(second.status == 200, "\(second.text)")
            let read = try Self.logs(try await Self.trail(subscriber, "GET", "/channels/logs/\(address)"))
            #expect(read.compactMap { ($0["log"] as? [String: Any])?["payload"] as? String } == ["log 2"])
            // ReadAndWrite: the subscriber writes too, and the owner reads it, attributed to the subscriber.
            let own = try await Self.trail(subscriber, "POST", "/channels/logs/\(address)", ["payload": "log 3"])
            #expect(own.status == 200, "\(own.text)")
            let ownerView = try Self.logs(try await Self.trail(owner, "GET", "/channels/logs/\(address)"))
            #expect(ownerView.count == 3)
            #expect((ownerView.first?["source"] as? [String: Any])?["id"] as? String == subscriberDID)
        }

        @Test("example 7: search a channel, subscribe by link, validate logs, and catch a tampered one")
        func searchAndValidate() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("trail"), on: platform)
            let (owner, ownerDID) = try await Self.member(tenant, "Owner")
            let (subscriber, _) = try await Self.member(tenant, "Subscriber")
            let created = try await Self.trail(
                owner, "POST", "/channels/create", ["topics": [["type": "example-data", "source": "owner"]]])
            let address = try #require(created.object["channelAddress"] as? String, "\(created.text)")
            let today = Timestamp.iso8601(Calendar(identifier: .gregorian).startOfDay(for: Date()))
            let found = try Self.logs(
                try await Self.trail(
                    subscriber, "GET", "/channel-info/search",
                    query: "&author-id=\(ownerDID)&topic-type=example-data&created=\(today)"))
            #expect(found.map { $0["channelAddress"] as? String } == [address])

            let requested = try await Self.trail(subscriber, "POST", "/subscriptions/request/\(address)", [:])
            let link = try #require(requested.object["subscriptionLink"] as? String, "\(requested.text)")
            let authorized = try await Self.trail(
                owner, "POST", "/subscriptions/authorize/\(address)", ["subscriptionLink": link])
            #expect(authorized.status == 200, "\(authorized.text)")
            _ = try await Self.trail(
                owner, "POST", "/channels/logs/\(address)",
                ["type": "log", "payload": ["temperature": 21.5], "publicPayload": ["room": "A"]])
            let results = try Self.logs(try await Self.trail(subscriber, "GET", "/channels/logs/\(address)"))
            #expect(results.count == 1)

            let validated = try Self.logs(
                try await Self.trail(subscriber, "POST", "/channels/validate/\(address)", results))
            #expect(validated.allSatisfy { $0["isValid"] as? Bool == true }, "\(validated)")

            var tampered = results
            var log = try #require(tampered[0]["log"] as? [String: Any])
            log["payload"] = ["temperature": 30]
            tampered[0]["log"] = log
            let checked = try Self.logs(
                try await Self.trail(subscriber, "POST", "/channels/validate/\(address)", tampered))
            #expect(checked.first?["isValid"] as? Bool == false)
            #expect(checked.first?["error"] as? String == "not the same data")
            let tangleLog = try #require(checked.first?["tangleLog"] as? [String: Any])
            #expect((tangleLog["payload"] as? [String: Any])?["temperature"] as? Double == 21.5)

            let reimported = try await Self.trail(owner, "POST", "/channels/re-import/\(address)")
            #expect(reimported.status == 200 && reimported.text == "OK", "\(reimported.text)")
        }
    }
}
