import ArgumentParser
import CustosClients
import CustosCore
import Foundation

/// `custosctl identities ...`: a tenant administrator's identities on the tenant's SSI Bridge.
struct Identities: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and list a tenant's identities (DIDs) and set their roles.",
        subcommands: [Create.self, List.self, SetRole.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a did:custos identity; its keys are written once, to --keys-out.",
            discussion: """
                The keys file (mode 0600) is the Integration Services IdentityKeys JSON: keep it secret, it logs \
                the identity in. With --role the tenant API key (it needs the tenant-admin scope) sets the role, \
                which is how a tenant appoints its first Admin.
                """)

        @OptionGroup var tenant: TenantIdentityOptions

        @Argument(help: "The username (3 to 100 characters, unique in the tenant).")
        var username: String

        @Option(help: "The claim type: Person, Organization, Service, Device, Product or your own.")
        var type: String = "Person"

        @Option(help: "More claim members as a JSON object, or @file.")
        var claim: String?

        @Option(help: "Where to write the identity's keys (refuses to overwrite).")
        var keysOut: String

        @Option(help: "Admin, Manager or User.")
        var role: String?

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: keysOut) else {
                throw ValidationError("\(keysOut) exists; choose another --keys-out")
            }
            var members: [String: JSONValue] = [:]
            if let claim {
                guard case .object(let given) = try TenantIdentityOptions.json(claim, name: "--claim") else {
                    throw ValidationError("--claim must be a JSON object")
                }
                members = given
            }
            members["type"] = .string(type)
            let client = try tenant.client()
            let created = try await client.createIdentity(username: username, claim: .object(members))
            let data = try JSONEncoder().encode(created)
            guard
                FileManager.default.createFile(atPath: keysOut, contents: data, attributes: [.posixPermissions: 0o600])
            else { throw ValidationError("cannot write \(keysOut)") }
            if let role { try await client.setRole(did: created.id, role: role) }
            try tenant.format.print(created.id, or: ["id": created.id, "keysFile": keysOut])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List identities, oldest first.")

        @OptionGroup var tenant: TenantIdentityOptions

        @Option(help: "The keys file of the identity to log in as (any identity of the tenant may list).")
        var `as`: String

        @Option(help: "Only usernames that start with this.")
        var username: String?

        func run() async throws {
            let client = try await tenant.client(actingAs: `as`)
            let identities = try await client.search(username: username, limit: 1000)
            if tenant.format.json { return try tenant.format.printJSON(identities) }
            for identity in identities {
                print(
                    [identity.id, identity.username, identity.role.rawValue, identity.claim?._type ?? "-"]
                        .joined(separator: "\t"))
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-role", abstract: "Set an identity's role (with a tenant-admin key).")

        @OptionGroup var tenant: TenantIdentityOptions

        @Argument(help: "The identity's DID.")
        var did: String

        @Argument(help: "Admin, Manager or User.")
        var role: String

        func run() async throws {
            try await tenant.client().setRole(did: did, role: role)
            try tenant.format.print("\(did) is now \(role)", or: ["id": did, "role": role])
        }
    }
}
