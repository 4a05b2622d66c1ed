import Foundation

extension Wizard {
    /// Something that happened: a key, a reply from the service, a tick of the clock.
    package enum Event: Equatable, Sendable {
        /// The runtime is ready; the first page starts loading.
        case started
        /// A key was pressed; the page's key map says what it means.
        case keyPressed(Key)
        /// Something the person wants, said without a key (the plain mode's answers).
        case intent(Intent)
        /// A bracketed paste arrived as one piece of text.
        case pasted(String)
        /// A bracketed paste did not arrive whole; nothing of it was kept.
        case pasteCutOff
        /// The animation clock ticked (about ten times a second).
        case tick
        /// No key came for a moment after the last one: lengths that wait for typing catch up.
        case typingPaused
        /// A page of auth configs came back (or failed) for the request made with `cursor`.
        case authConfigsLoaded(cursor: String?, Result<AuthConfigPage, ServiceFailure>)
        /// The toolkit's fields for the chosen scheme came back.
        case fieldsLoaded(Result<[CredentialField], ServiceFailure>)
        /// The create call answered.
        case connectionCreated(Result<ConnectedAccount, ServiceFailure>)
        /// An existing account took the new values in place (then was read back), or not.
        case connectionUpdated(Result<ConnectedAccount, ServiceFailure>)
        /// A status poll answered.
        case connectionPolled(Result<ConnectedAccount, ServiceFailure>)
        /// SIGINT arrived from outside the keyboard (e.g. `kill -INT`); treated as Ctrl-C.
        case interrupted
        /// The wall clock, reported about once a second (countdowns).
        case clockTicked(Date)
        /// Session info answered: the project the key belongs to.
        case sessionLoaded(Result<ProjectInfo, ServiceFailure>)
        /// The user's existing accounts on the chosen auth config came back.
        case existingAccountsLoaded(Result<[ConnectedAccount], ServiceFailure>)
        /// A hosted link was created (redirect-based schemes).
        case linkCreated(Result<HostedLink, ServiceFailure>)
        /// Accounts replaced by the new one were deleted (their ids), or not.
        case accountsDeleted(Result<[String], ServiceFailure>)
        /// The client will retry a request at `until` (rate limit or failure); answers come as usual.
        case retryScheduled(RetryNotice)
        /// A multi-line field's file was read (its content), or could not be.
        case secretFileRead(field: String, Result<Secret, ServiceFailure>)
        /// The key typed at the key prompt was checked: the project it opens, or why not.
        case keyChecked(Result<ProjectInfo, ServiceFailure>)
        /// The gateway said something about the session's operators.
        case assistance(AssistanceEvent)
    }

    /// Something the runtime must do; its result comes back as an ``Event``.
    package enum Effect: Equatable, Sendable {
        /// Fetch a page of auth configs (disabled ones too when asked); answers `.authConfigsLoaded`.
        case loadAuthConfigs(cursor: String?, showDisabled: Bool = false)
        /// Fetch the fields a user provides for `scheme` on `toolkit`; answers `.fieldsLoaded`.
        case loadFields(toolkit: String, scheme: AuthScheme)
        /// Create the connected account; answers `.connectionCreated`.
        case createConnection(ConnectionRequest)
        /// Give an existing account new values in place, then read it; answers `.connectionUpdated`.
        case updateConnection(id: String, ConnectionRequest)
        /// Wait `after`, then read the account; answers `.connectionPolled`.
        case pollConnection(id: String, after: Duration)
        /// Leave the wizard with this exit code.
        case quit(exitCode: Int32)
        /// Read the project the key belongs to; answers `.sessionLoaded`.
        case loadSession
        /// List `userId`'s accounts on the auth config; answers `.existingAccountsLoaded`.
        case loadExistingAccounts(userId: String, authConfigId: String)
        /// Create a hosted link; answers `.linkCreated`.
        case createLink(authConfigId: String, userId: String)
        /// Delete accounts the new one replaces; answers `.accountsDeleted`.
        case deleteAccounts(ids: [String])
        /// Read a field's value from a file (`@path`); answers `.secretFileRead`.
        case readSecretFile(field: String, path: String)
        /// Check a typed API key with session info; on success the runtime uses it from then
        /// on. Answers `.keyChecked`.
        case checkKey(Secret)
        /// Tell the session's operators the customer asks for help (no answer comes back).
        case requestHelp
    }
}
