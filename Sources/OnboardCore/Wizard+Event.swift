extension Wizard {
    /// Something that happened: a key, a reply from the service, a tick of the clock.
    public enum Event: Equatable, Sendable {
        /// The runtime is ready; the first page starts loading.
        case started
        /// A key was pressed.
        case keyPressed(Key)
        /// A bracketed paste arrived as one piece of text.
        case pasted(String)
        /// The animation clock ticked (about ten times a second).
        case tick
        /// A page of auth configs came back (or failed) for the request made with `cursor`.
        case authConfigsLoaded(cursor: String?, Result<AuthConfigPage, ServiceFailure>)
        /// The toolkit's fields for the chosen scheme came back.
        case fieldsLoaded(Result<[CredentialField], ServiceFailure>)
        /// The create call answered.
        case connectionCreated(Result<ConnectedAccount, ServiceFailure>)
        /// A status poll answered.
        case connectionPolled(Result<ConnectedAccount, ServiceFailure>)
        /// SIGINT arrived from outside the keyboard (e.g. `kill -INT`); treated as Ctrl-C.
        case interrupted
    }

    /// Something the runtime must do; its result comes back as an ``Event``.
    public enum Effect: Equatable, Sendable {
        /// Fetch a page of enabled auth configs; answers `.authConfigsLoaded`.
        case loadAuthConfigs(cursor: String?)
        /// Fetch the fields a user provides for `scheme` on `toolkit`; answers `.fieldsLoaded`.
        case loadFields(toolkit: String, scheme: AuthScheme)
        /// Create the connected account; answers `.connectionCreated`.
        case createConnection(ConnectionRequest)
        /// Wait `after`, then read the account; answers `.connectionPolled`.
        case pollConnection(id: String, after: Duration)
        /// Leave the wizard with this exit code.
        case quit(exitCode: Int32)
    }
}
