// The ingest bodies' JSON reader (MusterCore's JSONValue) under libFuzzer and AddressSanitizer:
// any input either fails with a parse error or gives a value whose text form reads back the same.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let value = try? JSONValue.parse(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    let text = value.text
    guard let again = try? JSONValue.parse(Array(text.utf8)) else { fatalError("the text of a parsed value does not parse: \(text)") }
    if again.text != text { fatalError("a round trip changed \(text) into \(again.text)") }
    return 0
}
