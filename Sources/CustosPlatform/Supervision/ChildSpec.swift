/// A child process of `custos up`: one role of the `custos` binary.
public struct ChildSpec: Sendable, Hashable {
    /// The role for logs (`worker ledger`, `gateway acme`).
    public var name: String
    /// Arguments after the executable.
    public var arguments: [String]
    /// Extra environment (secrets travel here, never in arguments).
    public var environment: [String: String]

    /// Creates a spec.
    public init(name: String, arguments: [String], environment: [String: String]) {
        self.name = name
        self.arguments = arguments
        self.environment = environment
    }
}
