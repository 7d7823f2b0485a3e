/// What a reader can do with an epoch's sealed parts.
public enum EpochAccess: Sendable, Hashable {
    /// The epoch has no epoch key (epoch 0, or a public channel): nothing in it is sealed.
    case clear
    /// The reader holds the epoch secret and it matches the keyload's commitment and epoch public key.
    case readable
    /// No reader slot opens with the reader's key and no PSK slot has one of its pre-shared keys' ids.
    case noAccess
    /// A slot was the reader's, but what it held is unusable; the error says which check failed.
    case refused(StreamsError)
}
