/// 32 raw bytes shown as 64 lowercase hex characters (ledger message ids, hashes).
///
/// Codable as its hex string; ordered lexicographically by bytes.
public struct Digest32: Hashable, Sendable {
    /// Exactly 32 bytes.
    public let bytes: [UInt8]

    /// Wraps exactly 32 bytes.
    public init(bytes: some Collection<UInt8>) throws(IdentifierError) {
        let array = Array(bytes)
        guard array.count == 32 else {
            throw IdentifierError(message: "digest must be exactly 32 bytes, got \(array.count)")
        }
        self.bytes = array
    }

    /// Parses 64 hex characters (either case).
    public init(hex: some StringProtocol) throws(IdentifierError) {
        guard hex.utf8.count == 64 else {
            throw IdentifierError(message: "digest must be 64 hex characters, got \(hex.utf8.count)")
        }
        do throws(CodecError) {
            self.bytes = try Hex.decode(hex)
        } catch {
            throw IdentifierError(message: "digest must be 64 hex characters: \(error.message)")
        }
    }

    /// Feeds all 32 bytes to the hasher at once: the synthesized conformance fed them one at a time, which was 8 %
    /// of the ledger worker's samples under `custos-bench ingest` (perf, cpu-clock), in its tip and leaf tables.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The all-zero digest.
    public static let zero = try! Digest32(bytes: [UInt8](repeating: 0, count: 32))

    /// 64 lowercase hex characters.
    public var hex: String { Hex.encode(bytes) }
}

extension Digest32: CustomStringConvertible {
    public var description: String { hex }
}

extension Digest32: Comparable {
    public static func < (lhs: Digest32, rhs: Digest32) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension Digest32: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do throws(IdentifierError) {
            self = try Digest32(hex: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
