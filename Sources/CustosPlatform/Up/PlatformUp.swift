import CustosAuth
import CustosClients
import CustosCrypto
import CustosServer
import CustosStore
import Foundation
import Logging
import ServiceLifecycle

/// `custos up`: the whole platform on one machine, supervised, stopped cleanly on Ctrl-C.
public enum PlatformUp {
    /// Runs until SIGINT or SIGTERM.
    public static func run(_ configuration: UpConfiguration, logger: Logger) async throws {
        let dataDirectory = configuration.dataDirectory
        try dataDirectory.create()
        var configuration = configuration
        let installation = try InstallationIdentity.loadOrCreate(in: dataDirectory)
        configuration.ledgerOriginPrefix = installation.originPrefix(publicHost: configuration.publicOriginHost)
        logger.info(
            "new ledger networks get origins \(configuration.ledgerOriginPrefix ?? "")/<tenant>",
            metadata: ["installation": "\(installation)"])
        let embedded: EmbeddedPostgres? =
            configuration.databaseURL == nil
            ? EmbeddedPostgres(directory: dataDirectory.postgresDirectory, logger: logger) : nil
        let database =
            if let embedded { try await embedded.start() } else {
                try DatabaseConfiguration(url: configuration.databaseURL!)
            }
        do {
            let token = try serviceToken(in: dataDirectory)
            let masterKey = try masterKey(in: dataDirectory)
            let controlPort = configuration.controlPort == 0 ? try FreePort.find() : configuration.controlPort
            let controlURL = "http://\(configuration.host):\(controlPort)"
            let administrator = try administratorCredential(
                dataDirectory: dataDirectory, controlURL: controlURL, logger: logger)
            let service = PlatformService(
                configuration: configuration, database: database, token: token, masterKey: masterKey,
                administrator: administrator, auditSigningKey: try auditSigningKey(in: dataDirectory),
                previousAuditSigningKey: try previousAuditSigningKey(in: dataDirectory),
                controlPort: controlPort, logger: logger)
            // Listed first, the embedded PostgreSQL is watched until the platform service has stopped the children.
            var services: [any Service] = embedded.map { [SupervisedPostgres(postgres: $0, logger: logger)] } ?? []
            services.append(service)
            try await ProcessRunner.run(services, logger: logger)
        } catch {
            try? await embedded?.stop()
            throw error
        }
        try await embedded?.stop()
    }

    private static func serviceToken(in dataDirectory: DataDirectory) throws -> ServiceToken {
        if let data = FileManager.default.contents(atPath: dataDirectory.serviceTokenFile.path),
            let token = try? ServiceToken(secret: String(decoding: data, as: UTF8.self))
        {
            return token
        }
        let token = ServiceToken.generate()
        try dataDirectory.writeSecret(Array(token.secret.utf8), to: dataDirectory.serviceTokenFile)
        return token
    }

    private static func masterKey(in dataDirectory: DataDirectory) throws -> MasterKey {
        if let data = FileManager.default.contents(atPath: dataDirectory.masterKeyFile.path) {
            return try MasterKey(encoded: String(decoding: data, as: UTF8.self))
        }
        let key = MasterKey(key: SymmetricKey())
        try dataDirectory.writeSecret(Array(key.encoded.utf8), to: dataDirectory.masterKeyFile)
        return key
    }

    private static func auditSigningKey(in dataDirectory: DataDirectory) throws -> PlatformAuditSigningKey {
        if let data = FileManager.default.contents(atPath: dataDirectory.auditSigningKeyFile.path) {
            return try PlatformAuditSigningKey(encoded: String(decoding: data, as: UTF8.self))
        }
        let key = PlatformAuditSigningKey()
        try dataDirectory.writeSecret(Array(key.encoded.utf8), to: dataDirectory.auditSigningKeyFile)
        return key
    }

    /// The key `custos audit-signing-key --rotate` moved aside, while the control plane hands the audit over.
    private static func previousAuditSigningKey(in dataDirectory: DataDirectory) throws -> PlatformAuditSigningKey? {
        guard let data = FileManager.default.contents(atPath: dataDirectory.previousAuditSigningKeyFile.path) else {
            return nil
        }
        return try PlatformAuditSigningKey(encoded: String(decoding: data, as: UTF8.self))
    }

    /// The administrator credential: created on first start, afterwards read back, with the control-plane
    /// address refreshed. The control plane registers it at every start (idempotent), so a fresh database keeps
    /// working with the stored file.
    private static func administratorCredential(
        dataDirectory: DataDirectory, controlURL: String, logger: Logger
    ) throws -> SecretToken {
        let file = dataDirectory.adminCredentialFile
        let existing = (try? AdminCredential.read(from: file)).flatMap {
            try? SecretToken(parsing: $0.token, as: .adminToken)
        }
        let token = existing ?? SecretToken.generate(.adminToken)
        let credential = AdminCredential(controlUrl: controlURL, token: token.secret)
        if (try? AdminCredential.read(from: file)) != credential {
            try dataDirectory.writeSecret(try credential.encoded(), to: file)
        }
        if existing == nil {
            logger.info("created administrator credential", metadata: ["file": "\(file.path)"])
        }
        return token
    }
}
