import ArgumentParser
import CustosAuth
import CustosIdentityService
import CustosLedgerService
import CustosPlatform
import CustosServer
import CustosStore
import CustosStreamsService
import Foundation
import Hummingbird

/// `custos worker ledger|streams|ssi`.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a core worker process.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case ledger, streams, ssi
    }

    @Argument(help: "Which core: ledger, streams or ssi.")
    var kind: Kind

    @OptionGroup var options: ProcessOptions

    @Option(help: "Ledger worker: at most this many milliseconds between milestones while entries wait.")
    var milestoneIntervalMs: Int = 250

    @Option(
        help:
            "ssi and streams workers: the ledger worker's base URL, where DID documents and channel envelopes are anchored."
    )
    var ledgerURL: String = "http://127.0.0.1:7101"

    @Option(help: "streams worker: the ssi worker's base URL, which resolves the DID documents of privatePlus authors.")
    var ssiURL: String = "http://127.0.0.1:7103"

    @Option(
        help: """
            Ledger worker: checkpoint origins of new networks are <prefix>/<tenant>. An origin must name one log \
            worldwide: custos up passes <installation id>.custos.local or its --public-origin-host; other \
            deployments must pass a prefix of their own. Existing networks keep their origin.
            """)
    var originPrefix: String = "custos.local"

    @Option(
        help: """
            Ledger worker: the URL at which the other ledger workers on the same database reach this one, to forward \
            the tenants it sequences (default http://<host>:<port>; on Kubernetes the pod's address).
            """)
    var advertiseURL: String?

    func validate() throws {
        do { try InstallationIdentity.validateOriginPrefix(originPrefix) } catch {
            throw ValidationError("--origin-prefix: \(error)")
        }
        if let advertiseURL {
            guard let url = URLComponents(string: advertiseURL), ["http", "https"].contains(url.scheme ?? ""),
                url.host?.isEmpty == false, url.path.isEmpty || url.path == "/", url.query == nil
            else {
                throw ValidationError(
                    "--advertise-url must be an http(s) URL with a host and no path, such as http://10.0.0.7:7101")
            }
        }
    }

    func run() async throws {
        let logger = options.logger(role: "worker \(kind.rawValue)")
        let token = try ServiceToken.fromEnvironment()
        switch kind {
        case .ledger:
            if originPrefix == InstallationIdentity.defaultOriginDomain {
                logger.warning(
                    """
                    --origin-prefix is the default custos.local: new logs are named like those of every other \
                    installation that keeps the default, and audits will mistake one for the other
                    """)
            }
            var configuration = LedgerWorker.Configuration(
                port: options.port, token: token, database: try options.database(),
                masterKey: try MasterKey.fromEnvironment(), milestoneInterval: .milliseconds(milestoneIntervalMs),
                originPrefix: originPrefix)
            configuration.limits = options.limitOptions.limits
            configuration.host = options.host
            configuration.advertiseURL = advertiseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            let services = LedgerWorker.services(configuration, logger: logger)
            try await ProcessRunner.run(services, logger: logger)
        case .ssi:
            var configuration = SSIWorker.Configuration(
                port: options.port, token: token, database: try options.database(),
                masterKey: try MasterKey.fromEnvironment(), ledgerURL: ledgerURL)
            configuration.limits = options.limitOptions.limits
            configuration.host = options.host
            try await ProcessRunner.run(SSIWorker.services(configuration, logger: logger), logger: logger)
        case .streams:
            var configuration = StreamsWorker.Configuration(
                port: options.port, token: token, database: try options.database(),
                masterKey: try MasterKey.fromEnvironment(), ledgerURL: ledgerURL, ssiURL: ssiURL)
            configuration.limits = options.limitOptions.limits
            configuration.host = options.host
            try await ProcessRunner.run(StreamsWorker.services(configuration, logger: logger), logger: logger)
        }
    }
}
