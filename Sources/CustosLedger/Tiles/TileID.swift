/// A tile of a C2SP tlog-tiles log: `width` consecutive hashes at tile level `level`, starting at hash
/// `index · 256` of that level.
///
/// Tile level `L` holds Merkle level `8·L` (level 0: leaf hashes; level 1: the roots of full level-0 tiles).
/// A tile narrower than 256 hashes is partial and only exists for tree sizes that end inside it.
public struct TileID: Sendable, Hashable, CustomStringConvertible {
    /// Merkle levels per tile level (tiles are subtrees of height 8).
    public static let height = 8
    /// Hashes in a full tile.
    public static let fullWidth = 256
    /// The highest tile level the path format admits.
    public static let maximumLevel = 63

    /// The tile level (0...63).
    public let level: Int
    /// The tile's position within its level.
    public let index: UInt64
    /// How many hashes the tile holds (1...256); below 256 the tile is partial.
    public let width: Int

    /// Creates a tile id; the level must be 0...63 and the width 1...256.
    public init(level: Int, index: UInt64, width: Int = TileID.fullWidth) throws(LedgerError) {
        guard (0...Self.maximumLevel).contains(level) else {
            throw LedgerError("tile level must be 0...\(Self.maximumLevel), got \(level)")
        }
        guard (1...Self.fullWidth).contains(width) else {
            throw LedgerError("tile width must be 1...\(Self.fullWidth), got \(width)")
        }
        self.level = level
        self.index = index
        self.width = width
    }

    /// Whether the tile has fewer than 256 hashes.
    public var isPartial: Bool { width < Self.fullWidth }

    /// The Merkle level whose hashes the tile holds.
    public var merkleLevel: Int { level * Self.height }

    /// The first hash of `merkleLevel` in the tile.
    public var firstHash: UInt64 { index * UInt64(Self.fullWidth) }

    /// The tile's bytes: `width` hashes of 32 bytes.
    public var byteCount: Int { width * 32 }

    /// `tile/<L>/<N>[.p/<W>]`, relative to the log prefix.
    public var path: String {
        "tile/\(level)/\(Self.encodeIndex(index))" + (isPartial ? ".p/\(width)" : "")
    }

    /// `tile/entries/<N>[.p/<W>]`: the entry bundle matching this level-0 tile.
    public var entriesPath: String {
        "tile/entries/\(Self.encodeIndex(index))" + (isPartial ? ".p/\(width)" : "")
    }

    /// The path.
    public var description: String { path }

    /// Parses an entry bundle path `tile/entries/<N>[.p/<W>]` strictly, as the level-0 tile it matches.
    public init(entriesPath path: String) throws(LedgerError) {
        let prefix = "tile/entries/"
        guard path.hasPrefix(prefix) else {
            throw LedgerError("entry bundle path must look like tile/entries/<N>[.p/<W>], got \(path)")
        }
        do { try self.init(path: "tile/0/" + path.dropFirst(prefix.count)) } catch {
            throw LedgerError("entry bundle path \(path) is invalid: \(error)")
        }
    }

    /// Parses `tile/<L>/<N>[.p/<W>]` strictly: only the canonical encoding of a tile is accepted.
    public init(path: String) throws(LedgerError) {
        var elements = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard elements.count >= 3, elements[0] == "tile" else {
            throw LedgerError("tile path must look like tile/<L>/<N>[.p/<W>], got \(path)")
        }
        guard let level = Self.decimal(elements[1]), level <= Self.maximumLevel else {
            throw LedgerError("tile path \(path) has an invalid level \(elements[1])")
        }
        var width = Self.fullWidth
        if elements.count >= 4, elements[elements.count - 2].hasSuffix(".p") {
            let widthText = elements.removeLast()
            guard let parsed = Self.decimal(widthText), (1..<Self.fullWidth).contains(parsed) else {
                throw LedgerError("tile path \(path) has an invalid partial width \(widthText)")
            }
            width = parsed
            elements[elements.count - 1].removeLast(2)
        }
        let indexText = elements[2...].joined(separator: "/")
        guard let index = Self.decodeIndex(indexText) else {
            throw LedgerError("tile path \(path) has an invalid index \(indexText)")
        }
        try self.init(level: level, index: index, width: width)
        guard self.path == path else { throw LedgerError("tile path \(path) is not canonical (\(self.path))") }
    }

    /// Encodes a tile index as zero-padded 3-digit groups, all but the last prefixed with `x`.
    public static func encodeIndex(_ index: UInt64) -> String {
        var groups: [String] = []
        var rest = index
        repeat {
            let group = String(rest % 1000)
            groups.append(String(repeating: "0", count: 3 - group.count) + group)
            rest /= 1000
        } while rest > 0
        return groups.reversed().enumerated().map { $0.offset == groups.count - 1 ? $0.element : "x" + $0.element }
            .joined(separator: "/")
    }

    /// Decodes `encodeIndex` output; anything else (missing `x`, wrong padding, overflow) yields nil.
    public static func decodeIndex(_ text: String) -> UInt64? {
        let groups = text.split(separator: "/", omittingEmptySubsequences: false)
        var value: UInt64 = 0
        for (position, group) in groups.enumerated() {
            var digits = Substring(group)
            if position < groups.count - 1 {
                guard digits.first == "x" else { return nil }
                digits = digits.dropFirst()
            }
            guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let groupValue = UInt64(digits)
            else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 1000)
            let (sum, overflow2) = shifted.addingReportingOverflow(groupValue)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        guard encodeIndex(value) == text else { return nil }
        return value
    }

    /// Every tile (full and partial) of a tree of `treeSize` leaves.
    public static func tiles(treeSize: UInt64) -> [TileID] {
        changedTiles(from: 0, to: treeSize)
    }

    /// The tiles that exist at `newSize` but not, with that width, at `oldSize`: what a log must write after
    /// growing. Partial tiles of `oldSize` they replace may be deleted once nothing refers to them.
    public static func changedTiles(from oldSize: UInt64, to newSize: UInt64) -> [TileID] {
        var result: [TileID] = []
        guard newSize > oldSize else { return result }
        let full = UInt64(fullWidth)
        for level in 0...maximumLevel {
            let shift = level * height
            guard shift < 64 else { break }
            let oldCount = oldSize >> shift
            let newCount = newSize >> shift
            if newCount == 0 { break }
            if newCount == oldCount { continue }
            var tile = oldCount / full
            while tile * full < newCount {
                let width = Int(min(full, newCount - tile * full))
                result.append(try! TileID(level: level, index: tile, width: width))  // 1...256 by construction
                tile += 1
            }
        }
        return result
    }

    private static func decimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }),
            text == "0" || text.first != "0"
        else { return nil }
        return Int(text)
    }
}
