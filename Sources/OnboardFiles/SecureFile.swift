import Foundation

/// File access for secrets and state, done the careful way in one place.
///
/// - Files onboard creates or writes (key files, logs, journals, databases) are opened with
///   `O_NOFOLLOW|O_CLOEXEC`: a link planted at their path is refused, and no child inherits them.
/// - What must be new is created with `O_EXCL` (or written aside and linked into place), so two
///   processes never both believe they made it.
/// - Checks are made on the opened descriptor (`fstat`), not the path, so the file checked is
///   the file read.
/// - Every read has a size cap, and only regular files are read: a FIFO or `/dev/zero` named
///   where a file belongs is refused instead of read without end.
package enum SecureFile {
    /// Reads a file only its owner may read (a key file, a secrets file), as ssh treats private
    /// keys. Refused, with the fix, when it is not a regular file owned by this user, when group
    /// or others have any access, or when it is larger than `maximumBytes`.
    package static func readOwnerOnly(_ path: String, kind: String, maximumBytes: Int) throws(SecureFileError) -> Data {
        let descriptor = try openForReading(path, kind: kind, followLinks: false)
        defer { close(descriptor) }
        let info = try regularFile(descriptor, path: path, kind: kind)
        guard info.st_uid == geteuid() else {
            throw SecureFileError("The \(kind) \(path) belongs to another user. Use a file of your own (chmod 600).")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw SecureFileError("The \(kind) \(path) is open to others (mode \(String(mode, radix: 8))). Run: chmod 600 \(path)")
        }
        return try readAll(descriptor, size: Int(info.st_size), path: path, kind: kind, maximumBytes: maximumBytes)
    }

    /// Reads a regular file the person named (a theme, `@path`, an import file), following
    /// links as a shell would, with a size cap.
    package static func readRegular(_ path: String, kind: String, maximumBytes: Int) throws(SecureFileError) -> Data {
        let descriptor = try openForReading(path, kind: kind, followLinks: true)
        defer { close(descriptor) }
        let info = try regularFile(descriptor, path: path, kind: kind)
        return try readAll(descriptor, size: Int(info.st_size), path: path, kind: kind, maximumBytes: maximumBytes)
    }

    /// Reads a file onboard wrote itself (a journal), refusing links, other owners and sizes
    /// over the cap; nil when it does not exist.
    package static func readOwn(_ path: String, kind: String, maximumBytes: Int) throws(SecureFileError) -> Data? {
        guard access(path, F_OK) == 0 || errno != ENOENT else { return nil }
        let descriptor = try openForReading(path, kind: kind, followLinks: false)
        defer { close(descriptor) }
        let info = try regularFile(descriptor, path: path, kind: kind)
        guard info.st_uid == geteuid() else { throw SecureFileError("The \(kind) \(path) belongs to another user; remove it or choose another path.") }
        return try readAll(descriptor, size: Int(info.st_size), path: path, kind: kind, maximumBytes: maximumBytes)
    }

    /// Opens (creating 0600 if needed) a file for appending. An existing file must be a regular
    /// file owned by this user; group and other access is taken away (an old log made with a
    /// looser umask). Returns the descriptor, close-on-exec; readable too (with pread), so a
    /// writer can check the end it appends to under its lock.
    package static func openForAppend(_ path: String, kind: String) throws(SecureFileError) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw openError(path, kind: kind) }
        do {
            try tighten(descriptor, path: path, kind: kind)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Takes group and other access away from an existing file onboard owns (a database made
    /// before this rule, or with a looser umask). Missing files are left alone.
    package static func tightenExisting(_ path: String, kind: String) throws(SecureFileError) {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if descriptor < 0 {
            if errno == ENOENT { return }
            throw openError(path, kind: kind)
        }
        defer { close(descriptor) }
        try tighten(descriptor, path: path, kind: kind)
    }

    /// Creates `path` holding `contents`, 0600, only if nothing is there yet, and never half
    /// written: the bytes go to a fresh temporary file beside it (mkstemp), are synced, and the
    /// file is linked into place, which fails if another process got there first.
    ///
    /// - Returns: true when this call created it; false when the path already existed.
    package static func createOnce(_ path: String, contents: Data, kind: String) throws(SecureFileError) -> Bool {
        let (descriptor, temporary) = try makeTemporary(besides: path, kind: kind)
        defer {
            close(descriptor)
            unlink(temporary)
        }
        try writeAll(descriptor, contents, path: temporary, kind: kind)
        guard fsync(descriptor) == 0 else { throw SecureFileError("Cannot save the \(kind) \(path): \(String(cString: strerror(errno))).") }
        if link(temporary, path) == 0 {
            syncDirectory(of: path)
            return true
        }
        if errno == EEXIST { return false }
        throw SecureFileError("Cannot create the \(kind) \(path): \(String(cString: strerror(errno))).")
    }

    /// Replaces `path` with `contents` atomically (temporary file from mkstemp, fsync, rename),
    /// 0600. For reports and other files that are rewritten whole.
    package static func replace(_ path: String, contents: Data, kind: String) throws(SecureFileError) {
        let (descriptor, temporary) = try makeTemporary(besides: path, kind: kind)
        defer { close(descriptor) }
        do throws(SecureFileError) {
            try writeAll(descriptor, contents, path: temporary, kind: kind)
            guard fsync(descriptor) == 0, rename(temporary, path) == 0 else {
                throw SecureFileError("Cannot save the \(kind) \(path): \(String(cString: strerror(errno))).")
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    // MARK: pieces

    private static func openForReading(_ path: String, kind: String, followLinks: Bool) throws(SecureFileError) -> Int32 {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused once fstat says so.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else { throw openError(path, kind: kind) }
        return descriptor
    }

    private static func regularFile(_ descriptor: Int32, path: String, kind: String) throws(SecureFileError) -> stat {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SecureFileError("Cannot read the \(kind) \(path): \(String(cString: strerror(errno))).") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            let what = info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file (a pipe, device or socket)"
            throw SecureFileError("The \(kind) \(path) is \(what); name a regular file.")
        }
        // Reads from here on block as usual.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return info
    }

    private static func readAll(_ descriptor: Int32, size: Int, path: String, kind: String, maximumBytes: Int) throws(SecureFileError) -> Data {
        guard size <= maximumBytes else { throw tooLarge(path, kind: kind, maximumBytes: maximumBytes) }
        // Sized once, so no smaller copy of the contents is left behind in freed memory.
        var data = Data(capacity: min(size, maximumBytes) + 1)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        defer { for index in chunk.indices { chunk[index] = 0 } }
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw SecureFileError("Cannot read the \(kind) \(path): \(String(cString: strerror(errno))).")
            }
            if count == 0 { break }
            // The file may grow while it is read: the cap holds all the same.
            guard data.count + count <= maximumBytes else {
                data.resetBytes(in: 0..<data.count)
                throw tooLarge(path, kind: kind, maximumBytes: maximumBytes)
            }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }

    private static func tighten(_ descriptor: Int32, path: String, kind: String) throws(SecureFileError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SecureFileError("Cannot check the \(kind) \(path): \(String(cString: strerror(errno))).") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw SecureFileError("The \(kind) \(path) is not a regular file; remove it or choose another path.") }
        guard info.st_uid == geteuid() else { throw SecureFileError("The \(kind) \(path) belongs to another user; remove it or choose another path.") }
        if info.st_mode & 0o077 != 0 { _ = fchmod(descriptor, info.st_mode & 0o700) }
    }

    private static func makeTemporary(besides path: String, kind: String) throws(SecureFileError) -> (Int32, String) {
        var template = Array((path + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw SecureFileError("Cannot create the \(kind) \(path): \(String(cString: strerror(errno))).") }
        // Not inherited by a child onboard starts.
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        // mkstemp makes 0600 files already; said again in case of an odd libc.
        _ = fchmod(descriptor, 0o600)
        let name = template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (descriptor, String(decoding: name, as: UTF8.self))
    }

    private static func writeAll(_ descriptor: Int32, _ contents: Data, path: String, kind: String) throws(SecureFileError) {
        guard DescriptorWriter.write(contents, to: descriptor) else {
            throw SecureFileError("Cannot write the \(kind) \(path): \(String(cString: strerror(errno))).")
        }
    }

    /// The directory part of `path` ("/a/b/c" -> "/a/b", "/c" -> "/", "c" -> ""), as a shell's
    /// `dirname` but "" for a bare name. Plain string work: NSString's path methods bridge
    /// through Foundation's class machinery, a cost paid before the wizard's first frame.
    package static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = trimmed[..<slash]
        var end = parent.endIndex
        while end > parent.startIndex, parent[parent.index(before: end)] == "/" { end = parent.index(before: end) }
        return end == parent.startIndex ? "/" : String(parent[..<end])
    }

    /// Creates the directory `file` will live in, and any missing parents, owner-only (0700) as
    /// ssh keeps `~/.ssh`; directories that exist are left as they are. Nothing to do for a
    /// bare file name.
    package static func makeDirectory(for file: String, kind: String) throws(SecureFileError) {
        let directory = directory(of: file)
        guard !directory.isEmpty else { return }
        var info = stat()
        if stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { return }
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            // Plain String concatenation: String + Substring goes through a generic path.
            let name = String(component)
            prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix + name : prefix + "/" + name
            if mkdir(prefix, 0o700) == 0 || errno == EEXIST { continue }
            let reason = errno == EACCES ? "permission denied" : String(cString: strerror(errno))
            throw SecureFileError("Cannot create the directory \(prefix) for the \(kind) \(file): \(reason).")
        }
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw SecureFileError("Cannot use \(directory) for the \(kind) \(file): it is not a directory.")
        }
    }

    private static func syncDirectory(of path: String) {
        let directory = directory(of: path)
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func openError(_ path: String, kind: String) -> SecureFileError {
        switch errno {
        case ENOENT: SecureFileError("Cannot read the \(kind) \(path): it does not exist.")
        case ELOOP: SecureFileError("The \(kind) \(path) is a symbolic link; onboard does not follow links here. Name the file itself.")
        case EACCES: SecureFileError("Cannot open the \(kind) \(path): permission denied.")
        default: SecureFileError("Cannot open the \(kind) \(path): \(String(cString: strerror(errno))).")
        }
    }

    private static func tooLarge(_ path: String, kind: String, maximumBytes: Int) -> SecureFileError {
        let limit = maximumBytes >= 1 << 20 ? "\(maximumBytes >> 20) MiB" : "\(maximumBytes >> 10) KiB"
        return SecureFileError("The \(kind) \(path) is larger than \(limit); is it the right file?")
    }
}

/// A file could not be used; the message names the path and what to do, never its contents.
package struct SecureFileError: Error, Equatable, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
