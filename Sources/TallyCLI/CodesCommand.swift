import App
import ArgumentParser
import Foundation
import LedgerCore

/// `tally codes unknown`.
struct CodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Reports on discount codes.",
        subcommands: [CodesUnknownCommand.self]
    )
}

struct CodesUnknownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unknown",
        abstract: "Codes on orders that were never assigned to a creator nor declared a house code.",
        discussion: """
            One row per code (upper-cased), over non-test orders: how many orders carried it, the first and \
            last created dates (ledger time zone), and revenue = the sum of those orders' subtotals in the \
            base currency. When an order in another currency has no exchange rate, revenue is left empty \
            (undefined) and the order is named on standard error: a partial sum would understate it.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let rows = try session.unknownCodes()
        let e = session.baseCurrency.minorUnitExponent
        var report = Report(columns: ["code", "orders", "first_seen", "last_seen", "revenue"])
        for row in rows {
            report.rows.append([.text(row.code), .int(row.orders), .text(row.firstSeen.description), .text(row.lastSeen.description),
                                row.unconverted.isEmpty ? .money(row.revenueMinor, exponent: e) : .none])
            if !row.unconverted.isEmpty {
                printNote("revenue of \(row.code) left empty: no exchange rate for " + row.unconverted.map(\.description).joined(separator: ", "))
            }
        }
        print(report.render(format), terminator: "")
    }
}
