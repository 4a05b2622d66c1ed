import ArgumentParser
import Foundation
import OnboardCore
import OnboardFeatures
import OnboardLive
import OnboardProcess

/// `onboard themes`: what `--theme` accepts.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List the colour themes (built in, and yours in $XDG_CONFIG_HOME/onboard/themes).",
        discussion: """
            A theme is a TOML file mapping roles to colours and attributes; copy one from the \
            repository's themes/ directory to start your own.

            Examples:
              onboard themes
              onboard --theme light
              ONBOARD_THEME=high-contrast onboard
              onboard --theme ./my-theme.toml
            """
    )

    func run() throws {
        let themes = ThemeLoader.available()
        let width = themes.map(\.name.count).max() ?? 0
        for theme in themes {
            printOut(
                theme.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + theme.summary + (theme.source == "built in" ? "" : "  (\(theme.source))")
            )
        }
        printOut("\nYour themes go in \(ThemeLoader.userDirectory()); a file there named like a built-in one replaces it.")
    }
}
