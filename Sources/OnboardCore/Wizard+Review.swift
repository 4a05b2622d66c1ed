/// Step 3: the review page; nothing is sent before Enter here.
extension Wizard {
    static func reviewKey(_ state: inout State, _ review: inout Review, _ key: Key) -> [Effect] {
        switch key {
        case .enter:
            return connect(&state, review)
        case .escape, .backTab:
            state.step = .credentials(review.form)
        case .character("v") where review.offersValidation:
            review.validateCredentials.toggle()
            state.step = .review(review)
        case .character("q"):
            return finish(&state, exitCode: 1)
        default:
            break
        }
        return []
    }

    /// Sends the create request.
    static func connect(_ state: inout State, _ review: Review) -> [Effect] {
        state.step = .connecting(Connecting(review: review))
        return [.createConnection(review.form.connectionRequest(validateCredentials: review.validateCredentials))]
    }
}

extension Wizard.Review {
    /// The server can check credentials before answering only for API-key schemes.
    public var offersValidation: Bool { form.config.authScheme == .apiKey }
}
