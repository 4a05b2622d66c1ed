import Foundation
import OnboardCore

/// Step 4 while it lasts: the spinner and what is being waited for (the account, or the
/// person approving a hosted link, with the link and its QR code).
enum ConnectingView {
    static func draw(
        _ connecting: Wizard.Connecting, spinner: String, now: Date?, into canvas: inout Canvas, area: Rect, qrCode: QRCodeEncoder = .none
    ) {
        let form = connecting.review.form
        canvas.put("Connecting \(form.config.name) for \(form.userId.text)", x: area.x, y: area.y, role: .title, limit: area.width)
        if connecting.review.isLink {
            guard let link = connecting.link else {
                canvas.put("\(spinner) Creating a hosted connect link", x: area.x, y: area.y + 2, role: .spinner)
                return
            }
            var y = area.y + 2
            canvas.put("Open this link in a browser (or send it to \(form.userId.text)):", x: area.x, y: y, role: .text, limit: area.width)
            y += 2
            for line in chunks(link.redirectURL, width: area.width) {
                let width = canvas.put(line, x: area.x, y: y, role: .accent)
                canvas.link(link.redirectURL, x: area.x, y: y, width: width)
                y += 1
            }
            y += 1
            var status = "\(spinner) Waiting for approval"
            if let expiry = link.expiresAt, let now {
                let seconds = max(0, Int(expiry.timeIntervalSince(now)))
                status += " \(String(format: "%d:%02d", seconds / 60, seconds % 60)) left"
            }
            canvas.put(status, x: area.x, y: y, role: .spinner, limit: area.width)
            y += 2
            // The same link for a phone's camera, when it fits whole below; never cut.
            if let code = qrCode.encode(link.redirectURL) {
                let size = code.drawnSize
                if size.width <= area.width, y + size.height <= area.maxY {
                    code.draw(into: &canvas, x: area.x, y: y)
                }
            }
            return
        }
        if let account = connecting.account {
            canvas.put(
                "\(spinner) Created \(account.id); waiting for ACTIVE (now \(account.status.rawValue))", x: area.x, y: area.y + 2, role: .spinner,
                limit: area.width)
        } else {
            canvas.put("\(spinner) Creating the connected account", x: area.x, y: area.y + 2, role: .spinner)
        }
    }

    /// Splits a long URL into whole lines, so it can be selected and copied.
    static func chunks(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return lines
    }
}
