import CustosCore
import CustosServer
import CustosStreams
import Foundation

/// An Integration Services channel log entry (`AddChannelLogBodySchema`: `type`, `created`, `metadata`,
/// `publicPayload`, `payload`) and how it becomes a signed packet (docs/channels.md §14).
///
/// Kept exactly as sent, as RFC 8785 JSON: the public part is the log without `payload`, in clear; the private part
/// is `{"payload": …}`, sealed to the epoch key. On public channels there is no epoch key, so the whole log is the
/// public part, as Integration Services published it in clear too.
struct ChannelLog: Sendable, Hashable {
    static let members: Set<String> = ["type", "created", "metadata", "publicPayload", "payload"]

    /// The members, with `created` filled in when the client sent none.
    let members: [String: JSONValue]

    /// Checks a write's body: an object with at least one of the five members and no other; `type` a non-empty
    /// string, `created` an RFC 3339 date-time. `created` defaults to the time of the write, as in Integration
    /// Services, where the body's own value wins.
    init(body: JSONValue, now: Date) throws(RequestError) {
        guard case .object(var members) = body else {
            throw RequestError(.invalidInput, "the log must be a JSON object")
        }
        guard !members.isEmpty else { throw RequestError(.invalidInput, "empty body") }
        if let unknown = members.keys.sorted().first(where: { !Self.members.contains($0) }) {
            throw RequestError(
                .invalidInput,
                "unknown log member \(unknown.prefix(64)); a log has type, created, metadata, "
                    + "publicPayload and payload")
        }
        if let type = members["type"] {
            guard case .string(let text) = type, !text.isEmpty else {
                throw RequestError(.invalidInput, "type must be a non-empty string")
            }
        }
        if let created = members["created"] {
            guard case .string(let text) = created, Timestamp.parse(text) != nil else {
                throw RequestError(.invalidInput, "created must be an RFC 3339 date-time string")
            }
        } else {
            members["created"] = .string(Timestamp.iso8601(now))
        }
        self.members = members
    }

    init(members: [String: JSONValue]) { self.members = members }

    /// The packet's public part and private part.
    func parts(for type: ChannelType) throws -> (publicPart: [UInt8], privatePart: [UInt8]?) {
        guard type.hasEpochKeys, let payload = members["payload"] else {
            return (try JCS.canonicalBytes(.object(members)), nil)
        }
        var clear = members
        clear["payload"] = nil
        return (try JCS.canonicalBytes(.object(clear)), try JCS.canonicalBytes(.object(["payload": payload])))
    }

    /// The log a packet carries, as far as the reader could open it: without `payload` when its sealed part stays
    /// closed. Nil when the public part is not a log (an envelope written by something else under the tag).
    init?(publicPart: [UInt8], privatePart: PrivatePayload) {
        guard case .object(var members)? = try? JSONParser.parse(publicPart) else { return nil }
        if let plaintext = privatePart.plaintext {
            guard case .object(let sealed)? = try? JSONParser.parse(plaintext), let payload = sealed["payload"] else {
                return nil
            }
            members["payload"] = payload
        }
        self.members = members
    }

    /// Integration Services compares logs without their null members (`omitNil`).
    func sameData(as other: ChannelLog) -> Bool {
        members.filter { !$0.value.isNull } == other.members.filter { !$0.value.isNull }
    }

    var json: JSONValue { .object(members) }
}
