import LedgerCore

/// A file of payouts to mark paid (`payout mark-paid --from-file`): a header row with `creator` and
/// `reference`, optionally `date` and `method`, in any order (other columns ignored), and a row per
/// payout. Every problem of the file is collected; none is recorded unless the whole file is clean.
/// The rows' own problems (a bad date, a missing reference) come back with the rows that are fine,
/// so that the ledger's checks of those (no payout, marked twice) are reported in the same round.
public struct PaymentMarksFile: Sendable {
    public static let documentedHeader = "creator,reference[,date,method,amount]"
    /// Rows read from one file: a batch is one transaction.
    public static let rowsMax = 100_000

    public var marks: [PaymentMark]
    /// The column of each field, 1-based (0: not in the file): where a problem of a mark points.
    public var columns: [MarkProblem.Field: Int]
    /// The rows' problems (at most `MasterDataFileReader.issuesMax`), and how many more there were.
    public var issues: [InputIssue] = []
    public var moreIssues = 0

    /// Reads `path` (named `file` in messages). A date is `YYYY-MM-DD` or a timestamp, its day taken
    /// in `zone`; a method is paypal, wise, bank or other; empty cells take the command's defaults.
    /// `month`: the month being marked; a row whose own `month` cell (a payment file of tally's has
    /// one) names another is refused, so that another month's file never marks this month's payouts.
    /// An `amount` cell (tally's generic payment file has one) must be the payout as closed, in
    /// `currency`: a row that pays another amount is refused rather than marked paid for the payout.
    public static func read(path: String, file: String, zone: Zone, month: YearMonth, currency: Currency)
        throws(MasterDataImportError) -> PaymentMarksFile
    {
        var issues: [InputIssue] = []
        var total = 0
        func report(_ found: [InputIssue]) {
            total += found.count
            issues.append(contentsOf: found.prefix(MasterDataFileReader.issuesMax - issues.count))
        }
        var reader: CSVReader
        do throws(CSVError) { reader = try CSVReader(path: path) } catch {
            throw MasterDataImportError(file: file, issues: [.file(file, error.message)], moreCount: 0)
        }
        var headerCells: [String]? = nil
        do throws(CSVError) {
            if try reader.next() {
                headerCells = try (0..<reader.fieldCount).map { i throws(CSVError) in try reader.validatedString(i) }
            }
        } catch {
            throw MasterDataImportError(file: file, issues: [InputIssue(file: file, error)], moreCount: 0)
        }
        guard let headerCells else {
            throw MasterDataImportError(
                file: file,
                issues: [
                    .file(
                        file,
                        "the file is empty; expected a header row: "
                            + documentedHeader)
                ], moreCount: 0)
        }
        let header = try readHeader(headerCells, file: file)
        var marks: [PaymentMark] = []
        while true {  // bounded by rowsMax
            let cells: [String]
            do throws(CSVError) {
                guard try reader.next() else { break }
                if reader.fieldCount == 1 && reader.isEmpty(0) { continue }  // a blank line
                cells = try (0..<reader.fieldCount).map { i throws(CSVError) in try reader.validatedString(i) }
            } catch {
                report([InputIssue(file: file, error)])
                break
            }
            guard marks.count < rowsMax else {
                report([
                    InputIssue(
                        file: file, line: reader.recordLine, column: 0,
                        expected: "at most \(rowsMax) rows in one file; split it")
                ])
                break
            }
            var row = RowReader(file: file, line: reader.recordLine, header: header, cells: cells)
            let mark = Self.mark(&row, zone: zone, month: month, currency: currency)
            report(row.issues)
            if let mark { marks.append(mark) }
        }
        var columns: [MarkProblem.Field: Int] = [:]
        for field in [MarkProblem.Field.creator, .reference, .date, .method, .amount] {
            columns[field] = header.index[field.rawValue].map { $0 + 1 } ?? 0
        }
        return PaymentMarksFile(marks: marks, columns: columns, issues: issues, moreIssues: total - issues.count)
    }

    private static func readHeader(_ cells: [String], file: String) throws(MasterDataImportError) -> MasterDataHeader {
        let names = cells.map { $0.trimmingASCIISpaces().lowercased() }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where !name.isEmpty {
            if let first = index[name] {
                let issue = InputIssue(
                    file: file, line: 1, column: i + 1, columnName: name, found: cells[i],
                    expected: "each column once (column \(first + 1) has the same name)")
                throw MasterDataImportError(file: file, issues: [issue], moreCount: 0)
            }
            index[name] = i
        }
        let missing = ["creator", "reference"].filter { index[$0] == nil }
        if !missing.isEmpty, cells.count == 1,
            let issue = otherDelimiter(cells[0], header: documentedHeader, file: file)
        {
            throw MasterDataImportError(file: file, issues: [issue], moreCount: 0)
        }
        if !missing.isEmpty, let layout = uploadFileLayout(names) {
            // The file tally wrote for the upload is what was to be paid, not what was paid.
            let issue = InputIssue(
                file: file, line: 1, column: 0,
                expected: "a file of payments (\(documentedHeader)); this is the \(layout) file tally wrote for "
                    + "the upload, not a record of what was paid: once the money has left, write a file of "
                    + "creator,reference rows with the references \(layout) gave the payments, or mark each with "
                    + "--creator ID --reference REF")
            throw MasterDataImportError(file: file, issues: [issue], moreCount: 0)
        }
        if !missing.isEmpty, let other = recognizeFile(cells, file: file, except: "payments") {
            let issue = InputIssue(
                file: file, line: 1, column: 0,
                expected: "a file of payments (\(documentedHeader)); \(other.hint)")
            throw MasterDataImportError(file: file, issues: [issue], moreCount: 0)
        }
        guard missing.isEmpty else {
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw MasterDataImportError(
                file: file,
                issues: [
                    InputIssue(
                        file: file, line: 1, column: 0,
                        expected: "missing column\(missing.count > 1 ? "s" : "") \(list) in the header "
                            + "(a file of payments has \(documentedHeader), in any order)")
                ], moreCount: 0)
        }
        return MasterDataHeader(raw: cells, names: names, index: index)
    }

    private static func mark(
        _ row: inout RowReader, zone: Zone, month: YearMonth,
        currency: Currency
    ) -> PaymentMark? {
        _ = row.optional("month") { text -> Result<YearMonth, ValueProblem> in
            guard let written = YearMonth.parse(text) else {
                // Not a month at all: most often the spreadsheet the file went through rewrote it.
                let excel = spreadsheetMonth(month)
                return .failure(
                    ValueProblem(
                        "\(month), the month being marked, written YYYY-MM (a spreadsheet rewrites months: Excel "
                            + "shows \(month) as \(excel)): write \(month), or delete the month column"))
            }
            guard written == month else {
                return .failure(ValueProblem("\(month), the month being marked (this row is for another month)"))
            }
            return .success(month)
        }
        let creator = row.requiredText("creator", "a creator id")
        let reference = row.requiredText("reference", "the payment's external reference")
        let date = row.optional("date") { text -> Result<CivilDate, ValueProblem> in
            guard let instant = parseDateOrTimestamp(text, zone: zone) else {
                return .failure(
                    ValueProblem("a date like 2026-10-05" + (slashedDateNote(text).map { "; " + $0 } ?? "")))
            }
            return .success(zone.civilDate(of: instant))
        }
        let method = row.optional("method") { text -> Result<PaymentMethod, ValueProblem> in
            guard let method = PaymentMethod(rawValue: text.lowercased()) else {
                return .failure(ValueProblem("a payment method: paypal, wise, bank or other"))
            }
            return .success(method)
        }
        let amount = row.optional("amount") { text -> Result<Int64, ValueProblem> in
            parseAmount(text, currency).mapError {
                ValueProblem("the amount paid in \(currency.code), like 70.74 (\($0))")
            }
        }
        guard row.issues.isEmpty, let creator, let reference else { return nil }
        return PaymentMark(
            creator: creator, reference: reference, paidOn: date, method: method, amountMinor: amount,
            line: row.line)
    }
}

/// `PayPal` or `Wise` when the first line (`names`: trimmed, lower-cased) is that of the payment file
/// `payout export --to paypal|wise` writes: PayPal's has no header (a payment: recipient, amount,
/// currency, `TALLY-...` reference, note, `PAYPAL`), Wise's header names `recipientEmail` and
/// `paymentReference`.
func uploadFileLayout(_ names: [String]) -> String? {
    if names.count == 6, names[5] == "paypal", names[3].hasPrefix("tally-") { return "PayPal" }
    if names.contains("recipientemail"), names.contains("paymentreference") { return "Wise" }
    return nil
}

/// How Excel (English) shows a month it read as a date: 2026-09 as `Sep-26`.
func spreadsheetMonth(_ month: YearMonth) -> String {
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let year = month.year % 100
    return names[month.month - 1] + "-" + (year < 10 ? "0" : "") + String(year)
}
