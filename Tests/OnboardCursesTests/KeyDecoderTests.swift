import Foundation
import OnboardCore
import OnboardCurses
import OnboardProcess
import OnboardTUI
import Testing

@Suite("Key decoding")
struct KeyDecoderTests {
    @Test("control bytes become named keys and chords")
    func controlBytes() {
        #expect(KeyDecoder.decode(character: 13) == .enter)
        #expect(KeyDecoder.decode(character: 10) == .enter)
        #expect(KeyDecoder.decode(character: 9) == .tab)
        #expect(KeyDecoder.decode(character: 127) == .backspace)
        #expect(KeyDecoder.decode(character: 8) == .backspace)
        #expect(KeyDecoder.decode(character: 3) == .control("c"))
        #expect(KeyDecoder.decode(character: 18) == .control("r"))
        #expect(KeyDecoder.decode(character: 26) == .control("z"))
        #expect(KeyDecoder.decode(character: 0) == nil)
        #expect(KeyDecoder.decode(character: 0x9B) == nil)
    }

    @Test("printable and wide characters pass through")
    func printable() {
        #expect(KeyDecoder.decode(character: 97) == .character("a"))
        #expect(KeyDecoder.decode(character: 0x65E5) == .character("日"))
        #expect(KeyDecoder.decode(character: 0x1F511) == .character("🔑"))
    }

    @Test("ncurses function keys map to keys, KEY_RESIZE to a resize")
    func functionKeys() {
        #expect(KeyDecoder.decode(functionKey: KeyDecoder.Code.up) == .key(.up))
        #expect(KeyDecoder.decode(functionKey: KeyDecoder.Code.backTab) == .key(.backTab))
        #expect(KeyDecoder.decode(functionKey: KeyDecoder.Code.deleteChar) == .key(.delete))
        #expect(KeyDecoder.decode(functionKey: KeyDecoder.Code.resize) == .resize)
        #expect(KeyDecoder.decode(functionKey: KeyDecoder.Code.f0 + 2) == .key(.function(2)))
        #expect(KeyDecoder.decode(functionKey: 0o777) == nil)
    }

    @Test("ESC alone is Escape; ESC [ 200 ~ starts a paste; known CSI sequences are keys; unknown ones are swallowed")
    func escapeSequences() {
        let scalars = { (text: String) in text.unicodeScalars.map(\.value) }
        #expect(KeyDecoder.decodeEscape([]) == (.escape, 0))
        #expect(KeyDecoder.decodeEscape(scalars("x")) == (.escape, 0))
        #expect(KeyDecoder.decodeEscape(scalars("[200~abc")) == (.pasteStart, 5))
        #expect(KeyDecoder.decodeEscape(scalars("[Z")) == (.key(.backTab), 2))
        #expect(KeyDecoder.decodeEscape(scalars("OA")) == (.key(.up), 2))
        #expect(KeyDecoder.decodeEscape(scalars("[3~")) == (.key(.delete), 3))
        #expect(KeyDecoder.decodeEscape(scalars("[1;5C")) == (.ignored, 5))
    }
}

@Suite("Colour degradation")
struct ColorDegraderTests {
    @Test("indexed colours pass through where the terminal has them")
    func passThrough() {
        #expect(ColorDegrader.resolve(.indexed(13), available: 256) == 13)
        #expect(ColorDegrader.resolve(.indexed(200), available: 256) == 200)
        #expect(ColorDegrader.resolve(.terminalDefault, available: 8) == -1)
    }

    @Test("colours beyond the palette fall to the nearest one it has")
    func degrade() {
        #expect(ColorDegrader.resolve(.indexed(236), available: 16) == 0)
        #expect(ColorDegrader.resolve(.indexed(9), available: 8) == 1)
        #expect(ColorDegrader.resolve(.rgb(255, 0, 0), available: 256) == 196)
        #expect(ColorDegrader.resolve(.rgb(250, 250, 250), available: 256) == 231)
        #expect(ColorDegrader.resolve(.rgb(0, 200, 0), available: 16) == 2)
    }

    @Test("a direct-colour terminal gets 24-bit values; 0-7 stay ANSI")
    func direct() {
        #expect(ColorDegrader.resolve(.rgb(0xbd, 0x93, 0xf9), available: 1 << 24) == 0xbd93f9)
        #expect(ColorDegrader.resolve(.indexed(3), available: 1 << 24) == 3)
        #expect(ColorDegrader.resolve(.indexed(231), available: 1 << 24) == 0xffffff)
        #expect(ColorDegrader.resolve(.terminalDefault, available: 1 << 24) == -1)
    }
}

@Suite("Process hardening")
struct ProcessHardeningTests {
    @Test("after apply, the process is not dumpable and its core size limit is zero")
    func undumpable() throws {
        #expect(ProcessHardening.apply())
        #expect(!ProcessHardening.isDumpable)
        let limits = try String(contentsOfFile: "/proc/self/limits", encoding: .utf8)
        let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") })
        #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"])
    }
}
