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
        subcommands: [PayoutPreviewCommand.self, PayoutCloseCommand.self, PayoutShowCommand.self, PayoutExportCommand.self, PayoutMarkPaidCommand.self]
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


/// The payout table of cli.md, one row per statement, with a totals row in table format.
func payoutReport(month: YearMonth, currency: Currency, rows: [(creator: String, figures: PayoutFigures)]) -> Report {
    let e = currency.minorUnitExponent
    func money(_ f: PayoutFigures) -> [Int64] {
        [f.carriedInMinor, f.commissionsMinor, f.clawbacksMinor, f.feesMinor, f.adjustmentsMinor, f.balanceMinor, f.payoutMinor, f.carriedOutMinor]
    }
    var report = Report(columns: ["month", "creator", "currency", "carried_in", "commissions", "clawbacks", "fees", "adjustments", "balance", "payout", "carried_out"])
    var totals = [Int64](repeating: 0, count: 8)
    // cli.md: a row for every creator with a non-zero carried_in, commissions, clawbacks, fees or
    // adjustments. A statement whose lines cancel out (a fee and its correction) is frozen all the
    // same, so that its lines are not settled again, but it has no row.
    for row in rows where row.figures.isShown {
        let values = money(row.figures)
        for i in values.indices { totals[i] += values[i] }
        report.rows.append([.text(month.description), .text(row.creator), .text(currency.code)] + values.map { .money($0, exponent: e) })
    }
    report.totals = [.text("total"), .text(""), .text(currency.code)] + totals.map { .money($0, exponent: e) }
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
        let (result, notes) = try asUserErrors { try session.previewPayouts(month.value) }
        for note in notes { printNote(note) }
        if !result.blocking.isEmpty { printNote(blockingMessage(month.value, result.blocking) + " (left out of this preview)") }
        print(payoutReport(month: result.month, currency: result.currency, rows: result.statements.map { ($0.creator, $0.figures) }).render(format), terminator: "")
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
        let (result, folded) = try asUserErrors { try session.closeMonth(month.value, first: first) }
        let e = result.currency.minorUnitExponent
        let money = { (minor: Int64) in formatMinorGrouped(minor, exponent: e) + " " + result.currency.code }
        let payees = result.statements.filter { $0.figures.payoutMinor > 0 }.count
        let statements = "\(result.statements.count) statement\(result.statements.count == 1 ? "" : "s")"
        print("Closed \(result.month): \(statements), \(payees) payout\(payees == 1 ? "" : "s") totalling "
              + "\(money(result.payoutTotalMinor)).")
        if let folded, !folded.facts.isEmpty {
            var parts: [String] = []
            let f = folded.facts
            if f.orders > 0 { parts.append("\(plural(f.orders, "order")) (commissions \(money(folded.commissionsMinor)))") }
            if f.posts > 0 { parts.append("\(plural(f.posts, "post")) (fees \(money(folded.feesMinor)))") }
            if f.adjustments > 0 {
                parts.append("\(plural(f.adjustments, "adjustment")) (\(money(folded.adjustmentsMinor)))")
            }
            let since = f.earliest.map { " from \(session.zone.civilDate(of: $0)) on" } ?? ""
            print("Folded into \(result.month)\(since): " + parts.joined(separator: ", ") + ".")
        }
        // The anchor to write down with the month's books: `tally verify --head SEQ:HASH` later.
        if let head = session.headAfterLastWrite { print("head: \(head)") }
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
        let statements = try session.closedStatements(month.value)
        let rows = statements.map { ($0.creator, $0.figures) }
        let report = payoutReport(month: month.value, currency: session.baseCurrency, rows: rows)
        print(report.render(format), terminator: "")
    }
}

struct PayoutMarkPaidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-paid",
        abstract: "Record that a closed month's payout to a creator was made, with its external reference.",
        discussion: "Recorded once: repeating it with the same reference changes nothing; a different reference is an error."
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: ArgumentHelp("The creator's id.", valueName: "id")) var creator: String
    @Option(help: ArgumentHelp("The payment's external reference (bank, PayPal or Wise transaction id).", valueName: "ref")) var reference: String

    func validate() throws {
        guard !reference.trimmingASCIISpaces().isEmpty else { throw ValidationError("--reference must not be empty") }
    }

    func run() throws {
        let session = try options.open()
        let ref = reference.trimmingASCIISpaces()
        let outcome = try asUserErrors { try session.markPaid(month: month.value, creator: creator, reference: ref) }
        let e = session.baseCurrency.minorUnitExponent, code = session.baseCurrency.code
        switch outcome {
        case let .recorded(amount): print("Marked the \(month.value) payout of \(formatMinorGrouped(amount, exponent: e)) \(code) to \(creator) paid (reference \(ref)).")
        case let .alreadyRecorded(amount): print("Already marked paid: the \(month.value) payout of \(formatMinorGrouped(amount, exponent: e)) \(code) to \(creator) (reference \(ref)); nothing changed.")
        }
    }
}
