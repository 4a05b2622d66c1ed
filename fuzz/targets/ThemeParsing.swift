import OnboardTUI

/// The theme file parser, fed arbitrary text: a theme or a ThemeFileError, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzThemeParsing(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let theme = try ThemeFile.parse(text, source: "fuzz.toml")
        for role in StyleRole.allCases { _ = theme.style(role) }
    } catch {
        _ = error.description
    }
    return 0
}
