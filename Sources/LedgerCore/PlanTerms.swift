// The optional fields of section 8 of the ledger rules (commission plans): their values and how a
// `terms set` gives, carries over or clears them.

/// How a tier list applies (section 8.3).
public enum TiersApply: String, Equatable, Sendable, CaseIterable {
    /// An order's position in its month picks its tier: reaching a tier never changes earlier orders.
    case marginal
    /// The month's number of conversions picks the tier of every conversion of the month.
    case month
}

/// One tier: conversions above `above` (positions `above + 1` on) earn `rate`.
public struct RateTier: Equatable, Sendable {
    public var above: Int64
    public var rate: CommissionRate
    public init(above: Int64, rate: CommissionRate) { self.above = above; self.rate = rate }
}

/// A tier list `N1:RATE1;N2:RATE2;...` with strictly increasing whole numbers N (section 8.3).
public struct RateTiers: Equatable, Sendable, CustomStringConvertible {
    public let tiers: [RateTier]

    /// Nil unless non-empty with strictly increasing N, each at least 1.
    public init?(_ tiers: [RateTier]) {
        guard let first = tiers.first, first.above >= 1,
            zip(tiers, tiers.dropFirst()).allSatisfy({ $0.above < $1.above })
        else { return nil }
        self.tiers = tiers
    }

    /// The rate of the last tier whose N is below `n` (a position or the month's count); nil when
    /// `n` reaches none (the terms' base commission applies).
    public func tier(at n: Int64) -> RateTier? { tiers.last { $0.above < n } }

    /// `25:12.5%;50:15%`: the form of files, options and payloads (exact: rates have 4 decimals).
    public var description: String { tiers.map { "\($0.above):\($0.rate)" }.joined(separator: ";") }

    /// Parses `25:12.5%;50:15%` (spaces around the parts allowed). `,` between tiers reads as `;`:
    /// a shell cuts an unquoted `--tiers 25:12.5%;50:15%` at the `;` (tally sees one tier and the
    /// shell runs the rest as a command), and leaves `25:12.5%,50:15%` whole. Unambiguous: N is a
    /// whole number without separators and a rate has a dot, so a comma is never inside a tier
    /// (`1,000:15%` is refused, not read as 1).
    public static func parse(_ text: String) -> Result<RateTiers, ValueProblem> {
        let expected = "a tier list like 25:12.5%;50:15% or 25:12.5%,50:15% (whole numbers rising, each with a rate)"
        var tiers: [RateTier] = []
        for part in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ";" || $0 == "," }) {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count == 2, let n = Int64(String(pieces[0]).trimmingASCIISpaces()), n >= 1, n <= 1_000_000_000,
                case let .success(rate) = CommissionRate.parse(String(pieces[1]))
            else {
                return .failure(ValueProblem(expected))
            }
            tiers.append(RateTier(above: n, rate: rate))
        }
        guard let list = RateTiers(tiers) else { return .failure(ValueProblem(expected)) }
        return .success(list)
    }

    /// As `parse`, nil for anything else (payload decoders).
    public static func parsed(_ text: String) -> RateTiers? {
        guard case let .success(list) = parse(text), list.description == text else { return nil }
        return list
    }
}

/// A field of `terms set` that `none` clears: left out (nil, carried over), cleared (`.some(nil)`)
/// or given (`.some(value)`).
public typealias Clearable<V> = V??

/// The names of the fields that `none` clears, as in files and payloads.
public enum ClearableTermsField: String, CaseIterable, Sendable {
    case newCustomerCommission = "new_customer_commission"
    case lifetimeCommission = "lifetime_commission"
    case tiers
    case bonus
    case retainer
}
