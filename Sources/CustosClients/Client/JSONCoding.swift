import Foundation

/// The JSON encoder and decoder every Custos process uses for Codable bodies.
public enum JSONCoding {
    /// Sorted keys and unescaped slashes, so responses are stable and URLs stay readable.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A plain decoder.
    public static var decoder: JSONDecoder { JSONDecoder() }
}
