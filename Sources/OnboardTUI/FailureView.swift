import OnboardCore

/// A service failure as a person reads it: what happened, the server's words, what to do.
enum FailureView {
    @discardableResult
    static func draw(_ failure: ServiceFailure, title: String, into canvas: inout Canvas, x: Int, y: Int, width: Int, glyphs: Glyphs) -> Int {
        var row = y
        canvas.put("\(glyphs.cross) \(title)", x: x, y: row, role: .error)
        row += 2
        row += WizardView.wrap(failure.message, into: &canvas, x: x, y: row, width: width, maxRows: 4, role: .text)
        if let suggestion = failure.suggestion {
            row += 1
            row += WizardView.wrap(suggestion, into: &canvas, x: x, y: row, width: width, maxRows: 3, role: .help)
        }
        if let requestId = failure.requestId {
            row += 1
            canvas.put("request id \(requestId)", x: x, y: row, role: .muted)
            row += 1
        }
        return row - y
    }
}

/// What a page shows for data it is still waiting for, or that failed to come.
enum LoadableView {
    /// Draws the spinner line or the failure for `loadable`, and returns its value once loaded.
    static func value<Value>(
        _ loadable: Loadable<Value>, loading: String, failed title: String, spinner: String,
        into canvas: inout Canvas, x: Int, y: Int, width: Int, glyphs: Glyphs
    ) -> Value? {
        switch loadable {
        case .idle, .loading:
            canvas.put("\(spinner) \(loading)\(glyphs.ellipsis)", x: x, y: y, role: .spinner, limit: width)
            return nil
        case .failed(let failure):
            FailureView.draw(failure, title: title, into: &canvas, x: x, y: y, width: width, glyphs: glyphs)
            return nil
        case .loaded(let value):
            return value
        }
    }
}
