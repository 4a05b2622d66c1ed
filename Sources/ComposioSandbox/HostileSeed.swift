import ComposioAPI
import Foundation
import GRDB
import OnboardCore

/// Hostile data for testing every path to a terminal: names, descriptions, toolkit names,
/// statuses' reasons, error messages and URLs made of control sequences (a clipboard write, a
/// window title, a screen clear, C1 controls), bidi overrides, 10 KB strings, wide and combining
/// characters. `onboard sandbox seed-hostile` adds it to a sandbox database; nothing else does.
package enum HostileSeed {
    /// OSC 52: writes "owned" to the clipboard of a terminal that obeys.
    package static let clipboardWrite = "\u{1B}]52;c;b3duZWQ=\u{07}"
    /// OSC 0: retitles the window.
    package static let titleChange = "\u{1B}]0;pwned-title\u{07}"
    /// CSI: clears the screen and homes the cursor.
    package static let screenClear = "\u{1B}[2J\u{1B}[H"
    /// C1 CSI (0x9B) and DCS (0x90) as single code points.
    package static let c1Controls = "\u{9B}31m\u{90}q"
    /// Right-to-left override: "exe.txt" drawn as "txt.exe".
    package static let bidiOverride = "invoice\u{202E}txt.exe"
    /// Wide (CJK, emoji) and combining characters.
    package static let wideAndCombining = "漢字かな 👩‍💻 e\u{301}\u{301}\u{301} Z\u{351}\u{34B}\u{33A}"
    /// Ten thousand characters with a sequence buried in the middle.
    package static let huge = String(repeating: "A", count: 5_000) + "\u{1B}[31m" + String(repeating: "B", count: 5_000)

    /// Every hostile piece in one string.
    package static let everything = "Evil " + clipboardWrite + titleChange + screenClear + c1Controls + " " + bidiOverride + " " + wideAndCombining

    /// The toolkit the hostile auth configs use. It is not listed by `GET /toolkits`; it is
    /// found by its slug only, once a hostile auth config names it.
    static let toolkit = SeedCatalog.Toolkit(
        slug: "hostile", name: "Hostile " + everything, description: everything, category: "Testing " + titleChange,
        appURL: "https://example.invalid/" + clipboardWrite,
        schemes: [
            SeedCatalog.Scheme(
                mode: .apiKey,
                fields: [
                    SeedCatalog.Field(
                        name: "generic_api_key", displayName: "API Key " + clipboardWrite, description: "Paste the key. " + everything,
                        isSecret: true, pattern: "^never-matches$"),
                    SeedCatalog.Field(
                        name: "subdomain", displayName: "Subdomain " + bidiOverride, description: huge, isSecret: false,
                        defaultValue: "acme" + titleChange),
                    SeedCatalog.Field(
                        name: "region" + titleChange, displayName: "Region " + c1Controls, description: wideAndCombining, required: false,
                        isSecret: false),
                ])
        ]
    )
}

extension Sandbox {
    /// Adds hostile auth configs, and accounts with hostile statuses, reasons and link URLs, to
    /// the default project. Returns the ids of the configs it made (the first one works end to
    /// end; the second names a toolkit that does not exist, so its errors quote a hostile slug).
    @discardableResult
    package func seedHostile() throws -> [String] {
        let stamp = now()
        let slugs = [HostileSeed.toolkit.slug, "nope" + HostileSeed.clipboardWrite + HostileSeed.screenClear]
        let names = [
            "Hostile " + HostileSeed.everything, "Missing toolkit " + HostileSeed.titleChange, HostileSeed.huge, HostileSeed.bidiOverride,
            HostileSeed.wideAndCombining,
        ]
        let configs = names.enumerated().map { index, name in
            AuthConfigRecord(
                id: SandboxIdentifiers.make("ac"), uuid: UUID().uuidString.lowercased(), projectId: Self.defaultProjectId, name: name,
                toolkitSlug: index == 1 ? slugs[1] : slugs[0], authScheme: AuthScheme.apiKey.rawValue, type: "custom", isEnabled: true,
                sharedCredentials: nil, sharedFieldNames: "",
                // Newest, so they lead the list.
                createdAt: stamp.addingTimeInterval(Double(names.count - index)), updatedAt: stamp)
        }
        let emptySeal = try sealer.seal([:])
        let accounts: [ConnectedAccountRecord] = [
            (ConnectionStatus.failed, "Rejected: " + HostileSeed.everything, nil as String?),
            (ConnectionStatus.initiated, nil, "lt_" + HostileSeed.clipboardWrite),
            (ConnectionStatus.expired, HostileSeed.huge, nil),
        ].map { status, reason, token in
            ConnectedAccountRecord(
                id: SandboxIdentifiers.make("ca"), uuid: UUID().uuidString.lowercased(), projectId: Self.defaultProjectId,
                authConfigId: configs[0].id, userId: "hostile" + HostileSeed.titleChange, toolkitSlug: slugs[0],
                authScheme: AuthScheme.apiKey.rawValue, status: status.rawValue, statusReason: reason, isDisabled: false,
                alias: "alias" + HostileSeed.bidiOverride, credentials: emptySeal, linkToken: token,
                expiresAt: token == nil ? nil : stamp.addingTimeInterval(Self.hostileLinkLifetime), callbackURL: nil, createdAt: stamp,
                updatedAt: stamp)
        }
        try store.database.write { db in
            for config in configs { try config.insert(db) }
            for account in accounts { try account.insert(db) }
        }
        return configs.map(\.id)
    }

    /// Long enough that a test run never sees the seeded link expire.
    static let hostileLinkLifetime: TimeInterval = 30 * 86_400
}
