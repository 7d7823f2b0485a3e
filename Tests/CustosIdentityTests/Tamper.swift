import CustosCore
import Foundation

/// Every single-field change of a JSON document, for "a change anywhere must fail" tests.
enum Tamper {
    /// One changed copy of the document and the path of what was changed.
    struct Mutation {
        let path: String
        let value: JSONValue
    }

    /// For every leaf, a copy with that leaf changed (same JSON type where possible: a date moves by one
    /// second, a string changes its last character, a number grows, a boolean flips); and for every
    /// object member, a copy without it.
    static func mutations(of document: JSONValue) -> [Mutation] {
        var result: [Mutation] = []
        collect(document, path: "", rebuild: { $0 }, into: &result)
        return result
    }

    /// The paths of all leaves, to check that a walk really covered the document.
    static func leafPaths(of document: JSONValue) -> [String] {
        mutations(of: document).map(\.path).filter { !$0.hasPrefix("remove ") }
    }

    private static func collect(
        _ value: JSONValue, path: String, rebuild: @escaping (JSONValue) -> JSONValue, into result: inout [Mutation]
    ) {
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                let childPath = path.isEmpty ? key : path + "." + key
                var without = members
                without.removeValue(forKey: key)
                result.append(Mutation(path: "remove " + childPath, value: rebuild(.object(without))))
                collect(
                    members[key]!, path: childPath,
                    rebuild: { changed in
                        var copy = members
                        copy[key] = changed
                        return rebuild(.object(copy))
                    }, into: &result)
            }
        case .array(let elements):
            for index in elements.indices {
                collect(
                    elements[index], path: "\(path)[\(index)]",
                    rebuild: { changed in
                        var copy = elements
                        copy[index] = changed
                        return rebuild(.array(copy))
                    }, into: &result)
            }
        default:
            result.append(Mutation(path: path, value: rebuild(changed(value))))
        }
    }

    /// A different value of the same kind.
    static func changed(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            if let date = Timestamp.parse(text) {
                return .string(Timestamp.iso8601(date.addingTimeInterval(1)))
            }
            guard let last = text.last else { return "x" }
            return .string(String(text.dropLast()) + (last == "x" ? "y" : "x"))
        case .number(let number):
            // Above 2^53 adding one may round back to the same double.
            return .number(number + 1 == number ? number * 2 : number + 1)
        case .bool(let flag):
            return .bool(!flag)
        default:
            return "x"
        }
    }
}
