import App
import ArgumentParser
import LedgerCore

// The values of the command line that have a syntax of their own. A malformed one is a usage
// error (exit status 2, with the parser's message and usage), whatever the command; a well-formed
// value the ledger refuses (more decimals than its currency has, an unknown creator) is a user
// error (exit status 1), known only once the ledger is open.

/// `--month YYYY-MM`.
extension YearMonth: ExpressibleByArgument {
    public init?(argument: String) {
        guard let month = YearMonth.parse(argument.trimmingASCIISpaces()) else { return nil }
        self = month
    }
}

/// `--from 2026-07-01` where only a calendar date will do (`roi`).
extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) {
        guard let date = CivilDate.parse(argument.trimmingASCIISpaces()) else { return nil }
        self = date
    }
}

/// A commission rate with its % sign (`12.5%`), from 0% to 100%.
extension CommissionRate: ExpressibleByArgument {
    public init?(argument: String) {
        guard case let .success(rate) = CommissionRate.parse(argument.trimmingASCIISpaces()) else { return nil }
        self = rate
    }
}

/// A rate as typed, with its % sign: its shape is the parser's (`10` could mean 10% or 1000%: a
/// usage error naming the option), its value the terms' (`-5%`, `120%`: refused with what was
/// expected, exit 1; `MasterValues.commission`).
struct RateArgument: ExpressibleByArgument {
    let text: String

    init?(argument: String) {
        let text = argument.trimmingASCIISpaces()
        guard text.hasSuffix("%") else { return nil }
        self.text = text
    }
}

/// A DATE: `YYYY-MM-DD` (00:00 in the ledger's zone) or an ISO 8601 timestamp with offset. Which
/// instant a day is depends on the ledger's zone, so it is resolved once the ledger is open.
struct DateArgument: ExpressibleByArgument {
    /// As given, trimmed.
    let text: String

    init?(argument: String) {
        let text = argument.trimmingASCIISpaces()
        guard parseDateOrTimestamp(text, zone: .utc) != nil else { return nil }
        self.text = text
    }

    func instant(in zone: Zone) -> Instant {
        guard let instant = parseDateOrTimestamp(text, zone: zone) else { preconditionFailure("checked when parsed") }
        return instant
    }
}

/// An amount as written: a plain dot-decimal like `1234.50` or `-3.00` (no comma, no symbol, no
/// exponent). Its minor units depend on the ledger's currency (how many decimals it has), so it is
/// converted, and checked against the currency, once the ledger is open.
struct AmountArgument: ExpressibleByArgument {
    /// As given, trimmed.
    let text: String

    init?(argument: String) {
        let text = argument.trimmingASCIISpaces()
        guard case .success = parseDecimal(text, decimalsMax: 18) else { return nil }
        self.text = text
    }
}

/// `--year YYYY`: four digits, from 1970 (`02026` is not read as 2026: a year with a digit too many is
/// a typo, not a year). A usage error otherwise, with the expectation (the parser's own message for a
/// value type that refuses it would not say what a year looks like).
func parseYearOption(_ text: String) throws -> Int {
    let trimmed = text.trimmingASCIISpaces()
    guard trimmed.count == 4, trimmed.allSatisfy({ ("0"..."9").contains($0) }), let year = Int(trimmed),
        year >= 1970
    else {
        throw ValidationError("--year: found '\(text)', expected a year of four digits, like 2026")
    }
    return year
}
