import App
import ArgumentParser
import Foundation
import LedgerCore

/// The payment file layouts of `payout export --to` (sources in docs/payouts.md).
enum PaymentFileKind: String, ExpressibleByArgument, CaseIterable {
    case generic, paypal, wise

    /// The payout method a creator's details must name to be paid through this file (nil: any).
    var method: String? {
        switch self {
        case .generic: return nil
        case .paypal: return "paypal"
        case .wise: return "wise"
        }
    }
}

/// The deterministic reference of a month's payout to a creator: `TALLY-2026-09-anna-bakes`.
func payoutReference(_ month: YearMonth, _ creator: String) -> String { "TALLY-\(month)-\(creator)" }

/// Renders the file. `items` are sorted by creator and, for paypal / wise, all carry details.
func renderPaymentFile(_ kind: PaymentFileKind, month: YearMonth, currency: Currency, items: [PaymentItem]) -> String {
    let e = currency.minorUnitExponent
    var rows: [[String]] = []
    switch kind {
    case .generic:
        rows.append(["creator", "name", "currency", "amount", "month", "reference"])
        for item in items {
            rows.append([item.creator, item.name, currency.code, formatMinor(item.amountMinor, exponent: e), month.description, payoutReference(month, item.creator)])
        }
    case .paypal:
        // PayPal Payouts Web: no header row; recipient, amount, currency, customer id, note, wallet.
        for item in items {
            rows.append([item.details!.account, formatMinor(item.amountMinor, exponent: e), currency.code, payoutReference(month, item.creator),
                         "Creator payout \(month)", "PAYPAL"])
        }
    case .wise:
        // Wise batch payment template: e-mail recipients (recipientEmail) or bank accounts (IBAN);
        // amountCurrency `target`: the creator receives exactly the amount, fees are ours.
        rows.append(["name", "recipientEmail", "paymentReference", "receiverType", "amountCurrency", "amount", "sourceCurrency", "targetCurrency", "IBAN"])
        for item in items {
            let account = item.details!.account
            let isEmail = account.contains("@")
            rows.append([item.name, isEmail ? account : "", payoutReference(month, item.creator), "PERSON", "target",
                         formatMinor(item.amountMinor, exponent: e), currency.code, currency.code, isEmail ? "" : account.replacingOccurrences(of: " ", with: "")])
        }
    }
    return rows.map { $0.map(csvField).joined(separator: ",") + "\n" }.joined()
}

struct PayoutExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a closed month's payment file: every creator with a payout.",
        discussion: """
            generic: creator,name,currency,amount,month,reference. paypal: a PayPal Payouts Web bulk file. \
            wise: a Wise batch-payment CSV. For paypal and wise, creators paid by that method are listed \
            from their payout details; a creator with a payout and no payout details is an error (nothing \
            is written); creators paid by another method are named on standard error.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: "generic, paypal or wise.") var to: PaymentFileKind
    @Option(help: ArgumentHelp("Write the file here (default: standard output).", valueName: "file")) var output: String?

    func run() throws {
        let session = try options.open(readOnly: true)
        let currency = session.baseCurrency
        let items = try select(try session.payments(month.value))
        let text = renderPaymentFile(to, month: month.value, currency: currency, items: items)
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output)) } catch { throw UserError("cannot write \(output): \(error.localizedDescription)") }
            let total = items.reduce(0) { $0 + $1.amountMinor }
            let totalText = formatMinorGrouped(total, exponent: currency.minorUnitExponent)
            let payouts = "\(items.count) payout\(items.count == 1 ? "" : "s")"
            print("Wrote \(payouts) totalling \(totalText) \(currency.code) to \(output).")
        } else {
            print(text, terminator: "")
        }
    }

    /// The items this file pays (`selectPayments`); refuses creators without payout details.
    func select(_ all: [PaymentItem]) throws -> [PaymentItem] {
        let selection = selectPayments(all, method: to.method)
        let missing = selection.missingDetails
        if !missing.isEmpty {
            let have = missing.count == 1 ? " has" : "s have"
            let creators = missing.map(\.creator).joined(separator: ", ")
            throw UserError("cannot write the \(to.rawValue) file for \(month.value): "
                            + "\(missing.count) creator\(have) a payout but no payout details: \(creators); "
                            + "record their payout_method and payout_account (tally import creators) and export again")
        }
        let other = selection.otherMethod
        if !other.isEmpty {
            let named = other.map { "\($0.creator) (\($0.details!.method))" }.joined(separator: ", ")
            printNote("not in this \(to.rawValue) file (paid by another method): " + named)
        }
        return selection.paid
    }
}
