import Foundation

/// Reads the upper- or lower-case text form of a UUID (8-4-4-4-12 hex digits) without the
/// formatted scan Foundation's initializer uses, for reads that return many ids.
enum UUIDText {
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { bytes -> UUID? in
            guard bytes.count == 36 else { return nil }
            var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            return withUnsafeMutableBytes(of: &value) { out -> UUID? in
                var index = 0
                var byte = 0
                while index < 36 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        guard bytes[index] == UInt8(ascii: "-") else { return nil }
                        index += 1
                        continue
                    }
                    guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
                    out[byte] = high << 4 | low
                    byte += 1
                    index += 2
                }
                return UUID(uuid: out.load(as: uuid_t.self))
            }
        }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
