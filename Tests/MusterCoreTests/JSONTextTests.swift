import Foundation
import MusterCore
import Testing

@Suite("Hand-written JSON")
struct JSONTextTests {
    static let samples = [
        "", "plain", "quote \" and backslash \\", "new\nline\r\ttab", "\u{0}\u{1}\u{1f}", "unicode é ß 漢字 🚨",
        "line\u{2028}separator\u{2029}", "€5 – not a separator \u{2028}", "[\"a\",\"b\\\"c\"]", "\u{7f}\u{1b}[0m", "</script><b>&amp;</b>",
        String(repeating: "x", count: 5_000),
    ]

    @Test("strings and objects parse back to what went in", arguments: samples)
    func roundTrip(text: String) throws {
        // given
        let fields = ["key": text, "other \"key\"": "v", text.isEmpty ? "empty" : text: "same"]
        // when
        let encoded = JSONText.object(fields)
        let parsed = try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: String]
        // then
        #expect(parsed == fields)
        #expect(try JSONSerialization.jsonObject(with: Data("[\(JSONText.quote(text))]".utf8)) as? [String] == [text])
    }

    @Test("objects are written with sorted keys, so equal details give equal text")
    func sorted() {
        #expect(JSONText.object(["b": "2", "a": "1"]) == #"{"a":"1","b":"2"}"#)
        #expect(JSONText.quote("a\"b\\c\n\u{1}\u{2028}é") == #""a\"b\\c\n\u0001\u2028é""#)
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(JSONText.object(raw: ["b": "1", "a \"q\"": JSONText.quote("x")]) == #"{"b":1,"a \"q\"":"x"}"#)
        #expect(JSONText.object(raw: [:]) == "{}")
    }
}
