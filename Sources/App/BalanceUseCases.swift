import LedgerCore
import LedgerStore

/// What `tally balances` shows.
public struct BalancesReport: Sendable {
    public var asOf: CivilDate
    /// By creator id, with the creator's name.
    public var rows: [(balance: CreatorBalance, name: String)]
    /// Attributed orders without an exchange rate: their commission is left out of held_back.
    public var missingRates: [OrderKey]
}

/// What `tally creator history` shows.
public struct CreatorHistory: Sendable {
    public var creator: String
    public var name: String
    public var months: [HistoryMonth]
    public var years: [HistoryYear]
}

extension LedgerSession {
    /// `balances [--as-of DATE]` (default: today in the ledger's zone).
    public func balances(asOf date: CivilDate?) throws -> BalancesReport {
        let today = zone.civilDate(of: now)
        // A day not yet over: every holdback ending by then would count as matured, and no refund
        // after today is known (as mark-paid --date refuses a day after today).
        if let date, date > today {
            throw UserError(
                "--as-of \(date) is after today (\(today)): balances are known up to today; give a day up to "
                    + "\(today) (a year typed wrong?)")
        }
        let snapshot = try ledger.snapshot(orders: .attributable)
        let day = date ?? today
        let (rows, missing) = LedgerCore.balances(asOf: day, snapshot: snapshot, rules: RuleIndex(snapshot))
        return BalancesReport(
            asOf: day, rows: rows.map { ($0, snapshot.creators[$0.creator]?.name ?? $0.creator) },
            missingRates: missing)
    }

    /// `creator history CREATOR [--year Y]`. Refuses a creator the ledger never heard of.
    public func history(creator: String, year: Int?) throws -> CreatorHistory {
        let snapshot = try ledger.snapshot(orders: .attributable)
        let known = snapshot.creators[creator] != nil || snapshot.statements.contains { $0.creator == creator }
        guard known else { throw UserError("unknown creator '\(creator)'") }
        let (months, years) = creatorHistory(creator, year: year, snapshot: snapshot)
        return CreatorHistory(
            creator: creator, name: snapshot.creators[creator]?.name ?? creator, months: months,
            years: years)
    }
}
