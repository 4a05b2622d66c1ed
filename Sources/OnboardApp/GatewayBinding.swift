import ComposioAPI
import Foundation
import OnboardCore
import OnboardProcess
import OnboardStore

/// What the gateway hands the wizard it starts for a session (`onboard gateway session`, which
/// is not for people): the invite and client for the audit trail, where to report the account,
/// and the descriptor the service's key arrives on (never argv or the environment).
package struct GatewayBinding: Sendable {
    package var inviteId: String
    package var peer: String
    package var reportDescriptor: Int32
    /// Absent when the gateway runs on the embedded sandbox, which the session opens itself.
    package var keyDescriptor: Int32?

    package init(inviteId: String, peer: String, reportDescriptor: Int32, keyDescriptor: Int32?) {
        self.inviteId = inviteId
        self.peer = peer
        self.reportDescriptor = reportDescriptor
        self.keyDescriptor = keyDescriptor
    }

    /// The audit trail's actor: the gateway's OS user, acting for this invite from this address.
    var actor: AuditEvent.Actor { .currentUser(inviteId: inviteId, address: peer) }

    /// The service: the gateway's (its key read once from the descriptor), else the sandbox.
    func backendChoice(baseURL: String?, environment: [String: String]) throws -> BackendChoice {
        guard let keyDescriptor else {
            return .embeddedSandbox(databasePath: AppPaths.sandboxDatabase(environment: environment))
        }
        guard let bytes = DescriptorHandOff.readAll(keyDescriptor), !bytes.isEmpty else {
            throw UsageError("The gateway passed no service key.")
        }
        let key = Secret(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        var environment = environment
        environment["COMPOSIO_API_KEY"] = nil
        environment["COMPOSIO_API_KEY_FILE"] = nil
        guard case .remoteNeedingKey(let url) = try BackendChoice.from(environment: environment, baseURLOverride: baseURL ?? "https://backend.composio.dev")
        else { throw UsageError("The gateway passed no service URL.") }
        return .remote(baseURL: url, apiKey: key, keySource: "the gateway")
    }

    /// The gateway, which writes the session's events to its trail and answers once it has.
    var sink: any AuditSink { GatewayAuditSink(descriptor: reportDescriptor) }
}
