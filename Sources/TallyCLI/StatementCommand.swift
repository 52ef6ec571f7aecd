import ArgumentParser
import Foundation
import LedgerCore
import LedgerStore

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Every line behind a creator's payout figures for a month.",
        discussion: """
            A closed month shows its frozen statement; an open month shows the lines a close would freeze \
            now (a note on standard error says so). kind is commission, clawback, fee or adjustment; ref is \
            the order (source:order_id), the post id or the adjustment id; amount is the signed effect on \
            the balance (clawbacks negative).
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator")) var creator: String
    @OptionGroup var month: MonthOption
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let ledger = try options.open(readOnly: true)
        // One read: the head printed is the state the lines come from.
        try ledger.read { try render(ledger) }
    }

    private func render(_ ledger: Ledger) throws {
        let snapshot = try ledger.snapshot()
        let m = month.value
        let known = snapshot.creators[creator] != nil || snapshot.statements.contains { $0.creator == creator }
        guard known else { throw UserError("unknown creator '\(creator)'") }
        var lines: [StatementLine] = []
        var figures: PayoutFigures? = nil
        switch statementSource(m, closedMonths: snapshot.closedMonths) {
        case .frozen:
            let statement = snapshot.statements.first { $0.month == m && $0.creator == creator }
            lines = statement?.lines ?? []
            figures = statement?.figures
            if statement == nil { printNote("\(creator) has no statement for \(m): nothing moved their balance") }
        case .preview:
            let (result, notes) = try asUserErrors { try ledger.previewMonth(m) }
            printNote("\(m) is not closed: these are the lines a close would freeze now")
            for note in notes { printNote(note) }
            let statement = result.statements.first { $0.creator == creator }
            lines = statement?.lines ?? []
            figures = statement?.figures
            let blocked = result.blocking.filter { $0.creator == creator }
            if !blocked.isEmpty { printNote(blockingMessage(m, blocked) + " (left out)") }
        }
        let e = snapshot.baseCurrency.minorUnitExponent
        var report = Report(columns: ["month", "creator", "kind", "ref", "date", "amount"])
        for line in lines {
            report.rows.append([.text(m.description), .text(creator), .text(line.kind.rawValue), .text(line.ref), .text(line.date.description), .money(line.amountMinor, exponent: e)])
        }
        report.totals = [.text("total"), .text(""), .text(""), .text(""), .text(""), .money(lines.reduce(0) { $0 + $1.amountMinor }, exponent: e)]
        print(report.render(format), terminator: "")
        if format == .table, let f = figures {
            let money = { (v: Int64) in formatMinorGrouped(v, exponent: e) }
            print("\ncarried in \(money(f.carriedInMinor)) + commissions \(money(f.commissionsMinor)) - clawbacks \(money(f.clawbacksMinor)) + fees \(money(f.feesMinor)) + adjustments \(money(f.adjustmentsMinor))")
            print("= balance \(money(f.balanceMinor)); payout \(money(f.payoutMinor)); carried out \(money(f.carriedOutMinor)) \(snapshot.baseCurrency.code)")
        }
        // The chain's head under the table (the CSV and JSON columns are a contract): an anchor for
        // `tally verify --head` that proves later that the log behind this statement was not changed.
        if format == .table, let head = try ledger.head() { print("\nhead: \(head)") }
    }
}
