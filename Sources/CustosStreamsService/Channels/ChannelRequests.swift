import CustosCore
import CustosCrypto
import CustosServer
import CustosStreams

/// The body of `POST /channels/create` (Integration Services `CreateChannelBodySchema`).
struct CreateChannelRequest: Sendable {
    let name: String?
    let description: String?
    let type: ChannelType
    let hidden: Bool
    let visibility: [String]
    let topics: [TopicRow]
    let seed: String?
    /// The channel's pre-shared key: the one given, or a fresh one when `hasPresharedKey` asks for it.
    let presharedKey: String?

    init(_ body: JSONValue) throws(RequestError) {
        let fields = try BodyFields(
            body,
            allowed: [
                "name", "description", "type", "hidden", "visibilityList", "topics", "hasPresharedKey", "seed",
                "presharedKey",
            ])
        name = try fields.string("name")
        description = try fields.string("description", length: 0...1024)
        if let text = try fields.string("type", length: 1...32) {
            guard let type = ChannelType(name: text) else {
                throw RequestError(.invalidInput, "type must be public, private or privatePlus")
            }
            self.type = type
        } else {
            type = .private
        }
        hidden = try fields.bool("hidden") ?? false
        visibility = try fields.visibility() ?? []
        guard let topics = try fields.topics(required: true) else {
            throw RequestError(.invalidInput, "topics is required")
        }
        self.topics = topics
        seed = try fields.string("seed")
        var key = try fields.string("presharedKey", length: 32...32)
        if key != nil, key?.utf8.count != 32 {
            throw RequestError(.invalidInput, "presharedKey must be 32 ASCII characters")
        }
        if key == nil, try fields.bool("hasPresharedKey") == true {
            key = Hex.encode(SecureRandom.bytes(count: 16))
        }
        if key != nil, type == .public {
            throw RequestError(.invalidInput, "a public channel has no epoch key to wrap for a presharedKey")
        }
        presharedKey = key
    }
}

/// The body of `POST` and `PUT /channel-info/channel` (Integration Services `ChannelInfoSchema`): of a full
/// ChannelInfo, A4 sets topics, hidden, the visibility list and the description.
struct ChannelInfoUpdate: Sendable {
    let address: ChannelAddress
    let topics: [TopicRow]
    let hidden: Bool?
    let visibility: [String]?
    let description: String?

    init(_ body: JSONValue) throws(RequestError) {
        let fields = try BodyFields(body)
        address = try StreamsService.address(try Self.address(body))
        guard let topics = try fields.topics(required: true) else {
            throw RequestError(.invalidInput, "topics is required")
        }
        self.topics = topics
        hidden = try fields.bool("hidden")
        visibility = try fields.visibility()
        description = try fields.string("description", length: 0...1024)
    }

    static func address(_ body: JSONValue) throws(RequestError) -> String {
        try BodyFields(body).requiredString("channelAddress", length: 1...256)
    }
}
