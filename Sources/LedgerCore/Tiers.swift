// The creator tiers of `roi --by tier` (section 7): thresholds a ledger may change.

extension TierThresholds {
    /// These thresholds with the given ones changed (nil: kept).
    public func changing(micro: Int64?, macro: Int64?, mega: Int64?) -> TierThresholds {
        TierThresholds(microFrom: micro ?? microFrom, macroFrom: macro ?? macroFrom, megaFrom: mega ?? megaFrom)
    }

    /// Why these thresholds cannot be set (nil: they can): each tier starts above the one before.
    public var problem: String? {
        guard microFrom > 0, microFrom < macroFrom, macroFrom < megaFrom else {
            return "tier thresholds must rise: 0 < micro (\(microFrom)) < macro (\(macroFrom)) < mega (\(megaFrom))"
        }
        return nil
    }
}
