import Foundation
import GRDB
import OnboardFiles

/// Opens a SQLite database file the way onboard keeps every file it writes: created 0600 before
/// SQLite touches it (its -wal and -shm copy that mode), looser modes tightened, WAL through a
/// `DatabasePool`, a busy timeout, and migrations serialised across processes.
package enum SQLiteFile {
    /// - Parameters:
    ///   - kind: what the file is, for messages ("sandbox database").
    ///   - migrator: applied under a lock file beside the database: two processes opening a new
    ///     database at once would otherwise both create the tables (a file of its own: closing
    ///     any descriptor of the database itself would drop SQLite's locks).
    package static func open(path: String, kind: String, migrator: DatabaseMigrator) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        try SecureFile.makeDirectory(for: path, kind: kind)
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
        for file in [path, path + "-wal", path + "-shm"] {
            try SecureFile.tightenExisting(file, kind: kind)
        }
        let lock = Glibc.open(path + ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if lock >= 0 {
            while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        }
        defer {
            if lock >= 0 {
                flock(lock, LOCK_UN)
                close(lock)
            }
        }
        let database = try DatabasePool(path: path, configuration: configuration)
        try migrator.migrate(database)
        return database
    }
}
