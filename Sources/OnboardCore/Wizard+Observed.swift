/// What an operator watching a gateway session is shown: the customer's state with every
/// secret input masked and reveal forced off, any plain input whose value looks like a key
/// masked too (a key typed into the wrong field), and nothing held of keys typed ahead. The
/// operator's screen is drawn from this, never from the customer's terminal.
extension Wizard.State {
    package var observed: Wizard.State {
        var copy = self
        copy.typeAhead = []
        copy.step = step.observed
        return copy
    }
}

extension Wizard.Step {
    var observed: Wizard.Step {
        switch self {
        case .keyPrompt(var prompt):
            prompt.input = prompt.input.observed
            return .keyPrompt(prompt)
        case .configList(let list): return .configList(list.observed)
        case .credentials(let form): return .credentials(form.observed)
        case .review(let review): return .review(review.observed)
        case .connecting(var connecting):
            connecting.review = connecting.review.observed
            return .connecting(connecting)
        case .outcome(var outcome):
            outcome.review = outcome.review.observed
            return .outcome(outcome)
        case .unsupportedScheme(var page):
            page.list = page.list.observed
            return .unsupportedScheme(page)
        }
    }
}

extension Wizard.ConfigList {
    var observed: Wizard.ConfigList {
        var copy = self
        copy.filter = filter.observed
        return copy
    }
}

extension Wizard.Credentials {
    var observed: Wizard.Credentials {
        var copy = self
        copy.list = list.observed
        copy.userId = userId.observed
        if case .loaded(let entries) = entries {
            copy.entries = .loaded(
                entries.map { entry in
                    var entry = entry
                    switch entry.input {
                    case .secret(let input): entry.input = .secret(input.observed)
                    case .text(let input): entry.input = .text(input.observed)
                    }
                    return entry
                })
        }
        return copy
    }
}

extension Wizard.Review {
    var observed: Wizard.Review {
        var copy = self
        copy.form = form.observed
        return copy
    }
}

extension SecretInput {
    /// As many placeholder characters as the customer's screen shows bullets, never revealed.
    var observed: SecretInput {
        var copy = SecretInput(Secret(String(repeating: "•", count: shownCount)), keepsLineBreaks: keepsLineBreaks)
        copy.isRevealed = false
        return copy
    }
}

extension TextInput {
    /// The value, unless it looks like a key: then one bullet per character.
    var observed: TextInput {
        SecretLikeness.looksSecret(text) ? TextInput(String(repeating: "•", count: text.count)) : self
    }
}

/// Whether a value typed into a plain input looks like a credential. It errs towards masking:
/// an operator seeing bullets for a long id loses little; seeing a key is the harm this stops.
package enum SecretLikeness {
    /// Prefixes keys commonly start with (OpenAI, Stripe, GitHub, Slack, AWS, Google, JWTs ...).
    static let prefixes = ["sk-", "sk_", "pk_", "rk_", "tvly-", "ghp_", "gho_", "ghs_", "github_pat_", "xox", "akia", "aiza", "eyj", "glpat-", "shpat_"]

    package static func looksSecret(_ text: String) -> Bool {
        for token in text.split(whereSeparator: { $0.isWhitespace }) {
            let lower = token.lowercased()
            if token.count >= 8, prefixes.contains(where: { lower.hasPrefix($0) }) { return true }
            let letters = token.contains { $0.isLetter }
            let digits = token.contains { $0.isNumber }
            if token.count >= 16, letters, digits, !token.contains("@") { return true }
            if token.count >= 24, !token.contains("@"), !token.contains(".") { return true }
        }
        return false
    }
}
