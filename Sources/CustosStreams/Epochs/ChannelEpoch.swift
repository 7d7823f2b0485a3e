import CustosCore
import CustosCrypto

/// The public facts of one epoch: what a writer needs to publish in it and a validator to check it.
///
/// Epoch 0 runs from the announce to the first keyload: its anchor is the announce, it has no epoch key, and only
/// the author may write. Epoch n ≥ 1 is the one keyload n started.
public struct ChannelEpoch: Sendable, Hashable {
    /// The channel.
    public let channelID: Digest32
    /// The channel's author, who always reads and writes.
    public let author: Ed25519.PublicKey
    /// The epoch number.
    public let number: UInt32
    /// What envelopes of this epoch link to: the keyload that started it, or the announce for epoch 0.
    public let anchor: Digest32
    /// The epoch public key (EPK) writers seal to; nil in epoch 0 and on public channels.
    public let publicKey: X25519.PublicKey?
    /// The key commitment of the keyload; nil when there is no epoch key.
    public let keyCommitment: [UInt8]?
    /// The signed access list of the keyload; empty in epoch 0.
    public let grants: [AccessGrant]

    /// Creates the facts of an epoch (usually read from a keyload by `ChannelReader`).
    public init(
        channelID: Digest32, author: Ed25519.PublicKey, number: UInt32, anchor: Digest32,
        publicKey: X25519.PublicKey?, keyCommitment: [UInt8]?, grants: [AccessGrant]
    ) {
        self.channelID = channelID
        self.author = author
        self.number = number
        self.anchor = anchor
        self.publicKey = publicKey
        self.keyCommitment = keyCommitment
        self.grants = grants
    }

    /// The rights of `key` in this epoch: the author always reads and writes; others as the access list says.
    public func rights(of key: Ed25519.PublicKey) -> AccessRights? {
        key == author ? .readAndWrite : grants.first { $0.signingKey == key }?.rights
    }

    /// The rights of `key` allow writing.
    public func mayWrite(_ key: Ed25519.PublicKey) -> Bool {
        rights(of: key)?.canWrite == true
    }
}
