import CZlib

/// zlib through the system library: GZIP for Bitstring Status Lists, zlib streams for RevocationBitmap2022.
///
/// Decompression is capped, because status lists come from third parties and a few KiB of deflate can
/// expand to gigabytes.
enum Compression {
    /// The largest decompressed output accepted: 16 MiB, i.e. 134 million status bits.
    static let defaultOutputLimit = 1 << 24

    /// GZIP (RFC 1952) of `input` at the best compression level; the header has mtime 0, so the output
    /// depends only on the input and the zlib version.
    static func gzip(_ input: [UInt8]) throws(IdentityError) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper.
        var status = deflateInit2_(
            &stream, Z_BEST_COMPRESSION, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw IdentityError.compression("deflateInit2 failed with status \(status)")
        }
        defer { deflateEnd(&stream) }
        var source = input
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        let produced = source.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                status = deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        guard status == Z_STREAM_END else {
            throw IdentityError.compression("deflate did not finish (status \(status))")
        }
        return Array(output[..<produced])
    }

    /// Decompresses a GZIP member.
    static func gunzip(_ input: [UInt8], limit: Int = defaultOutputLimit) throws(IdentityError) -> [UInt8] {
        try inflate(input, windowBits: MAX_WBITS + 16, format: "gzip", limit: limit)
    }

    /// Decompresses a zlib (RFC 1950) stream.
    static func inflateZlib(_ input: [UInt8], limit: Int = defaultOutputLimit) throws(IdentityError) -> [UInt8] {
        try inflate(input, windowBits: MAX_WBITS, format: "zlib", limit: limit)
    }

    private static func inflate(
        _ input: [UInt8], windowBits: Int32, format: String, limit: Int
    ) throws(IdentityError) -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw IdentityError.compression("inflateInit2 failed with status \(status)")
        }
        defer { inflateEnd(&stream) }
        var source = input
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var remainingInput = 0
        source.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return outBuffer.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[..<produced])
                if output.count > limit {
                    status = Z_MEM_ERROR
                    break
                }
                if status == Z_OK && produced == 0 && stream.avail_in == 0 {
                    // No progress and no input left: the stream is truncated.
                    status = Z_BUF_ERROR
                }
            } while status == Z_OK
            remainingInput = Int(stream.avail_in)
        }
        switch status {
        case Z_STREAM_END:
            guard remainingInput == 0 else {
                throw IdentityError.compression("\(remainingInput) bytes follow the end of the \(format) stream")
            }
            return output
        case Z_MEM_ERROR where output.count > limit:
            throw IdentityError.compression("the \(format) data expands to more than \(limit) bytes")
        case Z_BUF_ERROR:
            throw IdentityError.compression("the \(format) data is truncated")
        default:
            throw IdentityError.compression("the data is not valid \(format) (zlib status \(status))")
        }
    }
}
