import Crypto
import Foundation
import Logging
import NIOSSH
import OnboardCore
import Synchronization

/// `gateway serve --operator-keys FILE`: who may attach over SSH, in authorized_keys format
/// (`[options] type base64 [comment]`), public-key authentication only. The comment names the
/// operator in the trail (else the key's fingerprint). Keys the SSH library cannot use (RSA,
/// certificates) are refused when the file is read, with the line number, not at login.
package struct OperatorKeys: Sendable {
    package struct Entry: Sendable {
        package var key: NIOSSHPublicKey
        package var name: String
        /// `SHA256:...`, as ssh-keygen -l prints it.
        package var fingerprint: String
    }
    package let entries: [Entry]

    /// The user name operators log in as.
    package static let userName = "operator"

    package init(entries: [Entry] = []) { self.entries = entries }

    package var isEmpty: Bool { entries.isEmpty }

    /// Parses an authorized_keys file's text; throws naming the first line it cannot use.
    package init(parsing text: String) throws {
        var entries: [Entry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // Options come first when the first field is not a key type.
            guard let typeIndex = fields.firstIndex(where: { Self.types.contains($0) }), typeIndex + 1 < fields.count else {
                throw OperatorKeysError(
                    "line \(index + 1) holds no key onboard can use (ssh-ed25519 or ecdsa-sha2-nistp256/384/521; RSA keys are not supported).")
            }
            let type = fields[typeIndex]
            let body = fields[typeIndex + 1]
            guard let key = try? NIOSSHPublicKey(openSSHPublicKey: "\(type) \(body)"), let blob = Data(base64Encoded: body) else {
                throw OperatorKeysError("line \(index + 1): the key is not readable.")
            }
            let fingerprint = "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
            let comment = fields.dropFirst(typeIndex + 2).joined(separator: " ")
            let name = Self.cleanName(comment) ?? fingerprint
            entries.append(Entry(key: key, name: name, fingerprint: fingerprint))
        }
        guard !entries.isEmpty else { throw OperatorKeysError("it lists no key.") }
        self.entries = entries
    }

    static let types: Set<String> = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    /// The entry for `key`, if it is listed.
    package func entry(for key: NIOSSHPublicKey) -> Entry? { entries.first { $0.key == key } }

    /// A comment as a name for logs and the trail: printable, at most 64 characters.
    static func cleanName(_ comment: String) -> String? { Wizard.Assistance.oneLine(comment, limit: 64) }
}

package struct OperatorKeysError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// `--operator-keys` as the file says now: read again at a login when it changed (as sshd reads
/// authorized_keys at each login), so adding or removing an operator needs no restart. A file
/// that no longer reads (a half-written edit, a mode opened to others) keeps the last keys that
/// did, and the log says why, once per change.
package final class OperatorKeySource: Sendable {
    /// The file, or nil when no operator may log in.
    package let path: String?
    private let read: @Sendable (String) throws -> OperatorKeys
    private let current: Mutex<(stamp: [Int], keys: OperatorKeys)>
    private let logger: Logger

    /// - Parameter read: reads and checks the file (its mode, its keys); the first read's
    ///   failure is the caller's (the gateway does not start).
    package init(path: String?, logger: Logger, read: @escaping @Sendable (String) throws -> OperatorKeys) throws {
        self.path = path
        self.read = read
        self.logger = logger
        current = Mutex((path.map(Self.stamp) ?? [], try path.map(read) ?? OperatorKeys()))
    }

    /// No file: nobody logs in as `operator`.
    package static let none = try! OperatorKeySource(path: nil, logger: Logger(label: "none", factory: { _ in SwiftLogNoOpLogHandler() })) { _ in
        OperatorKeys()
    }

    package var isConfigured: Bool { path != nil }

    /// The keys now: the file again if it changed since it was last read.
    package var keys: OperatorKeys {
        guard let path else { return OperatorKeys() }
        let stamp = Self.stamp(path)
        let known = current.withLock { $0 }
        guard stamp != known.stamp else { return known.keys }
        do {
            let keys = try read(path)
            current.withLock { $0 = (stamp, keys) }
            logger.notice("Operator keys read again from \(path): \(keys.entries.count) key\(keys.entries.count == 1 ? "" : "s").")
            return keys
        } catch {
            current.withLock { $0.stamp = stamp }
            logger.error("Operator keys in \(path) could not be read again (\(error)); the \(known.keys.entries.count) read before still apply.")
            return known.keys
        }
    }

    /// Reads the file now, changed or not (SIGHUP): the number of keys, or nil when it cannot be
    /// read (those read before still apply) or there is no file.
    package func reload() -> Int? {
        guard let path else { return nil }
        let stamp = Self.stamp(path)
        do {
            let keys = try read(path)
            current.withLock { $0 = (stamp, keys) }
            return keys.entries.count
        } catch {
            current.withLock { $0.stamp = stamp }
            logger.error("Operator keys in \(path) could not be read again (\(error)).")
            return nil
        }
    }

    /// What changes when the file is edited or replaced: inode, size, modification time.
    static func stamp(_ path: String) -> [Int] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        return [Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
    }
}
