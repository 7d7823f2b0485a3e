import CustosCore
import Foundation
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("Literals build the expected cases")
    func literals() {
        let value: JSONValue = ["s": "x", "i": 3, "d": 2.5, "b": true, "n": nil, "a": [1, "two"], "o": ["k": false]]
        #expect(
            value
                == .object([
                    "s": .string("x"), "i": .number(3), "d": .number(2.5), "b": .bool(true), "n": .null,
                    "a": .array([.number(1), .string("two")]), "o": .object(["k": .bool(false)]),
                ])
        )
        let repeated = JSONValue(dictionaryLiteral: ("k", 1), ("k", 2))
        #expect(repeated == ["k": 2])
    }

    @Test("Accessors return values only for the matching case")
    func accessors() {
        let value: JSONValue = ["s": "x", "n": 42, "f": 1.5, "b": false, "a": [1], "o": [:], "z": nil]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.doubleValue == 42)
        #expect(value["n"]?.intValue == 42)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 1.5)
        #expect(value["b"]?.boolValue == false)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?.objectValue == [:])
        #expect(value["z"] == .null)
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["x"] == nil)
        #expect(JSONValue.array(["a"])["a"] == nil)
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value.stringValue == nil)
        #expect(JSONValue.string("1").intValue == nil)
        #expect(JSONValue.bool(true).doubleValue == nil)
        #expect(JSONValue.number(1).boolValue == nil)
        #expect(JSONValue.null.arrayValue == nil)
        #expect(JSONValue.null.objectValue == nil)
    }

    @Test("intValue only for integral numbers exactly representable as Int")
    func intValue() {
        #expect(JSONValue.number(-0.0).intValue == 0)
        #expect(JSONValue.number(Double(9_007_199_254_740_993 as Int)).intValue == 9_007_199_254_740_992)
        #expect(JSONValue.number(-9_223_372_036_854_775_808).intValue == Int.min)
        #expect(JSONValue.number(9_223_372_036_854_775_808).intValue == nil)  // 2^63
        #expect(JSONValue.number(1e300).intValue == nil)
        #expect(JSONValue.number(0.5).intValue == nil)
        #expect(JSONValue.number(.nan).intValue == nil)
        #expect(JSONValue.number(.infinity).intValue == nil)
    }

    @Test("Codable round trip through Foundation's JSONEncoder and JSONDecoder")
    func foundationCodable() throws {
        let text = #"{"a":[1,2.5,-3e-7,"x\u00e9",true,false,null,{"b":{}}],"c":[],"n":12345678901234567000}"#
        let parsed = try JSONParser.parse(text)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(decoded == parsed)
        let encoded = try JSONEncoder().encode(parsed)
        #expect(try JSONParser.parse(Array(encoded)) == parsed)
        // Booleans and numbers stay distinct.
        let mixed = try JSONDecoder().decode(JSONValue.self, from: Data("[true,1,0,false,1.0]".utf8))
        #expect(mixed == [.bool(true), .number(1), .number(0), .bool(false), .number(1)])
        // Foundation's Data is a byte collection the parser accepts directly.
        #expect(try JSONParser.parse(Data(text.utf8)) == parsed)
    }

    @Test("Codable inside other Codable types")
    func nestedCodable() throws {
        struct Envelope: Codable, Equatable {
            var kind: String
            var payload: JSONValue
            var extra: JSONValue?
        }
        let envelope = Envelope(kind: "k", payload: ["x": [1, nil, "y"]], extra: nil)
        let data = try JSONEncoder().encode(envelope)
        #expect(try JSONDecoder().decode(Envelope.self, from: data) == envelope)
        let withNull = try JSONDecoder().decode(Envelope.self, from: Data(#"{"kind":"k","payload":null}"#.utf8))
        #expect(withNull.payload == .null)
    }

    @Test("Hashable: equal values hash equally and work as set members")
    func hashable() throws {
        let first = try JSONParser.parse(#"{"a":[1,2],"b":"c"}"#)
        let second = try JSONParser.parse(#"{"b":"c","a":[1.0,2e0]}"#)
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
        #expect(JSONValue.number(0) == JSONValue.number(-0.0))
    }

    @Test("description is the canonical form")
    func description() {
        let value: JSONValue = ["b": 1, "a": [true, nil]]
        #expect(value.description == #"{"a":[true,null],"b":1}"#)
        #expect(JSONValue.number(.nan).description.contains("non-finite"))
    }
}
