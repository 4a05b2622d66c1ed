import ComposioAPI
import Foundation
import OnboardCore

/// `onboard connect`: one account from flags and a secrets file or stdin, for scripts.
package enum ConnectAction {
    /// What to do when the user already has an account on the auth config.
    package enum ExistingPolicy: Sendable {
        /// Stop and say so (the default: a script should not add a second account by accident).
        case refuse
        /// Delete the old accounts once the new one is ACTIVE.
        case replace
        /// Keep them and add another.
        case allowMultiple
    }

    package struct Options: Sendable {
        package var authConfigId: String
        package var userId: String
        /// Non-secret values from `--field NAME=VALUE`.
        package var fields: [String: String]
        package var secrets: SecretSource?
        package var validate: Bool
        package var existing: ExistingPolicy
        package var wait: Bool
        package var timeout: Duration
        /// `--alias`: a name for the new account.
        package var alias: String?

        package init(
            authConfigId: String, userId: String, fields: [String: String] = [:], secrets: SecretSource? = nil, validate: Bool = false,
            existing: ExistingPolicy = .refuse, wait: Bool = true, timeout: Duration = .seconds(60), alias: String? = nil
        ) {
            self.alias = alias
            self.authConfigId = authConfigId
            self.userId = userId
            self.fields = fields
            self.secrets = secrets
            self.validate = validate
            self.existing = existing
            self.wait = wait
            self.timeout = timeout
        }
    }

    /// Splits `--field NAME=VALUE` arguments; the error names the argument's position only.
    package static func parseFields(_ arguments: [String]) throws -> [String: String] {
        var fields: [String: String] = [:]
        for (index, argument) in arguments.enumerated() {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw UsageError("--field number \(index + 1) is not NAME=VALUE.")
            }
            let name = String(argument[..<equals])
            guard fields[name] == nil else { throw UsageError("--field \(name) is given twice.") }
            fields[name] = String(argument[argument.index(after: equals)...])
        }
        return fields
    }

    /// What happens while `run` waits, for the command to tell the person.
    package enum Progress: Sendable {
        /// A hosted link to open (redirect-based schemes).
        case link(String)
        /// Waiting for the person to approve, up to the timeout.
        case waitingForApproval(Duration)
    }

    /// The account as it settled (or stood when the wait ended), and what it replaced.
    package struct Connected: Sendable {
        package var account: ConnectedAccount
        /// Old accounts deleted because this one became ACTIVE.
        package var replaced: [String]
        /// The wait ended before the account settled.
        package var timedOut: Bool
    }

    package static func run(
        _ service: any ComposioService, _ options: Options, clock: any Timekeeper = SystemTimekeeper(),
        progress: @escaping @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Connected {
        if let problem = Validation.problem(userId: options.userId) { throw UsageError("--user-id: \(problem)") }
        let (config, scheme, fields) = try await ServiceCommands.userFields(service, authConfigId: options.authConfigId)
        let existing = try await AccountConnector.liveAccounts(service, authConfigId: config.id, userId: options.userId)
        if !existing.isEmpty && options.existing == .refuse {
            let list = existing.map { "\($0.id) (\($0.status.rawValue))" }.joined(separator: ", ")
            throw CommandFailure(
                "\(options.userId) already has \(existing.count == 1 ? "an account" : "\(existing.count) accounts") on \(config.id): \(list). "
                    + "Pass --replace to replace \(existing.count == 1 ? "it" : "them") (deleted once the new one is ACTIVE) or --allow-multiple to add another."
            )
        }
        let replacing = options.existing == .replace ? existing.map(\.id) : []
        let connector = AccountConnector(service: service, timeout: options.timeout, clock: clock)
        let outcome: AccountConnector.Outcome
        if scheme.isRedirectBased {
            outcome = try await connectThroughLink(
                service, connector, config: config, scheme: scheme, options: options, replacing: replacing, progress: progress)
        } else {
            let values = try values(for: fields, options: options)
            var request = ConnectionRequest(authConfigId: config.id, userId: options.userId, authScheme: scheme, values: values)
            request.validateCredentials = options.validate
            request.alias = options.alias
            outcome = try await connector.connect(request, toolkit: config.toolkitSlug, replacing: replacing, wait: options.wait)
        }
        return Connected(account: outcome.account, replaced: outcome.replaced, timedOut: outcome.timedOut)
    }

    /// The values to send: `--field` for plain ones, the secrets source for the rest, defaults
    /// for what is left; refuses secrets on argv, unknown names and missing required fields.
    static func values(for fields: [CredentialField], options: Options) throws -> [String: Secret] {
        let known = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
        let names = fields.map(\.name).joined(separator: ", ")
        for name in options.fields.keys.sorted() {
            guard let field = known[name] else { throw UsageError("--field \(name): this auth config has no such field (its fields: \(names)).") }
            if field.isSecret {
                throw UsageError("\(name) is a secret: pass it in --secrets-file PATH or --secrets-stdin, never on the command line.")
            }
        }
        let entries = try options.secrets?.entries() ?? []
        for entry in entries where known[entry.name] == nil {
            throw UsageError(
                "The name on \(entry.place) of the secrets is not a field of this auth config (its fields: \(names)). Each line is NAME=VALUE.")
        }
        let secrets = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.value) })
        var values: [String: Secret] = [:]
        var missing: [String] = []
        for field in fields {
            let given = secrets[field.name] ?? options.fields[field.name].map(Secret.init)
            if let value = field.resolvedValue(given) {
                if let problem = value.withRevealedValue({ field.jsonProblem($0) }) { throw UsageError(problem) }
                values[field.name] = value
            } else if field.isRequired {
                missing.append(field.isSecret ? "\(field.name) (secret: --secrets-file or --secrets-stdin)" : "\(field.name) (--field \(field.name)=...)")
            }
        }
        guard missing.isEmpty else { throw UsageError("Missing required \(missing.count == 1 ? "field" : "fields"): \(missing.joined(separator: ", ")).") }
        return values
    }

    /// Redirect-based schemes: a hosted link for the person to open, then polled.
    static func connectThroughLink(
        _ service: any ComposioService, _ connector: AccountConnector, config: AuthConfigSummary, scheme: AuthScheme, options: Options,
        replacing: [String], progress: @Sendable (Progress) -> Void
    ) async throws -> AccountConnector.Outcome {
        if !options.fields.isEmpty || options.secrets != nil {
            throw UsageError(
                "\(config.id) uses \(scheme.rawValue): its tokens cannot be imported. Drop --field and the secrets; the user approves through a link.")
        }
        let link = try await service.createLink(authConfigId: config.id, userId: options.userId, callbackURL: nil, alias: options.alias)
        progress(.link(link.redirectURL))
        let account = ConnectedAccount(
            id: link.connectedAccountId, status: .initiated, toolkitSlug: config.toolkitSlug, authConfigId: config.id, userId: options.userId,
            redirectURL: link.redirectURL)
        guard options.wait else { return AccountConnector.Outcome(account: account, replaced: [], timedOut: false) }
        progress(.waitingForApproval(options.timeout))
        var outcome = try await connector.settleAndReplace(account, replacing: replacing)
        outcome.account.redirectURL = link.redirectURL
        return outcome
    }

    /// Why the command failed, when the account is not ACTIVE (or, with `--no-wait`, already
    /// failed); nil when it did not.
    package static func failure(_ connected: Connected, options: Options) -> String? {
        let account = connected.account
        if account.status == .active || (!options.wait && !account.status.isTerminalFailure) { return nil }
        var message = "\(account.id) is \(account.status.rawValue)"
        if let reason = account.statusReason, !reason.isEmpty { message += ": \(reason)" }
        if connected.timedOut {
            message += " after \(Int(options.timeout.components.seconds)) s. It may still settle: onboard accounts get \(account.id)"
        } else if account.status.isTerminalFailure {
            message += ". Check the values and run again"
            if !connected.replaced.isEmpty || options.existing == .replace { message += "; nothing was replaced" }
        }
        return message + "."
    }
}
