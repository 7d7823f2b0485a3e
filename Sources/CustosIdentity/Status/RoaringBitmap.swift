/// A read-only Roaring bitmap decoded from the portable serialization format (RoaringFormatSpec), as
/// written by CRoaring, roaring-rs and Java Roaring: array, bitmap and run containers.
public struct RoaringBitmap: Sendable, Hashable {
    private enum Container: Sendable, Hashable {
        case array([UInt16])
        case bitmap([UInt64])
        case runs([(start: UInt16, lengthMinusOne: UInt16)])

        static func == (lhs: Container, rhs: Container) -> Bool {
            switch (lhs, rhs) {
            case (.array(let a), .array(let b)): return a == b
            case (.bitmap(let a), .bitmap(let b)): return a == b
            case (.runs(let a), .runs(let b)):
                return a.count == b.count
                    && zip(a, b).allSatisfy { $0.start == $1.start && $0.lengthMinusOne == $1.lengthMinusOne }
            default: return false
            }
        }

        func hash(into hasher: inout Hasher) {
            switch self {
            case .array(let values): hasher.combine(values)
            case .bitmap(let words): hasher.combine(words)
            case .runs(let runs):
                for run in runs {
                    hasher.combine(run.start)
                    hasher.combine(run.lengthMinusOne)
                }
            }
        }

        func contains(_ low: UInt16) -> Bool {
            switch self {
            case .array(let values):
                var lower = 0
                var upper = values.count
                while lower < upper {
                    let middle = (lower + upper) / 2
                    if values[middle] < low {
                        lower = middle + 1
                    } else {
                        upper = middle
                    }
                }
                return lower < values.count && values[lower] == low
            case .bitmap(let words):
                return words[Int(low) >> 6] & (1 << UInt64(low & 63)) != 0
            case .runs(let runs):
                return runs.contains { low >= $0.start && Int(low) <= Int($0.start) + Int($0.lengthMinusOne) }
            }
        }

        var count: Int {
            switch self {
            case .array(let values): return values.count
            case .bitmap(let words): return words.reduce(0) { $0 + $1.nonzeroBitCount }
            case .runs(let runs): return runs.reduce(0) { $0 + Int($1.lengthMinusOne) + 1 }
            }
        }

        var values: [UInt16] {
            switch self {
            case .array(let values):
                return values
            case .bitmap(let words):
                var result: [UInt16] = []
                for (index, word) in words.enumerated() where word != 0 {
                    for bit in 0..<64 where word & (1 << UInt64(bit)) != 0 {
                        result.append(UInt16(index * 64 + bit))
                    }
                }
                return result
            case .runs(let runs):
                return runs.flatMap { run in
                    (Int(run.start)...(Int(run.start) + Int(run.lengthMinusOne))).map { UInt16($0) }
                }
            }
        }
    }

    private static let cookieNoRuns: UInt32 = 12_346
    private static let cookieRuns: UInt32 = 12_347
    private static let arrayLimit = 4096
    private static let noOffsetThreshold = 4

    private let keys: [UInt16]
    private let containers: [Container]

    /// Decodes the portable serialization; the whole input must be consumed.
    public init(portableBytes bytes: [UInt8]) throws(IdentityError) {
        var reader = Reader(bytes: bytes)
        let cookie = try reader.u32()
        let count: Int
        var runFlags: [UInt8] = []
        if cookie & 0xFFFF == RoaringBitmap.cookieRuns {
            count = Int(cookie >> 16) + 1
            runFlags = try reader.bytes((count + 7) / 8)
        } else if cookie == RoaringBitmap.cookieNoRuns {
            count = Int(try reader.u32())
        } else {
            throw RoaringBitmap.malformed("unknown cookie 0x\(String(cookie, radix: 16))")
        }
        guard count <= 65_536 else {
            throw RoaringBitmap.malformed("\(count) containers, more than 65536")
        }
        var keys: [UInt16] = []
        var cardinalities: [Int] = []
        for _ in 0..<count {
            let key = try reader.u16()
            if let last = keys.last, key <= last {
                throw RoaringBitmap.malformed("container keys are not strictly increasing")
            }
            keys.append(key)
            cardinalities.append(Int(try reader.u16()) + 1)
        }
        if runFlags.isEmpty || count >= RoaringBitmap.noOffsetThreshold {
            // Offsets allow random access; reading sequentially, they can be skipped.
            _ = try reader.bytes(4 * count)
        }
        var containers: [Container] = []
        for index in 0..<count {
            let isRun = !runFlags.isEmpty && runFlags[index / 8] & (1 << UInt8(index % 8)) != 0
            if isRun {
                let runCount = Int(try reader.u16())
                var runs: [(start: UInt16, lengthMinusOne: UInt16)] = []
                for _ in 0..<runCount {
                    let start = try reader.u16()
                    let length = try reader.u16()
                    guard Int(start) + Int(length) <= 0xFFFF else {
                        throw RoaringBitmap.malformed("a run extends past its container")
                    }
                    runs.append((start, length))
                }
                containers.append(.runs(runs))
            } else if cardinalities[index] <= RoaringBitmap.arrayLimit {
                var values: [UInt16] = []
                for _ in 0..<cardinalities[index] {
                    values.append(try reader.u16())
                }
                containers.append(.array(values))
            } else {
                var words: [UInt64] = []
                for _ in 0..<1024 {
                    words.append(try reader.u64())
                }
                containers.append(.bitmap(words))
            }
        }
        guard reader.isAtEnd else {
            throw RoaringBitmap.malformed("\(bytes.count - reader.offset) unexpected bytes after the last container")
        }
        self.keys = keys
        self.containers = containers
    }

    /// Whether `value` is in the set.
    public func contains(_ value: UInt32) -> Bool {
        let high = UInt16(value >> 16)
        guard let index = keys.firstIndex(of: high) else { return false }
        return containers[index].contains(UInt16(truncatingIfNeeded: value))
    }

    /// The number of values.
    public var count: Int {
        containers.reduce(0) { $0 + $1.count }
    }

    /// All values, ascending.
    public var values: [UInt32] {
        var result: [UInt32] = []
        for (key, container) in zip(keys, containers) {
            result.append(contentsOf: container.values.map { UInt32(key) << 16 | UInt32($0) })
        }
        return result
    }

    private static func malformed(_ reason: String) -> IdentityError {
        IdentityError.malformed(field: "roaring bitmap", reason: reason)
    }

    /// Little-endian reads with bounds checks.
    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func bytes(_ count: Int) throws(IdentityError) -> [UInt8] {
            guard count >= 0, bytes.count - offset >= count else {
                throw RoaringBitmap.malformed("truncated after \(offset) bytes")
            }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        mutating func u16() throws(IdentityError) -> UInt16 {
            let raw = try bytes(2)
            return UInt16(raw[0]) | UInt16(raw[1]) << 8
        }

        mutating func u32() throws(IdentityError) -> UInt32 {
            let raw = try bytes(4)
            return raw.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        }

        mutating func u64() throws(IdentityError) -> UInt64 {
            let raw = try bytes(8)
            return raw.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
    }
}
