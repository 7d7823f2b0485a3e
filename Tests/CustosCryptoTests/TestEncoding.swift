// Tiny decoders so this test target does not depend on CustosCore (written concurrently).

/// Decodes hex test data; invalid literals are a bug in the test itself.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    precondition(digits.count.isMultiple(of: 2), "odd-length hex literal")
    func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: preconditionFailure("invalid hex digit")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
}

/// Lower-case hex for readable failure messages.
func hexString(_ bytes: some Collection<UInt8>) -> String {
    bytes.map { byte in
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }.joined()
}

/// UTF-8 bytes of a string literal.
func utf8(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Bitcoin-alphabet base58 decoding, as used by did:key and `publicKeyBase58`; nil on an invalid character.
func base58Decode(_ text: String) -> [UInt8]? {
    let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    var bigEndian: [UInt8] = []
    for character in text.utf8 {
        guard let digit = alphabet.firstIndex(of: character) else { return nil }
        var carry = digit
        for index in bigEndian.indices.reversed() {
            carry += Int(bigEndian[index]) * 58
            bigEndian[index] = UInt8(carry & 0xff)
            carry >>= 8
        }
        while carry > 0 {
            bigEndian.insert(UInt8(carry & 0xff), at: 0)
            carry >>= 8
        }
    }
    let leadingZeros = text.utf8.prefix { $0 == UInt8(ascii: "1") }.count
    return [UInt8](repeating: 0, count: leadingZeros) + bigEndian
}

/// Returns a copy with one bit flipped, for tamper tests.
func flippingBit(_ bytes: [UInt8], at index: Int, bit: UInt8 = 0x01) -> [UInt8] {
    var copy = bytes
    copy[index] ^= bit
    return copy
}
