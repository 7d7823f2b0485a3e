import Foundation
import Testing

extension Platforms.Shared {
    /// Entries, tiles and receipts carry ETags and caching headers; a conditional request for an entry or a tile
    /// is answered 304 by the gateway itself.
    @Suite("HTTP caching of immutable reads")
    struct HTTPCachingTests {
        @Test("ETag, Cache-Control and 304 on entries, receipts and tiles")
        func conditionalReads() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("cache"), on: platform)
            let written = try await tenant.post(["tag": "c", "data": ["n": 1]])
            let id = try #require(written.object["messageId"] as? String)
            let key = ("X-API-Key", tenant.apiKey)

            let first = try await tenant.get(id)
            #expect(first.status == 200 && first.headers.first(name: "ETag") == "\"\(id)\"")
            #expect(first.headers.first(name: "Cache-Control") == "private, max-age=31536000, immutable")
            let again = try await tenant.get(id)
            #expect(again.body == first.body, "the kept entry is the same bytes")
            let entryURL = tenant.gatewayURL + "/api/v1/ledger/messages/\(id)"
            let fresh = try await HTTP.request("GET", entryURL, headers: [key, ("If-None-Match", "\"\(id)\"")])
            #expect(fresh.status == 304 && fresh.body.isEmpty)
            let stale = try await HTTP.request("GET", entryURL, headers: [key, ("If-None-Match", "\"other\"")])
            #expect(stale.status == 200)
            // A conditional request is still authenticated first.
            let anonymous = try await HTTP.request("GET", entryURL, headers: [("If-None-Match", "\"\(id)\"")])
            #expect(anonymous.status == 401)

            let receiptURL = entryURL + "/receipt"
            var receipt = try await HTTP.request("GET", receiptURL, headers: [key])
            let deadline = ContinuousClock.now + .seconds(30)
            while receipt.status == 409 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                receipt = try await HTTP.request("GET", receiptURL, headers: [key])
            }
            let confirmed = receipt
            #expect(confirmed.status == 200, "\(confirmed.text)")
            let receiptTag = try #require(confirmed.headers.first(name: "ETag"))
            #expect(confirmed.headers.first(name: "Cache-Control") == "private, max-age=60")
            let unchanged = try await HTTP.request("GET", receiptURL, headers: [key, ("If-None-Match", receiptTag)])
            #expect(unchanged.status == 304 || unchanged.headers.first(name: "ETag") != receiptTag)

            let tileURL = tenant.gatewayURL + "/api/v1/ledger/tile/entries/000.p/1"
            let tile = try await HTTP.request("GET", tileURL, headers: [key])
            #expect(tile.status == 200 && tile.headers.first(name: "ETag") == "\"entries/000.p/1\"", "\(tile.text)")
            let tileAgain = try await HTTP.request(
                "GET", tileURL, headers: [key, ("If-None-Match", "\"entries/000.p/1\"")])
            #expect(tileAgain.status == 304)
        }
    }
}
