import ComposioAPI
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardGateway
import OnboardProcess
import OnboardRuntime
import OnboardStore

/// What the gateway tells the wizard it starts for a session, on descriptor 4 as one JSON
/// object: never argv, where `ps` shows it to every user of the machine and a user id starting
/// with `-` would be read as an option.
package struct SessionDescription: Codable, Sendable, Equatable {
    package var invite: String
    package var authConfig: String
    package var userId: String
    /// The client's address and port.
    package var peer: String
    /// What the session may do with the user's existing accounts.
    package var existing: Invite.ExistingAccounts
    /// The service, when the gateway uses one (its key follows on descriptor 6); absent for the
    /// embedded sandbox, which the session opens itself.
    package var baseURL: String?
    /// The user to become (the gateway runs as root and was given `--session-user`).
    package var user: SessionUser?
    /// Who asked, in the operator's words (or the project's name), shown above the form.
    package var greeting: String?
    /// The gateway's host key fingerprint, for the customer to compare.
    package var hostKey: String?

    enum CodingKeys: String, CodingKey {
        case invite, authConfig = "auth_config", userId = "user_id", peer, existing, baseURL = "base_url", user, greeting
        case hostKey = "host_key"
    }

    package init(
        invite: String, authConfig: String, userId: String, peer: String, existing: Invite.ExistingAccounts, baseURL: String?,
        user: SessionUser? = nil, greeting: String? = nil, hostKey: String? = nil
    ) {
        self.user = user
        self.greeting = greeting
        self.hostKey = hostKey
        self.invite = invite
        self.authConfig = authConfig
        self.userId = userId
        self.peer = peer
        self.existing = existing
        self.baseURL = baseURL
    }

    /// The descriptors a session is handed: its report channel, this description, the line to
    /// its operators, the key.
    package static let reportDescriptor: Int32 = 3
    package static let descriptionDescriptor: Int32 = 4
    package static let operatorDescriptor: Int32 = 5
    package static let keyDescriptor: Int32 = 6

    /// Reads the description the gateway wrote (at most 16 KiB).
    package static func read(from descriptor: Int32 = descriptionDescriptor) throws -> SessionDescription {
        guard let bytes = DescriptorHandOff.readAll(descriptor, limit: 16 << 10), !bytes.isEmpty else {
            throw UsageError("Started by onboard gateway serve only: no session description on descriptor \(descriptor).")
        }
        do {
            return try JSONDecoder().decode(SessionDescription.self, from: Data(bytes))
        } catch {
            throw UsageError("Started by onboard gateway serve only: the session description is not readable.")
        }
    }

    func encoded() throws -> [UInt8] { Array(try JSONEncoder().encode(self)) }
}

/// What the gateway hands the wizard it starts for a session (`onboard gateway session`, which
/// is not for people): the invite and client for the audit trail, where to report the account,
/// and the descriptor the service's key arrives on (never argv or the environment).
package struct GatewayBinding: Sendable {
    package var description: SessionDescription
    package var reportDescriptor: Int32
    /// Absent when the gateway runs on the embedded sandbox, which the session opens itself.
    package var keyDescriptor: Int32?

    package init(description: SessionDescription, reportDescriptor: Int32 = SessionDescription.reportDescriptor) {
        self.description = description
        self.reportDescriptor = reportDescriptor
        self.keyDescriptor = description.baseURL == nil ? nil : SessionDescription.keyDescriptor
    }

    package var inviteId: String { description.invite }
    package var peer: String { description.peer }

    /// The audit trail's actor: the gateway's OS user, acting for this invite from this address.
    var actor: AuditEvent.Actor { .currentUser(inviteId: inviteId, address: peer) }

    /// The service: the gateway's (its key read once from the descriptor), else the sandbox.
    func backendChoice(environment: [String: String]) throws -> BackendChoice {
        guard let keyDescriptor, let baseURL = description.baseURL else {
            return .embeddedSandbox(databasePath: AppPaths.sandboxDatabase(environment: environment))
        }
        guard let bytes = DescriptorHandOff.readAll(keyDescriptor), !bytes.isEmpty else {
            throw UsageError("The gateway passed no service key.")
        }
        let key = Secret(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        var environment = environment
        environment["COMPOSIO_API_KEY"] = nil
        environment["COMPOSIO_API_KEY_FILE"] = nil
        guard case .remoteNeedingKey(let url) = try BackendChoice.from(environment: environment, baseURLOverride: baseURL)
        else { throw UsageError("The gateway passed no service URL.") }
        return .remote(baseURL: url, apiKey: key, keySource: "the gateway")
    }

    /// The gateway, which writes the session's events to its trail and answers once it has.
    var sink: any AuditSink { GatewayAuditSink(descriptor: reportDescriptor) }

    /// The line to the operators who may watch this session.
    var operators: any OperatorLink { GatewayOperatorLink(descriptor: SessionDescription.operatorDescriptor) }

    /// The customer's view of who asked and where they are: the greeting and the host key.
    var assistance: Wizard.Assistance { Wizard.Assistance(greeting: description.greeting, hostKey: description.hostKey) }

    /// What the session may reach on this machine: the system's read-only data, and with the
    /// embedded sandbox its database's three files (the gateway keeps them in being) and the key
    /// it seals credentials with, nothing else: not the data directory they sit in, which holds
    /// the gateway's host key.
    package func confinement(environment: [String: String]) -> SessionConfinement {
        var readable = SessionConfinement.systemReadable(terminfo: TerminalName.directories, environment: environment)
        guard description.baseURL == nil else { return SessionConfinement(readable: readable, writable: []) }
        let database = AppPaths.sandboxDatabase(environment: environment)
        readable.append(database + ".key")
        return SessionConfinement(readable: readable, writable: [database, database + "-wal", database + "-shm"])
    }

    /// Reads the gateway's description and confines this process before anything else runs.
    package static func startSession(environment: [String: String] = ProcessEnvironment.current()) throws -> GatewayBinding {
        let binding = GatewayBinding(description: try SessionDescription.read())
        if let user = binding.description.user, !user.become() {
            throw CommandFailure("The session could not become its own user; it does not start as root.")
        }
        switch binding.confinement(environment: environment).apply() {
        case .confined, .withoutLandlock:
            return binding
        case .failed(let why):
            throw CommandFailure("The session could not confine itself (\(why)); it does not start unconfined.")
        }
    }
}
