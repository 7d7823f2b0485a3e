/// The ledger worker's internal API bodies, shared by the worker and its clients.
public enum LedgerAPI {
    /// Creates a tenant's ledger network.
    public struct CreateNetwork: Codable, Sendable, Equatable {
        /// The immutable network name (`[a-z0-9]{1,16}`).
        public var name: String
        /// Creates a body.
        public init(name: String) { self.name = name }
    }

    /// A tenant's ledger network and its public verification material.
    public struct Network: Codable, Sendable, Equatable {
        /// The network name.
        public var name: String
        /// The 64-bit network id as decimal text (JSON numbers cannot hold all u64 values).
        public var networkId: String
        /// The checkpoint origin (`<prefix>/<tenant>`), also the coordinator key's name.
        public var origin: String
        /// The coordinator's C2SP note verifier key (`<origin>+<keyid>+<base64>`).
        public var coordinatorKey: String
        /// The size of the newest checkpoint (0 before the first milestone).
        public var checkpointSize: Int
        /// Creates a body.
        public init(name: String, networkId: String, origin: String, coordinatorKey: String, checkpointSize: Int) {
            self.name = name
            self.networkId = networkId
            self.origin = origin
            self.coordinatorKey = coordinatorKey
            self.checkpointSize = checkpointSize
        }
    }

    /// A page of messages with one tag.
    public struct MessageList: Codable, Sendable, Equatable {
        /// The messages, in ledger order.
        public var messages: [Message]
        /// Pass as `after` to get the next page; nil on the last page.
        public var next: String?
        /// Creates a body.
        public init(messages: [Message], next: String?) {
            self.messages = messages
            self.next = next
        }
    }

    /// A consistency proof between two checkpoints' sizes.
    public struct ConsistencyProof: Codable, Sendable, Equatable {
        /// The older size.
        public var from: Int
        /// The newer size.
        public var to: Int
        /// The proof hashes, base64, RFC 9162 order.
        public var proof: [String]
        /// Creates a body.
        public init(from: Int, to: Int, proof: [String]) {
            self.from = from
            self.to = to
            self.proof = proof
        }
    }

    /// A milestone message: signed by the coordinator, it commits to the log size and root, and announces key
    /// rotations. Auditors follow them to verify a rotation.
    public struct MilestoneEntry: Codable, Sendable, Equatable {
        /// The milestone index.
        public var index: Int
        /// The milestone message id.
        public var messageId: String
        /// The canonical message bytes, base64.
        public var message: String
        /// Creates a body.
        public init(index: Int, messageId: String, message: String) {
            self.index = index
            self.messageId = messageId
            self.message = message
        }
    }

    /// Milestones in index order.
    public struct MilestoneList: Codable, Sendable, Equatable {
        /// The milestones.
        public var milestones: [MilestoneEntry]
        /// Creates a body.
        public init(milestones: [MilestoneEntry]) { self.milestones = milestones }
    }

    /// The answer to a coordinator key rotation.
    public struct Rotation: Codable, Sendable, Equatable {
        /// The new key's index; the next milestone announces it.
        public var keyIndex: Int
        /// Creates a body.
        public init(keyIndex: Int) { self.keyIndex = keyIndex }
    }

    /// One message to attach.
    public struct Submit: Codable, Sendable, Equatable {
        /// The tag, base64.
        public var tag: String
        /// The data, base64.
        public var data: String
        /// How the gateway should present the data (`application/json` or `application/octet-stream`).
        public var contentType: String
        /// Creates a body.
        public init(tag: String, data: String, contentType: String) {
            self.tag = tag
            self.data = data
            self.contentType = contentType
        }
    }

    /// Several messages to attach in one durable commit.
    public struct SubmitBatch: Codable, Sendable, Equatable {
        /// The messages, attached in this order.
        public var messages: [Submit]
        /// Creates a body.
        public init(messages: [Submit]) { self.messages = messages }
    }

    /// The answer to a submission: the message is durably stored.
    public struct Submitted: Codable, Sendable, Equatable {
        /// The message id, 64 hex characters.
        public var messageId: String
        /// Creates a body.
        public init(messageId: String) { self.messageId = messageId }
    }

    /// The answer to a batch submission, in request order.
    public struct SubmittedBatch: Codable, Sendable, Equatable {
        /// The message ids.
        public var messageIds: [String]
        /// Creates a body.
        public init(messageIds: [String]) { self.messageIds = messageIds }
    }

    /// A stored message.
    public struct Message: Codable, Sendable, Equatable {
        /// The message id, 64 hex characters.
        public var messageId: String
        /// The network id as decimal text.
        public var networkId: String
        /// Parent ids, hex.
        public var parents: [String]
        /// The tag, base64.
        public var tag: String
        /// The data, base64.
        public var data: String
        /// How to present the data.
        public var contentType: String
        /// The canonical message bytes, base64 (hash them with BLAKE2b-256 to get the id).
        public var raw: String
        /// When the ledger stored it, RFC 3339.
        public var receivedAt: String
        /// Its position in the tenant's ledger (a paging cursor).
        public var sequence: String
        /// Creates a body.
        public init(
            messageId: String, networkId: String, parents: [String], tag: String, data: String, contentType: String,
            raw: String, receivedAt: String, sequence: String
        ) {
            self.messageId = messageId
            self.networkId = networkId
            self.parents = parents
            self.tag = tag
            self.data = data
            self.contentType = contentType
            self.raw = raw
            self.receivedAt = receivedAt
            self.sequence = sequence
        }
    }
}
