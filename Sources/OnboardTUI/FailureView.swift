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
