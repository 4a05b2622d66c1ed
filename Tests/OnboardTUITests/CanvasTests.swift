import OnboardTUI
import Testing

@Suite("Canvas and text measurement")
struct CanvasTests {
    @Test("wide characters take two columns and combining marks none")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("🔑") == 2)
        #expect(DisplayWidth.of("❤️") == 2)
    }

    @Test("server strings show escape sequences and controls as visible symbols and lose bidi overrides")
    func sanitizes() {
        #expect(TerminalText.sanitized("ok\u{1B}[31mRED\u{1B}[0m") == "ok␛[31mRED␛[0m")
        #expect(TerminalText.sanitized("\u{1B}]52;c;b3duZWQ=\u{07}") == "␛]52;c;b3duZWQ=␇")
        #expect(TerminalText.sanitized("a\u{07}b\u{0}c\u{9B}d\u{7F}") == "a␇b␀c\u{FFFD}d␡")
        #expect(TerminalText.sanitized("name\u{202E}gpj.exe\u{2066}") == "namegpj.exe")
        #expect(TerminalText.sanitized("two\nlines\ttab\r") == "two lines tab ")
        #expect(TerminalText.sanitized("👩‍💻 e\u{301}") == "👩💻 e\u{301}", "joiners go: terminals disagree on joined emoji widths")
        #expect(TerminalText.sanitized("Z" + String(repeating: "\u{351}", count: 30)) == "Z" + String(repeating: "\u{351}", count: 4))
        #expect(TerminalText.sanitizedLines("one\r\ntwo\n\u{1B}[2J") == "one\ntwo\n␛[2J")
        #expect(TerminalText.isClean("plain text, 漢字\n") && !TerminalText.isClean("\u{9B}"))
    }

    @Test("put clips at the edge without splitting a wide character")
    func clipping() {
        var canvas = Canvas(width: 5, height: 1)
        let used = canvas.put("ab日本", x: 0, y: 0, role: .text)
        #expect(used == 4)
        #expect(canvas.text == "ab日")
        var narrow = Canvas(width: 3, height: 1)
        narrow.put("a日本", x: 0, y: 0, role: .text)
        #expect(narrow.text == "a日")
    }

    @Test("truncation ends with an ellipsis and respects display width")
    func truncation() {
        #expect(DisplayWidth.truncate("Freshdesk support desk", to: 10) == "Freshdesk…")
        #expect(DisplayWidth.truncate("日本語テキスト", to: 5) == "日本…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
    }

    @Test("wrapping breaks on spaces and splits words longer than the line")
    func wrapping() {
        #expect(Wrapping.lines("the quick brown fox", width: 9) == ["the quick", "brown fox"])
        #expect(Wrapping.lines("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test("a link with control characters or spaces is not linked, so it cannot break out of OSC 8")
    func hostileLinkRefused() {
        var canvas = Canvas(width: 40, height: 2)
        canvas.link("https://example.com/\u{1B}]8;;evil", x: 0, y: 0, width: 10)
        canvas.link("https://example.com/a b", x: 0, y: 0, width: 10)
        canvas.link("https://example.com/ok", x: 35, y: 0, width: 10)
        #expect(canvas.links.isEmpty)
        canvas.link("https://example.com/ok", x: 0, y: 1, width: 22)
        #expect(canvas.links.count == 1)
    }

    @Test("a modal dialog is centred, bordered, clipped to the canvas, and drawn in ASCII without Unicode")
    func modalDialog() {
        let dialog = ModalDialog(title: "Quit onboard?", lines: ["Nothing has been sent."], buttons: [KeyBinding("ctrl-c", "quit")])
        var canvas = Canvas(width: 40, height: 9)
        dialog.draw(into: &canvas, glyphs: .ascii)
        #expect(
            canvas.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
                "",
                "       +------------------------+",
                "       | Quit onboard?          |",
                "       | Nothing has been sent. |",
                "       |                        |",
                "       | ctrl-c quit            |",
                "       +------------------------+",
                "",
                "",
            ])
        var tiny = Canvas(width: 12, height: 4)
        dialog.draw(into: &tiny, glyphs: .unicode)
        #expect(tiny.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test("a progress bar fills in proportion and never past either end")
    func progressBar() {
        #expect(ProgressBar.render(done: 0, total: 10, width: 10, glyphs: .ascii) == "..........")
        #expect(ProgressBar.render(done: 5, total: 10, width: 10, glyphs: .ascii) == "#####.....")
        #expect(ProgressBar.render(done: 12, total: 10, width: 10, glyphs: .unicode) == "██████████")
        #expect(ProgressBar.render(done: -3, total: 10, width: 4, glyphs: .ascii) == "....")
        #expect(ProgressBar.render(done: 0, total: 0, width: 3, glyphs: .ascii) == "###")
    }
}
