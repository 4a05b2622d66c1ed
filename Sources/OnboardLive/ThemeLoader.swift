import Foundation
import OnboardCore
import OnboardFeatures
import OnboardFiles
import OnboardTUI

/// Finds the theme to use: `--theme NAME|PATH`, else `ONBOARD_THEME`, else the default. A name
/// is looked up in the user's theme directory first (so a bundled theme can be overridden), then
/// among the bundled ones; anything with a `/` or ending in `.toml` is a path.
package enum ThemeLoader {
    package static func resolve(_ requested: String?, environment: [String: String] = ProcessEnvironment.current()) throws -> Theme {
        let choice = requested ?? environment["ONBOARD_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        // The standard library's contains and access(2): Foundation's string search and
        // FileManager cost more than the rest of this function, before the first frame.
        if choice.contains(Character("/")) || choice.hasSuffix(".toml") { return try load(path: choice) }
        let user = userDirectory(environment: environment) + "/\(choice).toml"
        if access(user, F_OK) == 0 { return try load(path: user) }
        if let theme = Theme.bundled(named: choice) { return theme }
        let names = available(environment: environment).map(\.name).joined(separator: ", ")
        throw UsageError("There is no theme \u{201C}\(choice)\u{201D}. Themes: \(names). A path to a .toml file works too.")
    }

    /// `$XDG_CONFIG_HOME/onboard/themes`, else `~/.config/onboard/themes`.
    package static func userDirectory(environment: [String: String] = ProcessEnvironment.current()) -> String {
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return base + "/onboard/themes" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/onboard/themes"
    }

    /// Every theme by name: the user's (which win) and the bundled ones; unreadable user files
    /// are listed with their problem instead of a summary.
    package static func available(environment: [String: String] = ProcessEnvironment.current()) -> [(name: String, summary: String, source: String)] {
        var themes: [(name: String, summary: String, source: String)] = []
        let directory = userDirectory(environment: environment)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
        for file in files {
            let path = directory + "/" + file
            do {
                let theme = try load(path: path)
                themes.append((String(file.dropLast(5)), theme.summary, path))
            } catch {
                themes.append((String(file.dropLast(5)), "cannot be used: \(error)", path))
            }
        }
        for (name, _) in Theme.bundledFiles where !themes.contains(where: { $0.name == name }) {
            themes.append((name, Theme.bundled(named: name)?.summary ?? "", "built in"))
        }
        return themes
    }

    static func load(path: String) throws -> Theme {
        let data: Data
        do {
            data = try SecureFile.readRegular(path, kind: "theme file", maximumBytes: ThemeFile.maximumBytes)
        } catch {
            throw UsageError(error.description)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UsageError("The theme file \(path) is not UTF-8 text.") }
        do {
            return try ThemeFile.parse(text, source: path)
        } catch {
            throw UsageError("The theme file \(error.description)")
        }
    }
}
