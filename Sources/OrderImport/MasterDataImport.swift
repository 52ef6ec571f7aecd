import LedgerCore
import LedgerStore

/// What an import of one master-data file did (or, in a dry run, would do).
public struct MasterDataSummary: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var kind: MasterDataKind
    public var dryRun: Bool
    public var rows = 0
    public var added = 0
    public var changed = 0
    public var unchanged = 0

    public var factsAppended: Int { added + changed }

    /// `creators.csv: 12 rows, 3 new, 1 changed, 8 unchanged`.
    public var description: String {
        let plural = rows == 1 ? "row" : "rows"
        var text = "\(file): \(rows) \(plural), \(added) new, \(changed) changed, \(unchanged) unchanged"
        if dryRun { text += " (dry run: nothing written)" }
        return text
    }

    mutating func count(_ change: MasterDataChange) {
        switch change {
        case .added: added += 1
        case .changed: changed += 1
        case .unchanged: unchanged += 1
        }
    }
}

/// Every problem found in a file (up to `MasterDataImport.issuesMax`); nothing was written.
public struct MasterDataImportError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var issues: [InputIssue]
    /// Problems found beyond the ones listed.
    public var moreCount: Int

    public var description: String {
        var lines = issues.map(\.description)
        if moreCount > 0 { lines.append("... and \(moreCount) more problem\(moreCount == 1 ? "" : "s")") }
        let total = issues.count + moreCount
        lines.append("\(file): \(total) problem\(total == 1 ? "" : "s"); nothing was imported")
        return lines.joined(separator: "\n")
    }
}

/// Imports one master-data CSV file: all of it or nothing.
public enum MasterDataImport {
    /// Problems listed before "... and N more".
    public static let issuesMax = 50
    /// Data rows read from one file; a bigger file is refused rather than held in one transaction.
    public static let rowsMax = 1_000_000

    /// Reads `path` (named `file` in messages) and appends one fact per new or changed row, in
    /// one transaction. Any problem: throws `MasterDataImportError` and writes nothing.
    /// `dryRun`: does the same work, then rolls back.
    public static func run(_ kind: MasterDataKind, path: String, file: String, ledger: Ledger, dryRun: Bool) throws -> MasterDataSummary {
        var reader: CSVReader
        do throws(CSVError) { reader = try CSVReader(path: path) } catch {
            throw MasterDataImportError(file: file, issues: [.file(file, error.message)], moreCount: 0)
        }
        let header = try readHeader(&reader, kind: kind, file: file)
        do {
            return try ledger.write { ledger throws -> MasterDataSummary in
                var book = try MasterDataBook.load(from: ledger, for: kind)
                let key = try ledger.payoutKey()
                let context = RowContext(now: ledger.clock.now(), emailHash: ledger.emailHash,
                                         sealAccount: { PayoutSealing.seal($0, key: key) }, platformColumns: header.platforms)
                var pass = Pass(file: file, summary: MasterDataSummary(file: file, kind: kind, dryRun: dryRun))
                try pass.readRows(&reader, kind: kind, header: header.columns, book: &book, context: context, ledger: ledger)
                if pass.total > 0 { throw MasterDataImportError(file: file, issues: pass.issues, moreCount: pass.total - pass.issues.count) }
                if dryRun { throw DryRunRollback(summary: pass.summary) }
                return pass.summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }

    private static func readHeader(_ reader: inout CSVReader, kind: MasterDataKind, file: String) throws(MasterDataImportError) -> (columns: MasterDataHeader, platforms: [(index: Int, platform: String)]) {
        func fail(_ issue: InputIssue) -> MasterDataImportError { MasterDataImportError(file: file, issues: [issue], moreCount: 0) }
        var cells: [String]? = nil
        do throws(CSVError) {
            if try reader.next() { cells = try (0..<reader.fieldCount).map { i throws(CSVError) in try reader.validatedString(i) } }
        } catch {
            throw fail(InputIssue(file: file, error))
        }
        guard let cells else { throw fail(.file(file, "the file is empty; expected a header row: \(kind.documentedHeader)")) }
        let header: MasterDataHeader
        switch MasterDataHeader.read(cells, kind: kind, file: file) {
        case let .success(h): header = h
        case let .failure(issue): throw fail(issue)
        }
        guard kind == .creators else { return (header, []) }
        switch platformColumns(header, file: file) {
        case let .success(platforms): return (header, platforms)
        case let .failure(issue): throw fail(issue)
        }
    }
}

/// Thrown at the end of a dry run so that the transaction rolls back; carries the summary out.
private struct DryRunRollback: Error {
    let summary: MasterDataSummary
}

/// One pass over the data rows: counts, problems, and the facts appended while the file is clean.
private struct Pass {
    let file: String
    var summary: MasterDataSummary
    var issues: [InputIssue] = []
    /// Every problem found, listed or not.
    var total = 0

    mutating func report(_ found: [InputIssue]) {
        total += found.count
        issues.append(contentsOf: found.prefix(MasterDataImport.issuesMax - issues.count))
    }

    mutating func readRows(_ reader: inout CSVReader, kind: MasterDataKind, header: MasterDataHeader, book: inout MasterDataBook,
                           context: RowContext, ledger: Ledger) throws {
        while true {  // bounded by MasterDataImport.rowsMax
            let cells: [String]
            do throws(CSVError) {
                guard try reader.next() else { return }
                if reader.fieldCount == 1 && reader.isEmpty(0) { continue }  // a blank line
                cells = try (0..<reader.fieldCount).map { i throws(CSVError) in try reader.validatedString(i) }
            } catch {
                report([InputIssue(file: file, error)])  // the reader cannot go on after a syntax error
                return
            }
            summary.rows += 1
            if summary.rows > MasterDataImport.rowsMax {
                report([InputIssue(file: file, line: reader.recordLine, column: 0, expected: "at most \(MasterDataImport.rowsMax) rows in one file; split it")])
                return
            }
            if let problem = shapeProblem(cells, header: header, line: reader.recordLine) {
                report([problem])
                if cells.count < header.names.count { continue }  // which cells are missing is a guess
            }
            var row = RowReader(file: file, line: reader.recordLine, header: header, cells: cells)
            let outcome = applyRow(kind, &row, &book, context)
            report(row.issues.sorted { $0.column < $1.column })
            guard let (change, fact) = outcome else { continue }
            summary.count(change)
            if let fact, total == 0 { try ledger.append(fact) }
        }
    }

    /// A row with fewer cells than the header, or with text beyond its last column.
    private func shapeProblem(_ cells: [String], header: MasterDataHeader, line: Int) -> InputIssue? {
        let width = header.names.count
        if cells.count < width {
            return InputIssue(file: file, line: line, column: cells.count + 1, columnName: header.names[cells.count], found: "\(cells.count) fields",
                              expected: "\(width) fields, one for each column of the header")
        }
        if let extra = cells.indices.dropFirst(width).first(where: { !cells[$0].trimmingASCIISpaces().isEmpty }) {
            return InputIssue(file: file, line: line, column: extra + 1, found: cells[extra],
                              expected: "nothing beyond the \(width) columns of the header")
        }
        return nil
    }
}
