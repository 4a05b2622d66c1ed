import ComposioAPI
import Foundation
import OnboardCore
import OnboardTUI

/// Runs the masked key prompt on the terminal until a key is accepted or the person quits.
/// Each candidate key is checked with session info through `makeService`.
package final class KeyPromptRuntime {
    private let terminal: any TerminalDevice
    private let glyphs: Glyphs
    private let makeService: @Sendable (Secret) -> any ComposioService
    private let inbox = EventInbox<KeyPrompt.Event>()
    package private(set) var state: KeyPrompt.State
    private var candidate: Secret?
    /// The clock typing pauses are measured on.
    private let timekeeper: any Timekeeper

    package init(
        host: String, terminal: any TerminalDevice, glyphs: Glyphs, timekeeper: any Timekeeper = SystemTimekeeper(),
        makeService: @escaping @Sendable (Secret) -> any ComposioService
    ) {
        self.terminal = terminal
        self.timekeeper = timekeeper
        self.glyphs = glyphs
        self.makeService = makeService
        self.state = KeyPrompt.State(host: host)
    }

    /// The accepted key and its project, or the exit code to leave with.
    package func run() -> Result<(Secret, ProjectInfo), ExitStatus> {
        var lastFrame: Canvas?
        var typing = TypingPause()
        while true {
            if let project = state.accepted, let key = candidate { return .success((key, project)) }
            if let code = state.exitCode { return .failure(ExitStatus(code: code)) }
            let size = terminal.size
            let frame = KeyPromptView.render(state, glyphs: glyphs, width: size.width, height: size.height)
            if frame != lastFrame {
                terminal.draw(frame)
                lastFrame = frame
            }
            switch terminal.takeSignal() {
            case .interrupt?: dispatch(.interrupted)
            case .terminate?: return .failure(ExitStatus(code: 143))
            case .hangup?: return .failure(ExitStatus(code: 129))
            case .suspend?:
                terminal.suspend()
                lastFrame = nil
            case nil: break
            }
            switch terminal.readInput() {
            case .key(let key) where key == Wizard.suspendKey:
                terminal.suspend()
                lastFrame = nil
            case .key(let key):
                typing.keyPressed(at: timekeeper.now)
                dispatch(.keyPressed(key))
            case .paste(let text): dispatch(.pasted(text))
            case .pasteCutOff: dispatch(.pasteCutOff)
            case .resize: lastFrame = nil
            case nil: if typing.isDue(at: timekeeper.now) { dispatch(.typingPaused) }
            }
            for event in inbox.drain() { dispatch(event) }
        }
    }

    private func dispatch(_ event: KeyPrompt.Event) {
        for effect in KeyPrompt.reduce(&state, event) {
            switch effect {
            case .check(let key):
                candidate = key
                let service = makeService(key)
                let inbox = inbox
                Task { inbox.post(.checked(await EffectRunner.capture { try await service.sessionInfo() })) }
            }
        }
    }
}

/// How the process should exit when a front end ends without finishing.
package struct ExitStatus: Error {
    package var code: Int32
}
