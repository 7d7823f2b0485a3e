import ArgumentParser
import CustosServer

/// Timeouts and the connection cap, shared by every serving role and by `custos up`, which hands them on.
struct LimitOptions: ParsableArguments {
    @Option(help: "Seconds a request's headers may take to arrive (also: before a new connection's first request).")
    var headerTimeout: Int = 10

    @Option(help: "Seconds a request's body may take to arrive after its headers.")
    var bodyTimeout: Int = 30

    @Option(help: "Seconds a kept-alive connection may stay idle.")
    var idleTimeout: Int = 60

    @Option(help: "Connections served at once per process; more wait in the listen backlog.")
    var maxConnections: Int = 1024

    func validate() throws {
        for (name, value) in [
            ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout),
        ] where !(1...3600).contains(value) {
            throw ValidationError("\(name) must be 1 to 3600 seconds")
        }
        guard (1...1_000_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be 1 to 1000000")
        }
    }

    var limits: ConnectionLimits {
        ConnectionLimits(
            headerTimeout: .seconds(headerTimeout), bodyTimeout: .seconds(bodyTimeout),
            idleTimeout: .seconds(idleTimeout), maximumConnections: maxConnections)
    }
}
