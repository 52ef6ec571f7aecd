import LedgerCore
import LedgerStore

extension Ledger {
    /// The notes on terms that can never pay a plan part (`unpayablePlanNotes`), for the creators and
    /// effective-froms a `terms set` or terms import gave, read from the ledger as it now stands
    /// (inside the import's transaction, so that a dry run says the same).
    func unpayablePlanNotes(touched: [(creator: String, from: Instant)]) throws -> [String] {
        guard !touched.isEmpty else { return [] }
        let data = try masterData([.terms])
        return LedgerCore.unpayablePlanNotes(
            resolveTermsHistory(data.terms), touched: touched, zone: settings.zone,
            exponent: settings.baseCurrency.minorUnitExponent)
    }
}

extension LedgerSession {
    /// After `terms set`: the note on `creator`'s terms from `from`, when they carry a plan part that
    /// can never pay (docs/plans.md).
    public func unpayablePlanNotes(creator: String, from: Instant) throws -> [String] {
        try ledger.unpayablePlanNotes(touched: [(creator, from)])
    }
}
