import CustosCore

/// Import of IOTA Identity's `RevocationBitmap2022` (used by Integration Services), decode only.
///
/// The issuer's DID document holds a service `{"type": "RevocationBitmap2022", "serviceEndpoint":
/// "data:application/octet-stream;base64,<X>"}` where X = base64(base64url(zlib(Roaring portable
/// bytes))) — the bitmap is base64-encoded twice. A credential points at it with
/// `credentialStatus {"type": "RevocationBitmap2022", "id": "<service id>", "revocationBitmapIndex": "<n>"}`;
/// a set bit means revoked.
public enum RevocationBitmap2022 {
    /// The service and status type.
    public static let type = "RevocationBitmap2022"
    private static let prefix = "data:application/octet-stream;base64,"

    /// Decodes the data URL of a RevocationBitmap2022 service into the set of revoked indices.
    public static func decode(dataURL: String) throws(IdentityError) -> RoaringBitmap {
        guard dataURL.hasPrefix(prefix) else {
            throw IdentityError.malformed(field: "serviceEndpoint", reason: "must be a '\(prefix)…' data URL")
        }
        let outer: [UInt8]
        do {
            outer = try Base64.decode(dataURL.dropFirst(prefix.count))
        } catch {
            throw IdentityError.malformed(field: "serviceEndpoint", reason: "the data URL is not base64: \(error)")
        }
        // The inner layer is base64url text; tolerate padding, which some encoders add.
        var inner = String(decoding: outer, as: UTF8.self)
        while inner.hasSuffix("=") {
            inner.removeLast()
        }
        let compressed: [UInt8]
        do {
            compressed = try Base64URL.decode(inner)
        } catch {
            throw IdentityError.malformed(
                field: "serviceEndpoint", reason: "the inner layer is not base64url: \(error)")
        }
        let serialized: [UInt8]
        do throws(IdentityError) {
            serialized = try Compression.inflateZlib(compressed)
        } catch {
            throw IdentityError.malformed(
                field: "serviceEndpoint", reason: "the bitmap is not a zlib stream: \(error.description)")
        }
        return try RoaringBitmap(portableBytes: serialized)
    }

    /// The revoked-index set from a DID service of type RevocationBitmap2022.
    public static func decode(service: DIDService) throws(IdentityError) -> RoaringBitmap {
        guard service.types.contains(type) else {
            throw IdentityError.malformed(field: "service.type", reason: "must be \(type)")
        }
        guard let url = service.endpoint.stringValue else {
            throw IdentityError.malformed(field: "service.serviceEndpoint", reason: "must be a data URL string")
        }
        return try decode(dataURL: url)
    }
}
