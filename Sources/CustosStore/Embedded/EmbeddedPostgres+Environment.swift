import Foundation

/// The unprivileged account that owns and runs the cluster when Custos runs as root.
struct ServerUser: Sendable {
    var name: String
    var uid: uid_t
    var gid: gid_t
}

extension EmbeddedPostgres {
    /// Finds the newest installed PostgreSQL server binaries (`CUSTOS_PG_BIN` overrides).
    static func locateBinaries() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["CUSTOS_PG_BIN"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newest =
            versions
            .compactMap { Int($0) }
            .sorted(by: >)
            .first { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
        guard let newest else {
            throw StoreError(
                "no PostgreSQL server found under \(root); install it (apt-get install postgresql) "
                    + "or set CUSTOS_PG_BIN, or pass --database-url", kind: .unavailable)
        }
        return URL(fileURLWithPath: "\(root)/\(newest)/bin")
    }

    /// Nil when not root: the server then runs as the current user.
    static func serverUser() async throws -> ServerUser? {
        guard geteuid() == 0 else { return nil }
        for name in ["postgres", "custos-pg"] {
            if let user = lookUp(name) { return user }
        }
        try await CommandRunner(runAsUser: nil).check(
            "/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "custos-pg"],
            what: "creating the custos-pg user")
        guard let user = lookUp("custos-pg") else { throw StoreError("created user custos-pg but cannot find it") }
        return user
    }

    private static func lookUp(_ name: String) -> ServerUser? {
        guard let entry = getpwnam(name) else { return nil }
        return ServerUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }
}
