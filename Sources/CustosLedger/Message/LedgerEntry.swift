/// One entry to attach: the tagged data, and the media type a gateway presents its data as
/// (`application/json` or `application/octet-stream`).
public struct LedgerEntry: Sendable, Hashable {
    /// The longest content type, in bytes of UTF-8.
    public static let maximumContentTypeLength = 255

    /// The tag and data.
    public let payload: TaggedData
    /// How the data is presented.
    public let contentType: String

    /// Creates an entry; the content type must be at most 255 bytes.
    public init(payload: TaggedData, contentType: String) throws(LedgerError) {
        guard contentType.utf8.count <= Self.maximumContentTypeLength else {
            throw LedgerError("content type is longer than \(Self.maximumContentTypeLength) bytes")
        }
        self.payload = payload
        self.contentType = contentType
    }
}
