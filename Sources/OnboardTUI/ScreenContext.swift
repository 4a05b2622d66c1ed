/// What a screen shows besides the wizard's state: where it is connected and how to draw.
public struct ScreenContext: Equatable, Sendable {
    /// Names the backend in the header, e.g. "sandbox 127.0.0.1:40123" or "backend.composio.dev".
    public var backendLabel: String
    public var glyphs: Glyphs

    public init(backendLabel: String, glyphs: Glyphs = .unicode) {
        self.backendLabel = backendLabel
        self.glyphs = glyphs
    }
}
