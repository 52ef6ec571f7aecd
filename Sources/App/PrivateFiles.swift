import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `contents` to `path` readable and writable by its owner only (mode 0600, whatever the
/// umask): payment files name people with their amounts and accounts. Written to a temporary file
/// next to it and renamed into place, so that `path` is never half written and never readable by
/// others for a moment (an existing file is replaced whole, its mode with it).
func writePrivateFile(_ path: String, contents: String) throws {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).tally-\(getpid())").path
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw UserError("cannot write \(path): \(String(cString: strerror(errno)))") }
    var closed = false
    defer {
        if !closed { close(fd) }
        unlink(temporary)
    }
    let bytes = Array(contents.utf8)
    var done = 0
    while done < bytes.count {  // bounded by the bytes
        let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw UserError("cannot write \(path): \(String(cString: strerror(errno)))") }
        done += n
    }
    // The umask may have taken bits away from 0600 at creation; fchmod sets exactly 0600.
    guard fchmod(fd, 0o600) == 0, fsync(fd) == 0 else {
        throw UserError("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    closed = true
    guard close(fd) == 0, rename(temporary, path) == 0 else {
        throw UserError("cannot write \(path): \(String(cString: strerror(errno)))")
    }
}
