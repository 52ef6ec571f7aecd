import Foundation
import PrivateFiles

/// Whether `path` names an existing directory (following a symbolic link, as a write would).
func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}

extension LedgerSession {
    /// Refuses an output path naming the ledger, its journals or its key file: an output file
    /// replaces what it names (with `--force`, or always for a journal), and these never are.
    public func refuseOwnFile(_ output: String, writing what: String) throws {
        if isDirectory(output) {
            throw UserError("\(output) is a directory: give the \(what) a file name in it; nothing was written")
        }
        if ledger.isOwnFile(output) {
            throw UserError("\(output) is the ledger itself: write the \(what) elsewhere; nothing was written")
        }
        if ledger.isKeyFile(output) {
            throw UserError("\(output) is the ledger's key file: write the \(what) elsewhere; nothing was written")
        }
    }
}

/// Writes a file a command produces for its user (a payment file, and every later output file):
/// owner-only (mode 0600) whatever the umask, since such files hold names, amounts and accounts,
/// and atomically (a temporary file beside it, renamed into place), so that a failed write never
/// leaves half a file. An existing file is replaced, as with a shell's `>`.
public func writeOutputFile(_ text: String, to path: String) throws {
    // Renaming onto a directory fails with the system's words (EBUSY for `.`, EISDIR): say it plainly.
    if isDirectory(path) { throw UserError("cannot write \(path): it is a directory; give a file name") }
    do {
        try PrivateFile.write(Array(text.utf8), to: path, replacing: true)
    } catch {
        throw UserError("cannot write \(path): \(error.reason)")
    }
}

/// The first half of `writeOutputFile`: the text in a temporary file beside `path` (mode 0600,
/// flushed to disk), whose name it returns; `publishOutputFile` renames it into place. A payment
/// file is staged inside the transaction that records it and published after the commit, so that
/// a kill in between never leaves a complete file under its name that the ledger does not know.
func stageOutputFile(_ text: String, beside path: String) throws -> String {
    if isDirectory(path) { throw UserError("cannot write \(path): it is a directory; give a file name") }
    do {
        return try PrivateFile.stage(Array(text.utf8), beside: path)
    } catch {
        throw UserError("cannot write \(path): \(error.reason)")
    }
}

/// Renames a staged file to `path` and flushes the folder; without `replacing` a file that
/// appeared at `path` meanwhile is not replaced (`PrivateFileError.isExists`).
func publishOutputFile(_ staged: String, to path: String, replacing: Bool) throws(PrivateFileError) {
    try PrivateFile.publish(staged, as: path, replacing: replacing)
    try PrivateFile.sync(PrivateFile.folderOf(path), reportedAs: path)
}

/// The first line of the file at `path` (up to 64 KiB, decoded leniently), "" for an empty file, nil
/// when there is no file (or it cannot be read).
func firstLine(of path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    let bytes = (try? handle.read(upToCount: 65_536)) ?? Data()
    let line = bytes.prefix { $0 != 0x0A }
    return String(decoding: line, as: UTF8.self)
}

/// What an existing file is, as far as its first bytes tell: a SQLite database (a ledger, its
/// backup), a tally key file; nil for anything else.
func recognisedFile(_ path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    let bytes = (try? handle.read(upToCount: 4_096)) ?? Data()
    if bytes.starts(with: Array("SQLite format 3\u{0}".utf8)) {
        return "a SQLite database: a tally ledger, or a backup of one?"
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if text.split(separator: "\n").contains(where: { $0.hasPrefix("tally-key:") }) { return "a tally key file" }
    return nil
}

extension LedgerSession {
    /// Refuses a file an output option (`option`, writing a `what`: "rejects file") would replace when
    /// it is not empty and not one of the command's own earlier files (`isOurs`, from its first line),
    /// unless `force`: a mistyped or tab-completed name must not destroy a backup, a key file or a payment file. The
    /// ledger's own files and its key file are refused even with `force` (`refuseOwnFile`).
    public func refuseReplacing(
        _ path: String, option: String, writing what: String, force: Bool, isOurs: (String) -> Bool
    ) throws {
        try refuseOwnFile(path, writing: what)
        guard !force, let line = firstLine(of: path), !line.isEmpty, !isOurs(line) else { return }
        let kind = recognisedFile(path).map { " (it is \($0))" } ?? ""
        throw UserError(
            "\(path) exists and is not a \(what) tally wrote\(kind): \(option) replaces only its own files; "
                + "give another name, or --force to replace it; nothing was written")
    }
}
