import ArgumentParser
import CustosClients
import Foundation

/// `custosctl keys ...`.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list, rotate and revoke tenant API keys.",
        subcommands: [Create.self, List.self, Rotate.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key. It is shown only once.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Option(help: "A label for the key.")
        var name: String?

        @Option(
            name: .customLong("scope"),
            help: ArgumentHelp(
                "Restrict the key to a scope (repeatable): "
                    + ControlAPI.Scope.allCases.map(\.rawValue).joined(separator: ", ") + ". Default: every scope.",
                valueName: "scope"))
        var scopes: [String] = []

        @Option(help: "When the key stops working: an RFC 3339 time (2027-06-30T00:00:00Z) or a duration (90d, 12h).")
        var expires: String?

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let expiresAt = try expires.map(Self.expiry)
            let scopes = try scopes.map { text in
                guard let scope = ControlAPI.Scope(rawValue: text) else {
                    throw ValidationError("unknown scope \(text)")
                }
                return scope
            }
            let created = try await connection.client().createKey(
                tenant: tenant, name: name, scopes: scopes.isEmpty ? nil : scopes, expiresAt: expiresAt)
            if connection.json { return try connection.printJSON(created) }
            print(
                "key id   \(created.key.id)\napi key  \(created.secret)\n\nStore the API key now: it is not shown again."
            )
        }

        /// An RFC 3339 time, or a number of days (`d`) or hours (`h`) from now.
        static func expiry(_ text: String) throws -> Date {
            if let date = ISO8601DateFormatter().date(from: text) { return date }
            if let unit = text.last, let count = Double(text.dropLast()), count > 0, unit == "d" || unit == "h" {
                return Date().addingTimeInterval(count * (unit == "d" ? 86400 : 3600))
            }
            throw ValidationError("--expires takes an RFC 3339 time (2027-06-30T00:00:00Z) or a duration (90d, 12h)")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace an API key by a new one; the old one keeps working for the overlap.",
            discussion: "The new key (same name, scopes and expiry) is shown only once.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Argument(help: "Key id (key_...).")
        var keyID: String

        @Option(help: "Seconds the old key keeps working (0 to 604800; default 3600).")
        var overlap: Int?

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let rotated = try await connection.client().rotateKey(tenant: tenant, keyID: keyID, overlapSeconds: overlap)
            if connection.json { return try connection.printJSON(rotated) }
            let until = rotated.previous.expiresAt.map(AdminConnection.timestamp) ?? "now"
            print(
                """
                key id   \(rotated.key.id)
                api key  \(rotated.secret)
                \(rotated.previous.id) keeps working until \(until)

                Store the API key now: it is not shown again.
                """)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's API keys (never the secrets).")

        @Argument(help: "Tenant id.")
        var tenant: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let keys = try await connection.client().keys(tenant: tenant)
            if connection.json { return try connection.printJSON(ControlAPI.KeyList(keys: keys)) }
            for key in keys {
                let state =
                    key.revokedAt.map { "revoked \(AdminConnection.timestamp($0))" }
                    ?? key.expiresAt.map { "expires \(AdminConnection.timestamp($0))" } ?? "active"
                let used = key.lastUsedAt.map { "used \(AdminConnection.timestamp($0))" } ?? "never used"
                let scopes = key.scopes.map { $0.map(\.rawValue).joined(separator: ",") } ?? "all scopes"
                print(
                    "\(key.id)\t\(key.name)\tcreated \(AdminConnection.timestamp(key.createdAt))\t\(state)\t\(used)\t"
                        + scopes)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an API key; gateways stop accepting it within seconds.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Argument(help: "Key id (key_...).")
        var keyID: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            try await connection.client().revokeKey(tenant: tenant, keyID: keyID)
            print("revoked \(keyID)")
        }
    }
}
