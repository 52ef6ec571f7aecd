import App
import ArgumentParser
import LedgerCore

/// `tally balances [--as-of DATE]`.
struct BalancesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balances",
        abstract: "What each creator is owed: unpaid payouts, balances carried, commission held back.",
        discussion: """
            Columns: creator,name,unpaid_payouts,carried,held_back. unpaid_payouts: payouts of the months closed \
            and ended by the date, not marked paid by then. carried: the balance carried out of the latest of \
            those statements (negative: owed by the creator). held_back: the commission, as known now, of the \
            attributed orders created by the date and not matured by its end (the month-end accrual of the \
            holdback). A row for each creator with any of them non-zero.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Option(help: ArgumentHelp("The day (default: today in the ledger's zone).", valueName: "date"))
    var asOf: DateArgument?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let day = asOf.map { session.zone.civilDate(of: $0.instant(in: session.zone)) }
        let report = try session.balances(asOf: day)
        if !report.missingRates.isEmpty {
            let some = report.missingRates.prefix(5).map(\.description).joined(separator: ", ")
            printNote(
                "held_back leaves out \(plural(Int64(report.missingRates.count), "order")) without an exchange "
                    + "rate (\(some)\(report.missingRates.count > 5 ? ", ..." : "")): tally import fx FILE")
        }
        let e = session.baseCurrency.minorUnitExponent
        var table = Report(columns: ["creator", "name", "unpaid_payouts", "carried", "held_back"])
        var totals: [Int64] = [0, 0, 0]
        for (b, name) in report.rows {
            let values = [b.unpaidPayoutsMinor, b.carriedMinor, b.heldBackMinor]
            for i in values.indices { totals[i] += values[i] }
            table.rows.append([.text(b.creator), .text(name)] + values.map { .money($0, exponent: e) })
        }
        table.totals = [.text("total"), .text("as of \(report.asOf)")] + totals.map { .money($0, exponent: e) }
        print(table.render(format), terminator: "")
    }
}

/// `tally creator history CREATOR [--year Y]`.
struct CreatorHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A creator's closed months: the figures, what was paid, and each year's totals.",
        discussion: """
            Columns: month,creator,currency,carried_in,commissions,clawbacks,fees,adjustments,balance,payout,\
            carried_out,paid_on,method,reference (the payout columns of 'payout show', then the payment, empty \
            until marked paid). The table adds a total for each year: carried in at its start, carried out at \
            its end, the other figures summed, and how much of its payouts was paid.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The creator's id.", valueName: "creator")) var creator: String
    @Option(help: ArgumentHelp("Only this calendar year's months (four digits).", valueName: "year"))
    var year: String?

    func validate() throws { if let year { _ = try parseYearOption(year) } }
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let history = try session.history(creator: creator.trimmingASCIISpaces(), year: try year.map(parseYearOption))
        let currency = session.baseCurrency, e = currency.minorUnitExponent
        let money = { (f: PayoutFigures) -> [Cell] in
            [
                f.carriedInMinor, f.commissionsMinor, f.clawbacksMinor, f.feesMinor, f.adjustmentsMinor, f.balanceMinor,
                f.payoutMinor, f.carriedOutMinor
            ].map { .money($0, exponent: e) }
        }
        var table = Report(columns: [
            "month", "creator", "currency", "carried_in", "commissions", "clawbacks", "fees",
            "adjustments", "balance", "payout", "carried_out", "paid_on", "method",
            "reference"
        ])
        for m in history.months {
            let paid: [Cell] =
                m.payment.map {
                    [.text($0.paidOn.description), .text($0.method.rawValue), .text($0.reference)]
                }
                ?? [.none, .none, .none]
            table.rows.append(
                [.text(m.month.description), .text(history.creator), .text(currency.code)]
                    + money(m.figures) + paid)
        }
        table.moreTotals = history.years.map { y in
            [.text("\(y.year) total"), .text(""), .text(currency.code)] + money(y.figures)
                + [.text(""), .text(""), .text("paid " + formatMinorGrouped(y.paidMinor, exponent: e))]
        }
        print(table.render(format), terminator: "")
        if format == .table && history.months.isEmpty {
            printNote("\(history.creator) has no statement in a closed month\(year.map { " of \($0)" } ?? "")")
        }
    }
}
