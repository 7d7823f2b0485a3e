import ArgumentParser
import CustosClients
import CustosPolicy
import Foundation

/// `custosctl policies ...`: a tenant's own access policies (docs/policies.md §6).
struct Policies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate, rehearse, apply and list a tenant's own access policies (Cedar; docs/policies.md).",
        subcommands: [Validate.self, Test.self, Apply.self, List.self, Events.self])

    /// The file's policies, checked by the same rules the control plane applies.
    static func load(_ file: String, tenant: String) throws -> (text: String, policies: PolicySet) {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ValidationError("cannot read \(file): \(error.localizedDescription)")
        }
        do { return (text, try TenantPolicies.validate(text, tenant: tenant)) } catch {
            throw ValidationError("\(file): \(error)")
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a policy file offline: it parses, validates against the shipped schema, only narrows "
                + "(forbid policies), and its @ids start with the tenant's id.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Argument(help: "File of Cedar policies.")
        var file: String

        func run() throws {
            let (_, policies) = try Policies.load(file, tenant: tenant)
            print(
                "\(file): \(policies.policies.count) valid tenant policies: "
                    + policies.policies.map(\.id).joined(separator: ", "))
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide every ledger route of the tenant API for one key, with the shipped policies and the "
                + "file's, and print allow or deny with the policies that decided.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Argument(help: "File of Cedar policies.")
        var file: String

        @Option(help: "The key id (key_...) the requests are made with.")
        var key: String = "key_test"

        @Option(help: "The key's scopes, comma-separated (default: all).")
        var scopes: String?

        func run() throws {
            let (_, tenantPolicies) = try Policies.load(file, tenant: tenant)
            let all = try PolicySet(BasePolicies.policySet.policies + tenantPolicies.policies)
            let scopes = scopes.map { $0.split(separator: ",").map(String.init) } ?? LedgerRequests.allScopes
            for action in LedgerRequests.actions {
                guard
                    let (request, entities) = LedgerRequests.request(
                        action, tenant: tenant, keyID: key, scopes: scopes, unixTime: Int(Date().timeIntervalSince1970))
                else { continue }
                let decision = Authorizer.isAuthorized(
                    request, policies: all, entities: try BasePolicies.actionEntities.adding(entities))
                let why = decision.reasons.isEmpty ? "no policy permits it" : decision.reasons.joined(separator: ", ")
                print("\(action)\t\(decision.effect.rawValue)\t\(why)")
                for error in decision.errors { print("\t\(error)") }
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the tenant's policies with the file's (checked here first, then by the control "
                + "plane). Gateways apply them within 5 seconds; the change is an audit event.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Argument(help: "File of Cedar policies; an empty file removes the tenant's policies.")
        var file: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let (text, _) = try Policies.load(file, tenant: tenant)
            let stored = try await connection.client().replaceTenantPolicies(tenant: tenant, text: text)
            if connection.json { return try connection.printJSON(stored) }
            print(
                "\(tenant): \(stored.policyIds.count) tenant policies in force: "
                    + (stored.policyIds.isEmpty ? "(none)" : stored.policyIds.joined(separator: ", ")))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the tenant's policies as stored.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let stored = try await connection.client().tenantPolicies(tenant: tenant)
            if connection.json { return try connection.printJSON(stored) }
            print(stored.text.isEmpty ? "// \(tenant) has no policies of its own" : stored.text)
        }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "events",
            abstract:
                "The control plane's audit events (every mutation), newest first; `custosctl audit` verifies them.")

        @Option(help: "How many events.")
        var limit: Int = 100

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let events = try await connection.client().auditEvents(limit: limit)
            if connection.json { return try connection.printJSON(ControlAPI.AuditEventList(events: events)) }
            for event in events {
                print(
                    "\(event.sequence)\t\(AdminConnection.timestamp(event.at))\t\(event.actor)\t\(event.tenant ?? "-")"
                        + "\t\(event.event)\t\(event.detail)")
            }
        }
    }
}
