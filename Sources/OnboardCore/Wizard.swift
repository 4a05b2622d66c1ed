import Foundation

/// The onboarding wizard as a pure state machine: `reduce(&state, event) -> [Effect]`.
///
/// Nothing here performs I/O or reads the clock; the runtime runs the returned effects and feeds
/// their results back as events. Each step's rules live in `Wizard+<Step>.swift`.
package enum Wizard {
    /// The pages a person walks through, in order, for the "Step n of N" header.
    package static let stepTitles = ["Choose an auth config", "Enter credentials", "Review", "Connect"]

    /// How often the runtime polls a connection that is not settled yet.
    package static let pollInterval: Duration = .seconds(1)

    /// How many polls before the wizard gives up waiting (about a minute, as the SDKs do).
    package static let maximumPolls = 60

    /// Polls for a hosted link: a person may take the link's whole ten minutes.
    package static let maximumLinkPolls = 660

    /// The user id the official SDKs use when none is given.
    package static let defaultUserId = "default"
}

extension Wizard {
    /// Everything the wizard knows; the screens are a function of it.
    package struct State: Equatable, Sendable {
        package var step: Step
        /// A user id given up front (`--user-id`), prefilled into the form.
        package var presetUserId: String?
        /// An auth config given up front (`--auth-config`): chosen as soon as it is listed.
        package var presetAuthConfigId: String?
        /// The auth config and user id are fixed (a gateway session for one invite): the list of
        /// configs is never shown, the user id cannot be edited, and leaving the form ends the
        /// session instead of showing other configs.
        package var locked: Bool
        /// What may happen to the user's existing accounts: everything, or (locked to an
        /// invite) what the invite allows.
        package var existingAllowed: Set<ExistingChoice>
        /// The project the key belongs to, once known (for the header).
        package var project: ProjectInfo?
        /// The wall clock as the runtime last reported it (for countdowns).
        package var now: Date?
        /// The service asked to wait (or failed) and a retry is scheduled: why, and until when.
        package var retryNotice: RetryNotice?
        /// True after one Ctrl-C: the next one quits, anything else cancels.
        package var quitArmed: Bool
        /// Advances on each tick while something is in flight, for the spinner.
        package var spinnerFrame: Int
        /// Keys and pastes typed while the page was loading, for the page it lands on.
        package var typeAhead: [Wizard.HeldInput]
        /// A gateway session's operators (nil elsewhere): who watches, their note, help asked.
        package var assistance: Assistance?

        package init(
            step: Step = .configList(ConfigList()), presetUserId: String? = nil, presetAuthConfigId: String? = nil, locked: Bool = false,
            existingAllowed: Set<ExistingChoice> = [.addAnother, .update, .replace], assistance: Assistance? = nil
        ) {
            self.assistance = assistance
            self.step = step
            self.existingAllowed = existingAllowed
            self.locked = locked
            self.presetUserId = presetUserId
            self.presetAuthConfigId = presetAuthConfigId
            self.project = nil
            self.now = nil
            self.retryNotice = nil
            self.quitArmed = false
            self.spinnerFrame = 0
            self.typeAhead = []
        }
    }

    /// Where the person is, with what that page holds.
    package enum Step: Equatable, Sendable {
        /// No key is configured for the chosen service: it is asked for first.
        case keyPrompt(KeyPrompt)
        case configList(ConfigList)
        case credentials(Credentials)
        case review(Review)
        case connecting(Connecting)
        case outcome(Outcome)
        /// A config whose scheme cannot take imported credentials (OAuth): explained, not sent.
        case unsupportedScheme(UnsupportedScheme)
    }
}

extension Wizard.Step {
    /// 1-based position for the header.
    package var number: Int {
        switch self {
        case .keyPrompt, .configList: 1
        case .credentials, .unsupportedScheme: 2
        case .review: 3
        case .connecting, .outcome: 4
        }
    }
}

/// A retry the client scheduled, shown with a countdown so a wait never looks like a hang.
package struct RetryNotice: Equatable, Sendable {
    /// E.g. "The service is rate limiting requests".
    package var reason: String
    package var until: Date

    package init(reason: String, until: Date) {
        self.reason = reason
        self.until = until
    }
}
