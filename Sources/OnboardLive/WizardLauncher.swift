import ComposioAPI
import Foundation
import OnboardCore
import OnboardCurses
import OnboardFeatures
import OnboardRuntime
import OnboardStore
import OnboardTUI
import Synchronization

/// Starts the interactive wizard: picks the backend, takes the terminal, runs the loop,
/// gives the terminal back, and prints a one-line result that stays in scrollback.
package enum WizardLauncher {
    package struct Options: Sendable {
        package var userId: String?
        package var authConfigId: String?
        package var baseURL: String?
        package var keyFile: String?
        package var verbose: Bool
        /// `--theme NAME|PATH`; nil for `ONBOARD_THEME` or the default.
        package var theme: String?
        /// `--accessible`: line prompts instead of the full screen.
        package var accessible: Bool
        /// `--audit-log PATH`.
        package var auditLog: String?
        /// Set when the gateway started this wizard for an invite: the auth config and user id
        /// are then fixed, and the account is reported to the gateway.
        package var session: GatewayBinding?
        package init(
            userId: String? = nil, authConfigId: String? = nil, baseURL: String? = nil, keyFile: String? = nil, verbose: Bool = false,
            theme: String? = nil, accessible: Bool = false, auditLog: String? = nil, session: GatewayBinding? = nil
        ) {
            self.session = session
            self.auditLog = auditLog
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

    /// How a full-screen run ended.
    enum ScreenOutcome: Sendable {
        case finished(code: Int32, state: Wizard.State)
        /// curses could not take this terminal: the plain mode takes over.
        case terminalUnusable(TerminalSetupError)
        /// The backend did not start; the terminal is already given back.
        case backendFailed(String)
    }

    package static func run(_ options: Options) async -> Int32 {
        let environment = ProcessEnvironment.current()
        let choice: BackendChoice
        let theme: Theme
        let audit: (any AuditSink)?
        do {
            // A gateway session's events go to the gateway, which keeps the trail.
            if let session = options.session {
                audit = session.sink
            } else {
                audit = try await AuditSettings.sink(path: options.auditLog, environment: environment)
            }
            theme = try ThemeLoader.resolve(options.theme, environment: environment)
            if let session = options.session {
                choice = try session.backendChoice(environment: environment)
            } else {
                choice = try BackendChoice.from(environment: environment, baseURLOverride: options.baseURL, keyFile: options.keyFile)
            }
        } catch let error as UsageError {
            printError(error.description)
            return 2
        } catch {
            printError("Could not start: \(error)")
            return 1
        }
        let needsKey: Bool
        if case .remoteNeedingKey = choice { needsKey = true } else { needsKey = false }
        let logger = Diagnostics.logger(verbose: options.verbose, interactive: true, environment: environment)
        // The backend starts (the embedded sandbox opens its database) while the first frame draws.
        let starting = Task { try await ConnectedBackend.connect(choice, logger: logger, environment: environment) }
        let useColor = environment["NO_COLOR"].map(\.isEmpty) ?? true
        let label = choice.label
        var outcome: ScreenOutcome = .terminalUnusable(TerminalSetupError("The plain mode was asked for."))
        if !wantsPlainMode(options, environment: environment) {
            outcome = await OwnThread.run {
                let terminal: CursesTerminal
                do {
                    terminal = try CursesTerminal(theme: useColor ? theme : .mono, useColor: useColor)
                } catch let error as TerminalSetupError {
                    return .terminalUnusable(error)
                } catch {
                    return .terminalUnusable(TerminalSetupError("Cannot use this terminal: \(error)"))
                }
                let glyphs: Glyphs = terminal.supportsUnicode ? .unicode : .ascii
                let context = ScreenContext(backendLabel: label, glyphs: glyphs, qrCode: LibQREncode.encoder)
                var initial = options.initialState
                // The list's loading page, drawn before the backend is ready.
                var firstFrame = initial
                firstFrame.step = .configList(Wizard.ConfigList(configs: .loading))
                let size = terminal.size
                terminal.draw(WizardView.render(firstFrame, context: context, width: size.width, height: size.height))
                let backend: ConnectedBackend
                switch waitBlocking(starting) {
                case .success(let started): backend = started
                case .failure(let error):
                    terminal.restore()
                    return .backendFailed(Self.describe(error))
                }
                // No key configured for the chosen service: the wizard asks for one first, masked.
                if needsKey { initial.step = .keyPrompt(Wizard.KeyPrompt(host: label)) }
                let actor = options.actor
                let runtime = WizardRuntime(
                    service: backend.service(audit: audit, client: backend.service, actor: actor), terminal: terminal, context: context,
                    initialState: initial, retryNotifier: backend.service.retryNotifier,
                    withKey: needsKey ? keyedService(backend, audit: audit, actor: actor) : nil, operators: options.session?.operators)
                let code = runtime.run()
                terminal.restore()
                return .finished(code: code, state: runtime.state)
            }
        }
        let backend: ConnectedBackend
        do {
            backend = try await starting.value
        } catch {
            printError(Self.describe(error))
            return error is UsageError ? 2 : 1
        }
        switch outcome {
        case .backendFailed(let message):
            // Not reached in practice: a failed start already threw above.
            printError(message)
            await backend.close()
            return 1
        case .terminalUnusable(let error):
            // No terminal, TERM=dumb, or no usable terminfo: the plain mode needs none.
            if !wantsPlainMode(options, environment: environment) { printError(error.description + " Continuing in the plain mode.") }
            let code = await runPlain(options, backend: backend, needsKey: needsKey, audit: audit)
            await backend.close()
            return code
        case .finished(let code, let state):
            await backend.close()
            if case .outcome(let outcome) = state.step, case .settled(let account) = outcome.result, account.status == .active {
                CommandOutput.standard.out(
                    (outcome.review.choice == .update ? "Updated " : "Connected ")
                        + "\(account.id): \(outcome.review.form.config.toolkitSlug) for user \(outcome.review.form.userId.text) (ACTIVE)")
            }
            return code
        }
    }

    static func describe(_ error: any Error) -> String {
        if let usage = error as? UsageError { return usage.description }
        return "Could not start: \(error)"
    }

    /// Waits on this (non-async) thread for a task started elsewhere.
    static func waitBlocking<Value: Sendable>(_ task: Task<Value, any Error>) -> Result<Value, any Error> {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Result<Value, any Error>?>(nil)
        Task {
            let value = await task.result
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    /// The service with a key typed at the key prompt, audited as the first one is.
    static func keyedService(_ backend: ConnectedBackend, audit: (any AuditSink)?, actor: AuditEvent.Actor) -> @Sendable (Secret) -> any ComposioService {
        { key in backend.service(audit: audit, client: backend.service(withKey: key), actor: actor) }
    }

    /// The plain mode: the same wizard on line prompts (a missing key is its first question).
    static func runPlain(_ options: Options, backend: ConnectedBackend, needsKey: Bool, audit: (any AuditSink)?) async -> Int32 {
        let io = PlainIO.standard
        var initial = options.initialState
        if needsKey { initial.step = .keyPrompt(Wizard.KeyPrompt(host: backend.label)) }
        let actor = options.actor
        let chosen = backend.service(audit: audit, client: backend.service, actor: actor)
        let withKey = needsKey ? keyedService(backend, audit: audit, actor: actor) : nil
        let state = initial
        let retries = backend.service.retryNotifier
        let operators = options.session?.operators
        return await OwnThread.run {
            PlainRuntime(service: chosen, io: io, initialState: state, retryNotifier: retries, withKey: withKey, operators: operators).run()
        }
    }
}

extension Invite.ExistingAccounts {
    /// The wizard's choice this policy allows up to.
    var choice: Wizard.ExistingChoice {
        switch self {
        case .add: .addAnother
        case .update: .update
        case .replace: .replace
        }
    }
}

extension WizardLauncher.Options {
    /// The wizard's first state: presets from the flags, locked to them in a gateway session.
    var initialState: Wizard.State {
        Wizard.State(
            presetUserId: userId, presetAuthConfigId: authConfigId, locked: session != nil,
            existingAllowed: Wizard.ExistingChoice.allowed(upTo: session?.description.existing.choice ?? .replace), assistance: session?.assistance)
    }

    /// Who the audit trail says acted.
    var actor: AuditEvent.Actor { session?.actor ?? .currentUser }
}
