import CustosCore

/// A request body decoded strictly: members it does not define, and `null` where a value is documented, are
/// refused with a 400 that names the member, instead of being ignored.
///
/// Foundation's decoder skips unknown members and treats `null` as absent; an API that says "refused" must not.
public protocol StrictBody: Decodable {
    /// The members the body may have.
    static var members: Set<String> { get }
    /// Members that hold arrays of strict bodies, checked element by element.
    static var arrayMembers: [String: any StrictBody.Type] { get }
}

extension StrictBody {
    public static var arrayMembers: [String: any StrictBody.Type] { [:] }

    /// Checks `value` against the members, recursing into ``arrayMembers``.
    static func checkMembers(of value: JSONValue, at path: String = "body") throws(RequestError) {
        guard let object = value.objectValue else { throw RequestError(.invalidInput, "\(path) must be a JSON object") }
        for name in object.keys.sorted() {
            let member = path == "body" ? name : "\(path).\(name)"
            guard members.contains(name) else {
                let allowed = members.sorted().joined(separator: ", ")
                throw RequestError(.invalidInput, "unknown field \"\(member)\"; allowed: \(allowed)")
            }
            guard object[name] != .null else {
                throw RequestError(.invalidInput, "\(member) must not be null; leave it out to use the default")
            }
            if let element = arrayMembers[name], let items = object[name]?.arrayValue {
                for (index, item) in items.enumerated() {
                    try element.checkMembers(of: item, at: "\(member)[\(index)]")
                }
            }
        }
    }
}
