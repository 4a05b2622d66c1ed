import CSpawn
import Foundation
import OnboardCore
import Synchronization
import Testing

@testable import OnboardRuntime

/// The secret prompt of the line-based modes, on a real pseudo-terminal.
@Suite("The echo-off prompt", .serialized)
struct EchoOffPromptTests {
    /// A pseudo-terminal pair: the prompt reads and writes the follower; the test plays the
    /// person at the leader.
    final class Pty {
        let leader: Int32
        let follower: Int32

        init() throws {
            var path = [CChar](repeating: 0, count: 128)
            leader = onb_open_pty(&path, path.count, 24, 80)
            guard leader >= 0 else { throw CocoaError(.fileReadUnknown) }
            follower = open(String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), O_RDWR | O_NOCTTY)
            guard follower >= 0 else { throw CocoaError(.fileReadUnknown) }
        }

        deinit {
            close(follower)
            close(leader)
        }

        func type(_ text: String) {
            _ = text.utf8CString.dropLast().withUnsafeBytes { write(leader, $0.baseAddress, $0.count) }
        }

        /// Everything the prompt wrote, read until it stays quiet for `quiet` milliseconds.
        func screen(quiet: Int32 = 200) -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            var poller = pollfd(fd: leader, events: Int16(POLLIN), revents: 0)
            while poll(&poller, 1, quiet) > 0 {
                let count = read(leader, &chunk, chunk.count)
                if count <= 0 { break }
                bytes += chunk[0..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Runs the prompt on a thread of its own, types `keys` once the label is on the screen (as
    /// a person would, after echo went off), and returns the answer and all that was shown.
    static func prompt(term: String, typing keys: String) throws -> (EchoOffPrompt.Outcome, String) {
        let pty = try Pty()
        let result = Mutex<EchoOffPrompt.Outcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        let follower = pty.follower
        Thread.detachNewThread {
            let outcome = EchoOffPrompt.read("API key: ", input: follower, output: follower, term: term)
            result.withLock { $0 = outcome }
            done.signal()
        }
        var screen = ""
        for _ in 0..<50 where !screen.contains("API key: ") { screen += pty.screen(quiet: 100) }
        pty.type(keys)
        #expect(done.wait(timeout: .now() + 10) == .success, "the prompt never returned")
        screen += pty.screen()
        return (try #require(result.withLock { $0 }), screen)
    }

    @Test("nothing is echoed while typing; after Enter the line says how many characters were taken")
    func echoesNothingThenCounts() throws {
        let (outcome, screen) = try Self.prompt(term: "xterm-256color", typing: "sk-secret-7\r")
        #expect(outcome == .entered(Secret("sk-secret-7")))
        #expect(!screen.contains("sk-") && !screen.contains("•") && !screen.contains("*"), "typed characters or bullets were shown: \(screen)")
        #expect(screen.contains("API key: "))
        #expect(screen.contains("(11 characters)"))
    }

    @Test("bracketed paste is switched on and off only where terminfo says the terminal has it")
    func bracketedPasteByTerminfo() throws {
        let (_, xterm) = try Self.prompt(term: "xterm-256color", typing: "a\r")
        #expect(xterm.contains("\u{1B}[?2004h") && xterm.contains("\u{1B}[?2004l"))
        for term in ["dumb", "vt100", "no-such-terminal", ""] {
            let (outcome, screen) = try Self.prompt(term: term, typing: "abc\r")
            #expect(outcome == .entered(Secret("abc")))
            #expect(!screen.contains("\u{1B}["), "TERM=\(term) got an escape sequence: \(screen.debugDescription)")
            #expect(screen.contains("(3 characters)"))
        }
    }

    @Test("a paste keeps its line breaks out of the answer; backspace and Ctrl-U edit; Ctrl-C interrupts")
    func lineEditor() {
        var editor = EchoOffPrompt.LineEditor()
        for byte in Array("sé".utf8) { #expect(editor.feed(byte) == .continue) }
        #expect(editor.feed(0x7F) == .continue)
        for byte in Array("\u{1B}[200~x\ny\u{1B}[201~".utf8) { _ = editor.feed(byte) }
        #expect(editor.feed(0x0D) == .done)
        #expect(editor.value == Secret("sxy"))
        var cleared = EchoOffPrompt.LineEditor()
        for byte in Array("abc".utf8) { _ = cleared.feed(byte) }
        _ = cleared.feed(0x15)
        _ = cleared.feed(UInt8(ascii: "z"))
        #expect(cleared.feed(0x0D) == .done && cleared.value == Secret("z"))
        var interrupted = EchoOffPrompt.LineEditor()
        #expect(interrupted.feed(0x03) == .interrupted)
    }

    @Test("the note after Enter counts characters, not bytes, and says when nothing was entered")
    func takenNote() {
        #expect(EchoOffPrompt.taken(Secret("")) == "(nothing entered)")
        #expect(EchoOffPrompt.taken(Secret("é")) == "(1 character)")
        #expect(EchoOffPrompt.taken(Secret("日本語")) == "(3 characters)")
    }
}
