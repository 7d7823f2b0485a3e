import CustosClients
import CustosCore
import Foundation
import Testing

extension Platforms {
    /// Rotating the control plane's audit signing key on a `custos up` installation: `custos audit-signing-key
    /// --rotate`, a restart, and verifiers that follow the handover, on a platform of its own (it is restarted).
    @Suite("Platform audit: signing key rotation")
    struct PlatformAuditRotationTests {
        typealias Forgery = PlatformAuditForgeryTests

        static func records(_ entries: [ControlAPI.AuditEntry]) throws -> [PlatformAuditRecord] {
            try entries.map { try PlatformAuditRecord(data: try Base64.decode($0.data)) }
        }

        static func key(_ file: URL) throws -> PlatformAuditSigningKey {
            try PlatformAuditSigningKey(encoded: String(contentsOf: file, encoding: .utf8))
        }

        @Test("a rotation is recorded once, signed by the old key; verifiers pinned to either key follow it")
        func rotation() async throws {
            let first = try await PlatformProcess.start()
            first.keepDirectory()
            _ = try await TenantFixture.create(TenantFixture.uniqueID("before"), on: first)
            let keyFile = first.dataDirectory.appendingPathComponent("audit-signing.key")
            let old = try Self.key(keyFile)
            let before = try await Forgery.recordedEntries(first, atLeast: 2)
            let state = first.baseDirectory.appendingPathComponent("audit-rotation").path
            let dataDir = ["--data-dir", first.dataDirectory.path]
            let pinned = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(pinned.status == 0 && pinned.output.contains(old.signer), "\(pinned.output)")
            #expect(try await first.stop() == 0)

            let custos = PlatformProcess.binDirectory.appendingPathComponent("custos").path
            let rotated = try PlatformProcess.run(custos, ["audit-signing-key", "--rotate"] + dataDir)
            let new = try Self.key(keyFile)
            #expect(rotated.status == 0 && rotated.output.contains("to   \(new.signer)"), "\(rotated.output)")
            #expect(
                try Self.key(first.dataDirectory.appendingPathComponent("audit-signing.key.previous")).signer
                    == old.signer)
            let again = try PlatformProcess.run(custos, ["audit-signing-key", "--rotate"] + dataDir)
            #expect(again.status != 0 && again.output.contains("an earlier rotation"), "\(again.output)")

            let second = try await PlatformProcess.start(in: first.baseDirectory)
            second.keepDirectory()
            // The previous key, like the current one, is the control plane's alone.
            let previousKey = PlatformAuditSigningKey.previousEnvironmentKey
            #expect(second.childEnvironmentNames(matching: "custos control ").contains(previousKey))
            for child in ["custos gateway ", "worker ledger", "worker ssi", "worker streams"] {
                #expect(!second.childEnvironmentNames(matching: child).contains(previousKey), "\(child)")
            }
            _ = try await TenantFixture.create(TenantFixture.uniqueID("after"), on: second)
            let entries = try await Forgery.recordedEntries(second, atLeast: before.count + 3)
            let records = try Self.records(entries)
            let rotation = try #require(
                records.first { $0.event == PlatformAuditRecord.rotationEvent }, "\(records.map(\.event))")
            #expect(rotation.signer == old.signer && rotation.nextSigner == new.signer)
            #expect(records.filter { $0.index < rotation.index }.allSatisfy { $0.signer == old.signer })
            let later = records.filter { $0.index > rotation.index }
            #expect(!later.isEmpty && later.allSatisfy { $0.signer == new.signer }, "\(later)")

            // The verifier pinned to the old key follows the handover and keeps the new key; one given only the
            // new key accepts the history that leads to it.
            let followed = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(
                followed.status == 0 && followed.output.contains("is now \(new.signer)")
                    && followed.output.contains(
                        "\(old.signer) (from entry 1), then \(new.signer) (from entry \(rotation.index + 1))"),
                "\(followed.output)")
            let pin = URL(fileURLWithPath: state).appendingPathComponent(
                try #require(
                    try FileManager.default.contentsOfDirectory(atPath: state).first { $0.hasSuffix(".signer") }))
            #expect(try String(contentsOf: pin, encoding: .utf8).contains(new.signer))
            let fresh = first.baseDirectory.appendingPathComponent("audit-rotation-fresh").path
            let given = try PlatformProcess.custosctl(
                ["audit", "verify", "--state-dir", fresh, "--control-key", new.signer, "-o", "json"] + dataDir)
            #expect(given.status == 0, "\(given.output)")
            // -o json: one document, the verdict and the chain of keys.
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(given.output.utf8)) as? [String: Any], "\(given.output)")
            #expect(document["valid"] as? Bool == true && (document["rejected"] as? [Any])?.isEmpty == true)
            let chain = (document["signers"] as? [[String: Any]] ?? []).map {
                "\($0["signer"] as? String ?? "") \($0["fromIndex"] as? Int ?? 0)"
            }
            #expect(chain == ["\(old.signer) 1", "\(new.signer) \(rotation.index + 1)"], "\(given.output)")

            // Restarted with the previous key still there, the control plane stores no second rotation.
            #expect(try await second.stop() == 0)
            let third = try await PlatformProcess.start(in: first.baseDirectory)
            defer { third.process.terminate() }
            _ = try await TenantFixture.create(TenantFixture.uniqueID("third"), on: third)
            let all = try Self.records(try await Forgery.recordedEntries(third, atLeast: entries.count + 2))
            #expect(all.filter { $0.event == PlatformAuditRecord.rotationEvent }.count == 1)
            #expect(third.log.contains("the previous key signs nothing more; remove it"), "\(third.log)")

            // The old key signs nothing the verifiers accept after the handover, even with the next index.
            let top = all.map(\.index).max() ?? 0
            let stale = try PlatformAuditRecord(
                index: top + 1, sequence: 999_999, at: "2026-12-06T00:00:00.000Z", actor: "adm_old",
                event: "tenant.suspend.succeeded", tenant: nil, operation: nil, detail: ""
            ).signed(by: old)
            try await Forgery.append([stale], to: third)
            let refused = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(
                refused.status == 2 && refused.output.contains("entry \(top + 1) is signed by \(old.signer)")
                    && refused.output.contains("handed over from"),
                "\(refused.output)")
            let refusedJSON = try PlatformProcess.custosctl(
                ["audit", "verify", "--state-dir", state, "-o", "json"] + dataDir)
            let verdict = try JSONSerialization.jsonObject(with: Data(refusedJSON.output.utf8)) as? [String: Any]
            #expect(
                refusedJSON.status == 2 && verdict?["valid"] as? Bool == false
                    && (verdict?["rejected"] as? [String])?.contains { $0.contains("handed over from") } == true,
                "\(refusedJSON.output)")
        }
    }
}
