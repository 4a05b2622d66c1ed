/// A gateway session's operators: who is watching, the note one of them left, whether the
/// customer asked for help. Outside a gateway session there is none (`State.assistance` nil),
/// and no help key.
extension Wizard {
    package struct Assistance: Equatable, Sendable {
        /// Who sent the invite and why, in their words (or the project's name): shown above the
        /// form so a customer can tell a real invite from a phishing one.
        package var greeting: String?
        /// The gateway's host key fingerprint, for the customer to compare with what ssh showed.
        package var hostKey: String?
        /// The operators watching, by name.
        package var observers: [String]
        /// The last line about them ("alice is watching", "alice stopped watching").
        package var presence: String?
        /// An operator's note, shown above the form until dismissed.
        package var note: Note?
        /// The customer asked for help and was told the operator knows.
        package var helpRequested: Bool

        package struct Note: Equatable, Sendable {
            package var from: String
            package var text: String
            package init(from: String, text: String) {
                self.from = from
                self.text = text
            }
        }

        package init(greeting: String? = nil, hostKey: String? = nil) {
            self.greeting = greeting
            self.hostKey = hostKey
            self.observers = []
            self.presence = nil
            self.note = nil
            self.helpRequested = false
        }

        /// Notes are one line of at most this many characters.
        package static let noteLimit = 200
        /// Greetings are at most this many characters.
        package static let greetingLimit = 300

        /// `text` as one line of printable characters, at most `limit` of them; nil when nothing
        /// printable is left. For what an operator writes and a customer reads.
        package static func oneLine(_ text: String, limit: Int) -> String? {
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if scalar.properties.isControlLike || scalar.properties.generalCategory == .format {
                    if scalar == "\n" || scalar == "\t" || scalar == "\r" { scalars.append(" ") }
                    continue
                }
                scalars.append(scalar)
            }
            let words = String(scalars).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            guard !words.isEmpty else { return nil }
            return String(words.prefix(limit))
        }
    }

    /// What the gateway says about the session's operators.
    package enum AssistanceEvent: Equatable, Sendable {
        /// The operators watching now; `change` says who joined or left.
        case observers([String], change: String?)
        /// An operator wrote a note.
        case note(from: String, text: String)
    }

    /// The keys for the operators, on every page of a gateway session: F1 (or `?` where no text
    /// input takes it) asks for help; Ctrl-X dismisses the operator's note.
    static func assistanceKeyMap(_ state: State) -> [Binding] {
        guard let assistance = state.assistance else { return [] }
        let helpKeys: [Key] = state.takesTyping ? [.function(1)] : [.function(1), .character("?")]
        var keys = [Binding(helpKeys, assistance.helpRequested ? "help asked" : "ask for help", .askForHelp, name: "f1")]
        if assistance.note != nil { keys.append(Binding([.control("x")], "dismiss note", .dismissNote)) }
        return keys
    }

    /// The operator's side: the keys of `invite attach`, one list the attach screen acts on and
    /// shows in its bar, as a page's key map is for the customer.
    package enum OperatorKeys {
        package enum Action: Equatable, Sendable {
            /// Start writing a note to the customer.
            case note
            /// End the customer's session (asked twice).
            case end
            /// Stop watching; the session goes on.
            case detach
        }

        /// While watching; the first three are shown in the bar.
        package static let watching: [(keys: [Key], label: String, action: Action)] = [
            ([.character("n")], "note to the customer", .note),
            ([.character("x")], "end session", .end),
            ([.character("q"), .control("c"), .control("d")], "detach", .detach),
        ]

        /// While a note is being written: send it, or drop it.
        package static let send: [Key] = [.enter]
        package static let cancel: [Key] = [.escape, .control("c")]

        /// What `key` does while watching, if anything.
        package static func action(for key: Key) -> Action? { watching.first { $0.keys.contains(key) }?.action }
    }

    static func assistance(_ state: inout State, _ event: AssistanceEvent) -> [Effect] {
        guard var assistance = state.assistance else { return [] }
        switch event {
        case .observers(let names, let change):
            assistance.observers = names.compactMap { Assistance.oneLine($0, limit: 40) }.prefix(16).map { $0 }
            assistance.presence = change.flatMap { Assistance.oneLine($0, limit: 80) }
        case .note(let from, let text):
            guard let text = Assistance.oneLine(text, limit: Assistance.noteLimit) else { return [] }
            assistance.note = Assistance.Note(from: Assistance.oneLine(from, limit: 40) ?? "your operator", text: text)
        }
        state.assistance = assistance
        return []
    }

    static func assistanceIntent(_ state: inout State, _ intent: Intent) -> [Effect] {
        guard var assistance = state.assistance else { return [] }
        switch intent {
        case .askForHelp:
            assistance.helpRequested = true
            state.assistance = assistance
            return [.requestHelp]
        case .dismissNote:
            assistance.note = nil
            state.assistance = assistance
            return []
        default:
            return []
        }
    }
}
