import App
import ArgumentParser
import Foundation
import HTMLReport
import LedgerCore

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Every line behind a creator's payout figures for a month.",
        discussion: """
            A closed month shows its frozen statement; an open month shows the lines a close would freeze \
            now (a note on standard error says so). kind is commission, clawback, fee, adjustment, bonus or \
            retainer; ref is the order (source:order_id), the post id, the adjustment id, bonus:YYYY-MM or \
            retainer:YYYY-MM; amount is the signed effect on the balance (clawbacks negative; a bonus counts in \
            commissions, a retainer in fees). An order line adds the shop's order number (order_name), the \
            commissionable base, the rate and fixed part per order (per_order) applied, and for a line \
            correcting earlier statements what changed: refund, cancellation, re-attribution, self-referral, \
            rate change or exchange rate.
            --format html writes the statement the creator receives (the lines, the balance arithmetic, the \
            payout and how it was paid, the terms in force; printable on A4 and Letter) to standard output or \
            to --output FILE, written whole or not at all (an existing FILE is refused unless --force); \
            --output takes the csv and json formats the same way.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator")) var creator: String
    @OptionGroup var month: MonthOption
    @Option(help: "table, csv, json or html.") var format: StatementFormat = .table
    @Option(
        help: ArgumentHelp(
            "The file to write (--format csv, json or html; default: standard output).",
            valueName: "file"))
    var output: String?
    @Flag(help: "With --output: replace FILE if it exists.") var force = false
    @OptionGroup var brand: BrandOption

    enum StatementFormat: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json, html
    }

    func validate() throws {
        if format == .table, output != nil {
            throw ValidationError("--output goes with --format csv, json or html (the table is for the screen)")
        }
        if output == nil, force { throw ValidationError("--force goes with --output") }
    }

    func run() throws {
        if format == .html { return try runHTML() }
        let format = OutputFormat(rawValue: self.format.rawValue)!
        if let output { try checkDocumentPath(output, replacing: force) }
        let session = try options.open(readOnly: true)
        if let output { try session.refuseOwnFile(output, writing: "statement") }
        let m = month.value
        let statement = try asUserErrors { try session.statement(creator: creator, month: m) }
        switch statement.source {
        case .frozen:
            if statement.figures == nil {
                printNote("\(creator) has no statement for \(m): nothing moved their balance")
            }
        case .preview:
            printNote("\(m) is not closed: these are the lines a close would freeze now")
            for note in statement.previewNotes { printNote(note) }
            if !statement.blocked.isEmpty { printNote(blockingMessage(m, statement.blocked) + " (left out)") }
        }
        if statement.derivedDetails {
            printNote(
                "\(m)'s statement was frozen before tally kept each order line's base and rate: base, rate, "
                    + "per_order and change are derived from the ledger as known now")
        }
        let lines = statement.lines
        let e = session.baseCurrency.minorUnitExponent
        var report = Report(columns: [
            "month", "creator", "kind", "ref", "date", "amount", "order_name", "base", "rate",
            "per_order", "change"
        ])
        for line in lines {
            let o = line.order
            let detail: [Cell] = [
                line.isOrderLine ? statement.orderNames[line.ref].map(Cell.text) ?? .none : .none,
                o?.baseMinor.map { .money($0, exponent: e) } ?? .none, o?.rate.map { .text($0.description) } ?? .none,
                o?.perOrderMinor.map { .money($0, exponent: e) } ?? .none,
                o?.change.map { .text($0.rawValue) } ?? .none
            ]
            report.rows.append(
                [
                    .text(m.description), .text(creator), .text(line.kind.rawValue), .text(line.ref),
                    .text(line.date.description), .money(line.amountMinor, exponent: e)
                ] + detail)
        }
        let total = lines.reduce(0) { $0 + $1.amountMinor }
        report.totals =
            [.text("total"), .text(""), .text(""), .text(""), .text(""), .money(total, exponent: e)]
            + Array(repeating: .text(""), count: 5)
        if let output {
            try writeDocument(report.render(format), to: output, replacing: force)
            print("Wrote the \(m) statement of \(creator) (\(format.rawValue)) to \(output).")
            return
        }
        print(report.render(format), terminator: "")
        if format == .table, let f = statement.figures {
            let money = { (v: Int64) in formatMinorGrouped(v, exponent: e) }
            print(
                "\ncarried in \(money(f.carriedInMinor)) + commissions \(money(f.commissionsMinor)) "
                    + "- clawbacks \(money(f.clawbacksMinor)) "
                    + "+ fees \(money(f.feesMinor)) + adjustments \(money(f.adjustmentsMinor))")
            let carriedOut = "carried out \(money(f.carriedOutMinor)) \(session.baseCurrency.code)"
            print("= balance \(money(f.balanceMinor)); payout \(money(f.payoutMinor)); \(carriedOut)")
        }
        // The chain's head under the table (the CSV and JSON columns are a contract): an anchor for
        // `tally verify --head` that proves later that the log behind this statement was not changed.
        if format == .table, let head = statement.head { print("\nhead: \(head)") }
    }

    /// The statement page: to a file, or to standard output.
    private func runHTML() throws {
        if let output { try checkDocumentPath(output, replacing: force) }
        let session = try options.open(readOnly: true)
        if let output { try session.refuseOwnFile(output, writing: "statement") }
        let (page, notes) = try session.statementPage(creator: creator, month: month.value, brand: brand.value)
        if page.state == .open { printNote("\(month.value) is not closed: this statement is a preview") }
        for note in notes { printNote(note) }
        let html = renderStatementPage(page)
        guard let output else { return print(html, terminator: "") }
        try writeDocument(html, to: output, replacing: force)
        print("Wrote the \(month.value) statement of \(creator) to \(output).")
        noteIfNotHTMLName(output)
    }
}
