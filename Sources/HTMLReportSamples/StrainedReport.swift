import HTMLReport
import LedgerCore

/// A report that strains the layout: 30 creators (so the charts fold the rest into one bar), long
/// and hostile names, a negative balance, clawbacks, bonuses and retainers, undefined ratios, 12
/// months of history and 25 unknown codes. Figures are made up but add up as the rules say.
public enum StrainedReport {
    public static let month = YearMonth(year: 2027, month: 3)!
    public static let madeAt = Timestamp.parse("2027-04-02T17:05:00+02:00")!

    /// Names that must show as text, whatever they contain.
    public static let hostileNames = [
        "<script>alert(1)</script>", "Zoë \"Quotes\" & O'Brien", "Ærøskøbing-Łukasiewicz Teahouse Collective GmbH"
    ]

    public static func report(state: MonthState = .open) -> CloseReport {
        let creators = (0..<30).map(creator)
        let pages = creators.map { statement($0, state: state) }
        let rows = zip(creators, pages).map {
            PayoutRow(creator: $0.id, name: $0.name, figures: $1.figures, payment: $1.payment)
        }
        let costs = creators.map { c in
            CreatorCosts(
                creator: c.id, name: c.name, tier: c.tier,
                figures: roi(
                    conversions: c.index % 7 == 3 ? 0 : Int64(c.index + 2),
                    net: c.index % 7 == 3 ? 0 : Int64(4_000 + c.index * 2_750),
                    commission: Int64(c.index * 331), fee: c.index % 3 == 0 ? 25_000 : 0,
                    gift: Int64(c.index % 4) * 1_800, adjustment: 0, discount: 0))
        }
        var tiers: [String: ROIFigures] = [:]
        for cost in costs { tiers[cost.tier] = tiers[cost.tier, default: ROIFigures()] + cost.figures }
        tiers["mega"] = roi(conversions: 0, net: 0, commission: 0, fee: 0, gift: 0, adjustment: 0, discount: 0)
        let history = (0..<12).map { offset -> MonthFigures in
            var m = month
            for _ in 0..<(11 - offset) { m = m.previous }
            let k = Int64(offset)
            return MonthFigures(
                month: m, commissionsMinor: 180_000 + k * 12_500 - (k % 3) * 20_000,
                clawbacksMinor: k % 4 == 1 ? 45_000 : 0, feesMinor: 250_000 - k * 9_000,
                giftsMinor: 15_000 + (k % 5) * 3_000, payoutsMinor: 390_000 + k * 4_000)
        }
        let codes = (0..<25).map { n in
            UnknownCode(
                code: n == 0 ? "<B>BOLD&CO</B>" : "SPRING\(2000 + n)", orders: Int64(1 + n % 6),
                firstSeen: date(2027, 3, 1 + n),
                lastSeen: date(2027, 3, 2 + n), revenueMinor: Int64(90_000 - n * 3_300))
        }
        return CloseReport(
            brand: "Hostile & <Strained> Brand", month: month, currency: .eur, state: state, madeAt: madeAt,
            chainHead: "1234567 " + String(repeating: "0123456789abcdef", count: 4),
            payouts: rows, roiPeriod: DayRange(from: month.firstDay, to: date(2027, 3, 31)),
            tiers: ["nano", "micro", "macro", "mega"].map { TierCosts(tier: $0, figures: tiers[$0] ?? ROIFigures()) },
            creatorCosts: costs, history: history, unknownCodes: codes, statements: pages)
    }

    struct Creator {
        var index: Int
        var id: String
        var name: String
        var tier: String
    }

    static func creator(_ index: Int) -> Creator {
        let name = index < hostileNames.count ? hostileNames[index] : "Creator Number \(index + 1)"
        let tier = ["nano", "micro", "macro"][index % 3]
        let id = "creator-" + (index < 9 ? "0" : "") + String(index + 1)
        return Creator(index: index, id: id, name: name, tier: tier)
    }

    static func statement(_ c: Creator, state: MonthState) -> StatementPage {
        let i = Int64(c.index)
        var entries = [
            StatementEntry(
                kind: .commission, reference: "#\(5000 + i)", date: date(2027, 2, 3),
                baseMinor: 10_000 + i * 1_500, rate: rate("10%"), amountMinor: 1_000 + i * 150)
        ]
        if c.index == 1 {
            entries.append(
                StatementEntry(
                    kind: .clawback, reference: "#4888", date: date(2027, 2, 9),
                    baseMinor: 90_000, rate: rate("10%"), amountMinor: -9_000))
            entries.append(
                StatementEntry(
                    kind: .adjustment, reference: "A-77", date: date(2027, 3, 4),
                    amountMinor: -2_500, note: "returned sample <not> shipped back"))
        }
        if c.index % 5 == 2 {
            entries.append(
                StatementEntry(
                    kind: .bonus, reference: "bonus:2027-02", date: date(2027, 2, 28),
                    amountMinor: 10_000))
        }
        if c.index % 3 == 0 {
            entries.append(
                StatementEntry(
                    kind: .retainer, reference: "retainer:2027-03",
                    date: date(2027, 3, 31), amountMinor: 25_000))
        }
        var f = PayoutFigures()
        for entry in entries {
            switch entry.kind {
            case .commission, .bonus: f.commissionsMinor += entry.amountMinor
            case .clawback: f.clawbacksMinor -= entry.amountMinor
            case .fee, .retainer: f.feesMinor += entry.amountMinor
            case .adjustment: f.adjustmentsMinor += entry.amountMinor
            }
        }
        f.carriedInMinor = c.index == 4 ? 1_950 : 0
        f.balanceMinor = f.carriedInMinor + f.commissionsMinor - f.clawbacksMinor + f.feesMinor + f.adjustmentsMinor
        let minPayout: Int64 = 2_000
        f.payoutMinor = f.balanceMinor > 0 && f.balanceMinor >= minPayout ? f.balanceMinor : 0
        f.carriedOutMinor = f.balanceMinor - f.payoutMinor
        let unpaid = state == .open || c.index % 2 == 0
        let made = Payment(
            reference: "SEPA-\"\(c.index)\"&<ref>", date: date(2027, 4, 2), method: "bank",
            amountMinor: f.payoutMinor)
        let payment: PaymentStatus = f.payoutMinor == 0 ? .noPayout : unpaid ? .unpaid : .paid(made)
        let terms = TermsInForce(
            effectiveFrom: date(2026, 12, 1), commission: rate("10%"), perOrderMinor: 0,
            holdbackDays: 30, minPayoutMinor: minPayout, newCustomerCommission: rate("20%"), lifetimeMonths: 12,
            lifetimeCommission: rate("5%"), tiers: [.init(afterConversions: 25, rate: rate("12.5%"))],
            tiersApply: .marginal, bonusThreshold: 50, bonusMinor: 10_000,
            retainerMinor: c.index % 3 == 0 ? 25_000 : nil)
        return StatementPage(
            brand: "Hostile & <Strained> Brand", month: month, currency: .eur, state: state, creator: c.id,
            name: c.name, entries: entries, figures: f, minPayoutMinor: minPayout, payment: payment, terms: terms,
            madeAt: madeAt)
    }
}

private func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
