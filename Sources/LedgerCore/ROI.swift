/// One attributed order as ROI sees it (section 7 of the ledger rules), in base-currency minor units
/// and "as known now": the engine evaluates attribution and commission, ROI only adds up.
public struct ROIOrder: Equatable, Sendable {
    public var creator: String
    public var createdAt: Instant
    /// Payable now: paid, partially refunded or refunded, and not cancelled.
    public var payable: Bool
    public var fullyRefunded: Bool
    /// `subtotal - refunded_base`, converted to the base currency.
    public var netRevenueMinor: Int64
    /// The commission as known now, maturity ignored (0 for self-referrals).
    public var commissionMinor: Int64
    public var discountMinor: Int64
    public var selfReferral: Bool
    public init(
        creator: String, createdAt: Instant, payable: Bool, fullyRefunded: Bool, netRevenueMinor: Int64,
        commissionMinor: Int64,
        discountMinor: Int64, selfReferral: Bool = false
    ) {
        self.creator = creator; self.createdAt = createdAt; self.payable = payable; self.fullyRefunded = fullyRefunded
        self.netRevenueMinor = netRevenueMinor; self.commissionMinor = commissionMinor;
        self.discountMinor = discountMinor
        self.selfReferral = selfReferral
    }
}

/// The additive figures of an ROI row. Ratios are derived from them, so a totals row computed
/// from summed figures is consistent with its rows.
public struct ROIFigures: Equatable, Sendable {
    public var conversions: Int64 = 0
    public var netRevenueMinor: Int64 = 0
    public var commissionCostMinor: Int64 = 0
    public var feeCostMinor: Int64 = 0
    public var giftCostMinor: Int64 = 0
    public var adjustmentCostMinor: Int64 = 0
    public var discountGivenMinor: Int64 = 0
    /// Impressions and the fees of the posts that recorded them (for CPM).
    public var impressions: Int64 = 0
    public var feeOfPostsWithImpressionsMinor: Int64 = 0
    /// Engagements and the follower counts they are measured against (one per post that recorded them).
    public var engagements: Int64 = 0
    public var engagementFollowers: Int64 = 0
    /// What the same orders would have cost at a pure commission rate (`roi --compare-commission`):
    /// one half-even rounding per order, 0 for self-referrals, as the rules do for real commissions.
    public var commissionAtRateMinor: Int64 = 0

    public init() {}

    public var totalCostMinor: Int64 { commissionCostMinor + feeCostMinor + giftCostMinor + adjustmentCostMinor }

    /// `total_cost / conversions`, half-even to the minor unit; nil without conversions.
    public var costPerConversionMinor: Int64? { perConversion(totalCostMinor) }
    public var feePerConversionMinor: Int64? { perConversion(feeCostMinor) }
    /// `fee / impressions * 1000` over the posts that recorded impressions; nil when none did.
    public var cpmMinor: Int64? {
        impressions > 0
            ? Int64(exactly: divideRoundingHalfEven(Int128(feeOfPostsWithImpressionsMinor) * 1000, Int128(impressions)))
            : nil
    }

    private func perConversion(_ amount: Int64) -> Int64? {
        conversions > 0 ? Int64(exactly: divideRoundingHalfEven(Int128(amount), Int128(conversions))) : nil
    }

    public var isZero: Bool {
        conversions == 0 && netRevenueMinor == 0 && commissionCostMinor == 0 && feeCostMinor == 0 && giftCostMinor == 0
            && adjustmentCostMinor == 0 && discountGivenMinor == 0
    }

    public static func + (a: ROIFigures, b: ROIFigures) -> ROIFigures {
        var r = ROIFigures()
        r.conversions = a.conversions + b.conversions
        r.netRevenueMinor = a.netRevenueMinor + b.netRevenueMinor
        r.commissionCostMinor = a.commissionCostMinor + b.commissionCostMinor
        r.feeCostMinor = a.feeCostMinor + b.feeCostMinor
        r.giftCostMinor = a.giftCostMinor + b.giftCostMinor
        r.adjustmentCostMinor = a.adjustmentCostMinor + b.adjustmentCostMinor
        r.discountGivenMinor = a.discountGivenMinor + b.discountGivenMinor
        r.impressions = a.impressions + b.impressions
        r.feeOfPostsWithImpressionsMinor = a.feeOfPostsWithImpressionsMinor + b.feeOfPostsWithImpressionsMinor
        r.engagements = a.engagements + b.engagements
        r.engagementFollowers = a.engagementFollowers + b.engagementFollowers
        r.commissionAtRateMinor = a.commissionAtRateMinor + b.commissionAtRateMinor
        return r
    }
}

/// The date range of an ROI report: `from` and `to` are inclusive dates in the ledger's zone.
public struct ROIRange: Sendable {
    public let start: Instant
    public let end: Instant  // exclusive: 00:00 of the day after `to`
    public init(from: CivilDate, to: CivilDate, zone: Zone) {
        start = zone.startOfDay(from)
        end = zone.startOfDay(to.adding(days: 1))
    }
    public func contains(_ instant: Instant) -> Bool { instant >= start && instant < end }
}

/// ROI per creator over a range: orders created in the range (already evaluated), and the posts,
/// gifts and adjustments dated in it.
/// `planCosts`: the bonuses and retainers of section 8 (`roiPlanCosts`), counted in commission and fee cost.
public func roiByCreator(
    orders: [ROIOrder], snapshot: LedgerSnapshot, range: ROIRange,
    compareAt rate: CommissionRate? = nil,
    planCosts: [String: (bonusMinor: Int64, retainerMinor: Int64)] = [:]
) -> [String: ROIFigures] {
    var result: [String: ROIFigures] = [:]
    for order in orders where order.payable && range.contains(order.createdAt) {
        var f = result[order.creator, default: ROIFigures()]
        if !order.fullyRefunded { f.conversions += 1 }
        if let rate, !order.selfReferral { f.commissionAtRateMinor += rate.apply(to: order.netRevenueMinor) }
        f.netRevenueMinor += order.netRevenueMinor
        f.commissionCostMinor += order.commissionMinor
        f.discountGivenMinor += order.discountMinor
        result[order.creator] = f
    }
    for post in snapshot.posts where range.contains(post.effectiveAt) {
        var f = result[post.creator, default: ROIFigures()]
        f.feeCostMinor += post.feeMinor
        f = addReach(of: post, to: f, snapshot: snapshot)
        result[post.creator] = f
    }
    for (creator, costs) in planCosts where costs.bonusMinor != 0 || costs.retainerMinor != 0 {
        result[creator, default: ROIFigures()].commissionCostMinor += costs.bonusMinor
        result[creator, default: ROIFigures()].feeCostMinor += costs.retainerMinor
    }
    for gift in snapshot.gifts where range.contains(gift.effectiveAt) {
        result[gift.creator, default: ROIFigures()].giftCostMinor += gift.valueMinor
    }
    for adjustment in snapshot.adjustments where range.contains(adjustment.effectiveAt) {
        result[adjustment.creator, default: ROIFigures()].adjustmentCostMinor += adjustment.amountMinor
    }
    return result
}

func addReach(of post: PostPublished, to figures: ROIFigures, snapshot: LedgerSnapshot) -> ROIFigures {
    var f = figures
    if let impressions = post.impressions {
        f.impressions += impressions
        f.feeOfPostsWithImpressionsMinor += post.feeMinor
    }
    if let engagements = post.engagements, let followers = snapshot.creators[post.creator]?.followers[post.platform],
        followers > 0
    {
        f.engagements += engagements
        f.engagementFollowers += followers
    }
    return f
}

/// The creator's tier by the follower count of their largest platform.
public func tier(of creator: String, snapshot: LedgerSnapshot) -> String {
    snapshot.tiers.tier(followers: snapshot.creators[creator]?.followersMax ?? 0)
}

/// The per-creator figures summed by tier.
public func roiByTier(_ byCreator: [String: ROIFigures], snapshot: LedgerSnapshot) -> [String: ROIFigures] {
    var result: [String: ROIFigures] = [:]
    for (creator, figures) in byCreator {
        let t = tier(of: creator, snapshot: snapshot)
        result[t] = result[t, default: ROIFigures()] + figures
    }
    return result
}

/// ROI by platform. Posts belong to platforms; orders belong to creators. Fees, impressions and
/// engagements go to the post's platform exactly. A creator's other figures (conversions, revenue,
/// commission, gifts, adjustments, discounts) are shared among the platforms of their posts in the
/// range in proportion to the fees paid there (by post count when every fee is 0), split with the
/// largest-remainder method so that every unit lands somewhere and the platforms add up to the
/// creator exactly. A creator without posts in the range lands under `(none)`.
public func roiByPlatform(_ byCreator: [String: ROIFigures], snapshot: LedgerSnapshot, range: ROIRange) -> [String:
    ROIFigures]
{
    var postsByCreator: [String: [PostPublished]] = [:]
    for post in snapshot.posts where range.contains(post.effectiveAt) {
        postsByCreator[post.creator, default: []].append(post)
    }
    var result: [String: ROIFigures] = [:]
    for creator in byCreator.keys.sorted() {
        let figures = byCreator[creator]!
        guard let posts = postsByCreator[creator], !posts.isEmpty else {
            result["(none)"] = result["(none)", default: ROIFigures()] + figures
            continue
        }
        var weights: [String: Int64] = [:]
        let anyFee = posts.contains { $0.feeMinor > 0 }
        for post in posts { weights[post.platform, default: 0] += anyFee ? max(0, post.feeMinor) : 1 }
        let platforms = weights.keys.sorted()
        let w = platforms.map { weights[$0]! }
        // Fees go to their post's platform; the rest of the fee cost (retainers, section 8) is shared.
        let retainers = figures.feeCostMinor - posts.reduce(0) { $0 + $1.feeMinor }
        let shares = [
            apportion(figures.conversions, w), apportion(figures.netRevenueMinor, w),
            apportion(figures.commissionCostMinor, w),
            apportion(figures.giftCostMinor, w), apportion(figures.adjustmentCostMinor, w),
            apportion(figures.discountGivenMinor, w),
            apportion(figures.commissionAtRateMinor, w), apportion(retainers, w)
        ]
        for (i, platform) in platforms.enumerated() {
            var f = ROIFigures()
            f.conversions = shares[0][i]; f.netRevenueMinor = shares[1][i]; f.commissionCostMinor = shares[2][i]
            f.giftCostMinor = shares[3][i]; f.adjustmentCostMinor = shares[4][i]; f.discountGivenMinor = shares[5][i]
            f.commissionAtRateMinor = shares[6][i]; f.feeCostMinor = shares[7][i]
            for post in posts where post.platform == platform {
                f.feeCostMinor += post.feeMinor
                f = addReach(of: post, to: f, snapshot: snapshot)
            }
            result[platform] = result[platform, default: ROIFigures()] + f
        }
    }
    return result
}

/// Splits `total` in proportion to `weights` (largest remainder, ties to the earlier weight):
/// the parts always add up to `total` exactly.
public func apportion(_ total: Int64, _ weights: [Int64]) -> [Int64] {
    let sum = weights.reduce(0, +)
    guard sum > 0 else { return weights.indices.map { $0 == 0 ? total : 0 } }
    let magnitude = Int128(total.magnitude)
    var parts = weights.map { Int64(magnitude * Int128($0) / Int128(sum)) }
    var remainders = weights.enumerated().map { (index: $0.offset, rest: magnitude * Int128($0.element) % Int128(sum)) }
    var left = Int64(magnitude) - parts.reduce(0, +)
    remainders.sort { $0.rest != $1.rest ? $0.rest > $1.rest : $0.index < $1.index }
    for r in remainders where left > 0 { parts[r.index] += 1; left -= 1 }
    return total < 0 ? parts.map { -$0 } : parts
}
