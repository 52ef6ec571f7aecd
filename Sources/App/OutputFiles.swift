import PrivateFiles

/// Writes a file a command produces for its user (a payment file, and every later output file):
/// owner-only (mode 0600) whatever the umask, since such files hold names, amounts and accounts,
/// and atomically (a temporary file beside it, renamed into place), so that a failed write never
/// leaves half a file. An existing file is replaced, as with a shell's `>`.
public func writeOutputFile(_ text: String, to path: String) throws {
    do {
        try PrivateFile.write(Array(text.utf8), to: path, replacing: true)
    } catch {
        throw UserError("cannot write \(path): \(error.reason)")
    }
}
