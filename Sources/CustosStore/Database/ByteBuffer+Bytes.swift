import NIOCore

extension ByteBuffer {
    /// The readable bytes as an array, for decoding `bytea` columns into pure value types.
    public var bytes: [UInt8] { Array(readableBytesView) }
}

extension Array where Element == UInt8 {
    /// The bytes wrapped for binding as a `bytea` parameter.
    public var byteBuffer: ByteBuffer { ByteBuffer(bytes: self) }
}
