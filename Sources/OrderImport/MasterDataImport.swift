import LedgerCore

/// What an import of one master-data file did (or, in a dry run, would do).
public struct MasterDataSummary: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var kind: MasterDataKind
    public var dryRun: Bool
    public var rows = 0
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    /// Notes to show on stderr (a rate far from its neighbours), by line.
    public var notes: [String] = []
    /// Terms: per creator the plan parts of the terms given that can never pay (docs/plans.md).
    public var planNotes: [String] = []
    /// The columns of the header the kind does not read (as written): ignored, and said.
    public var ignoredColumns: [String] = []

    public var factsAppended: Int { added + changed }

    /// `creators.csv: 12 rows, 3 new, 1 changed, 8 unchanged`.
    public var description: String {
        let plural = rows == 1 ? "row" : "rows"
        var text = "\(file): \(rows) \(plural), \(added) new, \(changed) changed, \(unchanged) unchanged"
        if dryRun { text += " (dry run: nothing written)" }
        return text
    }

    public init(file: String, kind: MasterDataKind, dryRun: Bool) {
        self.file = file; self.kind = kind; self.dryRun = dryRun
    }

    mutating func count(_ change: MasterDataChange) {
        switch change {
        case .added: added += 1
        case .changed: changed += 1
        case .unchanged: unchanged += 1
        }
    }
}

/// Every problem found in a file (up to `MasterDataFileReader.issuesMax`); nothing was written.
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

/// One master-data CSV file, read row by row against a `MasterDataBook`: the header is checked
/// when the file is opened, then `apply` turns every row into the fact of what it changes. Every
/// problem is collected (up to `issuesMax`); the caller writes the facts only if there is none.
public struct MasterDataFileReader: ~Copyable {
    /// Problems listed before "... and N more".
    public static let issuesMax = 50
    /// Data rows read from one file; a bigger file is refused rather than held in one transaction.
    public static let rowsMax = 1_000_000

    public let kind: MasterDataKind
    /// The file's name in messages.
    public let file: String
    /// For creators: the platform of each follower column, by column index.
    public let platformColumns: [(index: Int, platform: String)]
    private let header: MasterDataHeader
    private var reader: CSVReader

    /// Opens `path` (named `file` in messages) and checks its header.
    public init(_ kind: MasterDataKind, path: String, file: String) throws(MasterDataImportError) {
        var reader: CSVReader
        do throws(CSVError) { reader = try CSVReader(path: path) } catch {
            throw MasterDataImportError(file: file, issues: [.file(file, error.message)], moreCount: 0)
        }
        let header = try Self.readHeader(&reader, kind: kind, file: file)
        self.kind = kind
        self.file = file
        self.header = header.columns
        self.platformColumns = header.platforms
        self.reader = reader
    }

    /// Reads every row, applying it to `book`, and hands the fact of each new or changed row to
    /// `append` while no problem has been found. Throws `MasterDataImportError` with every problem.
    public mutating func apply(
        to book: inout MasterDataBook, context: RowContext, dryRun: Bool,
        append: (Fact) throws -> Void
    ) throws -> MasterDataSummary {
        var pass = Pass(file: file, summary: MasterDataSummary(file: file, kind: kind, dryRun: dryRun))
        try pass.readRows(&reader, kind: kind, header: header, book: &book, context: context, append: append)
        if pass.total > 0 {
            throw MasterDataImportError(file: file, issues: pass.issues, moreCount: pass.total - pass.issues.count)
        }
        pass.summary.notes = book.notes
        pass.summary.ignoredColumns = header.ignored
        book.notes = []
        return pass.summary
    }

    private typealias Header = (columns: MasterDataHeader, platforms: [(index: Int, platform: String)])

    private static func readHeader(
        _ reader: inout CSVReader, kind: MasterDataKind,
        file: String
    ) throws(MasterDataImportError) -> Header {
        func fail(_ issue: InputIssue) -> MasterDataImportError {
            MasterDataImportError(file: file, issues: [issue], moreCount: 0)
        }
        var cells: [String]? = nil
        do throws(CSVError) {
            if try reader.next() {
                cells = try (0..<reader.fieldCount).map { i throws(CSVError) in try reader.validatedString(i) }
            }
        } catch {
            throw fail(InputIssue(file: file, error))
        }
        guard let cells else {
            throw fail(.file(file, "the file is empty; expected a header row: \(kind.documentedHeader)"))
        }
        let header: MasterDataHeader
        switch MasterDataHeader.read(cells, kind: kind, file: file) {
        case let .success(h): header = h
        case let .failure(issue): throw fail(issue)
        }
        guard kind == .creators else { return (header, []) }
        switch OrderImport.platformColumns(header, file: file) {
        case let .success(platforms): return (header, platforms)
        case let .failure(issue):
            // Every other column of a creators file is a platform: an order export fails here.
            if let other = recognizeFile(cells, file: file, except: kind.rawValue) {
                throw fail(
                    InputIssue(
                        file: file, line: 1, column: 0,
                        expected: "a creators file (\(kind.documentedHeader)); \(other.hint)"))
            }
            throw fail(issue)
        }
    }
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
        issues.append(contentsOf: found.prefix(MasterDataFileReader.issuesMax - issues.count))
    }

    mutating func readRows(
        _ reader: inout CSVReader, kind: MasterDataKind, header: MasterDataHeader, book: inout MasterDataBook,
        context: RowContext, append: (Fact) throws -> Void
    ) throws {
        while true {  // bounded by MasterDataFileReader.rowsMax
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
            if summary.rows > MasterDataFileReader.rowsMax {
                let expected = "at most \(MasterDataFileReader.rowsMax) rows in one file; split it"
                report([InputIssue(file: file, line: reader.recordLine, column: 0, expected: expected)])
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
            if let fact, total == 0 { try append(fact) }
        }
    }

    /// A row with fewer cells than the header, or with text beyond its last column.
    private func shapeProblem(_ cells: [String], header: MasterDataHeader, line: Int) -> InputIssue? {
        let width = header.names.count
        if cells.count < width {
            return InputIssue(
                file: file, line: line, column: cells.count + 1, columnName: header.names[cells.count],
                found: "\(cells.count) fields",
                expected: "\(width) fields, one for each column of the header")
        }
        if let extra = cells.indices.dropFirst(width).first(where: { !cells[$0].trimmingASCIISpaces().isEmpty }) {
            return InputIssue(
                file: file, line: line, column: extra + 1, found: cells[extra],
                expected: "nothing beyond the \(width) columns of the header")
        }
        return nil
    }
}
