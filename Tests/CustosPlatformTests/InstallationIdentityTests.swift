import CustosClients
import CustosLedger
import CustosPlatform
import Foundation
import Testing

@Suite("Installation identity and checkpoint origins")
struct InstallationIdentityTests {
    static func temporaryDirectory() throws -> DataDirectory {
        let url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("custos-installation-\(UUID().uuidString.prefix(8))")
        let directory = DataDirectory(url: url)
        try directory.create()
        return directory
    }

    @Test("the identity is created once per data directory and stays the same across restarts")
    func stableAcrossRestarts() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        let first = try InstallationIdentity.loadOrCreate(in: directory)
        let second = try InstallationIdentity.loadOrCreate(in: directory)
        #expect(first == second)
        #expect(first.originPrefix(publicHost: nil) == second.originPrefix(publicHost: nil))
        #expect(first.originPrefix(publicHost: nil) == "\(first.id).custos.local")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.installationIDFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOf: directory.installationIDFile, encoding: .utf8)
        #expect(text == "\(first.id)\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers == ["installation-id"], "no temporary files are left behind")
    }

    @Test("two data directories get different identities and therefore different origins")
    func differentPerDirectory() throws {
        let one = try Self.temporaryDirectory()
        let two = try Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: one.url)
            try? FileManager.default.removeItem(at: two.url)
        }
        let first = try InstallationIdentity.loadOrCreate(in: one)
        let second = try InstallationIdentity.loadOrCreate(in: two)
        #expect(first != second)
        #expect(first.originPrefix(publicHost: nil) != second.originPrefix(publicHost: nil))
        #expect(first.id.utf8.count == 32 && second.id.utf8.count == 32)
    }

    @Test("derived origins are valid signed-note key names and checkpoint origins")
    func originsAreValid() throws {
        let identity = InstallationIdentity.generate()
        for prefix in [identity.originPrefix(publicHost: nil), identity.originPrefix(publicHost: "ledger.example.com")]
        {
            let origin = "\(prefix)/acme"
            #expect(throws: Never.self) { try NoteVerifierKey.validate(name: origin) }
            #expect(throws: Never.self) { try InstallationIdentity.validateOriginPrefix(prefix) }
            #expect(throws: Never.self) { try Checkpoint(origin: origin, size: 0, root: MerkleHash.emptyRoot) }
        }
        #expect(identity.originPrefix(publicHost: "ledger.example.com") == "ledger.example.com")
    }

    @Test("a damaged identity file is an error, never replaced")
    func damagedFile() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory.url) }
        try Data("not an id\n".utf8).write(to: directory.installationIDFile)
        #expect(throws: PlatformError.self) { try InstallationIdentity.loadOrCreate(in: directory) }
        let text = try String(contentsOf: directory.installationIDFile, encoding: .utf8)
        #expect(text == "not an id\n")
    }

    @Test("public origin hosts are DNS names, normalised to lower case")
    func publicHosts() throws {
        #expect(try InstallationIdentity.validatePublicHost("Ledger.Example.COM") == "ledger.example.com")
        #expect(try InstallationIdentity.validatePublicHost("a-1.b2.example") == "a-1.b2.example")
        for bad in [
            "", "localhost", "ledger.example.com/", "a b.example", "a+b.example", "-a.example", "a-.example",
            "a..example", "ledger.example.com.", String(repeating: "a", count: 64) + ".example", "é.example",
        ] {
            #expect(throws: PlatformError.self, "\(bad)") { try InstallationIdentity.validatePublicHost(bad) }
        }
        for bad in ["", "a b", "a+b", "prefix/", "tab\there"] {
            #expect(throws: PlatformError.self, "\(bad)") { try InstallationIdentity.validateOriginPrefix(bad) }
        }
    }
}
