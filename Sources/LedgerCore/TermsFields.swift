// The fields of a creator's terms, in one table. Carrying a left-out field over (section 5 of the
// ledger rules) and listing the terms in force (`tally list terms`) both walk `TermsField.all`, so
// that a new field is its property on `Terms` and `TermsSet` and one line here.

/// A field's value as a listing shows it.
public enum TermsValue: Equatable, Sendable {
    case rate(CommissionRate)
    /// Minor units of the base currency.
    case money(Int64)
    case days(Int64)
    /// A whole number (months, conversions).
    case count(Int64)
    case text(String)
    /// Cleared, or never set (a field without a default).
    case none
}

/// One field of the terms: its name in files and listings, how a `terms set` gives it (nil: left
/// out, carried over) and how it reads.
public struct TermsField: Sendable {
    public let name: String
    /// Takes the field from `set` into `terms` when the set gives it; false when it is left out.
    let carry: @Sendable (inout Terms, TermsSet) -> Bool
    public let value: @Sendable (Terms) -> TermsValue

    init<V: Equatable & Sendable>(
        _ name: String, _ resolved: WritableKeyPath<Terms, V> & Sendable,
        _ given: KeyPath<TermsSet, V?> & Sendable,
        _ value: @escaping @Sendable (V) -> TermsValue
    ) {
        self.name = name
        carry = { terms, set in
            guard let v = set[keyPath: given] else { return false }
            terms[keyPath: resolved] = v
            return true
        }
        self.value = { value($0[keyPath: resolved]) }
    }

    /// Every field, in the order of the terms file's columns.
    public static let all: [TermsField] = [
        TermsField("commission", \.commission, \.commission) { .rate($0) },
        TermsField("per_order", \.perOrderMinor, \.perOrderMinor) { .money($0) },
        TermsField("holdback_days", \.holdbackDays, \.holdbackDays) { .days($0) },
        TermsField("min_payout", \.minPayoutMinor, \.minPayoutMinor) { .money($0) },
        TermsField(
            "new_customer_commission", \.newCustomerCommission,
            \.newCustomerCommission
        ) { $0.map(TermsValue.rate) ?? .none },
        TermsField("lifetime_months", \.lifetimeMonths, \.lifetimeMonths) { .count($0) },
        TermsField(
            "lifetime_commission", \.lifetimeCommission,
            \.lifetimeCommission
        ) { $0.map(TermsValue.rate) ?? .none },
        TermsField("tiers", \.tiers, \.tiers) { $0.map { .text($0.description) } ?? .none },
        TermsField("tiers_apply", \.tiersApply, \.tiersApply) { .text($0.rawValue) },
        TermsField("bonus_threshold", \.bonusThreshold, \.bonusThreshold) { .count($0) },
        TermsField("bonus", \.bonusMinor, \.bonusMinor) { $0.map(TermsValue.money) ?? .none },
        TermsField("retainer", \.retainerMinor, \.retainerMinor) { $0.map(TermsValue.money) ?? .none }
    ]
}

/// A creator's terms from one effective-from on, with when each field's value started: the
/// effective-from of the `terms set` that gave the value (a field given again with the same value
/// keeps its start; a default starts with the creator's first terms).
public struct ResolvedTerms: Equatable, Sendable {
    public var terms: Terms
    /// Per field, in `TermsField.all`'s order.
    public var since: [Instant]

    /// The fields in force, each with its value and start, in `TermsField.all`'s order.
    public var fields: [(field: TermsField, value: TermsValue, since: Instant)] {
        TermsField.all.enumerated().map { ($0.element, $0.element.value(terms), since[$0.offset]) }
    }

    public static func == (a: ResolvedTerms, b: ResolvedTerms) -> Bool { a.terms == b.terms && a.since == b.since }
}

/// Each creator's terms over time: the `terms set` facts (in log order) applied in (effective-from,
/// log) order, each on top of the terms resolved before it; of several with the same effective-from
/// the last one applied is the one in force. Per creator, sorted by effective-from, one entry per
/// distinct effective-from.
public func resolveTermsHistory(_ sets: [TermsSet]) -> [String: [ResolvedTerms]] {
    var byCreator: [String: [(offset: Int, set: TermsSet)]] = [:]
    for (i, t) in sets.enumerated() { byCreator[t.creator, default: []].append((i, t)) }
    var history: [String: [ResolvedTerms]] = [:]
    for (creator, sets) in byCreator {
        let ordered = sets.sorted { ($0.set.effectiveFrom, $0.offset) < ($1.set.effectiveFrom, $1.offset) }
        let first = ordered[0].set.effectiveFrom
        var current = ResolvedTerms(
            terms: Terms.initial(from: first),
            since: Array(repeating: first, count: TermsField.all.count))
        var resolved: [ResolvedTerms] = []
        for (_, set) in ordered {
            current.terms.effectiveFrom = set.effectiveFrom
            for (i, field) in TermsField.all.enumerated() {
                let before = field.value(current.terms)
                if field.carry(&current.terms, set), field.value(current.terms) != before {
                    current.since[i] = set.effectiveFrom
                }
            }
            if resolved.last?.terms.effectiveFrom == set.effectiveFrom {
                resolved[resolved.count - 1] = current
            } else {
                resolved.append(current)
            }
        }
        history[creator] = resolved
    }
    return history
}
