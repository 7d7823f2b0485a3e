import CustosCore
import CustosCrypto

/// Every failure of CustosStreams: each case names what was checked and what was found.
///
/// Messages quote only public values (ids, public keys, numbers, field names), never payloads or secrets, so they
/// are safe to log and to return to the caller.
public enum StreamsError: CustosError, Hashable {
    // MARK: Encoding

    /// The envelope is longer than `Envelope.maximumByteCount`, so it would not fit a ledger message.
    case envelopeTooLarge(size: Int, limit: Int)
    /// The bytes end inside `field`, which needs `needed` more bytes at `offset`.
    case truncated(field: String, offset: Int, needed: Int, remaining: Int)
    /// Bytes follow the last field of the envelope (or of a content structure named by `field`).
    case trailingBytes(field: String, count: Int)
    /// The version byte is not one this implementation reads.
    case unsupportedVersion(UInt8)
    /// The type byte names no envelope type.
    case unknownEnvelopeType(UInt8)
    /// The channel type byte names no channel type.
    case unknownChannelType(UInt8)
    /// The access rights byte names no access right.
    case unknownAccessRights(UInt8)
    /// A field has a value its envelope type does not allow; `reason` says which value was required.
    case malformed(field: String, reason: String)
    /// A public key in the envelope is not usable (a low-order X25519 point).
    case invalidKey(field: String)

    // MARK: Building

    /// The input cannot make a valid envelope; `reason` says what was asked for and why it is refused.
    case invalidRequest(String)

    // MARK: Channel and epoch context

    /// The envelope names another channel than the one being read.
    case wrongChannel(expected: Digest32, found: Digest32)
    /// The first envelope of a channel must be its announce.
    case announceExpected(found: EnvelopeType)
    /// A channel has exactly one announce, and it was already read.
    case duplicateAnnounce
    /// The announce does not hash to the channel id the reader was given: it announces another channel.
    case channelIDMismatch(expected: Digest32, found: Digest32)
    /// The envelope is for another epoch than the current one (or than the next one, for a keyload).
    case wrongEpoch(expected: UInt32, found: UInt32)
    /// The envelope's link is not the anchor its type requires.
    case wrongLink(expected: Digest32, found: Digest32)

    // MARK: Authenticity and authorization

    /// The Ed25519 signature does not verify under the publisher's key.
    case badSignature(publisher: Ed25519.PublicKey)
    /// Only the channel's author may publish this envelope type.
    case notTheAuthor(type: EnvelopeType, publisher: Ed25519.PublicKey)
    /// The publisher is not granted Write or ReadAndWrite in the current epoch's signed access list.
    case notAWriter(publisher: Ed25519.PublicKey, epoch: UInt32, rights: AccessRights?)
    /// The tagged packet's MAC does not verify under the epoch's tag key: it was forged or altered.
    case badTag(epoch: UInt32)

    // MARK: Publisher chains

    /// The publisher's envelope skips sequence numbers: envelopes were dropped or arrive out of order.
    case sequenceGap(publisher: Ed25519.PublicKey, expected: UInt64, found: UInt64)
    /// The publisher already used this sequence number: a replay, a reordering or a fork of its chain.
    case sequenceReused(publisher: Ed25519.PublicKey, expected: UInt64, found: UInt64)
    /// The envelope's `prev` is not the id of the publisher's previous envelope: the chain was forked or rewritten.
    case previousMismatch(publisher: Ed25519.PublicKey, expected: Digest32, found: Digest32)
    /// This exact envelope was already read (tagged packets, which belong to no publisher chain).
    case replayed(Digest32)

    // MARK: Content rules

    /// The envelope has a sealed part, but the epoch has no epoch key to seal to (epoch 0 or a public channel).
    case sealedWithoutEpochKey(epoch: UInt32)
    /// Tagged packets need an epoch key to be authenticated; this epoch has none.
    case taggedWithoutEpochKey(epoch: UInt32)
    /// The keyload does not fit the channel type (a public channel's keyload carries keys, or a private one none).
    case keyloadDoesNotFitChannel(type: ChannelType, reason: String)
    /// The subscriber already has an active subscription on this channel.
    case alreadySubscribed(Ed25519.PublicKey)
    /// The unsubscribe does not link to the publisher's active subscription.
    case unknownSubscription(publisher: Ed25519.PublicKey, link: Digest32)

    // MARK: Keys (reported in events; they do not reject an envelope)

    /// The epoch secret this reader unsealed does not match the keyload's key commitment.
    case keyCommitmentMismatch(epoch: UInt32)
    /// The epoch secret this reader unsealed does not belong to the keyload's epoch public key.
    case epochKeyMismatch(epoch: UInt32)
    /// The sealed epoch secret is bound to another channel or epoch than the keyload that carries it.
    case epochKeyBindingMismatch(epoch: UInt32)
    /// The wrap for this pre-shared key id does not open with the pre-shared key.
    case pskUnwrapFailed(epoch: UInt32, pskID: [UInt8])
    /// The private payload does not open with the epoch key: the publisher sealed it for another header or key.
    case decryptionFailed(envelope: Digest32)

    // MARK: Addresses

    /// A string is not a channel address (`hex(40 bytes) ":" hex(12 bytes)`, lowercase).
    case malformedAddress(String)
    /// The address is well formed, but its check bytes do not match its channel id: it was mistyped.
    case addressChecksumMismatch

    /// Oversized input is 413; an unauthorized writer is 403; everything else is input that does not verify (400).
    public var kind: ErrorKind {
        switch self {
        case .envelopeTooLarge: .payloadTooLarge
        case .notTheAuthor, .notAWriter: .forbidden
        default: .invalidInput
        }
    }

    /// What was checked and what was found.
    public var description: String {
        switch self {
        case .envelopeTooLarge(let size, let limit):
            "envelope is \(size) bytes; at most \(limit) fit a ledger message"
        case .truncated(let field, let offset, let needed, let remaining):
            "truncated envelope: \(field) needs \(needed) bytes at offset \(offset), \(remaining) left"
        case .trailingBytes(let field, let count):
            "\(count) unexpected bytes after the end of the \(field)"
        case .unsupportedVersion(let version):
            "unsupported envelope version \(version); this implementation reads version \(Envelope.currentVersion)"
        case .unknownEnvelopeType(let code):
            "unknown envelope type \(code)"
        case .unknownChannelType(let code):
            "unknown channel type \(code)"
        case .unknownAccessRights(let code):
            "unknown access rights code \(code)"
        case .malformed(let field, let reason):
            "malformed envelope: \(field) \(reason)"
        case .invalidKey(let field):
            "\(field) is not a usable X25519 public key (it has low order)"
        case .invalidRequest(let reason):
            "cannot build the envelope: \(reason)"
        case .wrongChannel(let expected, let found):
            "the envelope is for channel \(found), not \(expected)"
        case .announceExpected(let found):
            "the first envelope of a channel must be its announce, found a \(found)"
        case .duplicateAnnounce:
            "the channel's announce was already read; a channel has only one"
        case .channelIDMismatch(let expected, let found):
            "the announce has id \(found), not the channel id \(expected): it announces another channel"
        case .wrongEpoch(let expected, let found):
            "the envelope is for epoch \(found), expected epoch \(expected)"
        case .wrongLink(let expected, let found):
            "the envelope links to \(found), expected its anchor \(expected)"
        case .badSignature(let publisher):
            "the signature does not verify under publisher \(Hex.encode(publisher.rawRepresentation)): "
                + "the envelope was altered or signed by another key"
        case .notTheAuthor(let type, let publisher):
            "a \(type) must be published by the channel's author, not \(Hex.encode(publisher.rawRepresentation))"
        case .notAWriter(let publisher, let epoch, let rights):
            "publisher \(Hex.encode(publisher.rawRepresentation)) may not write in epoch \(epoch): "
                + (rights.map { "the signed access list grants it only \($0)" }
                    ?? "it is not in the signed access list")
        case .badTag(let epoch):
            "the tagged packet's MAC does not verify under the tag key of epoch \(epoch)"
        case .sequenceGap(let publisher, let expected, let found):
            "publisher \(Hex.encode(publisher.rawRepresentation)) skipped from sequence \(expected) to \(found): "
                + "envelopes are missing or out of order"
        case .sequenceReused(let publisher, let expected, let found):
            "publisher \(Hex.encode(publisher.rawRepresentation)) already used sequence \(found) "
                + "(next is \(expected)): a replay, reordering or fork"
        case .previousMismatch(let publisher, let expected, let found):
            "publisher \(Hex.encode(publisher.rawRepresentation)) links to previous envelope \(found), "
                + "but its previous envelope is \(expected)"
        case .replayed(let id):
            "envelope \(id) was already read"
        case .sealedWithoutEpochKey(let epoch):
            "the envelope has a sealed part, but epoch \(epoch) has no epoch key"
        case .taggedWithoutEpochKey(let epoch):
            "tagged packets need an epoch key, and epoch \(epoch) has none; publish a signed packet instead"
        case .keyloadDoesNotFitChannel(let type, let reason):
            "the keyload does not fit a \(type) channel: \(reason)"
        case .alreadySubscribed(let publisher):
            "\(Hex.encode(publisher.rawRepresentation)) already has an active subscription on this channel"
        case .unknownSubscription(let publisher, let link):
            "the unsubscribe links to \(link), which is not the active subscription of "
                + Hex.encode(publisher.rawRepresentation)
        case .keyCommitmentMismatch(let epoch):
            "the epoch secret unsealed for epoch \(epoch) does not match the keyload's key commitment"
        case .epochKeyMismatch(let epoch):
            "the epoch secret unsealed for epoch \(epoch) does not belong to the keyload's epoch public key"
        case .epochKeyBindingMismatch(let epoch):
            "the epoch secret sealed in the keyload of epoch \(epoch) is bound to another channel or epoch"
        case .pskUnwrapFailed(let epoch, let pskID):
            "the epoch \(epoch) wrap for pre-shared key id \(Hex.encode(pskID)) does not open with that key"
        case .decryptionFailed(let envelope):
            "the private payload of \(envelope) does not open with the epoch key"
        case .malformedAddress(let reason):
            "not a channel address: \(reason)"
        case .addressChecksumMismatch:
            "the channel address's check bytes do not match its channel id; it was mistyped"
        }
    }
}
