import Foundation
import MusterCore
import Testing

@Suite("JSON parser")
struct JSONValueTests {
    static let fixtures = [
        #"{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Disk","instance":"db-1:9100"},"annotations":{"summary":"97% full"},"startsAt":"2026-11-22T10:00:00.123Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"a1b2"}]}"#,
        #"{"routing_key":"k","event_action":"trigger","payload":{"summary":"s","source":"db","severity":"critical","custom_details":{"lag":42,"ratio":-0.5e-3,"ok":true,"none":null,"list":[1,"two",{"3":[]}]}}}"#,
        #" [ 1 , 2.5 , -0 , 1E+2 , 0.000001 , 123456789012345678 ] "#,
        #"{"escapes":"quote \" backslash \\ slash \/ \b\f\n\r\t","unicode":"\u00e9\u6f22\ud83d\udea8","raw":"é 漢 🚨"}"#,
        #"{"empty":{},"list":[],"nested":[[[[{}]]]],"dup":1,"dup":2}"#,
        #""just a string""#, "true", "null", "0",
    ]

    @Test("reads what JSONSerialization reads, value for value", arguments: fixtures)
    func sameAsFoundation(text: String) throws {
        // when
        let value = try JSONValue.parse(Array(text.utf8))
        // then
        let expected = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(NSArray(array: [Self.foundation(value)]).isEqual(NSArray(array: [expected])))
    }

    @Test("random documents written by JSONSerialization read back equal")
    func randomDocuments() throws {
        var generator = SeededRandom(seed: 42)
        for _ in 0..<500 {
            // given
            let object = Self.randomValue(depth: 0, using: &generator)
            let data = try JSONSerialization.data(withJSONObject: ["root": object], options: [.fragmentsAllowed])
            // when
            let value = try JSONValue.parse(data)
            // then
            let expected = try JSONSerialization.jsonObject(with: data)
            #expect(NSArray(array: [Self.foundation(value)]).isEqual(NSArray(array: [expected])))
        }
    }

    @Test(
        "rejects what is not JSON, with the offset",
        arguments: [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[+1]",
            "\"unterminated", "\"bad escape \\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\udea8 low first\"", "\"tab\tinside\"",
            "tru", "nul", "[1] 2", "{\"a\":1}}", "[\"\u{0}\"]", "NaN", "[Infinity]", "'single'",
        ])
    func rejects(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test("rejects invalid UTF-8 inside strings")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22]] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
        }
    }

    @Test("every truncation of a valid body fails cleanly, never crashes")
    func truncations() {
        let text = Array(Self.fixtures[1].utf8)
        for end in 0..<text.count {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(text[0..<end]) }
        }
    }

    @Test("deep nesting is refused instead of exhausting the stack")
    func deepNesting() throws {
        let hostile = Array(repeating: UInt8(ascii: "["), count: 200_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(hostile) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONValue.parse(Array(fine.utf8))
    }

    @Test("a \\u0000 escape reads as U+FFFD, in names and values, which no store refuses")
    func nulEscape() throws {
        // when
        let value = try JSONValue.parse(Array(#"{"a\u0000b":"x\u0000","c":"\\u0000"}"#.utf8))
        // then
        #expect(value["a\u{FFFD}b"] == .string("x\u{FFFD}"))
        #expect(value["c"] == .string(#"\u0000"#))
    }

    @Test("text is compact JSON with sorted keys; numbers keep their digits")
    func text() throws {
        let value = try JSONValue.parse(Array(#"{"b":[1.50,true,null],"a":{"y":"\u00e9","x":"q\"uote"}}"#.utf8))
        #expect(value.text == #"{"a":{"x":"q\"uote","y":"é"},"b":[1.50,true,null]}"#)
        #expect(value["b"] == .array([.number("1.50"), .bool(true), .null]))
        #expect(value["missing"] == nil)
    }

    /// The same value as JSONSerialization would give.
    static func foundation(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return NSNumber(value: flag)
        case .number(let digits): return NSNumber(value: Double(digits)!)
        case .string(let text): return text
        case .array(let items): return items.map(foundation)
        case .object(let members):
            var map: [String: Any] = [:]
            for (key, item) in members { map[key] = foundation(item) }
            return map
        }
    }

    static func randomValue(depth: Int, using generator: inout SeededRandom) -> Any {
        switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
        case 0: return NSNull()
        case 1: return Bool.random(using: &generator)
        case 2: return Int.random(in: -1_000_000...1_000_000, using: &generator)
        case 3: return randomString(using: &generator)
        case 4: return (0..<Int.random(in: 0..<5, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) }
        default:
            var map: [String: Any] = [:]
            for _ in 0..<Int.random(in: 0..<5, using: &generator) {
                map[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return map
        }
    }

    static func randomString(using generator: inout SeededRandom) -> String {
        let alphabet = Array("abcXYZ019 \"\\/\n\t\u{1}\u{7f}éß漢🚨\u{2028}")
        return String((0..<Int.random(in: 0..<12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
