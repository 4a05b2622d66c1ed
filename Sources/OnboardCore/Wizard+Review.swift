/// Step 3: the review page; nothing is sent before Enter here.
extension Wizard {
    static func reviewKey(_ state: inout State, _ review: inout Review, _ key: Key) -> [Effect] {
        switch key {
        case .enter:
            guard review.canConnect else {
                if review.existing == .loading {
                    review.connectRequested = true
                    state.step = .review(review)
                }
                return []
            }
            return connect(&state, review)
        case .character("a") where !(review.existing.value ?? []).isEmpty:
            review.choice = .addAnother
            state.step = .review(review)
        case .character("x") where !(review.existing.value ?? []).isEmpty:
            review.choice = .replace
            state.step = .review(review)
        case .character("u") where review.updatableAccount != nil:
            review.choice = .update
            state.step = .review(review)
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

    /// Sends the create request, or asks for a hosted link for redirect-based schemes.
    static func connect(_ state: inout State, _ review: Review) -> [Effect] {
        state.step = .connecting(Connecting(review: review))
        if review.isLink {
            return [.createLink(authConfigId: review.form.config.id, userId: review.form.userId.text.trimmingCharacters(in: .whitespaces))]
        }
        let request = review.form.connectionRequest(validateCredentials: review.validateCredentials)
        if review.choice == .update, let account = review.updatableAccount {
            return [.updateConnection(id: account.id, request)]
        }
        return [.createConnection(request)]
    }

    static func existingAccountsLoaded(_ state: inout State, _ result: Result<[ConnectedAccount], ServiceFailure>) -> [Effect] {
        guard case .review(var review) = state.step, review.existing == .loading else { return [] }
        switch result {
        case .success(let accounts): review.existing = .loaded(accounts)
        case .failure(let failure): review.existing = .failed(failure)
        }
        if review.connectRequested && review.canConnect && review.existing.value?.isEmpty == true {
            review.connectRequested = false
            return connect(&state, review)
        }
        review.connectRequested = false
        state.step = .review(review)
        return []
    }
}

extension Wizard.Review {
    /// The server can check credentials before answering only for API-key schemes.
    public var offersValidation: Bool { form.config.authScheme == .apiKey }
}
