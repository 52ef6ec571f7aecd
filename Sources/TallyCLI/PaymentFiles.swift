import App
import ArgumentParser
import Foundation
import LedgerCore

/// The payment file layouts of `payout export --to` (sources in docs/payouts.md).
enum PaymentFileKind: String, ExpressibleByArgument, CaseIterable {
    case generic, paypal, wise, bank

    /// The payout method a creator's details must name to be paid through this file (nil: any).
    var method: String? {
        switch self {
        case .generic: return nil
        case .paypal, .wise, .bank: return rawValue
        }
    }
}

/// The deterministic reference of a month's payout to a creator: `TALLY-2026-09-anna-bakes`.
func payoutReference(_ month: YearMonth, _ creator: String) -> String { "TALLY-\(month)-\(creator)" }

/// Renders the file. `items` are sorted by creator and, for paypal, wise and bank, all carry details.
func renderPaymentFile(_ kind: PaymentFileKind, month: YearMonth, currency: Currency, items: [PaymentItem]) -> String {
    let e = currency.minorUnitExponent
    let amount = { (minor: Int64) in CSVCell.number(formatMinor(minor, exponent: e)) }
    var rows: [[CSVCell]] = []
    switch kind {
    case .generic:
        rows.append(["creator", "name", "currency", "amount", "month", "reference"].map(CSVCell.text))
        for item in items {
            rows.append([
                .text(item.creator), .text(item.name), .text(currency.code), amount(item.amountMinor),
                .text(month.description), .text(payoutReference(month, item.creator))
            ])
        }
    case .paypal:
        // PayPal Payouts Web: no header row; recipient, amount, currency, customer id, note, wallet.
        for item in items {
            rows.append([
                .text(item.details!.account), amount(item.amountMinor), .text(currency.code),
                .text(payoutReference(month, item.creator)), .text("Creator payout \(month)"),
                .text("PAYPAL")
            ])
        }
    case .wise:
        // Wise batch payment template: e-mail recipients (recipientEmail) or bank accounts (IBAN);
        // amountCurrency `target`: the creator receives exactly the amount, fees are ours.
        rows.append(
            [
                "name", "recipientEmail", "paymentReference", "receiverType", "amountCurrency", "amount",
                "sourceCurrency", "targetCurrency", "IBAN"
            ].map(CSVCell.text))
        for item in items {
            let account = item.details!.account
            let isEmail = account.contains("@")
            rows.append([
                .text(item.name), .text(isEmail ? account : ""), .text(payoutReference(month, item.creator)),
                .text("PERSON"), .text("target"), amount(item.amountMinor), .text(currency.code),
                .text(currency.code), .text(isEmail ? "" : account.replacingOccurrences(of: " ", with: ""))
            ])
        }
    case .bank:
        // For a bank's bulk transfer form or a person keying the transfers in: the generic columns,
        // then the account holder (the creator's name) and the account as recorded.
        rows.append(
            ["creator", "name", "currency", "amount", "month", "reference", "account_holder", "account"]
                .map(CSVCell.text))
        for item in items {
            rows.append([
                .text(item.creator), .text(item.name), .text(currency.code), amount(item.amountMinor),
                .text(month.description), .text(payoutReference(month, item.creator)), .text(item.name),
                .text(item.details!.account)
            ])
        }
    }
    return rows.map(CSVWriter.line).joined()
}

struct PayoutExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a closed month's payment file, and record that it was written.",
        discussion: """
            generic: creator,name,currency,amount,month,reference. paypal: a PayPal Payouts Web bulk file. \
            wise: a Wise batch-payment CSV. bank: the generic columns, then account_holder,account (it needs \
            --output). For paypal, wise and bank, the creators paid by that method are listed from their payout \
            details; a creator with a payout and no payout details stops the file unless --skip-missing leaves \
            them out. A payout marked paid, or already in a file written for this close, is left out unless \
            --include-paid or --include-exported: no payout goes into two files by accident. Each payout left \
            out is named with why. Files are written with mode 0600, and never over an existing file without --force. \
            An export to standard output is recorded too: to look without recording, use payout show.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: "generic, paypal, wise or bank.") var to: PaymentFileKind
    @Option(help: ArgumentHelp("Write the file here (default: standard output).", valueName: "file")) var output:
        String?
    @Flag(help: "Write the payouts that can be paid, leaving out (and naming) those without payout details.")
    var skipMissing = false
    @Flag(help: "Also list payouts already marked paid.") var includePaid = false
    @Flag(help: "Also list payouts already in a payment file of this close (one lost before it was uploaded).")
    var includeExported = false
    @Flag(help: "Replace the --output file if it exists.") var force = false

    func validate() throws {
        if to == .bank && output == nil {
            throw ValidationError("--to bank writes account numbers: give --output FILE (written with mode 0600)")
        }
    }

    func run() throws {
        let session = try options.open()
        let currency = session.baseCurrency, m = month.value
        let request = PaymentFileRequest(
            month: m, format: to.rawValue,
            options: ExportOptions(
                method: to.method, skipMissing: skipMissing, includePaid: includePaid,
                includeExported: includeExported),
            output: output, replace: force)
        let report = try asUserErrors {
            try session.exportPayments(
                request,
                render: { renderPaymentFile(to, month: m, currency: currency, items: $0) },
                standardOutput: { print($0, terminator: "") })
        }
        for line in session.leftOutLines(report.leftOut) { printNote("left out of this \(to.rawValue) file, \(line)") }
        for file in session.missingFiles(report.leftOut) { printWarning(session.missingFileNote(file)!) }
        for file in report.reopenedFiles {
            printWarning(
                "\(session.describe(file)) holds the figures of a close of \(m) that was reopened: "
                    + "do not upload it")
        }
        guard let output else { return }
        let total = formatMinorGrouped(report.totalMinor, exponent: currency.minorUnitExponent)
        let payouts = plural(Int64(report.written.count), "payout")
        print("Wrote \(payouts) totalling \(total) \(currency.code) to \(output).")
        if to == .bank && !report.written.isEmpty {
            printWarning(
                "\(output) holds bank account numbers: keep it private (it is readable by you only) "
                    + "and delete it once the transfers are made")
        }
    }
}
