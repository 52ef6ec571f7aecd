import LedgerCore

/// The text of values on the pages. Money goes through the core's formatter (with thousands
/// separators, as in the terminal tables), so a page shows the same digits as `payout show`.
enum Display {
    static func money(_ amountMinor: Int64, _ currency: Currency) -> String {
        formatMinorGrouped(amountMinor, exponent: currency.minorUnitExponent)
    }

    static func money(_ amountMinor: Int64?, _ currency: Currency) -> String {
        amountMinor.map { money($0, currency) } ?? undefined
    }

    /// What an undefined ratio or per-conversion figure shows (CSV leaves it empty, tables print `-`).
    static let undefined = "-"

    /// A fraction with 4 decimals, half to even, as `roi` prints `roas` and `effective_rate` (the
    /// core's `formatRatio`); `-` when undefined.
    static func ratio(_ numerator: Int64, _ denominator: Int64) -> String {
        formatRatio(numerator, denominator) ?? undefined
    }

    static func count<N: BinaryInteger>(_ value: N) -> String {
        (value < 0 ? "-" : "") + groupThousands(String(value.magnitude))
    }

    static func monthName(_ month: YearMonth) -> String { "\(monthNames[month.month - 1]) \(month.year)" }

    static func monthAbbreviation(_ month: YearMonth) -> String { String(monthNames[month.month - 1].prefix(3)) }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December"
    ]

    /// `2026-11-03 09:15 -05:00`: the instant on the ledger's clock, with its offset.
    static func timestamp(_ timestamp: Timestamp) -> String {
        let text = timestamp.description
        // ISO 8601 as the core writes it; the `T` and the seconds help no reader of a printed page.
        guard text.count >= 19 else { return text }
        let date = text.prefix(10)
        let minutes = text.dropFirst(11).prefix(5)
        let offset = text.dropFirst(19)
        return "\(date) \(minutes)" + (offset == "Z" ? " UTC" : " \(offset)")
    }

    /// `Brand: what`, or `What` when no brand was given.
    static func titled(_ brand: String, _ what: String) -> String {
        brand.isEmpty ? what.prefix(1).uppercased() + what.dropFirst() : "\(brand): \(what)"
    }

    static func paymentMethod(_ method: String) -> String {
        switch method {
        case "paypal": return "PayPal"
        case "wise": return "Wise"
        case "bank": return "bank transfer"
        default: return method
        }
    }
}
