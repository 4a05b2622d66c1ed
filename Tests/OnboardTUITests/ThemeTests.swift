import OnboardCore
import OnboardTestSupport
import Testing

@testable import OnboardTUI

@Suite("Themes")
struct ThemeTests {
    /// A role map as text: what a theme promises, one role per line.
    static func describe(_ theme: Theme) -> String {
        func color(_ color: ThemeColor) -> String {
            switch color {
            case .terminalDefault: "default"
            case .indexed(let index): "\(index)"
            case .rgb(let red, let green, let blue): "#" + [red, green, blue].map { String($0, radix: 16).leftPadded(2) }.joined()
            }
        }
        return
            ([theme.name + ": " + theme.summary]
            + StyleRole.allCases.map { role in
                let style = theme.style(role)
                let flags = [("bold", style.bold), ("dim", style.dim), ("underline", style.underline), ("reverse", style.reverse)]
                    .filter(\.1).map(\.0)
                return "\(role.fileName): fg=\(color(style.foreground)) bg=\(color(style.background))"
                    + (flags.isEmpty ? "" : " " + flags.joined(separator: " "))
            }).joined(separator: "\n")
    }

    @Test("each bundled theme parses, defines every role the screens use, and matches its role map", arguments: Theme.bundledFiles.map(\.name))
    func bundled(name: String) throws {
        let file = try #require(Theme.bundledFiles.first { $0.name == name })
        let theme = try ThemeFile.parse(file.text, source: "themes/\(name).toml")
        #expect(theme.name == name)
        #expect(!theme.summary.isEmpty)
        #expect(Set(theme.styles.keys) == Set(StyleRole.allCases), "\(name) leaves roles to fall back to text")
        TextSnapshot.assert(Self.describe(theme), named: "theme-\(name)")
    }

    @Test("colours as names, numbers and hex; [roles.NAME] tables; comments and literal strings")
    func syntax() throws {
        let theme = try ThemeFile.parse(
            """
            # comment
            name = 'ocean'   # trailing comment
            description = "Blues \\u00e9"
            [roles]
            title = { fg = "bright-cyan", bold = true }
            selected = { fg = "#0b1021", bg = 39 }
            [roles.error]
            fg = "#f00"
            underline = true
            """, source: "ocean.toml")
        #expect(theme.name == "ocean")
        #expect(theme.summary == "Blues é")
        #expect(theme.style(.title) == Style(.indexed(14), bold: true))
        #expect(theme.style(.selected) == Style(.rgb(0x0b, 0x10, 0x21), on: .indexed(39)))
        #expect(theme.style(.error) == Style(.rgb(255, 0, 0), underline: true))
        #expect(theme.style(.muted) == theme.style(.text))
    }

    @Test("a file saved with CRLF line ends reads as the same theme")
    func crlf() throws {
        let text = try #require(Theme.bundledFiles.first { $0.name == "dracula" }).text
        let windows = text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(windows.utf8.count > text.utf8.count)
        let theme = try ThemeFile.parse(windows, source: "dracula.toml")
        #expect(theme.styles == (try ThemeFile.parse(text, source: "dracula.toml")).styles)
        #expect(theme.name == "dracula")
    }

    @Test(
        "a malformed theme names the file and line, and says what to write instead",
        arguments: [
            (
                "name = \"x\"\n[roles]\ntitle = { fg = \"purplish\" }",
                "t.toml, line 3: unknown colour \"purplish\"; use a name (red, bright-blue, default), a number 0-255 or \"#rrggbb\""
            ),
            (
                "name = \"x\"\n[roles]\ntitel = {}",
                "t.toml, line 3: unknown role titel; roles are text, muted, title, header, header_accent, border, accent, selected, label, input, input_focused, placeholder, help, error, success, warning, key_name, key_label, spinner, qr_code"
            ),
            (
                "name = \"x\"\n[roles]\ntitle = { fg = 300 }",
                "t.toml, line 3: colour 300 is out of range; use a name (red, bright-blue, default), a number 0-255 or \"#rrggbb\""
            ),
            ("name = \"x\"\n[roles]\ntitle = { bold = yes }", "t.toml, line 3: expected a value: a \"string\", a number, true/false or { ... }"),
            ("name = \"x\"\n[roles]\ntitle = { fg = \"red\"", "t.toml, line 3: expected , or } in the table (keep it on one line)"),
            ("name = \"x\n", "t.toml, line 1: a string is not closed with \""),
            ("[colours]", "t.toml, line 1: unknown table [colours]; a theme has [roles] (or [roles.NAME])"),
            ("[roles]\ntitle = {}", "t.toml: the theme has no name; add name = \"...\" at the top"),
            ("name = \"x\"\nfoo = 1", "t.toml, line 2: unknown setting foo; the top of a theme has name and description, then [roles]"),
            ("name = \"x\"\n[roles]\ntitle = { blink = true }", "t.toml, line 3: unknown style key blink; use fg, bg, bold, dim, underline or reverse"),
        ])
    func errors(text: String, message: String) {
        #expect(throws: ThemeFileError.self) { try ThemeFile.parse(text, source: "t.toml") }
        do {
            _ = try ThemeFile.parse(text, source: "t.toml")
        } catch {
            #expect(error.description == message)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }

    @Test("a theme file cannot nest tables or grow past 64 KiB: both are refused with the line, never a crash")
    func limits() {
        let nested = "name = \"x\"\n[roles]\ntitle = " + String(repeating: "{ a = ", count: 100_000) + "1"
        #expect(throws: ThemeFileError.self) { try ThemeFile.parse(nested, source: "deep.toml") }
        let padded = "name = \"x\"\n" + String(repeating: "# padding\n", count: 8_000)
        do {
            _ = try ThemeFile.parse(padded, source: "big.toml")
            Issue.record("a 80 KB theme was read")
        } catch {
            #expect(error.description.contains("larger than 64 KiB"))
        }
    }
}
