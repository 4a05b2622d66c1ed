import ComposioAPI
import Foundation
import OnboardCore
import OnboardCurses
import OnboardTUI

/// Starts the interactive wizard: picks the backend, takes the terminal, runs the loop,
/// gives the terminal back, and prints a one-line result that stays in scrollback.
public enum WizardLauncher {
    public struct Options: Sendable {
        public var userId: String?
        public var authConfigId: String?
        public var baseURL: String?
        public var keyFile: String?
        public var verbose: Bool
        /// `--theme NAME|PATH`; nil for `ONBOARD_THEME` or the default.
        public var theme: String?
        /// `--accessible`: line prompts instead of the full screen.
        public var accessible: Bool
        public init(
            userId: String? = nil, authConfigId: String? = nil, baseURL: String? = nil, keyFile: String? = nil, verbose: Bool = false,
            theme: String? = nil, accessible: Bool = false
        ) {
            self.theme = theme
            self.accessible = accessible
            self.userId = userId
            self.authConfigId = authConfigId
            self.baseURL = baseURL
            self.keyFile = keyFile
            self.verbose = verbose
        }
    }

    /// Whether to use the plain mode: asked for, `TERM=dumb` (or none), or no terminal on
    /// stdin and stdout (a pipe of answers, a screen reader's shell).
    static func wantsPlainMode(_ options: Options, environment: [String: String]) -> Bool {
        let term = environment["TERM"] ?? ""
        return options.accessible || term == "dumb" || term.isEmpty || isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1
    }

    public static func run(_ options: Options) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let backend: ConnectedBackend
        let needsKey: Bool
        let theme: Theme
        do {
            theme = try ThemeLoader.resolve(options.theme, environment: environment)
            let choice = try BackendChoice.from(environment: environment, baseURLOverride: options.baseURL, keyFile: options.keyFile)
            if case .remoteNeedingKey = choice { needsKey = true } else { needsKey = false }
            let logger = Diagnostics.logger(verbose: options.verbose, interactive: true, environment: environment)
            backend = try await ConnectedBackend.connect(choice, logger: logger, environment: environment)
        } catch let error as UsageError {
            printError(error.description)
            return 2
        } catch {
            printError("Could not start: \(error)")
            return 1
        }
        let useColor = environment["NO_COLOR"].map(\.isEmpty) ?? true
        let label = backend.label
        if wantsPlainMode(options, environment: environment) {
            let code = await runPlain(options, backend: backend, needsKey: needsKey)
            await backend.close()
            return code
        }
        let outcome: Result<(Int32, Wizard.State), TerminalSetupError> = await runOnOwnThread {
            let terminal: CursesTerminal
            do {
                terminal = try CursesTerminal(theme: useColor ? theme : .mono, useColor: useColor)
            } catch let error as TerminalSetupError {
                return .failure(error)
            } catch {
                return .failure(TerminalSetupError("Cannot use this terminal: \(error)"))
            }
            let glyphs: Glyphs = terminal.supportsUnicode ? .unicode : .ascii
            var service = backend.service
            var initial = Wizard.State(presetUserId: options.userId, presetAuthConfigId: options.authConfigId)
            if needsKey {
                // No key configured for the chosen service: ask for one, masked, and check it.
                let prompt = KeyPromptRuntime(host: label, terminal: terminal, glyphs: glyphs) { key in backend.service(withKey: key) }
                switch prompt.run() {
                case .success(let (key, project)):
                    service = backend.service(withKey: key)
                    initial.project = project
                case .failure(let status):
                    terminal.restore()
                    return .success((status.code, initial))
                }
            }
            let context = ScreenContext(backendLabel: label, glyphs: glyphs)
            let runtime = WizardRuntime(
                service: service, terminal: terminal, context: context, initialState: initial, retryNotifier: service.retryNotifier)
            let code = runtime.run()
            terminal.restore()
            return .success((code, runtime.state))
        }
        let finalState: (Int32, Wizard.State)
        switch outcome {
        case .success(let result): finalState = result
        case .failure(let error):
            // No usable terminfo: the plain mode needs none.
            printError(error.description + " Continuing in the plain mode.")
            let code = await runPlain(options, backend: backend, needsKey: needsKey)
            await backend.close()
            return code
        }
        await backend.close()
        if case .done(let outcome) = finalState.1.step, case .settled(let account) = outcome.result, account.status == .active {
            print("Connected \(account.id): \(outcome.review.form.config.toolkitSlug) for user \(outcome.review.form.userId.text) (ACTIVE)")
        }
        return finalState.0
    }

    /// The plain mode: a masked line for a missing key, then line prompts.
    static func runPlain(_ options: Options, backend: ConnectedBackend, needsKey: Bool) async -> Int32 {
        let io = PlainIO.standard
        var service = backend.service
        var initial = Wizard.State(presetUserId: options.userId, presetAuthConfigId: options.authConfigId)
        if needsKey {
            while true {
                guard let typed = io.secret("API key for \(backend.label) (ak_..., typing hidden): ") else { return 1 }
                let candidate = backend.service(withKey: Secret(typed.trimmingCharacters(in: .whitespaces)))
                do {
                    initial.project = try await candidate.sessionInfo()
                    service = candidate
                    break
                } catch let error as APIError {
                    io.say("That key did not work: \(error.failure.message) Try again, or Ctrl-C to quit.")
                } catch {
                    io.say("That key could not be checked: \(error)")
                }
            }
        }
        let chosen = service
        let state = initial
        return await runOnOwnThread { PlainRuntime(service: chosen, io: io, initialState: state).run() }
    }

    /// The loop blocks on terminal input, so it gets a thread of its own instead of one of the
    /// few the concurrency pool has.
    static func runOnOwnThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data(("onboard: " + message + "\n").utf8))
    }
}
