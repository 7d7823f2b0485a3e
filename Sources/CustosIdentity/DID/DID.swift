/// A W3C decentralized identifier, `did:<method>:<method-specific-id>`, validated per DID Core §3.1.
public struct DID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The method name, e.g. `key` or `custos`.
    public let method: String
    /// Everything after `did:<method>:`.
    public let methodSpecificID: String

    /// Parses and validates `string`, which must be a bare DID (no path, query or fragment).
    public init(_ string: String) throws(IdentityError) {
        let parts = string.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "did" else {
            throw IdentityError.invalidDID(string, reason: "must start with 'did:<method>:'")
        }
        let method = parts[1]
        guard !method.isEmpty, method.utf8.allSatisfy({ DID.isMethodCharacter($0) }) else {
            throw IdentityError.invalidDID(string, reason: "the method name must be lowercase letters and digits")
        }
        let identifier = parts[2]
        guard !identifier.isEmpty, !identifier.hasSuffix(":") else {
            throw IdentityError.invalidDID(string, reason: "the method-specific id is empty")
        }
        var bytes = Array(identifier.utf8)[...]
        while let byte = bytes.first {
            if byte == UInt8(ascii: "%") {
                guard bytes.count >= 3, DID.isHexDigit(bytes[bytes.startIndex + 1]),
                    DID.isHexDigit(bytes[bytes.startIndex + 2])
                else {
                    throw IdentityError.invalidDID(string, reason: "a '%' must start a percent-encoded byte")
                }
                bytes = bytes.dropFirst(3)
                continue
            }
            guard DID.isIDCharacter(byte) || byte == UInt8(ascii: ":") else {
                throw IdentityError.invalidDID(
                    string, reason: "the method-specific id may hold only letters, digits, '.', '-', '_' and ':'")
            }
            bytes = bytes.dropFirst()
        }
        self.method = String(method)
        self.methodSpecificID = String(identifier)
    }

    /// `did:<method>:<methodSpecificID>`.
    public var description: String {
        "did:\(method):\(methodSpecificID)"
    }

    /// Orders DIDs by their string form, for stable output.
    public static func < (lhs: DID, rhs: DID) -> Bool {
        lhs.description < rhs.description
    }

    private static func isMethodCharacter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isIDCharacter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
