import Foundation
import LedgerCore
import LedgerStore
import OrderImport

// Paying a closed month: payment files (recorded, so that no payout goes into two by accident),
// marking payouts paid (one, or a file of them in one transaction), reopening the latest closed
// month, and the payments made (for the books).

/// A payment file to write: the month, the layout and what to include besides the payouts nobody
/// paid or exported yet.
public struct PaymentFileRequest: Sendable {
    public var month: YearMonth
    /// generic, paypal, wise or bank.
    public var format: String
    public var options: ExportOptions
    /// The file (nil: standard output).
    public var output: String?
    /// Whether an existing file at `output` may be replaced (`--force`).
    public var replace: Bool

    public init(month: YearMonth, format: String, options: ExportOptions, output: String?, replace: Bool = false) {
        self.month = month; self.format = format; self.options = options; self.output = output
        self.replace = replace
    }
}

/// What `payout export` did.
public struct PaymentFileReport: Sendable {
    /// In the file, by creator.
    public var written: [PaymentItem]
    /// Left out, with why, by creator.
    public var leftOut: [(item: PaymentItem, reason: LeftOut)]
    /// Files written for a close of this month that was reopened since: not to be uploaded.
    public var reopenedFiles: [PayoutExported]
    public var totalMinor: Int64 { written.reduce(0) { $0 + $1.amountMinor } }
}

/// What `payout reopen` did.
public struct ReopenReport: Sendable {
    public var reopened: MonthReopened
    /// How many statements stopped counting.
    public var statements: Int
    /// Payment files written for the close taken back: they hold its figures and must not be uploaded.
    public var files: [PayoutExported]
    /// Journals written for the books of the close taken back: to be voided there.
    public var journals: [JournalExported] = []
}

extension LedgerSession {
    /// `payout export`: a closed month's payment file, recorded as a `payout.exported` fact. The
    /// file is written under a temporary name beside `output` inside the transaction and renamed
    /// into place only after the commit (the file and its folder flushed): a kill before the commit
    /// leaves no file under its name and nothing recorded; a kill after it leaves the export
    /// recorded and its file missing, which `payout show` and the next export say
    /// (`missingFileNote`). `render` lays the chosen payouts out; without `output` the text goes to
    /// `standardOutput`. A file is written with mode 0600: it names people and their accounts.
    public func exportPayments(
        _ request: PaymentFileRequest, render: ([PaymentItem]) -> String,
        standardOutput: (String) -> Void
    ) throws -> PaymentFileReport {
        var staged: String? = nil
        defer { if let staged { try? FileManager.default.removeItem(atPath: staged) } }
        let report = try ledger.write { ledger in
            let snapshot = try ledger.snapshot()
            let items = try paymentItems(snapshot, request.month)
            let selection = selectPayments(
                items, month: request.month, options: request.options,
                snapshot: snapshot)
            try refuseUnpayable(selection, request, payouts: items.count)
            let text = render(selection.paid)
            if let output = request.output {
                // An existing file may be an earlier payment file not uploaded yet: replacing it
                // would drop its payouts, which this ledger counts as exported.
                try refuseOwnFile(output, writing: "payment file")
                if FileManager.default.fileExists(atPath: output) {
                    if !request.replace { throw UserError(existingFileMessage(output, snapshot)) }
                    try refuseReplacingPaymentFile(
                        output, snapshot, keeping: request.month, selection.paid.map(\.creator))
                }
                staged = try stageOutputFile(text, beside: output)
            } else {
                standardOutput(text)
            }
            if !selection.paid.isEmpty {
                try ledger.append(
                    .payoutExported(
                        PayoutExported(
                            month: request.month, format: request.format,
                            file: request.output.map(Self.absolutePath) ?? "-",
                            creators: selection.paid.map(\.creator),
                            totalMinor: selection.paid.reduce(0) { $0 + $1.amountMinor },
                            at: ledger.clock.now())))
            }
            let reopened = snapshot.paymentFiles.filter { $0.export.month == request.month && $0.reopened }
                .map(\.export)
            return PaymentFileReport(written: selection.paid, leftOut: selection.leftOut, reopenedFiles: reopened)
        }
        if let from = staged, let output = request.output {
            do {
                try publishOutputFile(from, to: output, replacing: request.replace)
                staged = nil
            } catch {
                // Recorded, but not in place: the staged file is the one recorded; keep it and say where.
                staged = nil
                let why = error.isExists ? "a file \(output) appeared meanwhile" : error.reason
                throw UserError(
                    "the payment file is recorded as \(output) but could not be put there (\(why)): "
                        + "it is at \(from); move it to \(output) (or upload it from there)")
            }
        }
        return report
    }

    /// Why an existing `output` stops an export, and whether the ledger knows it as a payment file.
    private func existingFileMessage(_ output: String, _ snapshot: LedgerSnapshot) -> String {
        let recorded = snapshot.paymentFiles.map(\.export).last { samePath($0.file, output) }
        let what =
            recorded.map { "it is \(describe($0)) for \($0.month), recorded in this ledger" }
            ?? "no payment file of this ledger was exported to that name (an earlier payment file of another "
            + "ledger, or a file left by an export killed before it finished?)"
        return "\(output) exists: \(what): give another --output, or --force to replace it; nothing was written"
    }

    /// `--force` replaces a file, but not a payment file this ledger recorded for a close still in
    /// force unless the new file pays each of its payouts again (`--include-exported`): they count as
    /// exported, and would otherwise be in no file (the next export leaves them out as "already in"
    /// it). A file of a reopened close holds void figures and may be replaced.
    private func refuseReplacingPaymentFile(
        _ output: String, _ snapshot: LedgerSnapshot, keeping month: YearMonth, _ creators: [String]
    ) throws {
        let kept = Set(creators)
        let dropped = snapshot.paymentFiles.filter { samePath($0.export.file, output) && !$0.reopened }
            .flatMap { file in
                file.export.creators.filter { file.export.month != month || !kept.contains($0) }
                    .map { (file.export, $0) }
            }
        guard let (file, _) = dropped.first else { return }
        throw UserError(
            "\(output) is \(describe(file)) for \(file.month), recorded in this ledger: replacing it would leave "
                + "\(dropped.count) of its payouts in no file (\(dropped.prefix(5).map(\.1).joined(separator: ", "))"
                + "\(dropped.count > 5 ? ", ..." : "")); give another --output; nothing was written")
    }

    /// Whether two paths name one file: the same text, or the same absolute path from this folder.
    private func samePath(_ a: String, _ b: String) -> Bool {
        a == b || URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }

    /// The absolute path a payment file is recorded under: `--output` as typed is relative to the
    /// folder the export ran in, and a check from another folder (a colleague's, a cron job's) would
    /// find no file there and invite writing its payouts again.
    static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// For a recorded payment file no longer found at its name: an export killed after recording it
    /// and before renaming it into place, or a file moved or deleted since. Nil when the file is
    /// there, or for standard output. Files are recorded with their absolute path; a relative name
    /// (recorded by tally before 2026-12) can only be checked from the folder its export ran in.
    public func missingFileNote(_ file: PayoutExported) -> String? {
        guard file.file != "-", !FileManager.default.fileExists(atPath: file.file) else { return nil }
        let again =
            "'tally payout export --month \(file.month) --to \(file.format) --include-exported' writes its "
            + "payouts again"
        guard file.file.hasPrefix("/") else {
            return "\(file.file) is not found from this folder: the name was recorded relative to the folder "
                + "its export ran in; if it is not there either and was never uploaded, \(again)"
        }
        return "\(file.file) is not found (an export interrupted before the file was put in place, or moved "
            + "since): if it was never uploaded, \(again)"
    }

    /// Without `--skip-missing` a payout without details stops the file; a file with no payout in
    /// it while the month has some (all paid, exported or by another method) is refused too: it
    /// would overwrite a file that may not be uploaded yet, and pay nobody.
    private func refuseUnpayable(_ selection: PaymentSelection, _ request: PaymentFileRequest, payouts: Int) throws {
        let month = request.month, format = request.format
        let missing = selection.missingDetails
        if !missing.isEmpty {
            let have = missing.count == 1 ? " has" : "s have"
            throw UserError(
                "cannot write the \(format) file for \(month): \(missing.count) creator\(have) a payout "
                    + "but no payout details: \(Self.listedNames(missing.map(\.creator))); record their "
                    + "payout_method "
                    + "and payout_account (tally import creators) and export again, or give --skip-missing to "
                    + "write the others")
        }
        guard selection.paid.isEmpty, payouts > 0 else { return }
        var lines = ["nothing to put in a \(format) file for \(month): every payout is left out:"]
        lines += leftOutLines(selection.leftOut).map { "  " + $0 }
        if selection.leftOut.contains(where: { if case .exported = $0.reason { true } else { false } }) {
            lines += missingFiles(selection.leftOut).compactMap(missingFileNote)
            lines.append("--include-exported writes them again (only for a file lost before it was uploaded)")
            lines.append(
                "to look at the payouts without recording an export (as an export to standard output is): "
                    + "tally payout show --month \(month) [--format csv]")
        }
        lines.append("nothing was written")
        throw UserError(lines.joined(separator: "\n"))
    }

    /// The recorded payment files that left payouts out of this one and are not found at their names.
    public func missingFiles(_ leftOut: [(item: PaymentItem, reason: LeftOut)]) -> [PayoutExported] {
        var seen: [PayoutExported] = []
        for (_, reason) in leftOut {
            if case let .exported(file) = reason, !seen.contains(where: { $0.file == file.file && $0.at == file.at }),
                missingFileNote(file) != nil
            {
                seen.append(file)
            }
        }
        return seen
    }

    /// The payouts left out of a file, one line per reason: `paid by wise: leafy-lena, matcha-mo`.
    public func leftOutLines(_ leftOut: [(item: PaymentItem, reason: LeftOut)]) -> [String] {
        var order: [String] = []
        var creators: [String: [String]] = [:]
        for (item, reason) in leftOut {
            let (key, shown): (String, String)
            switch reason {
            case let .paid(p):
                let shownPaid = "\(item.creator) (\(p.paidOn), \(p.method.rawValue), \(p.reference))"
                (key, shown) = ("already marked paid", shownPaid)
            case let .exported(file): (key, shown) = ("already in \(describe(file))", item.creator)
            case .noDetails: (key, shown) = ("no payout details", item.creator)
            case let .otherMethod(method): (key, shown) = ("paid by \(method)", item.creator)
            }
            if creators[key] == nil { order.append(key) }
            creators[key, default: []].append(shown)
        }
        return order.map { Self.listedLine($0, creators[$0]!) }
    }

    /// `a, b, c`; past `namesListed` names, `a, b, ... and 1990 more`.
    static func listedNames(_ names: [String]) -> String {
        names.count > namesListed
            ? names.prefix(namesListed).joined(separator: ", ") + " and \(names.count - namesListed) more"
            : names.joined(separator: ", ")
    }

    /// `reason: a, b, c`; past `namesListed` names, `reason: 2000 payouts: a, b, ... and 1990 more (...)`.
    public static func listedLine(_ reason: String, _ names: [String]) -> String {
        guard names.count > namesListed else { return "\(reason): " + names.joined(separator: ", ") }
        return "\(reason): \(names.count) payouts: \(listedNames(names)) (tally payout show lists every payout)"
    }

    /// How many creators a left-out line names before it counts the rest: a shop with 2,000 creators
    /// would otherwise get a screen of names per reason.
    static let namesListed = 10

    /// The payouts above 0 of a closed month with the creators' names and payout details in clear
    /// (accounts are stored sealed; only a payment file opens them), by creator.
    func paymentItems(_ snapshot: LedgerSnapshot, _ month: YearMonth) throws -> [PaymentItem] {
        let payable = try closedStatements(snapshot, month).filter { $0.figures.payoutMinor > 0 }
        return try payable.map { s in
            let creator = snapshot.creators[s.creator]
            let details = try creator?.payout.map {
                PayoutDetails(method: $0.method, account: try payoutAccountInClear($0))
            }
            return PaymentItem(
                creator: s.creator, name: creator?.name ?? s.creator, amountMinor: s.figures.payoutMinor,
                details: details)
        }
    }

    /// `payout mark-paid --creator ID --reference REF [--date] [--method] [--dry-run]`.
    public func markPaid(month: YearMonth, mark: PaymentMark, dryRun: Bool = false) throws -> MarkPaidOutcome {
        do {
            return try recordMarks(month, [mark], dryRun: dryRun)[0]
        } catch let refusal as MarkPaidRefusal {
            throw UserError(refusal.problems.map(\.message).joined(separator: "\n"))
        }
    }

    /// `payout mark-paid --from-file FILE`: every row in one transaction, or none. `date` and
    /// `method`: for the rows that leave theirs empty. `dryRun`: every check, nothing recorded.
    /// `undated`: told how many rows had no date (from the file or `date`) and so are marked paid today.
    public func markPaid(
        month: YearMonth, fromFile path: String, date: CivilDate?, method: PaymentMethod?,
        dryRun: Bool = false, undated: ((Int) -> Void)? = nil
    ) throws -> [MarkPaidOutcome] {
        let file: PaymentMarksFile
        do throws(MasterDataImportError) {
            file = try PaymentMarksFile.read(
                path: path, file: path, zone: zone, month: month,
                currency: baseCurrency)
        } catch {
            throw fileRefusal(path, error.issues, more: error.moreCount)
        }
        undated?(date == nil ? file.marks.filter { $0.paidOn == nil }.count : 0)
        let marks = file.marks.map { mark -> PaymentMark in
            var mark = mark
            mark.paidOn = mark.paidOn ?? date
            mark.method = mark.method ?? method
            return mark
        }
        guard !marks.isEmpty || !file.issues.isEmpty else {
            throw UserError("\(path): no payments in the file (expected rows of \(PaymentMarksFile.documentedHeader))")
        }
        let refusal = { (problems: [MarkProblem]) -> UserError in
            // Every bad line in one round: the rows' own problems and the ledger's, by line.
            let issues =
                (file.issues
                + problems.map { p in
                    InputIssue(file: path, line: p.line ?? 0, column: file.columns[p.field] ?? 0, expected: p.message)
                }).enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
            let shown = Array(issues.prefix(MasterDataFileReader.issuesMax))
            return self.fileRefusal(path, shown, more: issues.count - shown.count + file.moreIssues)
        }
        guard file.issues.isEmpty else {
            // The rows that are fine are checked against the ledger too, recording nothing.
            do {
                if !marks.isEmpty { _ = try recordMarks(month, marks, dryRun: true) }
            } catch let ledgerRefusal as MarkPaidRefusal {
                throw refusal(ledgerRefusal.problems)
            }
            throw refusal([])
        }
        do {
            return try recordMarks(month, marks, dryRun: dryRun)
        } catch let ledgerRefusal as MarkPaidRefusal {
            throw refusal(ledgerRefusal.problems)
        }
    }

    /// Every problem of a file of payments, each as `file:line:column: ...`, then the count.
    private func fileRefusal(_ path: String, _ issues: [InputIssue], more: Int) -> UserError {
        var lines = issues.map(\.description)
        if more > 0 { lines.append("... and \(more) more problem\(more == 1 ? "" : "s")") }
        let total = issues.count + more
        lines.append("\(path): \(total) problem\(total == 1 ? "" : "s"); no payout was marked paid")
        return UserError(lines.joined(separator: "\n"))
    }

    private func recordMarks(_ month: YearMonth, _ marks: [PaymentMark], dryRun: Bool) throws -> [MarkPaidOutcome] {
        let decide = { (ledger: Ledger) throws -> [(MarkPaidOutcome, PayoutPaid?)] in
            let now = ledger.clock.now()
            return try LedgerCore.markPaid(
                month: month, marks: marks, today: self.zone.civilDate(of: now), at: now,
                snapshot: try ledger.snapshot())
        }
        if dryRun { return try ledger.read { try decide(ledger) }.map(\.0) }
        return try ledger.write { ledger in
            let results = try decide(ledger)
            for case let (_, fact?) in results { try ledger.append(.payoutPaid(fact)) }
            return results.map(\.0)
        }
    }

    /// `payout reopen --month M --reason TEXT [--not-uploaded] [--not-booked] [--not-paid]`.
    public func reopen(
        month: YearMonth, reason: String, filesNotUploaded: Bool = false, journalsNotBooked: Bool = false,
        marksNotPaid: Bool = false
    ) throws -> ReopenReport {
        try ledger.write { ledger in
            let snapshot = try ledger.snapshot()
            let (fact, files, journals) = try reopenMonth(
                month, reason: reason, at: ledger.clock.now(), snapshot: snapshot,
                filesNotUploaded: filesNotUploaded, journalsNotBooked: journalsNotBooked, marksNotPaid: marksNotPaid)
            try ledger.append(.monthReopened(fact))
            return ReopenReport(
                reopened: fact, statements: snapshot.statements.filter { $0.month == month }.count,
                files: files, journals: journals)
        }
    }

    /// The marks of `month`'s payouts taken back (`payout unmark-paid`), in log order: a mark made
    /// again with a reference taken back is said (`payout mark-paid`).
    public func marksTakenBack(_ month: YearMonth) throws -> [PayoutUnmarked] {
        try ledger.payoutUnmarks().filter { $0.month == month }
    }

    /// `payout unmark-paid --month M --creator ID --reason TEXT [--not-booked]`: the mark taken back,
    /// and the journal files that held its payment journal (with --not-booked).
    public func unmarkPaid(
        month: YearMonth, creator: String, reason: String, journalsNotBooked: Bool = false
    ) throws -> (mark: PaidPayout, journals: [JournalExported]) {
        try ledger.write { ledger in
            let (fact, mark, journals) = try LedgerCore.unmarkPaid(
                month: month, creator: creator, reason: reason, at: ledger.clock.now(),
                snapshot: try ledger.snapshot(), journalsNotBooked: journalsNotBooked)
            try ledger.append(.payoutUnmarked(fact))
            return (mark, journals)
        }
    }

    /// The payments made from `from` through `through` (their days, inclusive), with the day, the
    /// method, the amount, the creator and the month they pay, by day then creator: what the books
    /// and the tax forms read (`tally journal`, `tally payments`).
    public func paymentsMade(from: CivilDate, through: CivilDate) throws -> [PaidPayout] {
        try ledger.payments(from: from, through: through)
    }
}

extension LedgerSession {
    /// `the generic file payouts.csv (exported 2026-10-02T10:14:00-04:00)`.
    /// A file under the current folder is named relative to it, as it was typed.
    public func describe(_ file: PayoutExported) -> String {
        let name = file.file == "-" ? "written to standard output" : shownPath(file.file)
        return "the \(file.format) file \(name) (exported \(zone.timestamp(file.at)))"
    }

    /// `path` relative to the current folder when it lies below it, else as recorded.
    func shownPath(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let prefix = here.hasSuffix("/") ? here : here + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
