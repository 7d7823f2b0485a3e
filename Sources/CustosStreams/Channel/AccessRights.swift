/// The Integration Services access rights (`Audit`, `Read`, `Write`, `ReadAndWrite`), as granted in a keyload.
///
/// Reading is cryptographic (only readers receive the epoch secret) and so is writing (only listed writers' signed
/// packets are accepted); a `Write` member never holds the epoch secret, so it cannot decrypt what it wrote.
public enum AccessRights: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Reads the channel's history, usually through a pre-shared key; never writes.
    case audit = 1
    /// Reads; never writes.
    case read = 2
    /// Writes; never reads.
    case write = 3
    /// Reads and writes, like the author.
    case readAndWrite = 4

    /// Whether the member receives the epoch secret.
    public var canRead: Bool { self != .write }

    /// Whether the member's signed packets are accepted.
    public var canWrite: Bool { self == .write || self == .readAndWrite }

    /// The Integration Services name: `Audit`, `Read`, `Write` or `ReadAndWrite`.
    public var description: String {
        switch self {
        case .audit: "Audit"
        case .read: "Read"
        case .write: "Write"
        case .readAndWrite: "ReadAndWrite"
        }
    }

    /// Parses an Integration Services name.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = match
    }
}
