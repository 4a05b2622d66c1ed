import Crypto
import Foundation
import OnboardCore
import OnboardFiles

/// What an import has done so far, one JSON line per step, written and synced before the next
/// step so a rerun after Ctrl-C or kill -9 picks up where it stopped.
///
/// It records row numbers, user ids, account ids and statuses; never a credential value. A row
/// that was started but not finished is ambiguous: the create may have happened. A rerun
/// checks the server for an account the user did not have before, rather than creating again.
///
/// Rows run concurrently; a lock orders the writes (`@unchecked` because of it).
final class ImportJournal: @unchecked Sendable {
    struct Entry: Codable, Equatable {
        enum Kind: String, Codable {
            case header, started, done, failed
        }

        var kind: Kind
        var row: Int?
        var userId: String?
        /// header: the auth config, and a digest of the file's user ids (not its values).
        var authConfigId: String?
        var usersDigest: String?
        /// started: the user's accounts on the config just before the create.
        var existing: [String]?
        /// done: the account, its status, and what it replaced.
        var accountId: String?
        var status: String?
        var replaced: [String]?
        /// failed: why, in words.
        var error: String?
    }

    /// What the journal says about one row.
    enum RowState: Equatable {
        /// Created earlier (or found after an ambiguous stop).
        case done(accountId: String, status: String, replaced: [String])
        /// A create was sent and its answer not recorded: the account may exist.
        case started(existing: [String])
        /// The last attempt failed; a rerun tries again, first checking the server when the
        /// failure may have created the account anyway (`existing` is what the user had before).
        case failed(String, existing: [String]?)
    }

    let path: String
    /// Read once, before rows run; written under the lock.
    private(set) var rows: [Int: RowState] = [:]
    private let descriptor: Int32
    private let lock = NSLock()

    /// Opens (or creates, 0600) the journal for an import of `file` into `authConfigId`; a
    /// journal written for another file or config is refused rather than mixed in.
    init(path: String, authConfigId: String, file: ImportFile) throws {
        self.path = path
        let digest = Self.digest(of: file)
        var existing: [Entry] = []
        let stored: Data?
        do {
            stored = try SecureFile.readOwn(path, kind: "journal", maximumBytes: Self.maximumBytes)
        } catch {
            throw UsageError(error.description + " Pass --journal PATH.")
        }
        if let data = stored {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                // A line torn by kill -9 mid-write is skipped; its row is simply not done.
                if let entry = try? Self.decoder.decode(Entry.self, from: Data(line)) { existing.append(entry) }
            }
        }
        if let header = existing.first(where: { $0.kind == .header }) {
            guard header.authConfigId == authConfigId, header.usersDigest == digest else {
                throw UsageError(
                    "The journal \(path) belongs to another import (a different file or auth config). Pass --journal NEW_PATH, or delete it to start over."
                )
            }
        }
        do {
            descriptor = try SecureFile.openForAppend(path, kind: "journal")
        } catch {
            throw UsageError(error.description + " Pass --journal PATH.")
        }
        for entry in existing { apply(entry) }
        if existing.isEmpty { try append(Entry(kind: .header, authConfigId: authConfigId, usersDigest: digest)) }
    }

    deinit { close(descriptor) }

    /// The largest journal read back: a few hundred bytes a row, for over a million rows.
    static let maximumBytes = 512 << 20

    /// A digest of the user ids in order: identifies the file without holding its secrets.
    static func digest(of file: ImportFile) -> String {
        let joined = file.rows.map(\.userId).joined(separator: "\n")
        return SHA256.hash(data: Data(joined.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func started(row: Int, userId: String, existing: [String]) throws {
        try append(Entry(kind: .started, row: row, userId: userId, existing: existing))
    }

    func done(row: Int, userId: String, accountId: String, status: String, replaced: [String]) throws {
        try append(Entry(kind: .done, row: row, userId: userId, accountId: accountId, status: status, replaced: replaced))
    }

    func failed(row: Int, userId: String, error: String) throws {
        try append(Entry(kind: .failed, row: row, userId: userId, error: error))
    }

    private func apply(_ entry: Entry) {
        guard let row = entry.row else { return }
        switch entry.kind {
        case .header: break
        case .started: rows[row] = .started(existing: entry.existing ?? [])
        case .done: rows[row] = .done(accountId: entry.accountId ?? "", status: entry.status ?? "", replaced: entry.replaced ?? [])
        case .failed:
            var before: [String]?
            if case .started(let existing) = rows[row] { before = existing }
            if case .failed(_, let existing) = rows[row] { before = existing }
            rows[row] = .failed(entry.error ?? "", existing: before)
        }
    }

    /// Writes one line and syncs it to disk before returning.
    private func append(_ entry: Entry) throws {
        var line = try Self.encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        try lock.withLock {
            let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == line.count, fsync(descriptor) == 0 else {
                throw CommandFailure("Cannot write the journal \(path): \(String(cString: strerror(errno))). The import stopped so that a rerun stays safe.")
            }
            apply(entry)
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}
