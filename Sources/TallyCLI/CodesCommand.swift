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
        abstract: "Codes on orders that had no creator at the order's time (and are not house codes).",
        discussion: """
            A code is listed for an order when no creator held it at the order's created time: never \
            assigned, assigned only later, or used outside its validity. House codes are not listed. One row \
            per code (upper-cased), over non-test orders: how many such orders carried it, their first and \
            last created dates (ledger time zone), and revenue = the sum of their subtotals in the base \
            currency. When an order in another currency has no exchange rate, revenue is left empty \
            (undefined) and the order is named on standard error: a partial sum would understate it.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let report = unknownReport(try session.unknownCodes(), column: "code", session: session)
        print(report.render(format), terminator: "")
    }
}

/// `tally referrals unknown`.
struct ReferralsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referrals",
        abstract: "Reports on referral values.",
        subcommands: [ReferralsUnknownCommand.self]
    )
}

struct ReferralsUnknownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unknown",
        abstract: "Referral values on orders that had no creator at the order's time.",
        discussion: """
            As 'tally codes unknown', for the orders' referral values (ref=anna, utm_source=...): never \
            assigned, assigned only later, or used outside their validity. One row per value (upper-cased): \
            value,orders,first_seen,last_seen,revenue.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let session = try options.open(readOnly: true)
        let report = unknownReport(try session.unknownReferrals(), column: "value", session: session)
        print(report.render(format), terminator: "")
    }
}

/// The rows of `codes unknown` / `referrals unknown`; orders without an exchange rate named on
/// standard error.
func unknownReport(_ rows: [UnknownCode], column: String, session: LedgerSession) -> Report {
    let e = session.baseCurrency.minorUnitExponent
    var report = Report(columns: [column, "orders", "first_seen", "last_seen", "revenue"])
    for row in rows {
        report.rows.append([
            .text(row.code), .int(row.orders), .text(row.firstSeen.description),
            .text(row.lastSeen.description),
            row.unconverted.isEmpty ? .money(row.revenueMinor, exponent: e) : .none
        ])
        if !row.unconverted.isEmpty {
            printNote(
                "revenue of \(row.code) left empty: no exchange rate for "
                    + row.unconverted.map(\.description).joined(separator: ", "))
        }
    }
    return report
}
