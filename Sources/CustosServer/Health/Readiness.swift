/// Decides whether a process can serve traffic; `/health/ready` answers 503 until it can.
public struct Readiness: Sendable {
    /// Returns nil when ready, or the reason it is not.
    public let check: @Sendable () async -> String?

    /// Creates a readiness check.
    public init(check: @escaping @Sendable () async -> String?) { self.check = check }

    /// Always ready once serving.
    public static let always = Readiness { nil }
}
