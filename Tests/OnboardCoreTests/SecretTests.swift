import Foundation
import OnboardCore
import Testing

@Suite("Secret")
struct SecretTests {
    @Test("prints, interpolates and dumps as <redacted>")
    func neverPrintsItsValue() {
        let secret = Secret("sk-live-canary-123")
        #expect(String(describing: secret) == "<redacted>")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("canary"))
        var wrapped = ""
        dump(ConnectionRequest(authConfigId: "ac", userId: "u", authScheme: .apiKey, values: ["k": secret]), to: &wrapped)
        #expect(!wrapped.contains("canary"))
    }

    @Test("reveals its value only through withRevealedValue")
    func revealsThroughAccessor() {
        #expect(Secret("abc").withRevealedValue { $0 } == "abc")
    }

    @Test("shows at most the last four characters, only of values of 20 or more, and never of a password")
    func masksTail() {
        #expect(Secret("SG.abcdefghijklmnopq").maskedTail() == "••••••••nopq")
        #expect(Secret("SG.abcdefghijklmnop").maskedTail() == "••••••••", "19 characters show no tail")
        #expect(Secret("SG.abcdefghijklmnopq").maskedTail(visibleTail: 9) == "••••••••nopq", "never more than four")
        #expect(Secret("short").maskedTail() == "•••••")
        #expect(Secret("").maskedTail() == "")
        let password = CredentialField(name: "password", displayName: "Password", isRequired: true, isSecret: true)
        #expect(password.masked(Secret("a-very-long-passphrase-indeed")) == "••••••••")
        let key = CredentialField(name: "generic_api_key", displayName: "API Key", isRequired: true, isSecret: true)
        #expect(key.masked(Secret("sk-live-0123456789abcdef")) == "••••••••cdef")
    }

    @Test("a field whose name says secret stays masked whatever the server says")
    func clientDecidesSecret() {
        for name in ["api_key", "access_token", "client_secret", "password", "db_passwd", "private_key", "session_cookie"] {
            #expect(CredentialField(name: name, displayName: name, isRequired: true, isSecret: false).isSecret, "\(name)")
        }
        for name in ["subdomain", "username", "region", "shipping_pin_code"] {
            #expect(!CredentialField(name: name, displayName: name, isRequired: true, isSecret: false).isSecret, "\(name)")
        }
        #expect(CredentialField(name: "pin", displayName: "PIN", isRequired: true, isSecret: true).isPassword)
    }

    @Test("the masked input keeps its bytes in one buffer: copies edit their own, and clearing empties it")
    func maskedInputBuffer() {
        var input = SecretInput()
        input.insert("sk-live-")
        var copy = input
        copy.insert("copy")
        input.insert("orig")
        #expect(input.value == Secret("sk-live-orig"))
        #expect(copy.value == Secret("sk-live-copy"))
        input.apply(.backspace)
        #expect(input.value == Secret("sk-live-ori"))
        input.insert("👩‍💻")
        input.apply(.backspace)
        #expect(input.value == Secret("sk-live-ori"), "backspace removes a whole grapheme")
        input.insert(String(repeating: "x", count: 1000))
        #expect(input.count == 1011)
        input.clear()
        #expect(input.value.isEmpty && input.count == 0)
        #expect(copy.value == Secret("sk-live-copy"))
    }

    @Test("counts graphemes, not bytes")
    func countsGraphemes() {
        #expect(Secret("pässwörd🔑").characterCount == 9)
    }
}

@Suite("Text inputs")
struct TextInputTests {
    @Test("a paste keeps every character but drops line breaks, so it cannot submit")
    func pasteDropsNewlines() {
        var input = TextInput()
        input.insert("abc\r\ndef\n")
        #expect(input.text == "abcdef")
        #expect(input.cursor == 6)
    }

    @Test("edits at the cursor: left, insert, backspace, delete, home, end")
    func editsAtCursor() {
        var input = TextInput("acd")
        input.apply(.left)
        input.apply(.left)
        input.apply(.character("b"))
        #expect(input.text == "abcd")
        input.apply(.backspace)
        #expect(input.text == "acd")
        input.apply(.home)
        input.apply(.delete)
        #expect(input.text == "cd")
        input.apply(.end)
        input.apply(.character("e"))
        #expect(input.text == "cde")
    }

    @Test("Ctrl-W removes the previous word and Ctrl-U clears")
    func wordAndLineDeletion() {
        var input = TextInput("hello big world")
        input.apply(.control("w"))
        #expect(input.text == "hello big ")
        input.apply(.control("u"))
        #expect(input.text.isEmpty)
    }

    @Test("a masked input takes a 64 KiB paste whole and deletes by grapheme")
    func secretInputTakesLargePaste() {
        var input = SecretInput()
        let token = String(repeating: "x", count: 65_536)
        input.insert(token + "\n")
        #expect(input.count == 65_536)
        input.insert("é")
        input.deleteBackward()
        #expect(input.count == 65_536)
        #expect(input.apply(.left) == false)
    }
}

@Suite("Masked input length")
struct SecretInputLengthTests {
    @Test("typed keys and Backspace leave the shown length until typing settles")
    func typedKeysWaitForSettle() {
        var input = SecretInput()
        for character in "s3cret" { input.apply(.character(character)) }
        #expect(input.count == 6)
        #expect(input.shownCount == 0)
        input.settle()
        #expect(input.shownCount == 6)
        input.apply(.backspace)
        #expect(input.count == 5)
        #expect(input.shownCount == 6)
    }

    @Test("a paste, a clear and a file show their length at once")
    func pasteClearAndFileShowAtOnce() {
        var input = SecretInput()
        input.insert("pasted-key-0123456789")
        #expect(input.shownCount == 21)
        input.apply(.character("x"))
        input.apply(.control("u"))
        #expect(input.shownCount == 0)
        input.replace(with: Secret("from a file"))
        #expect(input.shownCount == 11)
    }
}
