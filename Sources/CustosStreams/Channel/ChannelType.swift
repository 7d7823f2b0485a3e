/// The Integration Services channel types (`public`, `private`, `privatePlus`), announced in the announce.
///
/// `private` and `privatePlus` are the same on the wire; in Integration Services `privatePlus` only changes how the
/// service encrypts the channel state it stores for its users, which is the streams worker's business, not the
/// protocol's. The type is announced anyway so that every participant knows which the author chose.
public enum ChannelType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Everything is in clear; keyloads only say who may write.
    case `public` = 0
    /// Private payloads are sealed to epoch keys that only readers receive.
    case `private` = 1
    /// As `private`, with the service-side state encrypted under a key the client supplies.
    case privatePlus = 2

    /// Whether keyloads carry an epoch key pair and packets may carry a sealed part.
    public var hasEpochKeys: Bool { self != .public }

    /// The Integration Services name: `public`, `private` or `privatePlus`.
    public var description: String {
        switch self {
        case .public: "public"
        case .private: "private"
        case .privatePlus: "privatePlus"
        }
    }

    /// Parses an Integration Services name.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = match
    }
}
