import Foundation
import Testing

/// The module map of docs/architecture.md, checked against every `import` in `Sources/`: dependencies point one
/// way, pure modules know nothing of HTTP or SQL, `custosctl` links no server code.
@Suite("Module map")
struct ModuleMapTests {
    static let pure: Set<String> = [
        "CustosCore", "CustosCrypto", "CustosLedger", "CustosStreams", "CustosIdentity", "CustosPolicy",
    ]
    /// Generated from the contract-first OpenAPI documents: types and clients (and, for the control plane's
    /// internal API, the server protocol), importing only OpenAPIRuntime.
    static let contracts: Set<String> = [
        "CustosLedgerWorkerAPI", "CustosControlAPI", "CustosControlInternalAPI", "CustosTenantAPI",
        "CustosSSIWorkerAPI", "CustosStreamsWorkerAPI",
    ]
    static let edge: Set<String> = pure.union(["CustosStore", "CustosAuth", "CustosServer", "CustosClients"])
        .union(contracts)

    /// The Custos modules each module may import.
    static let allowed: [String: Set<String>] = [
        "CustosCrypto": ["CSodium"],
        "CustosCore": [],
        "CustosLedger": ["CustosCore", "CustosCrypto"],
        "CustosStreams": ["CustosCore", "CustosCrypto"],
        "CustosIdentity": ["CustosCore", "CustosCrypto", "CZlib"],
        "CustosPolicy": [],
        "CustosStore": ["CustosCore", "CustosCrypto"],
        "CustosStoreTesting": ["CustosStore"],
        "CustosIdentityTesting": ["CustosCore", "CustosCrypto"],
        "CustosAuth": ["CustosCore", "CustosCrypto", "CustosStore"],
        "CustosLedgerWorkerAPI": [],
        "CustosControlAPI": [],
        "CustosControlInternalAPI": [],
        "CustosTenantAPI": [],
        "CustosSSIWorkerAPI": [],
        "CustosStreamsWorkerAPI": [],
        "CustosClients": pure.union(contracts),
        "CustosServer": pure.union(["CustosAuth", "CustosClients"]),
        "CustosLedgerService": edge,
        "CustosIdentityService": edge,
        "CustosStreamsService": edge,
        "CustosControl": edge,
        "CustosGateway": edge,
        // `custos up` supervises the processes; what they do is theirs (its control plane registers the administrator).
        "CustosPlatform": edge,
        "custos": edge.union([
            "CustosPlatform", "CustosControl", "CustosGateway", "CustosLedgerService", "CustosIdentityService",
            "CustosStreamsService",
        ]),
        "custosctl": pure.union(["CustosClients"]),
        "custos-bench": pure.union(["CustosClients"]),
        // Kubernetes: a thin API client, the operator's pure reconciler, its controllers, and the executable.
        "CustosKubernetes": ["CustosCore"],
        // Test support: the kmock emulator on loopback.
        "CustosKubernetesTesting": ["CustosKubernetes"],
        "CustosOperator": ["CustosCore"],
        "CustosOperatorControllers": ["CustosCore", "CustosClients", "CustosKubernetes", "CustosOperator"],
        "custos-operator": ["CustosCore", "CustosKubernetes", "CustosOperator", "CustosOperatorControllers"],
    ]

    /// The modules that live in Operators/ rather than Sources/.
    static let operatorModules: Set<String> = ["CustosOperator", "CustosOperatorControllers", "custos-operator"]

    /// Third-party modules that must stay out of a module.
    static let forbidden: [String: Set<String>] = {
        let network: Set<String> = [
            "Hummingbird", "HummingbirdCore", "HummingbirdAuth", "PostgresNIO", "AsyncHTTPClient", "NIOCore",
            "NIOHTTP1", "NIOPosix", "FoundationNetworking", "Subprocess",
        ]
        let server: Set<String> = ["Hummingbird", "HummingbirdCore", "HummingbirdAuth", "PostgresNIO", "Subprocess"]
        var result: [String: Set<String>] = [:]
        for module in pure.union(contracts).union(["CustosOperator"]) { result[module] = network }
        for module in [
            "CustosClients", "custosctl", "custos-bench", "CustosKubernetes", "CustosOperatorControllers",
            "custos-operator",
        ] {
            result[module] = server
        }
        return result
    }()

    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
    }

    static var operators: URL { sources.deletingLastPathComponent().appendingPathComponent("Operators") }

    static func imports(of module: String) throws -> [(file: String, module: String)] {
        let directory = (operatorModules.contains(module) ? operators : sources).appendingPathComponent(module)
        guard let files = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var result: [(String, String)] = []
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                    words[..<index].allSatisfy({
                        ["@testable", "public", "internal", "package", "@_exported"].contains($0)
                    })
                else { continue }
                result.append(("\(module)/\(file)", String(words[index + 1])))
            }
        }
        return result
    }

    @Test("every module of Sources/ is in the map")
    func everyModuleIsMapped() throws {
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
            .filter { !$0.hasPrefix("C") || $0.hasPrefix("Custos") }
        let operatorModules = try FileManager.default.contentsOfDirectory(atPath: Self.operators.path)
            .filter { !$0.contains(".") && $0 != "examples" }
        #expect(Set(operatorModules) == Self.operatorModules, "Operators/ holds \(operatorModules.sorted())")
        for module in modules + operatorModules {
            #expect(Self.allowed[module] != nil, "\(module) is missing from the module map")
        }
    }

    @Test("no module imports what the map forbids")
    func importsFollowTheMap() throws {
        let ours = Set(Self.allowed.keys).union(["CSodium", "CZlib"])
        var violations: [String] = []
        for (module, allowed) in Self.allowed {
            for (file, imported) in try Self.imports(of: module) {
                if ours.contains(imported), imported != module, !allowed.contains(imported) {
                    violations.append("\(file) imports \(imported)")
                }
                if Self.forbidden[module]?.contains(imported) == true {
                    violations.append("\(file) imports \(imported), which \(module) must not use")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.sorted())")
    }
}
