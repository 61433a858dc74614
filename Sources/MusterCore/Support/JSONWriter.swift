/// JSON text built in a byte buffer and made a `String` once: appending to a `String` piece by
/// piece cost more than the encoding itself in the ingestion writer's profiles.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends text that is already JSON (or punctuation) as it is.
    public mutating func raw(_ text: String) {
        var text = text
        // Through the string's own buffer: appending `text.utf8` went byte by byte.
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `text` as a JSON string literal, quotes included.
    public mutating func quoted(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(Self.quote)
            // Most text needs no escaping: check the bytes first (0xE2 may start U+2028 or U+2029).
            if utf8.contains(where: { $0 < 0x20 || $0 == Self.quote || $0 == Self.backslash || $0 == 0xE2 }) {
                escape(utf8)
            } else {
                bytes.append(contentsOf: utf8)
            }
            bytes.append(Self.quote)
        }
    }

    /// Appends an array of strings, in their order.
    public mutating func array(_ texts: some Sequence<String>) {
        bytes.append(UInt8(ascii: "["))
        for (index, text) in texts.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(text)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Appends an object of string values, keys sorted, so equal fields give equal text.
    public mutating func object(_ fields: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, field) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(field.key)
            bytes.append(UInt8(ascii: ":"))
            quoted(field.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            index += 1
            switch byte {
            case Self.quote, Self.backslash:
                bytes.append(Self.backslash)
                bytes.append(byte)
            case UInt8(ascii: "\n"):
                bytes.append(Self.backslash)
                bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"):
                bytes.append(Self.backslash)
                bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"):
                bytes.append(Self.backslash)
                bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0x0f)])
            // U+2028 and U+2029 (E2 80 A8/A9) are valid JSON but end a line in JavaScript.
            case 0xE2 where index + 1 < utf8.count && utf8[index] == 0x80 && (utf8[index + 1] == 0xA8 || utf8[index + 1] == 0xA9):
                bytes.append(contentsOf: (utf8[index + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 2
            default: bytes.append(byte)
            }
        }
    }
}
