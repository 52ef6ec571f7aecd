import Foundation
import PrivateFiles

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
        let temporary: String
        do { temporary = try PrivateFile.createTemporary(beside: destination, suffix: "tally-backup") } catch {
            throw BackupError(error, destination: destination)
        }
        var published = false
        defer {
            for suffix in ["-journal", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: temporary + suffix)
            }
            if !published { try? FileManager.default.removeItem(atPath: temporary) }
        }
        let (facts, head) = try copy(to: temporary, reportedAs: destination)
        do {
            try PrivateFile.sync(temporary, reportedAs: destination)
            try PrivateFile.publish(temporary, as: destination, replacing: replacing)
            published = true
            try PrivateFile.sync(PrivateFile.folderOf(destination), reportedAs: destination)
        } catch {
            throw BackupError(error, destination: destination)
        }
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

    /// Whether `other` names the key file this ledger's key is read from.
    public func isKeyFile(_ other: String) -> Bool {
        if case let .file(keyPath) = keySource { return sameFile(other, keyPath) }
        return false
    }
}

/// Whether two paths name the same file (device and inode).
private func sameFile(_ a: String, _ b: String) -> Bool {
    var sa = stat(), sb = stat()
    guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
}

extension BackupError {
    /// A private file's failure, for the backup's `destination`.
    init(_ error: PrivateFileError, destination: String) {
        self = error.isExists ? .exists(path: destination) : .cannotWrite(path: destination, reason: error.reason)
    }
}
