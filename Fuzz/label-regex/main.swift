// Silence regexes (MusterCore's LabelRegex) under libFuzzer and AddressSanitizer: the input is a
// pattern, a NUL byte and a label value. Any pattern compiles or is refused, and a match never
// visits more than (scalars + 1) × instructions steps.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let cut = bytes.firstIndex(of: 0) ?? bytes.count
    let pattern = String(decoding: bytes[..<cut], as: UTF8.self)
    let text = cut < bytes.count ? String(decoding: bytes[(cut + 1)...], as: UTF8.self) : ""
    guard let regex = try? LabelRegex(pattern) else { return 0 }
    var steps = 0
    _ = regex.matches(text, steps: &steps)
    if steps > (text.unicodeScalars.count + 1) * regex.instructionCount { fatalError("\(steps) steps for \(pattern)") }
    return 0
}
