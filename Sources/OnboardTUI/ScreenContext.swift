/// What a screen shows besides the wizard's state: where it is connected and how to draw.
package struct ScreenContext: Equatable, Sendable {
    /// Names the backend in the header, e.g. "sandbox 127.0.0.1:40123" or "backend.composio.dev".
    package var backendLabel: String
    package var glyphs: Glyphs
    /// Draws a hosted link as a QR code too, where the window has room (never with ASCII glyphs).
    package var qrCode: QRCodeEncoder

    package init(backendLabel: String, glyphs: Glyphs = .unicode, qrCode: QRCodeEncoder = .none) {
        self.backendLabel = backendLabel
        self.glyphs = glyphs
        self.qrCode = qrCode
    }

    package static func == (lhs: ScreenContext, rhs: ScreenContext) -> Bool {
        lhs.backendLabel == rhs.backendLabel && lhs.glyphs == rhs.glyphs
    }
}
