/// A tenant's slug: lowercase, 3...32 chars, `[a-z][a-z0-9-]*`, no trailing or double hyphen.
///
/// It appears in URLs, DNS labels, Kubernetes resource names and log lines, so it is deliberately
/// narrow. Codable as a plain string, validated on decode.
public struct TenantID: Hashable, Sendable {
    /// The validated slug.
    public let rawValue: String

    /// The rule, as shown to callers.
    public static let rule = "tenant id must be 3 to 32 characters of a-z, 0-9 and '-', starting with a letter"

    /// Validates `validating` and wraps it.
    public init(validating string: String) throws(IdentifierError) {
        let bytes = string.utf8
        guard (3...32).contains(bytes.count) else {
            throw IdentifierError(message: Self.rule)
        }
        var previous: UInt8 = 0
        var index = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                break
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                guard index > 0 else { throw IdentifierError(message: Self.rule) }
                if byte == UInt8(ascii: "-") && previous == UInt8(ascii: "-") {
                    throw IdentifierError(message: "tenant id must not contain '--'")
                }
            default:
                throw IdentifierError(message: Self.rule)
            }
            previous = byte
            index += 1
        }
        guard previous != UInt8(ascii: "-") else {
            throw IdentifierError(message: "tenant id must not end with '-'")
        }
        self.rawValue = string
    }

    /// `nil` unless `description` is a valid tenant id.
    public init?(_ description: String) {
        guard let valid = try? TenantID(validating: description) else { return nil }
        self = valid
    }
}

extension TenantID: CustomStringConvertible, LosslessStringConvertible {
    public var description: String { rawValue }
}

extension TenantID: Comparable {
    public static func < (lhs: TenantID, rhs: TenantID) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}

extension TenantID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do throws(IdentifierError) {
            self = try TenantID(validating: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
