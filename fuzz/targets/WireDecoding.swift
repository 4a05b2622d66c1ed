import Foundation
import OnboardCore

/// Every wire DTO the client decodes, fed arbitrary bytes: decoding may fail, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWireDecoding(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    let decoder = JSONDecoder()
    _ = try? decoder.decode(WirePage<WireAuthConfig>.self, from: data).items.map(\.summary)
    _ = try? decoder.decode(WirePage<WireConnectedAccount>.self, from: data).items.map(\.account)
    _ = try? decoder.decode(WireToolkit.self, from: data).initiationFields(for: .apiKey)
    _ = try? decoder.decode(WireCreateConnectedAccountResponse.self, from: data).account(authConfigId: "ac_f", userId: "u")
    _ = try? decoder.decode(WireErrorEnvelope.self, from: data)
    _ = try? decoder.decode(JSONValue.self, from: data)
    return 0
}
