import ComposioAPI
import OnboardCore
import Synchronization

/// Runs the wizard's effects against the service and posts each result back as an event.
struct EffectRunner: Sendable {
    /// The service effects call: the one given, or the one a key typed at the key prompt opened.
    final class CurrentService: Sendable {
        private let value: Mutex<any ComposioService>
        init(_ service: any ComposioService) { value = Mutex(service) }
        var service: any ComposioService { value.withLock { $0 } }
        func use(_ service: any ComposioService) { value.withLock { $0 = service } }
    }

    let current: CurrentService
    /// The service with another key (the key prompt's), when there is one to ask for.
    let withKey: (@Sendable (Secret) -> any ComposioService)?
    let inbox: EventInbox<Wizard.Event>
    /// What polls wait on.
    let timekeeper: any Timekeeper

    init(
        service: any ComposioService, withKey: (@Sendable (Secret) -> any ComposioService)? = nil, inbox: EventInbox<Wizard.Event>,
        timekeeper: any Timekeeper
    ) {
        self.current = CurrentService(service)
        self.withKey = withKey
        self.inbox = inbox
        self.timekeeper = timekeeper
    }

    var service: any ComposioService { current.service }

    /// Starts the effect in a task; `.quit` is the loop's own (it ends the loop), not work.
    func run(_ effect: Wizard.Effect) -> Task<Void, Never>? {
        let service = self.service
        switch effect {
        case .quit, .requestHelp:
            return nil  // the loop's own
        case .checkKey(let key):
            guard let withKey else {
                inbox.post(.keyChecked(.failure(ServiceFailure(kind: .unauthorized, message: "No key can be asked for here."))))
                return nil
            }
            return Task {
                let candidate = withKey(key)
                let result = await Self.capture { try await candidate.sessionInfo() }
                // The accepted key is the one every later effect uses.
                if case .success = result { current.use(candidate) }
                inbox.post(.keyChecked(result))
            }
        case .loadAuthConfigs(let cursor, let showDisabled):
            return Task {
                let result = await Self.capture { try await service.listAuthConfigs(AuthConfigQuery(showDisabled: showDisabled, cursor: cursor)) }
                inbox.post(.authConfigsLoaded(cursor: cursor, result))
            }
        case .loadFields(let toolkit, let scheme):
            return Task {
                let result = await Self.capture { try await service.connectionFields(toolkit: toolkit, scheme: scheme) }
                inbox.post(.fieldsLoaded(result))
            }
        case .createConnection(let request):
            return Task {
                let result = await Self.capture { try await service.createConnectedAccount(request) }
                inbox.post(.connectionCreated(result))
            }
        case .updateConnection(let id, let request):
            return Task {
                let result = await Self.capture {
                    // Every value entered is sent; the account keeps its id and the values not on the form.
                    _ = try await service.updateConnectedAccount(id: id, scheme: request.authScheme, values: request.values.mapValues { Optional($0) })
                    return try await service.connectedAccount(id: id)
                }
                inbox.post(.connectionUpdated(result))
            }
        case .loadSession:
            return Task {
                inbox.post(.sessionLoaded(await Self.capture { try await service.sessionInfo() }))
            }
        case .loadExistingAccounts(let userId, let authConfigId):
            return Task {
                let result = await Self.capture {
                    try await service.listConnectedAccounts(ConnectedAccountQuery(userIds: [userId], authConfigIds: [authConfigId])).items
                }
                inbox.post(.existingAccountsLoaded(result))
            }
        case .createLink(let authConfigId, let userId):
            return Task {
                let result = await Self.capture { try await service.createLink(authConfigId: authConfigId, userId: userId, callbackURL: nil) }
                inbox.post(.linkCreated(result))
            }
        case .deleteAccounts(let ids):
            return Task {
                let result = await Self.capture {
                    for id in ids { try await service.deleteConnectedAccount(id: id) }
                    return ids
                }
                inbox.post(.accountsDeleted(result))
            }
        case .readSecretFile(let field, let path):
            return Task {
                inbox.post(.secretFileRead(field: field, SecretFile.read(path)))
            }
        case .pollConnection(let id, let delay):
            return Task {
                do { try await timekeeper.sleep(for: delay) } catch { return }
                let result = await Self.capture { try await service.connectedAccount(id: id) }
                inbox.post(.connectionPolled(result))
            }
        }
    }

    /// Turns a thrown error into the failure the wizard shows.
    static func capture<Value>(_ body: () async throws -> Value) async -> Result<Value, ServiceFailure> {
        do {
            return .success(try await body())
        } catch let error as APIError {
            return .failure(error.failure)
        } catch {
            return .failure(ServiceFailure(kind: .network, message: "Unexpected failure: \(type(of: error)).", suggestion: "Try again."))
        }
    }
}
