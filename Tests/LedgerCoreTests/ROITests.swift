import TestSupport
import Testing
@testable import LedgerCore

@Suite("ROI aggregation (section 7)")
struct ROITests {
    let zone = Zone(identifier: "America/New_York")!
    func day(_ d: Int, month: Int = 9) -> CivilDate { CivilDate(year: 2026, month: month, day: d)! }
    func at(_ d: Int, month: Int = 9) -> Instant { zone.startOfDay(day(d, month: month)).adding(seconds: 3600 * 12) }

    func snapshot() -> LedgerSnapshot {
        var s = LedgerSnapshot(baseCurrency: .usd, zone: zone)
        s.creators["anna"] = CreatorRecord(
            id: "anna", name: "Anna", emailHash: nil, followers: ["instagram": 48_200, "tiktok": 12_900], payout: nil)
        s.creators["mo"] = CreatorRecord(
            id: "mo", name: "Mo", emailHash: nil, followers: ["tiktok": 2_340_000], payout: nil)
        s.creators["kate"] = CreatorRecord(
            id: "kate", name: "Kate", emailHash: nil, followers: ["instagram": 740], payout: nil)
        s.posts = [
            PostPublished(
                id: "P1", creator: "anna", date: day(2), effectiveAt: zone.startOfDay(day(2)), platform: "instagram",
                feeMinor: 20_000, url: nil, impressions: 40_000, engagements: 2_410),
            PostPublished(
                id: "P2", creator: "anna", date: day(9), effectiveAt: zone.startOfDay(day(9)), platform: "tiktok",
                feeMinor: 10_000, url: nil, impressions: nil, engagements: 645),
            PostPublished(
                id: "P3", creator: "mo", date: day(5), effectiveAt: zone.startOfDay(day(5)), platform: "tiktok",
                feeMinor: 150_000, url: nil, impressions: 1_000_000, engagements: nil),
            PostPublished(
                id: "P4", creator: "kate", date: day(5, month: 8), effectiveAt: zone.startOfDay(day(5, month: 8)),
                platform: "instagram", feeMinor: 5_000, url: nil, impressions: nil, engagements: nil)
        ]
        s.gifts = [
            GiftSent(
                id: "G1", creator: "kate", date: day(3), effectiveAt: zone.startOfDay(day(3)), valueMinor: 8_000,
                note: nil)
        ]
        s.adjustments = [
            AdjustmentRecorded(
                id: "A1", creator: "anna", date: day(20), effectiveAt: zone.startOfDay(day(20)), amountMinor: -2_500,
                reason: "x")
        ]
        return s
    }

    var orders: [ROIOrder] {
        [
            ROIOrder(
                creator: "anna", createdAt: at(3), payable: true, fullyRefunded: false, netRevenueMinor: 8_500,
                commissionMinor: 950, discountMinor: 1_500),
            ROIOrder(
                creator: "anna", createdAt: at(4), payable: true, fullyRefunded: true, netRevenueMinor: 0,
                commissionMinor: 0, discountMinor: 600),
            ROIOrder(
                creator: "anna", createdAt: at(5), payable: false, fullyRefunded: false, netRevenueMinor: 4_000,
                commissionMinor: 0, discountMinor: 700),  // pending: left out
            ROIOrder(
                creator: "anna", createdAt: at(1, month: 10), payable: true, fullyRefunded: false,
                netRevenueMinor: 9_999, commissionMinor: 999, discountMinor: 0),  // out of range
            ROIOrder(
                creator: "mo", createdAt: at(6), payable: true, fullyRefunded: false, netRevenueMinor: 3_000,
                commissionMinor: 300, discountMinor: 0)
        ]
    }

    @Test func perCreatorFiguresAreHandChecked() {
        let s = snapshot()
        let range = ROIRange(from: day(1), to: day(30), zone: zone)
        let r = roiByCreator(orders: orders, snapshot: s, range: range)
        let anna = r["anna"]!
        #expect(anna.conversions == 1)  // the fully refunded order is no conversion
        #expect(anna.netRevenueMinor == 8_500)
        #expect(anna.commissionCostMinor == 950)
        #expect(anna.feeCostMinor == 30_000)
        #expect(anna.adjustmentCostMinor == -2_500)  // a negative adjustment lowers the cost
        #expect(anna.totalCostMinor == 28_450)
        #expect(anna.costPerConversionMinor == 28_450)
        #expect(anna.discountGivenMinor == 2_100)
        #expect(anna.cpmMinor == 500)  // 200.00 / 40,000 * 1000 = 5.00 (P2 has no impressions)
        #expect(anna.engagements == 3_055)
        #expect(anna.engagementFollowers == 48_200 + 12_900)
        let mo = r["mo"]!
        #expect(mo.totalCostMinor == 150_300)
        #expect(mo.cpmMinor == 150)  // 1500.00 / 1,000,000 * 1000 = 1.50
        // Kate: a gift in range, a fee in August (out of range), no conversions.
        let kate = r["kate"]!
        #expect(kate.conversions == 0 && kate.giftCostMinor == 8_000 && kate.feeCostMinor == 0)
        #expect(kate.costPerConversionMinor == nil && kate.feePerConversionMinor == nil)
    }

    @Test func ratiosRoundHalfEvenAndCanBeUndefined() {
        var f = ROIFigures()
        f.conversions = 3
        f.feeCostMinor = 100
        #expect(f.feePerConversionMinor == 33)  // 33.33 -> 33
        f.feeCostMinor = 5
        f.conversions = 2
        #expect(f.feePerConversionMinor == 2)  // 2.5 -> 2 (even)
        f.feeCostMinor = 7
        #expect(f.feePerConversionMinor == 4)  // 3.5 -> 4 (even)
    }

    @Test func tiersFollowTheLargestPlatform() {
        let s = snapshot()
        #expect(tier(of: "anna", snapshot: s) == "micro")
        #expect(tier(of: "mo", snapshot: s) == "mega")
        #expect(tier(of: "kate", snapshot: s) == "nano")
        #expect(tier(of: "nobody", snapshot: s) == "nano")
        let byCreator = roiByCreator(
            orders: orders, snapshot: s, range: ROIRange(from: day(1), to: day(30), zone: zone))
        let byTier = roiByTier(byCreator, snapshot: s)
        #expect(byTier["micro"] == byCreator["anna"])
        #expect(byTier.values.reduce(ROIFigures(), +) == byCreator.values.reduce(ROIFigures(), +))
    }

    @Test func platformsShareACreatorsOrdersByFeeAndAddUp() {
        let s = snapshot()
        let range = ROIRange(from: day(1), to: day(30), zone: zone)
        let byCreator = roiByCreator(orders: orders, snapshot: s, range: range)
        let byPlatform = roiByPlatform(byCreator, snapshot: s, range: range)
        // Anna paid 200.00 on instagram and 100.00 on tiktok: 2/3 and 1/3 of her order figures.
        let instagram = byPlatform["instagram"]!
        #expect(instagram.feeCostMinor == 20_000)
        #expect(instagram.netRevenueMinor == 5_667)  // 8,500 * 2/3 = 5,666.67 -> largest remainder gives 5,667
        #expect(instagram.conversions == 1)  // 1 * 2/3 -> 0 + the largest remainder
        let tiktok = byPlatform["tiktok"]!
        #expect(tiktok.netRevenueMinor == 2_833 + 3_000)
        #expect(byPlatform["(none)"]?.giftCostMinor == 8_000)  // Kate has no post in range
        let total = byPlatform.values.reduce(ROIFigures(), +), expected = byCreator.values.reduce(ROIFigures(), +)
        #expect(total.conversions == expected.conversions)
        #expect(total.netRevenueMinor == expected.netRevenueMinor)
        #expect(total.totalCostMinor == expected.totalCostMinor)
        #expect(total.discountGivenMinor == expected.discountGivenMinor)
    }

    /// A retainer is fee cost without a post: shared among the creator's platforms like her other
    /// figures, so the platform rows still add up to the creator rows (it was left out).
    @Test func platformsShareARetainerAndStillAddUp() {
        let s = snapshot()
        let range = ROIRange(from: day(1), to: day(30), zone: zone)
        let byCreator = roiByCreator(
            orders: orders, snapshot: s, range: range, planCosts: ["anna": (bonusMinor: 1_000, retainerMinor: 30_001)])
        let byPlatform = roiByPlatform(byCreator, snapshot: s, range: range)
        // Anna's posts: 200.00 on instagram, 100.00 on tiktok; her retainer 300.01 splits 200.01 / 100.00.
        #expect(byPlatform["instagram"]!.feeCostMinor == 20_000 + 20_001)
        #expect(byPlatform["tiktok"]!.feeCostMinor == 10_000 + 10_000 + byCreator["mo"]!.feeCostMinor)
        let total = byPlatform.values.reduce(ROIFigures(), +), expected = byCreator.values.reduce(ROIFigures(), +)
        #expect(total.feeCostMinor == expected.feeCostMinor)
        #expect(total.commissionCostMinor == expected.commissionCostMinor)
        #expect(total.totalCostMinor == expected.totalCostMinor)
    }

    @Test func apportionIsExact() {
        #expect(apportion(100, [1, 1, 1]) == [34, 33, 33])
        #expect(apportion(-100, [1, 1, 1]) == [-34, -33, -33])
        #expect(apportion(5, [0, 0]) == [5, 0])
        #expect(apportion(0, [3, 4]) == [0, 0])
        var rng = SplitMix64(seed: 77)
        for _ in 0..<500 {
            let total = Int64(rng.next() % 1_000_000) - 500_000
            let weights = (0..<Int(rng.next() % 5 + 1)).map { _ in Int64(rng.next() % 10_000) }
            #expect(apportion(total, weights).reduce(0, +) == total, "seed 77")
        }
    }
}
