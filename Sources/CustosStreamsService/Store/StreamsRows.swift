import CustosCore
import CustosServer
import CustosStreams
import Foundation

/// A topic of a channel (Integration Services `{type, source}`).
struct TopicRow: Sendable, Hashable {
    let type: String
    let source: String
}

/// A channel as stored: its info, and where its envelopes and epochs stand.
struct ChannelRow: Sendable {
    let tenant: TenantID
    let channelID: Digest32
    var name: String?
    var description: String?
    let type: ChannelType
    var hidden: Bool
    var visibility: [String]
    let author: String
    let peerPublicKey: String?
    /// The channel's pre-shared key (IS `presharedKey`), sealed; wrapped into every keyload.
    let sealedPSK: [UInt8]?
    let created: Date
    var latestMessage: Date?
    var topics: [TopicRow]
    /// The epoch in force and the id of its keyload (the channel id in epoch 0).
    var epoch: UInt32
    var epochAnchor: Digest32
    /// The position the next envelope gets.
    var nextPosition: Int64
    /// A member left while the author's keys were closed; the author's next request starts a new epoch first.
    var rekeyPending = false

    var address: ChannelAddress { ChannelAddress(channelID: channelID) }
}

/// A subscription as stored, with the participant's keys sealed.
struct SubscriptionRow: Sendable {
    enum Kind: String, Sendable {
        case author = "Author"
        case subscriber = "Subscriber"
    }

    let channelID: Digest32
    let subscriber: String
    let kind: Kind
    var rights: AccessRights
    var isAuthorized: Bool
    let publicKey: [UInt8]
    let keyAgreementKey: [UInt8]?
    /// Nil when the subscriber holds its keys (an imported subscription).
    let sealedKeys: [UInt8]?
    let sealedPSK: [UInt8]?
    let pskID: [UInt8]?
    /// The id of its subscribe envelope, the Integration Services `subscriptionLink`.
    let subscribeID: Digest32?
    var keyloadID: Digest32?
    /// Where it starts reading; nil while it may read nothing.
    var firstPosition: Int64?
    var nextSequence: UInt64
    var previous: Digest32
    let created: Date
    var lastModified: Date?
}

/// An envelope of a channel, at its position, with the id of the ledger message carrying it once it is anchored.
struct EnvelopeRow: Sendable {
    let position: Int64
    var messageID: Digest32?
    let written: Date
    let envelope: Envelope

    /// The message id of an envelope that reads returned: they return anchored envelopes only.
    var anchoredID: Digest32 {
        get throws(RequestError) {
            guard let messageID else {
                throw RequestError(.internalFailure, "envelope \(position) of the channel is not on the ledger yet")
            }
            return messageID
        }
    }
}

/// A search of channel info (is-api.md A1), with what the caller may see.
struct ChannelSearch: Sendable {
    var authorID: String?
    var subscriberID: String?
    var requestedSubscriptionID: String?
    var namePrefix: String?
    var topicType: String?
    var topicSource: String?
    var createdFrom: Date?
    var latestMessageFrom: Date?
    var hidden: Bool?
    var limit = 100
    var offset = 0
    var ascending: Bool?
    /// The caller; hidden channels are listed only to their author, their visibility list and Admins.
    var viewer: String?
    var viewerIsAdmin = false
}

/// What the policies see of a channel.
struct ChannelPolicyFacts: Sendable {
    let author: String
    let type: String
    let hidden: Bool
    let visibility: [String]
}
