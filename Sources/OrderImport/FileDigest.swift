#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Crypto
import Dispatch
import LedgerCore

/// `fileSHA256` on a background thread: `wait()` returns its result.
public final class BackgroundFileSHA256: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read after `wait()`.
    private var result: Result<String, InputIssue>?
    private let done = DispatchSemaphore(value: 0)

    public init(path: String, file: String) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            do throws(InputIssue) { result = .success(try fileSHA256(path: path, file: file) { _ in }) } catch {
                result = .failure(error)
            }
            done.signal()
        }
    }

    /// Touched only by the thread that waits (never by the worker).
    private var waited = false

    /// The file's SHA-256, once the worker is done; may be called again.
    public func wait() throws(InputIssue) -> String {
        if !waited { done.wait(); waited = true }
        return try result!.get()
    }

    /// Whether the worker is done (then `wait` returns at once); does not wait.
    public var isDone: Bool {
        if !waited && done.wait(timeout: .now()) == .success { waited = true }
        return waited
    }
}

/// The SHA-256 of a file (hex), read in 1 MiB chunks so memory stays flat. `progress` gets the
/// bytes hashed so far.
public func fileSHA256(path: String, file: String, progress: (Int) -> Void) throws(InputIssue) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw InputIssue.file(file, "cannot open the file: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    let chunkBytes = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkBytes, alignment: 16)
    defer { buffer.deallocate() }
    var hasher = SHA256()
    var done = 0
    while true {  // one chunk per turn; ends at EOF
        let n = read(fd, buffer.baseAddress, chunkBytes)
        if n < 0 {
            if errno == EINTR { continue }
            throw InputIssue.file(file, "cannot read the file: \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        done += n
        progress(done)
    }
    return hex(Array(hasher.finalize()))
}
