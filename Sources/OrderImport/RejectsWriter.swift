#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import LedgerCore
import PrivateFiles

/// The `--skip-invalid REJECTS.csv` file: the header of the imported file plus `reject_reason`,
/// then every row of every order that was not imported, each with the reason. It is written next to
/// its final name and renamed into place only after the import committed, so a failed import never
/// leaves a rejects file that describes an import which did not happen.
public final class RejectsWriter {
    public let path: String
    private let partialPath: String
    private var handle: UnsafeMutablePointer<FILE>?
    public private(set) var reasons: [String] = []
    public private(set) var units = 0

    /// The column a rejects file adds to the header: its first line ends with it.
    public static let reasonColumn = "reject_reason"

    /// Whether `firstLine` is the header of a rejects file tally wrote (it ends with the reason's
    /// column): such a file may be replaced by the next `--skip-invalid`, and no other.
    public static func isRejectsHeader(_ firstLine: String) -> Bool {
        var line = Substring(firstLine)
        if line.hasSuffix("\r") { line = line.dropLast() }
        return line == reasonColumn || line.hasSuffix("," + reasonColumn)
    }

    public init(path: String, header: [String]) throws(InputIssue) {
        self.path = path
        self.partialPath = path + ".partial"
        // Owner-only: the rows are the shop's own, customers' e-mails included.
        let fd: Int32
        do { fd = try PrivateFile.open(partialPath, exclusive: false) } catch {
            throw InputIssue.file(path, "cannot write the rejects file: \(error.reason)")
        }
        guard let handle = fdopen(fd, "w") else {
            close(fd)
            throw InputIssue.file(path, "cannot write the rejects file: \(String(cString: strerror(errno)))")
        }
        self.handle = handle
        // The header as the file had it (it must import again), and the reason's column.
        var line: [UInt8] = []
        for (i, name) in header.enumerated() {
            if i > 0 { line.append(UInt8(ascii: ",")) }
            Array(name.utf8).withUnsafeBufferPointer { CSVWriter.appendQuoted($0, to: &line) }
        }
        line.append(contentsOf: Array(("," + Self.reasonColumn).utf8))
        put(line)
    }

    deinit { discard() }

    /// One unit (an order's rows), each row with the reason in the extra column. The rows are the
    /// shop's own cells, copied as they came so that the fixed file imports again; the reason is
    /// tally's text, written through `CSVWriter` like every other cell tally writes.
    public func write(rows: [[UInt8]], reason: String) {
        units += 1
        if reasons.count < 20 { reasons.append(reason) }
        let encodedReason = Array(CSVWriter.field(.text(reason)).utf8)
        for row in rows { put(row + [UInt8(ascii: ",")] + encodedReason) }
    }

    private func put(_ line: [UInt8]) {
        guard let handle else { return }
        _ = line.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
        fputc(0x0A, handle)
    }

    /// Moves the file into place (after the import committed).
    public func commit() throws(InputIssue) {
        guard let handle else { return }
        self.handle = nil
        let failed = ferror(handle) != 0
        if fclose(handle) != 0 || failed {
            unlink(partialPath)
            throw InputIssue.file(path, "cannot write the rejects file (disk full?); the import itself was committed")
        }
        guard rename(partialPath, path) == 0 else {
            throw InputIssue.file(path, "cannot move the rejects file into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the partial file (a failed import, or a dry run).
    public func discard() {
        guard let handle else { return }
        fclose(handle)
        self.handle = nil
        unlink(partialPath)
    }
}
