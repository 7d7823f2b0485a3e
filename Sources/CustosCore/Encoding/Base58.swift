/// Base58 with the Bitcoin alphabet, as used by did:key, multibase `z` and Data Integrity proofs.
///
/// Each leading zero byte is written as a leading `1`. Conversion is quadratic in the input length,
/// so ``decode(_:)`` refuses inputs longer than ``maxDecodeLength`` characters.
public enum Base58 {
    /// The longest string ``decode(_:)`` accepts, far above any key, hash or signature.
    public static let maxDecodeLength = 16_384

    private static let alphabet: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()

    /// 58^5, the largest power of 58 that fits a 32-bit limb.
    private static let limbBase: UInt64 = 656_356_768

    /// Base58 (Bitcoin alphabet) of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var zeros = 0
        var iterator = bytes.makeIterator()
        // Little-endian limbs in base 58^5.
        var limbs: [UInt32] = []
        limbs.reserveCapacity(bytes.count * 138 / 500 + 1)
        var sawNonZero = false
        while let byte = iterator.next() {
            if !sawNonZero {
                if byte == 0 {
                    zeros += 1
                    continue
                }
                sawNonZero = true
            }
            var carry = UInt64(byte)
            for index in limbs.indices {
                let accumulated = UInt64(limbs[index]) * 256 + carry
                limbs[index] = UInt32(accumulated % limbBase)
                carry = accumulated / limbBase
            }
            while carry != 0 {
                limbs.append(UInt32(carry % limbBase))
                carry /= limbBase
            }
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(zeros + limbs.count * 5)
        for limb in limbs {
            var value = limb
            for _ in 0..<5 {
                digits.append(UInt8(value % 58))
                value /= 58
            }
        }
        while let last = digits.last, last == 0 {
            digits.removeLast()
        }
        var result: [UInt8] = Array(repeating: UInt8(ascii: "1"), count: zeros)
        result.reserveCapacity(zeros + digits.count)
        for digit in digits.reversed() {
            result.append(alphabet[Int(digit)])
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Decodes Base58 (Bitcoin alphabet); rejects any other character, including whitespace.
    public static func decode(_ string: some StringProtocol) throws(CodecError) -> [UInt8] {
        let utf8 = string.utf8
        guard utf8.count <= maxDecodeLength else {
            throw CodecError(message: "base58 string longer than \(maxDecodeLength) characters")
        }
        var zeros = 0
        var leading = true
        // Little-endian 32-bit limbs.
        var limbs: [UInt32] = []
        limbs.reserveCapacity(utf8.count * 733 / 4000 + 1)
        var chunk: UInt64 = 0
        var chunkMultiplier: UInt64 = 1
        var offset = 0
        for character in utf8 {
            let value = values[Int(character)]
            guard value != 0xFF else {
                throw CodecError.invalidCharacter("base58", in: string, atUTF8Offset: offset)
            }
            offset += 1
            if leading {
                if value == 0 {
                    zeros += 1
                    continue
                }
                leading = false
            }
            chunk = chunk * 58 + UInt64(value)
            chunkMultiplier *= 58
            if chunkMultiplier == limbBase {
                multiplyAdd(&limbs, multiplier: chunkMultiplier, addend: chunk)
                chunk = 0
                chunkMultiplier = 1
            }
        }
        if chunkMultiplier > 1 {
            multiplyAdd(&limbs, multiplier: chunkMultiplier, addend: chunk)
        }
        var result = [UInt8](repeating: 0, count: zeros)
        result.reserveCapacity(zeros + limbs.count * 4)
        var started = false
        for limb in limbs.reversed() {
            for shift in stride(from: 24, through: 0, by: -8) {
                let byte = UInt8(truncatingIfNeeded: limb >> UInt32(shift))
                if started || byte != 0 {
                    started = true
                    result.append(byte)
                }
            }
        }
        return result
    }

    /// `limbs = limbs × multiplier + addend`, with `multiplier` below 2^30.
    private static func multiplyAdd(_ limbs: inout [UInt32], multiplier: UInt64, addend: UInt64) {
        var carry = addend
        for index in limbs.indices {
            let accumulated = UInt64(limbs[index]) * multiplier + carry
            limbs[index] = UInt32(truncatingIfNeeded: accumulated)
            carry = accumulated >> 32
        }
        while carry != 0 {
            limbs.append(UInt32(truncatingIfNeeded: carry))
            carry >>= 32
        }
    }
}
