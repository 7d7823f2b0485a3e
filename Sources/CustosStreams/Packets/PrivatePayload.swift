/// The private part of a packet, as far as one reader can see it.
public enum PrivatePayload: Sendable, Hashable {
    /// The packet has no sealed part.
    case none
    /// The reader opened the sealed part.
    case plaintext([UInt8])
    /// The packet has a sealed part and the reader does not hold its epoch's secret.
    case sealed
    /// The reader holds the epoch secret but the sealed part does not open: its publisher sealed it to another header
    /// or key. The envelope is still authentic and in order, which every validator agrees on; only its content is
    /// lost.
    case undecryptable(StreamsError)

    /// The plaintext, when the reader could open it.
    public var plaintext: [UInt8]? {
        if case .plaintext(let bytes) = self { return bytes }
        return nil
    }
}
