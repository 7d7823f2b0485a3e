import ArgumentParser
import CustosClients
import CustosCore
import Foundation

/// How the identity commands reach a tenant's SSI Bridge: its gateway, an API key, and for the commands that
/// act as an identity, that identity's keys file (as `identities create --keys-out` writes it).
struct TenantIdentityOptions: ParsableArguments {
    @Option(help: "The tenant gateway's base URL, e.g. http://127.0.0.1:41239.")
    var gateway: String

    @Option(help: "An API key of the tenant (or set CUSTOS_API_KEY).")
    var apiKey: String?

    @OptionGroup var format: OutputOptions

    func client() throws -> TenantIdentityClient {
        guard let key = apiKey ?? ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
            throw ValidationError("pass --api-key or set CUSTOS_API_KEY")
        }
        return TenantIdentityClient(baseURL: gateway, apiKey: key)
    }

    /// A client logged in as the identity of a keys file.
    func client(actingAs keysFile: String) async throws -> TenantIdentityClient {
        guard let data = FileManager.default.contents(atPath: keysFile),
            let keys = try? JSONParser.parse(Array(data)), let did = keys["id"]?.stringValue,
            let seed = keys["keys"]?["sign"]?["private"]?.stringValue, let bytes = try? Base58.decode(seed)
        else {
            throw ValidationError(
                "\(keysFile) is not an identity keys file ({\"id\": DID, \"keys\": {\"sign\": {\"private\": ...}}})")
        }
        return try await client().login(did: did, seed: bytes)
    }

    /// A JSON argument, or the contents of a file given as @path.
    static func json(_ text: String, name: String) throws -> JSONValue {
        var bytes = Array(text.utf8)
        if text.hasPrefix("@") {
            guard let data = FileManager.default.contents(atPath: String(text.dropFirst())) else {
                throw ValidationError("\(name): cannot read \(text.dropFirst())")
            }
            bytes = Array(data)
        }
        do { return try JSONParser.parse(bytes) } catch { throw ValidationError("\(name) is not JSON: \(error)") }
    }

    /// Prints a document as RFC 8785 JSON (its exact bytes, also for `-o json`), or as YAML with `-o yaml`.
    func printDocument(_ value: JSONValue) throws {
        guard format.output == .yaml, !format.jsonFlag else { return Swift.print(try JCS.canonicalString(value)) }
        try format.printJSON(value)
    }
}
