import OnboardCore
import OnboardTUI

/// The key and escape-sequence decoder, fed arbitrary input codes: any sequence decodes to
/// something or nothing, never a crash or a read past the end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyDecoding(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    var codes: [UInt32] = []
    var index = 0
    while index + 1 < bytes.count {
        codes.append(UInt32(bytes[index]) | UInt32(bytes[index + 1] & 0x1F) << 8)
        index += 2
    }
    for code in codes {
        _ = KeyDecoder.decode(character: code)
        _ = KeyDecoder.decode(functionKey: Int32(code & 0x1FF))
    }
    var rest = codes[...]
    while !rest.isEmpty {
        let (_, consumed) = KeyDecoder.decodeEscape(Array(rest))
        precondition(consumed >= 0 && consumed <= rest.count, "consumed past the input")
        rest = rest.dropFirst(max(1, consumed))
    }
    return 0
}
