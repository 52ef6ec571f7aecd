import App
import ArgumentParser
import Foundation
import LedgerCore

/// `tally payout preview|close|show|export|mark-paid`.
struct PayoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payout",
        abstract: "Monthly statements and payouts: preview, close, show, export payment files, mark paid.",
        discussion: """
            Months are calendar months in the ledger's time zone and are closed in order. A close freezes \
            one statement per creator; facts dated inside a closed month land in the next month closed.
            """,
        subcommands: [
            PayoutPreviewCommand.self, PayoutCloseCommand.self, PayoutShowCommand.self,
            PayoutExportCommand.self, PayoutMarkPaidCommand.self, PayoutUnmarkPaidCommand.self,
            PayoutReopenCommand.self
        ]
    )
}

/// `--month YYYY-MM`, shared by the payout and statement commands.
struct MonthOption: ParsableArguments {
    @Option(help: ArgumentHelp("The payout month, a calendar month in the ledger's time zone.", valueName: "YYYY-MM"))
    var month: YearMonth

    var value: YearMonth { month }
}

/// Runs `body`, turning the store's payout refusals into user errors (exit status 1).
func asUserErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as PayoutError { throw UserError(error.description) }
}

/// The payout table of cli.md, one row per statement, then the creator's name and what was paid
/// (empty until paid), with a totals row in table format.
func payoutReport(month: YearMonth, currency: Currency, rows: [PayoutRow]) -> Report {
    let e = currency.minorUnitExponent
    func money(_ f: PayoutFigures) -> [Int64] {
        [
            f.carriedInMinor, f.commissionsMinor, f.clawbacksMinor, f.feesMinor, f.adjustmentsMinor, f.balanceMinor,
            f.payoutMinor, f.carriedOutMinor
        ]
    }
    var report = Report(columns: [
        "month", "creator", "currency", "carried_in", "commissions", "clawbacks", "fees",
        "adjustments", "balance", "payout", "carried_out", "name", "paid_on", "method",
        "reference"
    ])
    var totals = [Int64](repeating: 0, count: 8)
    // cli.md: a row for every creator with a non-zero carried_in, commissions, clawbacks, fees or
    // adjustments. A statement whose lines cancel out (a fee and its correction) is frozen all the
    // same, so that its lines are not settled again, but it has no row.
    for row in rows where row.figures.isShown {
        let values = money(row.figures)
        for i in values.indices { totals[i] += values[i] }
        let paid: [Cell] =
            row.payment.map {
                [.text($0.paidOn.description), .text($0.method.rawValue), .text($0.reference)]
            }
            ?? [.none, .none, .none]
        report.rows.append(
            [.text(month.description), .text(row.creator), .text(currency.code)]
                + values.map { .money($0, exponent: e) } + [.text(row.name)] + paid)
    }
    report.totals =
        [.text("total"), .text(""), .text(currency.code)] + totals.map { .money($0, exponent: e) }
        + [.text(""), .text(""), .text(""), .text("")]
    return report
}

struct PayoutPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Compute a month's payouts without closing it.",
        discussion: "Lists orders that would block the close (a currency without an exchange rate) on standard error."
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let (result, notes, withoutTerms) = try asUserErrors { try session.previewPayoutsAndTermsGaps(month.value) }
        for note in notes { printNote(note) }
        noteCreatorsWithoutTerms(withoutTerms, session, month.value)
        if !result.blocking.isEmpty {
            printNote(blockingMessage(month.value, result.blocking) + " (left out of this preview)")
        }
        let names = try session.creatorNames()
        let rows = result.statements.map {
            PayoutRow(creator: $0.creator, name: names[$0.creator] ?? $0.creator, figures: $0.figures, payment: nil)
        }
        print(payoutReport(month: result.month, currency: result.currency, rows: rows).render(format), terminator: "")
    }
}

struct PayoutCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a month: freeze one statement per creator.",
        discussion: """
            Refuses a month already closed, a month out of order, a month that has not ended, and a month \
            with attributed orders in a currency without an exchange rate. All or nothing. The ledger's first \
            close refuses a month with orders, posts or adjustments in earlier months, unless --first says \
            that it is the first payout month: everything earlier then folds into it.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Flag(help: "This is the ledger's first payout month: fold every earlier order, post and adjustment into it.")
    var first = false

    func run() throws {
        let session = try options.open()
        let (result, folded, withoutTerms, beforeFirst) = try asUserErrors {
            try session.closeMonthAndTermsGaps(month.value, first: first)
        }
        let e = result.currency.minorUnitExponent
        let money = { (minor: Int64) in formatMinorGrouped(minor, exponent: e) + " " + result.currency.code }
        let payees = result.statements.filter { $0.figures.payoutMinor > 0 }.count
        let statements = "\(result.statements.count) statement\(result.statements.count == 1 ? "" : "s")"
        print(
            "Closed \(result.month): \(statements), \(payees) payout\(payees == 1 ? "" : "s") totalling "
                + "\(money(result.payoutTotalMinor)).")
        if let folded, !folded.facts.isEmpty {
            var parts: [String] = []
            let f = folded.facts
            if f.orders > 0 {
                parts.append("\(plural(f.orders, "order")) (commissions \(money(folded.commissionsMinor)))")
            }
            if f.posts > 0 { parts.append("\(plural(f.posts, "post")) (fees \(money(folded.feesMinor)))") }
            if f.adjustments > 0 {
                parts.append("\(plural(f.adjustments, "adjustment")) (\(money(folded.adjustmentsMinor)))")
            }
            let since = f.earliest.map { " from \(session.zone.civilDate(of: $0)) on" } ?? ""
            print("Folded into \(result.month)\(since): " + parts.joined(separator: ", ") + ".")
        }
        // The anchor to write down with the month's books: `tally verify --head SEQ:HASH` later.
        if let head = session.headAfterLastWrite { print("head: \(head)") }
        noteCreatorsWithoutTerms(withoutTerms, session, month.value)
        if let behind = try? session.exportsBehind(month.value) { printNote(behind) }
        for note in beforeFirst { printNote(note) }
    }
}

/// "1 order", "812 orders".
func plural(_ count: Int64, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

struct PayoutShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a closed month's frozen statements."
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let shown = try session.payoutMonth(month.value)
        let report = payoutReport(month: month.value, currency: session.baseCurrency, rows: shown.rows)
        print(report.render(format), terminator: "")
        // A recorded file not at its name (an export killed before renaming it into place): on stderr.
        for file in shown.files { if let note = session.missingFileNote(file) { printWarning(note) } }
        // Under the table only: the CSV and JSON columns are a contract.
        guard format == .table, !shown.files.isEmpty else { return }
        print()
        for file in shown.files {
            print("exported: \(session.describe(file)): \(plural(Int64(file.creators.count), "payout"))")
        }
    }
}

extension PaymentMethod: ExpressibleByArgument {}

struct PayoutMarkPaidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-paid",
        abstract: "Record that a closed month's payouts were made: one, or a file of them.",
        discussion: """
            With --creator and --reference, one payout; with --from-file, every row of a CSV file with a header \
            creator,reference[,date,method,amount], in one transaction (all or none; a row for a creator without a \
            payout that month, or whose amount is not the payout as closed, is an error naming the file and \
            line). --date is the day the money left (default today in the ledger's zone; not after today, nor \
            before the month ended); --method defaults to the creator's payout method, else other. With \
            --from-file they are the defaults of rows that leave theirs empty. A payout is marked once: the same \
            reference again changes nothing, another one is refused with what was recorded; a mark made by \
            mistake is taken back with unmark-paid, and --dry-run checks a file (or a mark) and says what it \
            would record, without recording it.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: ArgumentHelp("The creator's id.", valueName: "id")) var creator: String?
    @Option(
        help: ArgumentHelp(
            "The payment's external reference (bank, PayPal or Wise transaction id).",
            valueName: "ref"))
    var reference: String?
    @Option(help: ArgumentHelp("A CSV file of payments: creator,reference[,date,method].", valueName: "file"))
    var fromFile: String?
    @Option(help: ArgumentHelp("The day the money left (default: today in the ledger's zone).", valueName: "date"))
    var date: DateArgument?
    @Option(
        help: ArgumentHelp(
            "How it left: paypal, wise, bank or other (default: the creator's payout method).",
            valueName: "method"))
    var method: PaymentMethod?
    @Flag(name: .customLong("dry-run"), help: "Check and say what would be marked paid; record nothing.")
    var dryRun = false

    func validate() throws {
        if fromFile != nil {
            guard creator == nil && reference == nil else {
                throw ValidationError(
                    "--from-file marks the payouts its rows name: leave out --creator and --reference")
            }
            return
        }
        guard creator != nil, let reference else {
            throw ValidationError("give --creator and --reference (one payout), or --from-file FILE (a batch)")
        }
        guard !reference.trimmingASCIISpaces().isEmpty else { throw ValidationError("--reference must not be empty") }
    }

    func run() throws {
        let session = try options.open()
        let m = month.value
        let day = date.map { session.zone.civilDate(of: $0.instant(in: session.zone)) }
        let money = { (minor: Int64) in
            let currency = session.baseCurrency
            return formatMinorGrouped(minor, exponent: currency.minorUnitExponent) + " " + currency.code
        }
        if let fromFile {
            var undated = 0
            let outcomes = try session.markPaid(
                month: m, fromFile: fromFile, date: day, method: method,
                dryRun: dryRun, undated: { undated = $0 })
            let recorded = outcomes.compactMap { if case let .recorded(p) = $0 { return p } else { return nil } }
            let total = recorded.reduce(0) { $0 + $1.amountMinor }
            print(
                "\(dryRun ? "Would mark" : "Marked") \(plural(Int64(recorded.count), "payout")) of \(m) paid "
                    + "from \(fromFile), totalling \(money(total))\(dryRun ? " (--dry-run: nothing recorded):" : ".")")
            if dryRun {
                for p in recorded {
                    print(
                        "  \(p.creator): \(money(p.amountMinor)) paid on \(p.paidOn) by \(p.method.rawValue) "
                            + "(reference \(p.reference))")
                }
            }
            for outcome in outcomes { noteIfAlreadyMarked(outcome) }
            if undated > 0, !recorded.isEmpty {
                printNote(
                    "\(plural(Int64(undated), "row")) of \(fromFile) had no date: \(dryRun ? "would be " : "")marked "
                        + "paid today, "
                        + "\(recorded[0].paidOn.description); a mark is not changed later, so give --date (or a date "
                        + "column) with the day the money left when it was another day")
            }
            noteOwnReferences(recorded, month: m)
            try noteTakenBack(recorded, month: m, session: session, dryRun: dryRun)
            return
        }
        let mark = PaymentMark(
            creator: creator!.trimmingASCIISpaces(), reference: reference!.trimmingASCIISpaces(),
            paidOn: day, method: method)
        let outcome = try session.markPaid(month: m, mark: mark, dryRun: dryRun)
        let p = outcome.payment
        switch outcome {
        case .recorded:
            print(
                "\(dryRun ? "Would mark" : "Marked") the \(m) payout of \(money(p.amountMinor)) to \(p.creator) "
                    + "paid on \(p.paidOn) by \(p.method.rawValue) (reference \(p.reference))"
                    + (dryRun ? "; --dry-run: nothing recorded." : "."))
            noteOwnReferences([p], month: m)
        case .alreadyRecorded:
            print(
                "Already marked paid: the \(m) payout of \(money(p.amountMinor)) to \(p.creator), on \(p.paidOn) "
                    + "by \(p.method.rawValue) (reference \(p.reference)); nothing changed.")
            noteIfAlreadyMarked(outcome, named: false)
        }
        if case .recorded = outcome { try noteTakenBack([p], month: m, session: session, dryRun: dryRun) }
    }

    /// A mark made again with a reference that was taken back from the same payout: right when the
    /// date or the method was what was wrong; a batch file marked again uncorrected when not.
    private func noteTakenBack(_ recorded: [PaidPayout], month: YearMonth, session: LedgerSession, dryRun: Bool) throws
    {
        let taken = try session.marksTakenBack(month)
        for p in recorded {
            guard let back = taken.last(where: { $0.creator == p.creator && $0.reference == p.reference }) else {
                continue
            }
            printNote(
                "\(p.creator): reference \(p.reference) was taken back from this payout on "
                    + "\(session.zone.civilDate(of: back.at)) (\(back.reason)); \(dryRun ? "it would be" : "it is") "
                    + "marked paid with it again: if the reference was what was wrong, take this mark back "
                    + "(tally payout unmark-paid) and give the right one")
        }
    }

    /// References tally wrote into its own payment files (`TALLY-2026-08-anna`): the file made for the
    /// bank is not a record that the money left, and a mark is not changed later.
    private func noteOwnReferences(_ recorded: [PaidPayout], month: YearMonth) {
        let own = recorded.filter { $0.reference.hasPrefix("TALLY-\(month)-") }
        guard !own.isEmpty else { return }
        printNote(
            "\(plural(Int64(own.count), "payout")) marked with the reference tally wrote into the payment file "
                + "(\(own[0].reference)): mark payouts paid once the money has left, with the bank's or PayPal's "
                + "reference when there is one; a mark is not changed later")
    }

    /// A mark given again: nothing changes, and what differs from the record is said.
    private func noteIfAlreadyMarked(_ outcome: MarkPaidOutcome, named: Bool = true) {
        guard case let .alreadyRecorded(p, differs) = outcome else { return }
        if named { printNote("\(p.creator): already marked paid with reference \(p.reference); nothing changed") }
        if !differs.isEmpty {
            printNote(
                "\(p.creator): the record keeps its \(differs.joined(separator: " and ")) "
                    + "(a payout is marked once)")
        }
    }
}

/// `tally payout unmark-paid --month M --creator ID --reason TEXT [--not-booked]`.
struct PayoutUnmarkPaidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmark-paid",
        abstract: "Take back a payout marked paid by mistake (wrong creator, month or reference).",
        discussion: """
            Records a correction (the log keeps the mark it takes back, with its reference, and the reason): \
            the payout reads as unpaid again in balances, payments, payout show, the report and the journal, \
            and mark-paid records it anew with the right reference. Refused when the payout is not marked paid, \
            and when its payment journal (TALLY-PAID-YYYY-MM-CREATOR) was written for the books (journal \
            --output), unless --not-booked says that it is not in them (never imported, or voided there).
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: ArgumentHelp("The creator's id.", valueName: "id")) var creator: String
    @Option(help: ArgumentHelp("Why the mark is taken back (kept in the log).", valueName: "text")) var reason: String
    @Flag(help: "The journal file holding this payment is not in the books: never imported, or voided there.")
    var notBooked = false

    func validate() throws {
        guard !reason.trimmingASCIISpaces().isEmpty else { throw ValidationError("--reason must not be empty") }
    }

    func run() throws {
        let session = try options.open()
        let (p, journals) = try asUserErrors {
            try session.unmarkPaid(
                month: month.value, creator: creator.trimmingASCIISpaces(), reason: reason.trimmingASCIISpaces(),
                journalsNotBooked: notBooked)
        }
        let currency = session.baseCurrency
        let amount = formatMinorGrouped(p.amountMinor, exponent: currency.minorUnitExponent) + " " + currency.code
        print(
            "Took back the mark of the \(p.month) payout of \(amount) to \(p.creator) (paid on \(p.paidOn) by "
                + "\(p.method.rawValue), reference \(p.reference)): it is unpaid again; mark it paid with the right "
                + "reference once the money has left.")
        if !journals.isEmpty {
            printWarning(
                "the payment journal \(paymentJournalId(p)) was written for the books "
                    + "(\(journals.flatMap(\.files).joined(separator: ", "))): void it there if it was imported")
        }
        if let head = session.headAfterLastWrite { print("head: \(head)") }
    }
}

/// `tally payout reopen --month M --reason TEXT`.
struct PayoutReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Take back the latest closed month, while none of its payouts is marked paid.",
        discussion: """
            Its statements stop counting and the month can be closed again (the log keeps both closes). \
            Refused for any other month and for a month with a payout marked paid (money that left stays \
            booked: correct it in the next month). Refused too when payment files were written for the close, \
            unless --not-uploaded says that none of them was uploaded: an uploaded file may have paid its \
            payouts already, and the next close would pay them again. The files are named: they become void. \
            Refused as well when the month's journal was written for the books (journal --output), unless \
            --not-booked says that it is not in them (never imported, or voided there): a close again would book \
            a second TALLY-CLOSE-YYYY-MM with other figures. And when a mark of its payouts was taken back since \
            the close (unmark-paid), unless --not-paid says that none of those payouts was paid: the next close \
            would pay them again.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: ArgumentHelp("Why the month is reopened (kept in the log).", valueName: "text")) var reason: String
    @Flag(help: "None of the payment files written for this close was uploaded to a bank, PayPal or Wise.")
    var notUploaded = false
    @Flag(help: "The journal written for this close (journal --output) is not in the books: never imported, or voided.")
    var notBooked = false
    @Flag(help: "None of the payouts whose marks were taken back since the close (unmark-paid) was paid.")
    var notPaid = false

    func validate() throws {
        guard !reason.trimmingASCIISpaces().isEmpty else { throw ValidationError("--reason must not be empty") }
    }

    func run() throws {
        let session = try options.open()
        let report = try asUserErrors {
            try session.reopen(
                month: month.value, reason: reason.trimmingASCIISpaces(), filesNotUploaded: notUploaded,
                journalsNotBooked: notBooked, marksNotPaid: notPaid)
        }
        let m = report.reopened.month
        print(
            "Reopened \(m): its \(plural(Int64(report.statements), "statement")) no longer count; "
                + "preview and close it again.")
        for file in report.files {
            printWarning(
                "\(session.describe(file)) holds the figures of the close taken back: do not upload it; "
                    + "export again once \(m) is closed again")
        }
        if !report.journals.isEmpty {
            printWarning(
                "\(describeJournalFiles(report.journals, zone: session.zone)): it holds the figures of the close "
                    + "taken back: void it in the books if it was imported; write the journal again once \(m) is "
                    + "closed again")
        }
        if let head = session.headAfterLastWrite { print("head: \(head)") }
    }
}
