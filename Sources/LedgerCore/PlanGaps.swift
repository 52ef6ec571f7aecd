// Plans that silently pay nothing, or pay what was paid before tally: notes, never refusals (the
// figures are the rules'; docs/plans.md).

/// The parts of `terms` (resolved) that can never pay, each with what would complete it: a bonus
/// without a threshold or the reverse (section 8.4: a bonus needs both), a lifetime rate with 0
/// lifetime months (no customer is ever linked), `tiers_apply month` without tiers. Empty when
/// there is none. `exponent`: the base currency's decimals, to show amounts.
public func unpayablePlanParts(_ terms: Terms, exponent: Int) -> [String] {
    var parts: [String] = []
    switch (terms.bonusThreshold > 0, terms.bonusMinor) {
    case (true, nil):
        parts.append(
            "bonus_threshold \(terms.bonusThreshold) but no bonus: no bonus is paid; give bonus, or bonus_threshold 0")
    case (false, let bonus?):
        parts.append(
            "bonus \(formatMinor(bonus, exponent: exponent)) but no bonus_threshold: no bonus is paid; "
                + "give bonus_threshold, or bonus none")
    default: break
    }
    if let rate = terms.lifetimeCommission, terms.lifetimeMonths == 0 {
        parts.append(
            "lifetime_commission \(rate) but lifetime_months 0: no customer is linked, the rate is never used; "
                + "give lifetime_months, or lifetime_commission none")
    }
    if terms.tiersApply == .month, terms.tiers == nil {
        parts.append("tiers_apply month but no tiers: no effect; give tiers, or tiers_apply marginal")
    }
    return parts
}

/// One note per creator of `touched` (creator, effective-from) whose resolved terms at a touched
/// date carry a part that can never pay: `chai-priya from 2026-10-01: bonus_threshold 6 but no bonus:
/// no bonus is paid; give bonus, or bonus_threshold 0`. A part is named once per creator, at the
/// first touched date that has it. `history`: `resolveTermsHistory` of the ledger's terms after the
/// change. Sorted by creator.
public func unpayablePlanNotes(
    _ history: [String: [ResolvedTerms]], touched: [(creator: String, from: Instant)], zone: Zone, exponent: Int
) -> [String] {
    var dates: [String: Set<Instant>] = [:]
    for (creator, from) in touched { dates[creator, default: []].insert(from) }
    var notes: [String] = []
    for creator in dates.keys.sorted() {
        var named: Set<String> = []
        var lines: [String] = []
        // The terms in force at each date given (a date whose terms equal those before has no entry).
        for date in dates[creator]!.sorted() {
            guard let resolved = history[creator]?.last(where: { $0.terms.effectiveFrom <= date }) else { continue }
            let parts = unpayablePlanParts(resolved.terms, exponent: exponent).filter { !named.contains($0) }
            guard !parts.isEmpty else { continue }
            named.formUnion(parts)
            lines.append("from \(zone.civilDate(of: date)): " + parts.joined(separator: "; "))
        }
        if !lines.isEmpty { notes.append("\(creator) " + lines.joined(separator: "; ") + " (docs/plans.md)") }
    }
    return notes
}

/// A creator's retainers or bonuses of months before the month a ledger's first close pays: a
/// contract already running when tally started (docs/plans.md, "Decisions"), perhaps paid by hand.
public struct PlanLinesBefore: Equatable, Sendable {
    public var creator: String
    public var kind: StatementLine.Kind
    /// The months the lines are for, sorted.
    public var months: [YearMonth]
    public var amountMinor: Int64
}

/// The retainer and bonus lines of `result` (the ledger's first close, or its preview) for months
/// before `result.month`, per creator and kind; sorted by creator, retainers first.
public func planLinesBefore(firstClose result: MonthResult) -> [PlanLinesBefore] {
    var found: [PlanLinesBefore] = []
    for statement in result.statements {
        for kind in [StatementLine.Kind.retainer, .bonus] {
            var months: [YearMonth] = []
            var amount: Int64 = 0
            for line in statement.lines where line.kind == kind {
                guard let colon = line.ref.firstIndex(of: ":"),
                    let month = YearMonth.parse(String(line.ref[line.ref.index(after: colon)...])),
                    month < result.month
                else { continue }
                months.append(month)
                amount += line.amountMinor
            }
            guard !months.isEmpty else { continue }
            found.append(
                PlanLinesBefore(creator: statement.creator, kind: kind, months: months.sorted(), amountMinor: amount))
        }
    }
    return found
}

/// The note on each of `lines`: `steep-sam: 18 retainers for months before 2026-07, the ledger's first
/// payout month (2025-01 to 2026-06), 4,500.00 USD, are in its close ...`, with the way to leave them
/// out: the part cleared from the creator's first terms (`firstTerms`, their effective-froms) and
/// given again from the first payout month. `closed`: said after the close (reopen first) rather than
/// in its preview.
public func planLinesBeforeNotes(
    _ lines: [PlanLinesBefore], month: YearMonth, currency: Currency, zone: Zone, firstTerms: [String: Instant],
    closed: Bool
) -> [String] {
    lines.map { l in
        let noun = l.kind == .retainer ? "retainer" : "bonus"
        let count = l.months.count == 1 ? "1 \(noun)" : "\(l.months.count) \(noun == "bonus" ? "bonuses" : "retainers")"
        let span =
            l.months.count == 1
            ? "\(l.months[0])"
            : contiguous(l.months)
                ? "\(l.months[0]) to \(l.months.last!)"
                : l.months.map(\.description).joined(separator: ", ")
        let amount = formatMinorGrouped(l.amountMinor, exponent: currency.minorUnitExponent) + " " + currency.code
        let option = l.kind == .retainer ? "--retainer" : "--bonus"
        let from = zone.civilDate(of: firstTerms[l.creator] ?? zone.startOfMonth(l.months[0]))
        let firstDay = zone.civilDate(of: zone.startOfMonth(month))
        let reopen = closed ? "tally payout reopen --month \(month) --reason ..., then " : ""
        return "\(l.creator): \(count) for months before \(month), the ledger's first payout month (\(span)), "
            + "\(amount), \(closed ? "are in this close" : "are in its close"): the rules settle every "
            + "month from the creator's first terms, a contract already running (docs/plans.md). If they were "
            + "paid before tally, leave them out: \(reopen)tally terms set \(l.creator) --from \(from) "
            + "\(option) none, tally terms set \(l.creator) --from \(firstDay) \(option) AMOUNT, "
            + "\(closed ? "and close \(month) again" : "before the close")"
    }
}

private func contiguous(_ months: [YearMonth]) -> Bool {
    zip(months, months.dropFirst()).allSatisfy { $0.next == $1 }
}
