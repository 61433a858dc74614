import Foundation

/// Hand-written JSON for the few hot paths (page bodies, timeline details) where Foundation's
/// encoders cost more than the rest of the work; the output parses as the same JSON.
public enum JSONText {
    /// A JSON string literal, quotes included.
    public static func quote(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.quoted(text)
        return writer.text
    }

    /// An object of string values, keys sorted.
    public static func object(_ fields: [String: String]) -> String {
        var writer = JSONWriter(capacity: fields.reduce(2) { $0 + $1.key.utf8.count + $1.value.utf8.count + 6 })
        writer.object(fields)
        return writer.text
    }

    /// An object of already-encoded JSON values, in the order given.
    public static func object(raw fields: KeyValuePairs<String, String>) -> String {
        var writer = JSONWriter()
        for (index, field) in fields.enumerated() {
            writer.raw(index == 0 ? "{" : ",")
            writer.quoted(field.key)
            writer.raw(":")
            writer.raw(field.value)
        }
        writer.raw(fields.isEmpty ? "{}" : "}")
        return writer.text
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
