import Foundation

extension UUID {
    /// The same text as `uuidString` (upper case, with hyphens), without going through
    /// `sprintf`, which Foundation uses on Linux and which showed in ingestion profiles.
    public var text: String {
        let digits: StaticString = "0123456789ABCDEF"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                digits.withUTF8Buffer { hex in
                    var index = 0
                    for (offset, byte) in bytes.enumerated() {
                        if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                            out[index] = UInt8(ascii: "-")
                            index += 1
                        }
                        out[index] = hex[Int(byte >> 4)]
                        out[index + 1] = hex[Int(byte & 0x0f)]
                        index += 2
                    }
                }
                return 36
            }
        }
    }
}
