import CustosCore
import Foundation
import Testing

extension Platforms.Shared {
    /// `custosctl channels` against a real gateway, and `custosctl verify` on what it exports, offline.
    @Suite("Channel CLI")
    struct ChannelCLITests {
        typealias Flow = ChannelFlowTests

        @Test("list, show and export a channel; the archive verifies offline and fails on any changed byte")
        func exportAndVerify() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("export"), on: platform)
            let (owner, _) = try await Flow.member(tenant, "Owner")
            let (reader, readerDID) = try await Flow.member(tenant, "Reader")
            let created = try await Flow.trail(
                owner, "POST", "/channels/create", ["name": "Export-" + UUID().uuidString, "topics": []])
            let address = try #require(created.object["channelAddress"] as? String, "\(created.text)")
            _ = try await Flow.trail(
                reader, "POST", "/subscriptions/request/\(address)", ["accessRights": "ReadAndWrite"])
            _ = try await Flow.trail(owner, "POST", "/subscriptions/authorize/\(address)", ["id": readerDID])
            for index in 0..<3 {
                _ = try await Flow.trail(owner, "POST", "/channels/logs/\(address)", ["payload": "entry \(index)"])
            }
            _ = try await Flow.trail(reader, "POST", "/channels/logs/\(address)", ["payload": "by the reader"])

            let options = ["--gateway", tenant.gatewayURL, "--api-key", tenant.apiKey]
            let list = try PlatformProcess.custosctl(["channels", "list"] + options)
            #expect(list.status == 0 && list.output.contains(address), "\(list.output)")
            let subscriptions = try PlatformProcess.custosctl(["channels", "subscriptions", address] + options)
            #expect(subscriptions.output.contains(readerDID) && subscriptions.output.contains("authorized"))
            let show = try PlatformProcess.custosctl(["channels", "show", address] + options)
            #expect(show.status == 0 && show.output.contains("\"envelopes\" : 8"), "\(show.output)")
            // -o json and yaml: documents, not text.
            let listed = try PlatformProcess.custosctl(["channels", "list", "-o", "json"] + options)
            let channels = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
            #expect(channels?.contains { $0["channelAddress"] as? String == address } == true, "\(listed.output)")
            let yaml = try PlatformProcess.custosctl(["channels", "subscriptions", address, "-o", "yaml"] + options)
            #expect(yaml.status == 0 && yaml.output.contains("accessRights: ReadAndWrite"), "\(yaml.output)")
            // Without the tenant-admin scope or a key at all, nothing.
            let anonymous = try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/channels/\(address)/export")
            #expect(anonymous.status == 401)

            let directory = URL(fileURLWithPath: NSTemporaryDirectory())
                .appendingPathComponent("custos-archive-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let archive = directory.appendingPathComponent("channel.json")
            let export = try PlatformProcess.custosctl(
                ["channels", "export", address, "--out", archive.path] + options)
            #expect(export.status == 0, "\(export.output)")
            let verified = try PlatformProcess.custosctl(["verify", archive.path])
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("VALID: channel archive of 8 envelopes"), "\(verified.output)")
            #expect(verified.output.contains("4 entries, 2 keyloads"), "\(verified.output)")

            // Any changed byte fails: flip bytes spread over the whole file, one at a time.
            let bytes = try [UInt8](Data(contentsOf: archive))
            let tampered = directory.appendingPathComponent("tampered.json")
            var accepted: [Int] = []
            for position in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
                var copy = bytes
                copy[position] = copy[position] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                try Data(copy).write(to: tampered)
                if try PlatformProcess.custosctl(["verify", tampered.path]).status != 2 { accepted.append(position) }
            }
            #expect(accepted.isEmpty, "accepted with a changed byte at \(accepted)")
            // A reordered archive fails too: the channel must read in ledger order.
            var json = try #require(try JSONParser.parse(bytes).objectValue)
            var entries = try #require(json["entries"]?.arrayValue)
            entries.swapAt(5, 6)
            json["entries"] = .array(entries)
            try Data(try JCS.canonicalBytes(.object(json))).write(to: tampered)
            let reordered = try PlatformProcess.custosctl(["verify", tampered.path])
            #expect(reordered.status == 2, "\(reordered.output)")
        }

        @Test("concurrent writers into one channel: every entry lands, in order, and the archive verifies")
        func concurrentWriters() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("concurrent"), on: platform)
            let (owner, _) = try await Flow.member(tenant, "Owner")
            let created = try await Flow.trail(owner, "POST", "/channels/create", ["topics": []])
            let address = try #require(created.object["channelAddress"] as? String, "\(created.text)")
            var writers = [owner]
            for name in ["Left", "Right"] {
                let (sdk, did) = try await Flow.member(tenant, name)
                _ = try await Flow.trail(
                    sdk, "POST", "/subscriptions/request/\(address)", ["accessRights": "ReadAndWrite"])
                _ = try await Flow.trail(owner, "POST", "/subscriptions/authorize/\(address)", ["id": did])
                writers.append(sdk)
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (number, writer) in writers.enumerated() {
                    for index in 0..<30 {
                        group.addTask {
                            try await Flow.trail(
                                writer, "POST", "/channels/logs/\(address)",
                                ["payload": "writer \(number) entry \(index)"]
                            ).status
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses.filter { $0 != 200 })")
            let read = try Flow.logs(
                try await Flow.trail(owner, "GET", "/channels/logs/\(address)", query: "&asc=true"))
            #expect(read.count == 90)
            #expect(Set(read.compactMap { ($0["log"] as? [String: Any])?["payload"] as? String }).count == 90)

            let directory = URL(fileURLWithPath: NSTemporaryDirectory())
                .appendingPathComponent("custos-concurrent-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let archive = directory.appendingPathComponent("channel.json")
            let options = ["--gateway", tenant.gatewayURL, "--api-key", tenant.apiKey]
            let export = try PlatformProcess.custosctl(
                ["channels", "export", address, "--out", archive.path] + options)
            #expect(export.status == 0, "\(export.output)")
            let verified = try PlatformProcess.custosctl(["verify", archive.path])
            #expect(verified.status == 0 && verified.output.contains("90 entries"), "\(verified.output)")
        }
    }
}
