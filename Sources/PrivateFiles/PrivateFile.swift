#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every file tally creates holds private data (a ledger, its key, a payment file with accounts, a
/// rejects file with customers' rows), so every file-writing path creates its files here: readable
/// and writable by their owner only (0600), folders 0700, whatever the umask. The mode is given to
/// `open` and set again with `fchmod`, because the umask only ever removes bits and a file that
/// already existed keeps its own mode through `open`.
public enum PrivateFile {
    public static let fileMode: mode_t = 0o600
    public static let folderMode: mode_t = 0o700

    /// Opens `path` for writing, mode 0600: a new file only (`exclusive`), else created or emptied.
    /// The caller closes the descriptor.
    public static func open(_ path: String, exclusive: Bool) throws(PrivateFileError) -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let fd = openFile(path, flags, fileMode)
        guard fd >= 0 else { throw PrivateFileError(path: path, errno: errno) }
        guard fchmod(fd, fileMode) == 0 else {
            let failure = PrivateFileError(path: path, errno: errno)
            close(fd)
            throw failure
        }
        return fd
    }

    /// Creates `path`, a new empty file of mode 0600 (an existing one is refused: `.exists`).
    public static func create(_ path: String) throws(PrivateFileError) {
        close(try open(path, exclusive: true))
    }

    /// A new empty file of mode 0600 in `destination`'s folder (so that renaming it to `destination`
    /// stays on one file system), named `.NAME.XXXXXXXX.SUFFIX`; its path.
    public static func createTemporary(beside destination: String, suffix: String) throws(PrivateFileError) -> String {
        let folder = folderOf(destination)
        let name = lastComponent(destination)
        for _ in 0..<temporaryAttempts {
            let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            let candidate = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(random).\(suffix)"
            do {
                try create(candidate)
                return candidate
            } catch  where error.isExists {
                continue
            }
        }
        throw PrivateFileError(path: destination, reason: "no free temporary name beside it")
    }

    /// Temporary names tried before giving up (each is random: a clash is already unlikely).
    static let temporaryAttempts = 8

    /// Writes `bytes` to `path` atomically, mode 0600: into a temporary file beside it, flushed to
    /// disk, renamed into place, the folder flushed. Without `replacing`, an existing `path` is
    /// refused (`.exists`), even one that appears meanwhile (a hard link, not a rename, publishes it).
    public static func write(_ bytes: [UInt8], to path: String, replacing: Bool) throws(PrivateFileError) {
        let temporary = try stage(bytes, beside: path)
        var published = false
        defer { if !published { unlink(temporary) } }
        try publish(temporary, as: path, replacing: replacing)
        published = true
        try sync(folderOf(path), reportedAs: path)
    }

    /// Writes `bytes` into a new temporary file beside `path` (mode 0600, flushed to disk) and
    /// returns its name, for a caller that renames it into place later (`publish`, then `sync` of
    /// the folder): a payment file appears under its name only once the ledger has recorded it.
    /// Errors name `path`; the temporary file is removed when it cannot be written whole.
    public static func stage(_ bytes: [UInt8], beside path: String) throws(PrivateFileError) -> String {
        let temporary = try createTemporary(beside: path, suffix: "tally-tmp")
        var finished = false
        defer { if !finished { unlink(temporary) } }
        let fd = try open(temporary, exclusive: false)
        var written = 0
        while written < bytes.count {  // bounded: each pass writes at least one byte or fails
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let failure = PrivateFileError(path: path, errno: errno)
                close(fd)
                throw failure
            }
            written += n
        }
        let synced = fsync(fd) == 0
        let failure = PrivateFileError(path: path, errno: errno)
        close(fd)
        guard synced else { throw failure }
        finished = true
        return temporary
    }

    /// Renames a finished temporary file into place. Without `replacing`, a hard link refuses an
    /// existing file atomically; where the file system has no hard links (FAT on a USB stick), a
    /// check, then a rename.
    public static func publish(_ temporary: String, as destination: String, replacing: Bool) throws(PrivateFileError) {
        if !replacing {
            if link(temporary, destination) == 0 {
                unlink(temporary)
                return
            }
            if errno == EEXIST || access(destination, F_OK) == 0 {
                throw PrivateFileError(path: destination, errno: EEXIST)
            }
        }
        guard rename(temporary, destination) == 0 else { throw PrivateFileError(path: destination, errno: errno) }
    }

    /// fsync of a file or a folder (`""`: the current one), so that a power cut after a command
    /// reported success cannot lose what it wrote. `reportedAs`: the path errors name.
    public static func sync(_ path: String, reportedAs: String) throws(PrivateFileError) {
        let fd = openFile(path.isEmpty ? "." : path, O_RDONLY | O_CLOEXEC, 0)
        guard fd >= 0 else { throw PrivateFileError(path: reportedAs, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw PrivateFileError(path: reportedAs, errno: errno) }
    }

    /// Creates `path` and any missing folder above it with mode 0700; folders that exist keep
    /// their mode (the user's own choice for ~/.config).
    public static func createFolders(_ path: String) throws(PrivateFileError) {
        var isFolder = false
        if exists(path, isFolder: &isFolder) {
            guard isFolder else { throw PrivateFileError(path: path, reason: "it is a file, not a folder") }
            return
        }
        let parent = folderOf(path)
        if !parent.isEmpty && parent != path { try createFolders(parent) }
        guard mkdir(path, folderMode) == 0 || errno == EEXIST else { throw PrivateFileError(path: path, errno: errno) }
        guard chmod(path, folderMode) == 0 else { throw PrivateFileError(path: path, errno: errno) }
    }

    /// The permission bits of `path` (nil: no such file).
    public static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    /// Whether a user other than the owner may read or write `path` (group or other bits set).
    public static func isOpenToOthers(_ path: String) -> Bool { (mode(path) ?? 0) & 0o077 != 0 }

    static func exists(_ path: String, isFolder: inout Bool) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        isFolder = info.st_mode & S_IFMT == S_IFDIR
        return true
    }

    /// The folder part of a path (`""` for a bare name, `/` for a file at the root).
    public static func folderOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// A file or folder that could not be created or written: the path and the system's reason.
public struct PrivateFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    /// The system's error number (0: a reason of tally's own).
    public let code: Int32

    init(path: String, errno code: Int32) {
        self.path = path
        self.reason = String(cString: strerror(code))
        self.code = code
    }

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
        self.code = 0
    }

    /// The file was to be new and exists.
    public var isExists: Bool { code == EEXIST }
    /// The disk (or the user's quota) is full.
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }

    public var description: String { "\(path): \(reason)" }
}

// `open` and `write` are shadowed by the methods above inside `PrivateFile`.
private func openFile(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
