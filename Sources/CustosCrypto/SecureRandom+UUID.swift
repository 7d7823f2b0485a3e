extension SecureRandom {
    /// A random (version 4, RFC 9562 §5.4) UUID in its lowercase text form, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
    ///
    /// From the same CSPRNG as ``bytes(count:)``: Foundation's `UUID()` opens and reads `/dev/urandom` on every
    /// call on Linux, a few percent of a credential issuance.
    public static func uuidV4() -> String {
        var octets = bytes(count: 16)
        octets[6] = (octets[6] & 0x0F) | 0x40
        octets[8] = (octets[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, octet) in octets.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(octet >> 4)])
            text.append(digits[Int(octet & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
