import CustosCore
import CustosServer

/// Reads the members of a request body with the checks every channel route applies: the type and length of each
/// member, and no member the route does not know when it is strict. Errors name the member.
struct BodyFields {
    let members: [String: JSONValue]

    /// The members of `body`, which must be an object; `allowed` lists the only members a strict body may have.
    init(_ body: JSONValue, allowed: Set<String>? = nil) throws(RequestError) {
        guard case .object(let members) = body else {
            throw RequestError(.invalidInput, "the body must be a JSON object")
        }
        if let allowed, let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw RequestError(
                .invalidInput,
                "unknown member \(unknown.prefix(64)); allowed are \(allowed.sorted().joined(separator: ", "))")
        }
        self.members = members
    }

    /// A string member of `length` characters, nil when absent (or null).
    func string(_ name: String, length: ClosedRange<Int> = 1...256) throws(RequestError) -> String? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .string(let text) = value else { throw RequestError(.invalidInput, "\(name) must be a string") }
        guard length.contains(text.count) else {
            throw RequestError(
                .invalidInput, "\(name) must have \(length.lowerBound) to \(length.upperBound) characters")
        }
        return text
    }

    /// A string member that must be present.
    func requiredString(_ name: String, length: ClosedRange<Int> = 1...256) throws(RequestError) -> String {
        guard let text = try string(name, length: length) else {
            throw RequestError(.invalidInput, "\(name) is required")
        }
        return text
    }

    /// A boolean member, nil when absent (or null).
    func bool(_ name: String) throws(RequestError) -> Bool? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .bool(let flag) = value else { throw RequestError(.invalidInput, "\(name) must be true or false") }
        return flag
    }

    /// An array member of at most `count` items, nil when absent (or null).
    func array(_ name: String, count: ClosedRange<Int>) throws(RequestError) -> [JSONValue]? {
        guard let value = members[name], !value.isNull else { return nil }
        guard case .array(let items) = value else { throw RequestError(.invalidInput, "\(name) must be an array") }
        guard count.contains(items.count) else {
            throw RequestError(.invalidInput, "\(name) must have \(count.lowerBound) to \(count.upperBound) items")
        }
        return items
    }

    /// `topics`: `{type, source}` objects.
    func topics(required: Bool) throws(RequestError) -> [TopicRow]? {
        guard let items = try array("topics", count: 0...64) else {
            if required { throw RequestError(.invalidInput, "topics is required") }
            return nil
        }
        var topics: [TopicRow] = []
        for item in items {
            let fields = try BodyFields(item, allowed: ["type", "source"])
            topics.append(
                TopicRow(
                    type: try fields.requiredString("type"), source: try fields.requiredString("source")))
        }
        return topics
    }

    /// `visibilityList`: `{id}` objects naming DIDs.
    func visibility() throws(RequestError) -> [String]? {
        guard let items = try array("visibilityList", count: 0...1000) else { return nil }
        var dids: [String] = []
        for item in items {
            dids.append(try BodyFields(item, allowed: ["id"]).requiredString("id", length: 1...512))
        }
        return dids
    }
}
