import Foundation

/// Hand-written JSON for the few hot paths (page bodies, timeline details) where Foundation's
/// encoders cost more than the rest of the work; the output parses as the same JSON.
public enum JSONText {
    /// A JSON string literal, quotes included.
    public static func quote(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal, quotes included.
    public static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        // Most text needs no escaping: check the bytes first (0xE2 may start U+2028 or U+2029).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) {
            out += text
        } else {
            appendEscaped(text, to: &out)
        }
        out += "\""
    }

    /// The escaping path, a byte at a time into a buffer: appending to the string a Unicode scalar
    /// at a time was a tenth of the ingestion writer's time once timeline details held JSON arrays.
    private static func appendEscaped(_ text: String, to out: inout String) {
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            index += 1
            let backslash = UInt8(ascii: "\\")
            switch byte {
            case UInt8(ascii: "\""), backslash: bytes.append(backslash); bytes.append(byte)
            case UInt8(ascii: "\n"): bytes.append(backslash); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(backslash); bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(backslash); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0f)])
            // U+2028 and U+2029 (E2 80 A8/A9) are valid JSON but end a line in JavaScript.
            case 0xE2 where index + 1 < utf8.count && utf8[index] == 0x80 && (utf8[index + 1] == 0xA8 || utf8[index + 1] == 0xA9):
                bytes.append(contentsOf: (utf8[index + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 2
            default: bytes.append(byte)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// An object of string values, keys sorted.
    public static func object(_ fields: [String: String]) -> String {
        var out = "{"
        out.reserveCapacity(fields.reduce(2) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
        for (index, field) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out += "," }
            appendQuoted(field.key, to: &out)
            out += ":"
            appendQuoted(field.value, to: &out)
        }
        out += "}"
        return out
    }

    /// An object of already-encoded JSON values, in the order given.
    public static func object(raw fields: KeyValuePairs<String, String>) -> String {
        var out = "{"
        for (index, field) in fields.enumerated() {
            if index > 0 { out += "," }
            appendQuoted(field.key, to: &out)
            out += ":" + field.value
        }
        out += "}"
        return out
    }
}

/// Lower-case hexadecimal text of bytes.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
