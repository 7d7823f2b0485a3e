import HTTPTypes

extension HTTPRequest {
    /// Whether the request's framing announces a body: a `Transfer-Encoding`, or a `Content-Length` other than 0.
    var announcesBody: Bool {
        if headerFields[.transferEncoding] != nil { return true }
        guard let length = headerFields[.contentLength] else { return false }
        return length.utf8.contains { $0 != UInt8(ascii: "0") }
    }
}
