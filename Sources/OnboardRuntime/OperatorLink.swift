import OnboardCore
import OnboardTUI

/// A gateway session's line to the operators who may watch it. The runtime draws each change
/// of the masked state (``Wizard/State/observed``) at every size an operator watches at and
/// hands the frames over; what the operators say comes back as events.
package protocol OperatorLink: AnyObject, Sendable {
    /// The window sizes operators watch at now; empty while nobody watches (nothing is drawn).
    var sizes: [(columns: Int, rows: Int)] { get }
    /// Starts delivering what the operators say (`deliver` is called from another thread).
    func start(deliver: @escaping @Sendable (Wizard.Event) -> Void)
    /// The screen for one size, drawn from the masked state.
    func publish(_ frame: Canvas)
    /// The customer asked for help.
    func requestHelp()
}

/// Draws the frames operators watch: only when the masked state or their sizes changed, so a
/// keystroke that changes nothing they may see (a secret's next character, before the count
/// settles) costs them nothing.
struct OperatorFrames {
    private var last: (state: Wizard.State, sizes: [String])?

    mutating func publish(_ state: Wizard.State, to link: any OperatorLink, context: ScreenContext) {
        let sizes = link.sizes
        guard !sizes.isEmpty else {
            last = nil
            return
        }
        let observed = state.observed
        let keys = sizes.map { "\($0.columns)x\($0.rows)" }
        if let last, last.state == observed, last.sizes == keys { return }
        last = (observed, keys)
        for size in sizes {
            link.publish(WizardView.render(observed, context: context, width: size.columns, height: size.rows))
        }
    }
}
