/// What a piece of text is, not how it looks: themes map roles to colours and attributes.
package enum StyleRole: String, CaseIterable, Sendable, Hashable {
    case text
    case muted
    case title
    case header
    case headerAccent
    case border
    case accent
    case selected
    case label
    case input
    case inputFocused
    case placeholder
    case help
    case error
    case success
    case warning
    case keyName
    case keyLabel
    case spinner
    /// A QR code: dark modules in the foreground, light in the background, in every theme.
    case qrCode
}
