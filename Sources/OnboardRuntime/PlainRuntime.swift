import ComposioAPI
import Foundation
import OnboardCore
import OnboardFiles
import OnboardTUI

/// The accessible plain mode: the same wizard controller, driven by line prompts instead of a
/// full screen. Choices are numbered, confirmations are `y/N`, secrets are read with echo off;
/// nothing is redrawn, so a screen reader reads each line once and a pipe of answers works.
///
/// Each answer becomes an intent of the page showing (choose this config, set this value,
/// connect), the same intents the full-screen wizard's keys map to, so the rules (validation,
/// existing accounts, replacement, retries) are the reducer's and no key press is replayed.
package final class PlainRuntime {
    private let loop: WizardLoop
    private let io: PlainIO
    /// A gateway session's operators, when this is one: frames of the masked state for them.
    private let operators: (any OperatorLink)?
    private var frames: OperatorFrames?
    /// What was last announced, so a step is introduced once, not after every answer.
    private var announced: String?

    package var state: Wizard.State { loop.state }

    package init(
        service: any ComposioService, io: PlainIO, initialState: Wizard.State = Wizard.State(), retryNotifier: RetryNotifier? = nil,
        timekeeper: any Timekeeper = SystemTimekeeper(), withKey: (@Sendable (Secret) -> any ComposioService)? = nil,
        operators: (any OperatorLink)? = nil
    ) {
        self.io = io
        self.operators = operators
        var helpRequested: (@Sendable () -> Void)?
        if let operators { helpRequested = { operators.requestHelp() } }
        self.loop = WizardLoop(
            service: service, initialState: initialState, timekeeper: timekeeper, retryNotifier: retryNotifier, withKey: withKey,
            helpRequested: helpRequested)
    }

    /// Runs until the wizard quits or the input ends; returns the exit code.
    package func run() -> Int32 {
        defer { loop.stop() }
        io.say("onboard (plain mode). Answer each question and press Enter; < goes back a step, Ctrl-C quits.")
        if let assistance = state.assistance {
            if let greeting = assistance.greeting { io.say(greeting) }
            if let hostKey = assistance.hostKey { io.say("This gateway's host key is \(hostKey): compare it with your invite.") }
            io.say("Type ? and press Enter at any question to ask your operator for help.")
        }
        if let operators {
            let frames = OperatorFrames(link: operators, context: ScreenContext(backendLabel: "", glyphs: .unicode), timekeeper: loop.timekeeper)
            self.frames = frames
            let post = loop.post
            let io = self.io
            operators.start(
                deliver: { event in
                    post(event)
                    // Said at once: the customer may be sitting at a question.
                    if case .assistance(let change) = event { Self.announce(change, io) }
                }, watchersChanged: { frames.watchersChanged() })
        }
        defer { frames?.stop() }
        loop.dispatch(.started)
        while loop.isRunning {
            waitWhileBusy()
            guard loop.isRunning else { break }
            guard ask() else {
                io.say("The input ended before the wizard did; nothing more was sent.")
                return 1
            }
        }
        return loop.exitCode ?? 1
    }

    // MARK: the loop

    private func send(_ intents: Wizard.Intent...) {
        for intent in intents where loop.isRunning { loop.dispatch(.intent(intent)) }
        frames?.update(state)
    }

    /// An operator's word, as a line (cleaned as the full screen cleans it).
    static func announce(_ change: Wizard.AssistanceEvent, _ io: PlainIO) {
        switch change {
        case .note(let from, let text):
            guard let text = Wizard.Assistance.oneLine(text, limit: Wizard.Assistance.noteLimit) else { return }
            io.say("Note from \(Wizard.Assistance.oneLine(from, limit: 40) ?? "your operator"): \(text)")
        case .observers(_, let change):
            if let change = change.flatMap({ Wizard.Assistance.oneLine($0, limit: 80) }) { io.say(change + ".") }
        }
    }

    /// A line; `?` alone asks the operators for help (in a gateway session) and asks again.
    private func readLine(_ prompt: String) -> String? { read(prompt, io.line) }

    /// A secret, read as `io.secret` reads it; `?` alone asks for help as above.
    private func readSecret(_ prompt: String) -> String? { read(prompt, io.secret) }

    private func read(_ prompt: String, _ reader: (String) -> String?) -> String? {
        while true {
            let answer = reader(prompt)
            guard state.assistance != nil, answer?.trimmingCharacters(in: .whitespaces) == "?" else { return answer }
            send(.askForHelp)
            io.say("Your operator has been told you need help; they can see this session (never your secrets).")
        }
    }

    /// Lets effects finish, saying what is going on once per wait.
    private func waitWhileBusy() {
        var said: String?
        while loop.isRunning {
            loop.drainResults()
            frames?.update(state)
            guard state.isWaiting || waitingForLink else { return }
            let note = progressNote
            if let note, note != said {
                io.say(note)
                said = note
            }
            loop.waitForResults(upTo: WizardLoop.tickInterval)
            loop.keepTime()
        }
    }

    private var waitingForLink: Bool {
        if case .connecting = state.step { return true }
        return false
    }

    private var progressNote: String? {
        if let notice = state.retryNotice { return "\(notice.reason); retrying shortly." }
        switch state.step {
        case .keyPrompt(let prompt) where prompt.checking: return "Checking the key..."
        case .configList(let list) where list.configs == .loading: return "Loading auth configs..."
        case .credentials(let form) where form.entries == .loading: return "Loading the fields for \(clean(form.config.name))..."
        case .review(let review) where review.existing == .loading: return "Checking \(clean(review.form.userId.text))'s existing accounts..."
        case .connecting(let connecting):
            if let link = connecting.link {
                return "Open this link in a browser (or send it to the user):\n  \(link.redirectURL)\nWaiting for approval..."
            }
            if let account = connecting.account { return "Created \(account.id); waiting for ACTIVE (now \(account.status.rawValue))..." }
            return "Connecting..."
        case .outcome(let outcome) where outcome.replacement == .loading: return "Deleting the accounts it replaces..."
        default: return nil
        }
    }

    /// Asks the question the current step needs and applies the answer. False when input ended.
    private func ask() -> Bool {
        switch state.step {
        case .keyPrompt(let prompt): return askKey(prompt)
        case .configList(let list): return askConfig(list)
        case .credentials(let form): return askCredentials(form)
        case .review(let review): return askReview(review)
        case .outcome(let outcome): return askDone(outcome)
        case .unsupportedScheme(let page):
            io.say(
                "\(clean(page.config.name)) uses \(page.config.authScheme?.rawValue ?? "a scheme onboard does not know"), which cannot take imported credentials."
            )
            guard readLine("Press Enter to choose another auth config: ") != nil else { return false }
            send(.unsupportedScheme(.back))
            return true
        case .connecting:
            return true
        }
    }

    // MARK: steps

    private func announce(_ key: String, _ text: @autoclosure () -> String) {
        guard announced != key else { return }
        announced = key
        io.say("")
        io.say(text())
    }

    private func header(_ step: Wizard.Step) -> String {
        let project = state.project.map { " (project \(clean($0.name)))" } ?? ""
        return "Step \(step.number) of \(Wizard.stepTitles.count): \(Wizard.stepTitles[step.number - 1])\(project)"
    }

    private func askKey(_ prompt: Wizard.KeyPrompt) -> Bool {
        if let problem = prompt.problem { io.say("That key did not work: \(clean(problem)) Try again, or Ctrl-C to quit.") }
        guard let typed = readSecret("API key for \(clean(prompt.host)) (ak_..., typing hidden): ") else { return false }
        send(.keyPrompt(.setValue(Secret(typed))), .keyPrompt(.check))
        return true
    }

    private func askConfig(_ list: Wizard.ConfigList) -> Bool {
        if case .failed(let failure) = list.configs {
            io.say("Could not load auth configs: \(describe(failure))")
            return askKeys()
        }
        announce("list", header(state.step))
        if let notice = list.notice { io.say(clean(notice)) }
        let rows = list.visible
        if rows.isEmpty {
            io.say(list.filter.text.isEmpty ? "This project has no enabled auth configs." : "No auth config matches \u{201C}\(list.filter.text)\u{201D}.")
        }
        for (index, config) in rows.enumerated() {
            let state = config.isEnabled ? "" : ", disabled"
            io.say("  \(index + 1). \(clean(config.name)) (\(clean(config.toolkitSlug)), \(config.authScheme?.rawValue ?? "?")\(state))")
        }
        if list.hasMore { io.say("  More are on the server: type part of a name to search them.") }
        if let failure = list.pageFailure { io.say("More did not load: \(describe(failure))") }
        guard let answer = readLine("Number to choose, text to filter, q to quit: ") else { return false }
        let trimmed = answer.trimmingCharacters(in: .whitespaces)
        if trimmed == "q" {
            send(.configList(.quit))
            return true
        }
        if let number = Int(trimmed), rows.indices.contains(number - 1) {
            send(.configList(.choose(id: rows[number - 1].id)))
            announced = nil
            return true
        }
        // Anything else filters (an empty answer clears the filter).
        send(.configList(.setFilter(trimmed)))
        return true
    }

    private func askCredentials(_ form: Wizard.Credentials) -> Bool {
        if case .failed(let failure) = form.entries {
            io.say("Could not load the fields: \(describe(failure))")
            return askKeys()
        }
        guard let entries = form.entries.value else { return true }
        let asked = entries.isEmpty ? "only the user id" : "the user id and \(entries.count) field\(entries.count == 1 ? "" : "s")"
        announce("fields-\(form.config.id)", header(state.step) + "\n\(clean(form.config.name)) needs \(asked).")
        let answer: String?
        if form.focus == 0 {
            if let problem = form.userIdProblem { io.say(problem) }
            answer = readLine("User ID [\(form.userId.text)]: ")
        } else {
            let entry = entries[form.focus - 1]
            let field = entry.field
            if let problem = entry.problem { io.say(problem) }
            var about = field.displayName + (field.isRequired ? " (required" : " (optional") + (field.isSecret ? ", secret)" : ")")
            if !field.description.isEmpty { about += ": " + clean(field.description) }
            io.say(about)
            if field.isMultiline { io.say("Paste it on one line, or type @ and the path of a file holding it.") }
            switch entry.input {
            case .secret(let input):
                let kept = input.value.isEmpty ? "" : " [Enter keeps \(field.masked(input.value))]"
                answer = readSecret("\(field.displayName)\(kept): ")
            case .text(let input):
                answer = readLine("\(field.displayName)\(input.text.isEmpty ? "" : " [\(input.text)]"): ")
            }
        }
        guard let answer else { return false }
        if answer == "<" {
            send(.credentials(.back))
            announced = nil
            return true
        }
        if !answer.isEmpty {
            send(.credentials(.setValue(Secret(answer))))
        }
        send(.credentials(.submit))
        return true
    }

    private func askReview(_ review: Wizard.Review) -> Bool {
        announce("review", header(state.step))
        let form = review.form
        io.say("  Auth config: \(clean(form.config.name)) (\(form.config.id))")
        io.say("  User ID: \(form.userId.text)")
        for entry in form.entries.value ?? [] {
            let shown: String
            switch entry.input {
            case .secret(let input): shown = input.value.isEmpty ? "(empty)" : entry.field.masked(input.value)
            case .text(let input): shown = input.text.isEmpty ? "(empty)" : input.text
            }
            io.say("  \(entry.field.displayName): \(shown)")
        }
        if case .failed(let failure) = review.existing { io.say("Could not check existing accounts (\(describe(failure))); connecting adds one.") }
        if let existing = review.existing.value, !existing.isEmpty, review.choice == nil {
            io.say("\(form.userId.text) already has \(existing.map { "\($0.id) (\($0.status.rawValue))" }.joined(separator: ", ")) on this auth config.")
            // The choices are the page's keys (only those this run allows), in the plain mode's words.
            let words: [(Wizard.Intent, String)] = [
                (.review(.decide(.addAnother)), "add another account"),
                (.review(.decide(.replace)), "replace it (deleted only once the new one is ACTIVE)"),
                (.review(.decide(.update)), "update its credentials (\(review.updatableAccount?.id ?? "it") keeps its id; nothing is deleted)"),
                (.review(.edit), "go back to the fields"),
            ]
            let choices = review.keyMap.filter { binding in words.contains { $0.0 == binding.intent } }
            return askKeys(choices, words: words)
        }
        if review.offersValidation && !review.validateCredentials {
            guard let answer = readLine("Ask the service to check the credentials first? [y/N]: ") else { return false }
            if answer.lowercased().hasPrefix("y") { send(.review(.toggleValidation)) }
        }
        if let bearer = review.bearerAlternative {
            io.say("Has \(form.userId.text) an access token already? \(clean(bearer.name)) (\(bearer.id)) takes it as a bearer token: go back and choose it.")
        }
        let action = review.isLink ? "Create the connect link now?" : "Connect now?"
        guard let answer = readLine("\(action) [y/N] (N goes back to the fields): ") else { return false }
        if answer.lowercased().hasPrefix("y") {
            send(.review(.connect))
        } else {
            send(.review(.edit))
            announced = nil
        }
        return true
    }

    private func askDone(_ outcome: Wizard.Outcome) -> Bool {
        announced = nil
        switch outcome.result {
        case .settled(let account) where account.status == .active:
            let toolkit = account.toolkitSlug.isEmpty ? outcome.review.form.config.toolkitSlug : account.toolkitSlug
            let how = outcome.review.choice == .update ? "Updated in place" : "Connected"
            io.say("\(how): \(account.id) (\(clean(toolkit)), user \(account.userId ?? outcome.review.form.userId.text)) is ACTIVE.")
            if let replaced = outcome.replacement.value, !replaced.isEmpty { io.say("Deleted \(replaced.joined(separator: ", ")), which it replaces.") }
            // A yes/no question, answered y/N as line tools are (scripts pipe "n" for no).
            guard let answer = readLine("Connect another? [y/N]: ") else { return false }
            send(.outcome(answer.lowercased().hasPrefix("y") ? .connectAnother : .quit))
            return true
        case .settled(let account):
            io.say("\(account.id) is \(account.status.rawValue)\(account.statusReason.map { ": \(clean($0))" } ?? "").")
        case .timedOut(let account):
            io.say("\(account.id) is still \(account.status.rawValue) after a minute.")
        case .failed(let failure):
            io.say("Not connected: \(describe(failure))")
        }
        return askKeys()
    }

    // MARK: answers from the key map

    /// Asks for one of the page's keys, as the full screen would take it: a letter the key map
    /// binds, `<` for Esc (the plain mode's "back", said at the start) or Enter; the answer
    /// becomes the bound intent. Only shown bindings with such a key are offered; anything else
    /// is asked again.
    /// - Parameter words: the plain mode's wording for an intent, when the key bar's label is too
    ///   short to hear.
    private func askKeys(_ bindings: [Wizard.Binding]? = nil, words: [(Wizard.Intent, String)] = []) -> Bool {
        let offered = (bindings ?? Wizard.keyMap(for: state)).filter { $0.isShown && $0.intent != nil && Self.answer(for: $0) != nil }
        guard !offered.isEmpty else { return readLine("Press Enter to go on: ") != nil }
        let listed = offered.map { binding in
            let what = words.first { $0.0 == binding.intent }?.1 ?? binding.label
            return "\(Self.answer(for: binding) ?? "") to \(what)"
        }
        while true {
            guard let typed = readLine("Type \(listed.joined(separator: ", ")): ") else { return false }
            let key = Self.key(forAnswer: typed)
            if let binding = offered.first(where: { key.map($0.keys.contains) ?? false }), let intent = binding.intent {
                send(intent)
                return true
            }
            io.say("That is not one of the choices.")
        }
    }

    /// What to type for a binding: its letter, `<` for Esc, or Enter.
    static func answer(for binding: Wizard.Binding) -> String? {
        for key in binding.keys {
            if case .character(let letter) = key, letter.isLetter { return String(letter) }
        }
        if binding.keys.contains(.escape) { return "<" }
        if binding.keys.contains(.enter) { return "Enter" }
        return nil
    }

    /// The key an answer stands for: a letter, `<` for Esc, nothing for Enter.
    static func key(forAnswer answer: String) -> Key? {
        let trimmed = answer.trimmingCharacters(in: .whitespaces).lowercased()
        switch trimmed {
        case "": return .enter
        case "<": return .escape
        default: return trimmed.count == 1 ? .character(Character(trimmed)) : nil
        }
    }

    private func describe(_ failure: ServiceFailure) -> String {
        clean(failure.message) + (failure.suggestion.map { " " + clean($0) } ?? "")
    }

    /// A server's string made safe to print and short enough to hear: a screen reader reads every
    /// character of a 10 KB description aloud.
    private func clean(_ text: String, limit: Int = 400) -> String {
        text.count > limit ? TerminalText.sanitized(String(text.prefix(limit))) + "…" : TerminalText.sanitized(text)
    }
}

/// Where the plain mode reads and writes: the terminal or pipes in production, a script in tests.
package struct PlainIO: Sendable {
    /// Prints one line.
    package let say: @Sendable (String) -> Void
    /// Shows a prompt and reads a line; nil when input ended.
    package let line: @Sendable (String) -> String?
    /// Shows a prompt and reads a secret (echo off on a terminal); nil when input ended.
    package let secret: @Sendable (String) -> String?

    package init(
        say: @escaping @Sendable (String) -> Void, line: @escaping @Sendable (String) -> String?, secret: @escaping @Sendable (String) -> String?
    ) {
        self.say = say
        self.line = line
        self.secret = secret
    }

    /// stdin and stdout; secrets with echo off when stdin is a terminal. Everything written
    /// passes the terminal sanitiser here, at the edge, whatever the runtime composed; a line
    /// longer than 64 KiB is refused and asked again, never cut.
    package static let standard = PlainIO(
        say: { text in write(TerminalText.sanitizedLines(text) + "\n") },
        line: { prompt in readBounded(prompt) },
        secret: { prompt in
            guard EchoOffPrompt.isAvailable else { return readBounded(prompt) }
            while true {
                switch EchoOffPrompt.read(prompt) {
                case .entered(let value): return value.withRevealedValue { $0 }
                case .interrupted: exit(130)
                case .endOfInput: return nil
                case .tooLong: write(tooLong)
                }
            }
        }
    )

    private static let tooLong = "That is longer than 64 KiB; nothing of it was kept. Enter it again, or type @ and a file's path.\n"

    private static func write(_ text: String) { DescriptorWriter.write(text, to: STDOUT_FILENO) }

    private static func readBounded(_ prompt: String) -> String? {
        while true {
            write(TerminalText.sanitized(prompt))
            switch BoundedLine.read(limit: EchoOffPrompt.maximumBytes) {
            case .line(let text): return text
            case .end: return nil
            case .tooLong: write(tooLong)
            }
        }
    }
}
