import OnboardCore

/// A config whose scheme cannot take typed credentials (OAuth), or that names none: why not, and
/// what to choose instead.
enum UnsupportedSchemeView {
    static func draw(_ page: Wizard.UnsupportedScheme, into canvas: inout Canvas, area: Rect) {
        let scheme = page.config.authScheme?.rawValue ?? "no auth scheme"
        canvas.put("\(page.config.name) uses \(scheme)", x: area.x, y: area.y, role: .title, limit: area.width)
        let text =
            page.config.authScheme == nil
            ? "The service did not say which auth scheme this config uses, so onboard cannot tell which fields to ask for."
            : "Tokens for redirect-based schemes cannot be imported: the user has to approve access in a browser through a hosted connect link. Choose an API key, bearer token or basic auth config here instead."
        WizardView.wrap(text, into: &canvas, x: area.x, y: area.y + 2, width: area.width, maxRows: 6, role: .text)
    }
}
