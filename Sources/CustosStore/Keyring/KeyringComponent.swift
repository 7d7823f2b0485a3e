/// The component a tenant data key belongs to: each component that holds secrets at rest has its own key per
/// tenant, so one component's key never opens another's secrets.
public struct KeyringComponent: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The ledger worker: coordinator keys.
    public static let ledger = KeyringComponent(known: "ledger")
    /// The streams worker: channel epoch secrets and participant keys held in custody.
    public static let streams = KeyringComponent(known: "streams")
    /// The ssi worker: identity keys held in custody.
    public static let ssi = KeyringComponent(known: "ssi")

    /// The name, 1 to 32 characters of `a-z`, `0-9` and `-`, starting with a letter; part of the data key's
    /// associated data.
    public let rawValue: String

    /// A component by name, or nil when the name is not of the allowed form.
    public init?(rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard (1...32).contains(bytes.count), (0x61...0x7a).contains(bytes[0]),
            bytes.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2d })
        else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) { rawValue = known }

    public var description: String { rawValue }
}
