/// The ledger worker's internal API bodies, shared by the worker and its clients.
public enum LedgerAPI {
    /// Creates a tenant's ledger network.
    public struct CreateNetwork: Codable, Sendable, Equatable {
        /// The immutable network name (`[a-z0-9]{1,16}`).
        public var name: String
        /// Creates a body.
        public init(name: String) { self.name = name }
    }

    /// A tenant's ledger network.
    public struct Network: Codable, Sendable, Equatable {
        /// The network name.
        public var name: String
        /// The 64-bit network id as decimal text (JSON numbers cannot hold all u64 values).
        public var networkId: String
        /// Creates a body.
        public init(name: String, networkId: String) {
            self.name = name
            self.networkId = networkId
        }
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
        /// Creates a body.
        public init(
            messageId: String, networkId: String, parents: [String], tag: String, data: String, contentType: String,
            raw: String, receivedAt: String
        ) {
            self.messageId = messageId
            self.networkId = networkId
            self.parents = parents
            self.tag = tag
            self.data = data
            self.contentType = contentType
            self.raw = raw
            self.receivedAt = receivedAt
        }
    }
}
