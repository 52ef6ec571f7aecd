import Foundation

/// What `Ledger.backup` wrote.
public struct BackupResult: Sendable {
    public let path: String
    /// The copy's facts and head: the ledger as it was when the copy's read began.
    public let facts: Int64
    public let head: ChainHead?
    public let bytes: Int64
}

/// Why a backup was not written; each reads as a message for the user.
public enum BackupError: Error, CustomStringConvertible {
    case exists(path: String)
    case isTheLedger(path: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .exists(path): return "\(path) already exists; add --force to replace it"
        case let .isTheLedger(path): return "\(path) is the ledger itself; back it up to another file"
        case let .cannotWrite(path, reason):
            return "could not write the backup \(path) (\(reason)); nothing was written"
        }
    }
}

extension Ledger {
    /// Writes a copy of the ledger to `destination`, atomically: SQLite's online backup into a
    /// temporary file in the destination's folder (mode 0600: a ledger holds private data), in one
    /// read transaction (one consistent state, while other commands go on reading and writing),
    /// marked WAL like every ledger (so that reading the copy never changes its bytes), flushed to
    /// disk, then renamed to `destination` and the folder flushed. Without `replacing`, an
    /// existing `destination` is refused, even one that appears meanwhile. A killed backup leaves
    /// at most its temporary file (`.NAME.XXXXXXXX.tally-backup`) behind, never half a copy.
    public func backup(to destination: String, replacing: Bool) throws -> BackupResult {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder) {
            if isFolder.boolValue { throw BackupError.cannotWrite(path: destination, reason: "it is a folder") }
            if sameFile(destination, path) { throw BackupError.isTheLedger(path: destination) }
            if !replacing { throw BackupError.exists(path: destination) }
        }
        let temporary = try createPrivateFile(beside: destination)
        var published = false
        defer {
            for suffix in ["-journal", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: temporary + suffix)
            }
            if !published { try? FileManager.default.removeItem(atPath: temporary) }
        }
        let (facts, head) = try copy(to: temporary, reportedAs: destination)
        try flush(temporary, destination)
        try publish(temporary, as: destination, replacing: replacing)
        published = true
        try flush((destination as NSString).deletingLastPathComponent, destination)
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
        return BackupResult(path: destination, facts: facts, head: head, bytes: size)
    }

    /// The online backup into `temporary`, closed before it returns; the copy's facts and head.
    private func copy(to temporary: String, reportedAs destination: String) throws -> (Int64, ChainHead?) {
        do {
            let copy = try Connection(path: temporary)
            let (facts, head) = try read { () throws -> (Int64, ChainHead?) in
                do throws(SQLiteError) { try connection.copy(into: copy) } catch { throw CopyFailed(error: error) }
                return (try connection.scalarInt("SELECT count(*) FROM facts") ?? 0, try self.head())
            }
            _ = try copy.setJournalMode("wal", waiting: false)
            return (facts, head)
        } catch let failed as CopyFailed {
            throw Ledger.map(failed.error, path: destination)
        } catch let error as SQLiteError {
            throw Ledger.map(error, path: destination)
        }
    }
}

/// An error of the copy's side, kept apart from the ledger's own (`read` names the ledger in those).
private struct CopyFailed: Error {
    let error: SQLiteError
}

extension Ledger {
    /// Whether `other` names this ledger's file or one of its journals (a file that another command
    /// must never write over).
    public func isOwnFile(_ other: String) -> Bool {
        [path, path + "-wal", path + "-journal", path + "-shm"].contains { sameFile(other, $0) }
    }
}

/// Whether two paths name the same file (device and inode).
private func sameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat(), sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}

/// A new empty file, mode 0600, in `destination`'s folder (so that the final rename stays on one
/// file system); its path.
private func createPrivateFile(beside destination: String) throws -> String {
    let folder = (destination as NSString).deletingLastPathComponent
    let name = (destination as NSString).lastPathComponent
    for _ in 0..<createAttempts {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let candidate = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(suffix).tally-backup"
        let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            fchmod(fd, 0o600)  // whatever the umask
            close(fd)
            return candidate
        }
        if errno != EEXIST { throw BackupError.cannotWrite(path: destination, reason: systemError()) }
    }
    throw BackupError.cannotWrite(path: destination, reason: "no free temporary name beside it")
}

/// Temporary names tried before giving up (each is random: a clash is already unlikely).
private let createAttempts = 8

/// fsync of a file or a folder, so that a power cut after the backup reports success cannot lose it.
private func flush(_ path: String, _ destination: String) throws {
    let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw BackupError.cannotWrite(path: destination, reason: systemError()) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw BackupError.cannotWrite(path: destination, reason: systemError()) }
}

/// Renames the finished copy into place. Without `replacing`, a hard link refuses an existing
/// file atomically; where the file system has no hard links (FAT on a USB stick), a check then a rename.
private func publish(_ temporary: String, as destination: String, replacing: Bool) throws {
    if !replacing {
        if link(temporary, destination) == 0 {
            unlink(temporary)
            return
        }
        if errno == EEXIST || FileManager.default.fileExists(atPath: destination) {
            throw BackupError.exists(path: destination)
        }
    }
    guard rename(temporary, destination) == 0 else {
        throw BackupError.cannotWrite(path: destination, reason: systemError())
    }
}

/// The last system call's error, as the system words it.
private func systemError() -> String { String(cString: strerror(errno)) }
