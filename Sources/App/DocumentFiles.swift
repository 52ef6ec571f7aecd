import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a document (the close report, a statement page) to `path` whole or not at all: into a
/// temporary file beside it, flushed, then put in place. Without `replacing`, an existing file is
/// refused, atomically (a hard link fails on an existing name; where the file system has no hard
/// links, a check then a rename). The mode is the usual one for documents (0666 less the umask):
/// the report is meant to be shared, and it holds no payout account.
public func writeDocument(_ contents: String, to path: String, replacing: Bool) throws {
    func failure(_ reason: String) -> UserError { UserError("cannot write \(path): \(reason)") }
    func systemError() -> String { String(cString: strerror(errno)) }
    try checkDocumentPath(path, replacing: replacing)
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).tally-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw failure(systemError()) }
    var open = true
    defer {
        if open { close(fd) }
        unlink(temporary)  // after a link or a rename only the temporary name goes
    }
    let bytes = Array(contents.utf8)
    var done = 0
    while done < bytes.count {  // bounded by the bytes
        let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw failure(systemError()) }
        done += n
    }
    guard fsync(fd) == 0 else { throw failure(systemError()) }
    open = false
    guard close(fd) == 0 else { throw failure(systemError()) }
    if !replacing {
        if link(temporary, path) == 0 { return }
        if errno == EEXIST || FileManager.default.fileExists(atPath: path) {
            throw UserError("\(path) exists; give --force to replace it")
        }
    }
    guard rename(temporary, path) == 0 else { throw failure(systemError()) }
}

/// What `writeDocument` would refuse before anything is written, so that a command can say so
/// before it does the work: an existing file without `replacing`, a folder that is not there or
/// cannot be written.
public func checkDocumentPath(_ path: String, replacing: Bool) throws {
    if !replacing, FileManager.default.fileExists(atPath: path) {
        throw UserError("\(path) exists; give --force to replace it")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw UserError("cannot write \(path): there is no folder \(folder)")
    }
    guard access(folder, W_OK) == 0 else {
        throw UserError("cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
