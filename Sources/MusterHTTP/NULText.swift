/// U+0000 (NUL) in request text. PostgreSQL cannot store it in text while SQLite can, so the API
/// refuses it up front, with the same clear answer on both stores, rather than failing at the
/// database. Alert payloads never get here: `JSONValue` reads NUL as U+FFFD, so that no alert is
/// refused for one stray character.
enum NULText {
    /// Whether JSON text holds a `\u0000` escape. In valid JSON every backslash starts an escape,
    /// so stepping over the first two bytes of each escape finds exactly the escapes that decode
    /// to NUL, and never the text `\\u0000` (an escaped backslash followed by "u0000").
    static func isEscaped(in json: some Collection<UInt8>) -> Bool {
        var index = json.startIndex
        while let slash = json[index...].firstIndex(of: UInt8(ascii: "\\")) {
            let escape = json[slash...].dropFirst().prefix(5)
            if escape.elementsEqual("u0000".utf8) { return true }
            index = json.index(slash, offsetBy: min(2, json.distance(from: slash, to: json.endIndex)))
        }
        return false
    }

    /// Whether a query string, as sent, holds a percent-encoded NUL.
    static func isEncoded(inQuery query: String) -> Bool {
        query.utf8.firstRange(of: "%00".utf8) != nil
    }
}
