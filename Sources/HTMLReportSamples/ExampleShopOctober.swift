import HTMLReport
import LedgerCore

/// The example shop's October 2026, as scripts/demo.sh leaves the ledger: copied from its `payout show`,
/// `statement`, `explain` (bases, rates, order numbers), `roi --by tier|creator` for October and `codes unknown`.
/// Fixed, so that the page tests do not need a ledger (`tally report` renders the ledger itself). The three
/// payments marked paid are made up: the walkthrough marks none for October.
public enum ExampleShopOctober {
    public static let brand = "Maple & Moss Tea Co."
    public static let month = YearMonth(year: 2026, month: 10)!
    public static let madeAt = Timestamp.parse("2026-11-05T09:30:00-05:00")!
    public static let chainHead = "593 86b625a4efcaa7501e12b0f1db1a2572e52f923772763a2bc57bdfe6100a18b1"
    public static let paymentDate = CivilDate(year: 2026, month: 11, day: 5)!

    public static func report(state: MonthState = .closed) -> CloseReport {
        let statements = payouts.map { statement($0.creator, state: state)! }
        let rows = zip(payouts, statements).map { row, page in
            PayoutRow(creator: row.creator, name: names[row.creator]!, figures: row.figures, payment: page.payment)
        }
        let costs = creatorCosts.map {
            CreatorCosts(creator: $0.creator, name: names[$0.creator]!, tier: $0.tier, figures: $0.figures)
        }
        return CloseReport(
            brand: brand, month: month, currency: .usd, state: state, madeAt: madeAt, chainHead: chainHead,
            payouts: rows, roiPeriod: DayRange(from: month.firstDay, to: CivilDate(year: 2026, month: 10, day: 31)!),
            tiers: tiers, creatorCosts: costs, history: history, unknownCodes: unknownCodes, statements: statements)
    }

    public static func statement(_ creator: String, state: MonthState = .closed) -> StatementPage? {
        guard let figures = payouts.first(where: { $0.creator == creator })?.figures else { return nil }
        let payment: PaymentStatus
        if figures.payoutMinor == 0 {
            payment = .noPayout
        } else if state == .closed, let paid = paid[creator] {
            payment = .paid(
                Payment(
                    reference: paid.reference, date: paymentDate, method: paid.method,
                    amountMinor: figures.payoutMinor))
        } else {
            payment = .unpaid
        }
        return StatementPage(
            brand: brand, month: month, currency: .usd, state: state, creator: creator, name: names[creator]!,
            entries: entries[creator] ?? [], figures: figures, minPayoutMinor: terms[creator]?.minPayoutMinor ?? 0,
            payment: payment, terms: terms[creator], madeAt: madeAt)
    }

    static let payouts: [(creator: String, figures: PayoutFigures)] = [
        ("anna-bakes", figures(2621, 4453, 0, 0, 0, 7074, 7074, 0)),
        ("brew-bea", figures(0, 914, 0, 15000, 0, 15914, 15914, 0)),
        ("chai-priya", figures(2244, 1670, 0, 30000, 0, 33914, 33914, 0)),
        ("cuppa-cam", figures(0, 0, 0, 120000, 0, 120000, 120000, 0)),
        ("herbal-hugo", figures(0, 1247, 0, 0, 0, 1247, 1247, 0)),
        ("kettle-kate", figures(1808, 506, 0, 0, 1200, 3514, 0, 3514)),
        ("leafy-lena", figures(0, 8913, 5219, 0, 0, 3694, 3694, 0)),
        ("matcha-mo", figures(0, 7540, 0, 150000, 0, 157540, 157540, 0)),
        ("oolong-omar", figures(0, 158, 0, 0, 0, 158, 158, 0)),
        ("slow-sips", figures(0, 554, 0, 15000, 0, 15554, 15554, 0)),
        ("steep-sam", figures(0, 1855, 0, 90000, 0, 91855, 91855, 0)),
        ("tea-with-tess", figures(0, 4014, 0, 0, 0, 4014, 4014, 0))
    ]
    static let names: [String: String] = [
        "anna-bakes": "Anna Becker",
        "brew-bea": "Beatriz Souza",
        "chai-priya": "Priya Raman",
        "cuppa-cam": "Cameron Blake",
        "herbal-hugo": "Hugo Martin",
        "kettle-kate": "Kate Doyle",
        "leafy-lena": "Lena Fischer",
        "matcha-mo": "Mo Tanaka",
        "oolong-omar": "Omar Haddad",
        "slow-sips": "Jonas Berg",
        "steep-sam": "Sam Okafor",
        "tea-with-tess": "Tess Nguyen"
    ]
    static let paid: [String: (reference: String, method: String)] = [
        "anna-bakes": ("PAYPAL-BATCH-1107", "paypal"),
        "matcha-mo": ("WISE-88213", "wise"),
        "cuppa-cam": ("ACH-20261105-01", "bank")
    ]
    static let entries: [String: [StatementEntry]] = [
        "anna-bakes": [
            e(.commission, "5183", "2026-09-01", 444, base: 3442, rate: "10%", perOrder: 100),
            e(.commission, "#1174", "2026-09-03", 304, base: 2040, rate: "10%", perOrder: 100),
            e(.commission, "#1189", "2026-09-10", 194, base: 935, rate: "10%", perOrder: 100),
            e(.commission, "POP-0912-01", "2026-09-12", 950, base: 8500, rate: "10%", perOrder: 100),
            e(.commission, "POP-0912-03", "2026-09-12", 262, base: 1620, rate: "10%", perOrder: 100),
            e(.commission, "POP-0912-05", "2026-09-12", 640, base: 5395, rate: "10%", perOrder: 100),
            e(.commission, "#1193", "2026-09-12", 321, base: 2210, rate: "10%", perOrder: 100),
            e(.commission, "#1204", "2026-09-17", 195, base: 948, rate: "10%", perOrder: 100),
            e(.commission, "#1209", "2026-09-19", 712, base: 6120, rate: "10%", perOrder: 100),
            e(.commission, "5217", "2026-09-19", 227, base: 1267, rate: "10%", perOrder: 100),
            e(.commission, "#1235", "2026-09-29", 204, base: 1042, rate: "10%", perOrder: 100)
        ],
        "brew-bea": [
            e(.commission, "5242", "2026-09-28", 914, base: 8640, rate: "10%", perOrder: 50),
            e(.fee, "P021", "2026-10-03", 15000, note: "instagram")
        ],
        "chai-priya": [
            e(.commission, "5199", "2026-09-10", 348, base: 3480, rate: "10%"),
            e(.commission, "#1199", "2026-09-14", 632, base: 6320, rate: "10%"),
            e(.commission, "#1202", "2026-09-16", 360, base: 2400, rate: "15%"),
            e(.commission, "#1241", "2026-10-01", 330, base: 2200, rate: "15%"),
            e(.fee, "P022", "2026-10-04", 30000, note: "instagram")
        ],
        "cuppa-cam": [
            e(.fee, "P027", "2026-10-26", 120000, note: "instagram")
        ],
        "herbal-hugo": [
            e(.commission, "#1186", "2026-09-10", 432, base: 3600, rate: "12%"),
            e(.commission, "#1200", "2026-09-15", 815, base: 6795, rate: "12%")
        ],
        "kettle-kate": [
            e(.commission, "5244", "2026-10-01", 506, base: 3375, rate: "15%"),
            e(.adjustment, "A004", "2026-10-12", 1200, note: "pop-up market table share")
        ],
        "leafy-lena": [
            e(.clawback, "5171", "2026-08-24", -219, base: 0, rate: "12.5%", note: "refund"),
            e(.bonus, "bonus:2026-08", "2026-08-31", -5000),
            e(.commission, "#1208", "2026-09-18", 540, base: 4320, rate: "12.5%"),
            e(.commission, "5224", "2026-09-23", 1262, base: 10100, rate: "12.5%"),
            e(.commission, "POP-0926-12", "2026-09-26", 752, base: 6012, rate: "12.5%"),
            e(.bonus, "bonus:2026-09", "2026-09-30", 5000),
            e(.commission, "576461618933209861", "2026-10-09", 1006, base: 8050, rate: "12.5%"),
            e(.commission, "POP-1010-17", "2026-10-10", 353, base: 2823, rate: "12.5%")
        ],
        "matcha-mo": [
            e(.commission, "#1175", "2026-09-03", 291, base: 1820, rate: "5%", perOrder: 200),
            e(.commission, "576461587257114833", "2026-09-05", 342, base: 2850, rate: "5%", perOrder: 200),
            e(.commission, "5196", "2026-09-08", 540, base: 6800, rate: "5%", perOrder: 200),
            e(.commission, "#1192", "2026-09-12", 523, base: 6460, rate: "5%", perOrder: 200),
            e(.commission, "#1198", "2026-09-14", 614, base: 8287, rate: "5%", perOrder: 200),
            e(.commission, "#1203", "2026-09-16", 416, base: 4320, rate: "5%", perOrder: 200),
            e(.commission, "576461595176138590", "2026-09-18", 526, base: 6525, rate: "5%", perOrder: 200),
            e(.commission, "#1218", "2026-09-21", 430, base: 4590, rate: "5%", perOrder: 200),
            e(.commission, "#1222", "2026-09-22", 377, base: 2355, rate: "7.5%", perOrder: 200),
            e(.commission, "5232", "2026-09-27", 1273, base: 14310, rate: "7.5%", perOrder: 200),
            e(.commission, "#1236", "2026-09-29", 844, base: 8585, rate: "7.5%", perOrder: 200),
            e(.commission, "576461603095162347", "2026-09-30", 986, base: 7862, rate: "10%", perOrder: 200),
            e(.commission, "#1238", "2026-09-30", 378, base: 2380, rate: "7.5%", perOrder: 200),
            e(.fee, "P023", "2026-10-06", 150000, note: "tiktok")
        ],
        "oolong-omar": [
            e(.commission, "#1215", "2026-09-20", 158, base: 1584, rate: "10%")
        ],
        "slow-sips": [
            e(.commission, "5236", "2026-09-28", 241, base: 3015, rate: "8%"),
            e(.commission, "#1239", "2026-09-30", 313, base: 3915, rate: "8%"),
            e(.fee, "P026", "2026-10-22", 15000, note: "instagram")
        ],
        "steep-sam": [
            e(.commission, "#1191", "2026-09-11", 900, base: 11610, rate: "7.75%"),
            e(.commission, "#1223", "2026-09-23", 520, base: 6705, rate: "7.75%"),
            e(.commission, "#1243", "2026-10-01", 435, base: 5608, rate: "7.75%"),
            e(.fee, "P024", "2026-10-21", 65000, note: "instagram"),
            e(.retainer, "retainer:2026-10", "2026-10-31", 25000)
        ],
        "tea-with-tess": [
            e(.commission, "POP-0912-02", "2026-09-12", 554, base: 3690, rate: "15%"),
            e(.commission, "5205", "2026-09-13", 398, base: 3979, rate: "10%"),
            e(.commission, "#1201", "2026-09-16", 450, base: 4500, rate: "10%"),
            e(.commission, "#1210", "2026-09-19", 898, base: 5985, rate: "15%"),
            e(.commission, "#1212", "2026-09-20", 432, base: 4320, rate: "10%"),
            e(.commission, "5238", "2026-09-28", 882, base: 8820, rate: "10%"),
            e(.commission, "#1237", "2026-09-30", 400, base: 8000, rate: "5%")
        ]
    ]
    static let terms: [String: TermsInForce] = [
        "anna-bakes": termsFrom(
            "2026-07-01", "10%",
            perOrderMinor: 100, holdbackDays: 30, minPayoutMinor: 5000),
        "brew-bea": termsFrom(
            "2026-07-01", "10%",
            perOrderMinor: 50, holdbackDays: 14, minPayoutMinor: 2000),
        "chai-priya": termsFrom(
            "2026-09-15", "15%",
            perOrderMinor: 0, holdbackDays: 30, minPayoutMinor: 5000),
        "herbal-hugo": termsFrom(
            "2026-07-01", "12%",
            perOrderMinor: 0, holdbackDays: 30, minPayoutMinor: 0),
        "kettle-kate": termsFrom(
            "2026-07-15", "15%",
            perOrderMinor: 0, holdbackDays: 30, minPayoutMinor: 5000),
        "leafy-lena": TermsInForce(
            effectiveFrom: day("2026-07-01"), commission: rate("12.5%"), holdbackDays: 14,
            minPayoutMinor: 2500, bonusThreshold: 6, bonusMinor: 5000),
        "matcha-mo": TermsInForce(
            effectiveFrom: day("2026-08-01"), commission: rate("5%"), perOrderMinor: 200,
            minPayoutMinor: 0,
            tiers: [
                .init(afterConversions: 8, rate: rate("7.5%")),
                .init(afterConversions: 12, rate: rate("10%"))
            ]),
        "oolong-omar": termsFrom(
            "2026-07-01", "10%",
            perOrderMinor: 0, holdbackDays: 30, minPayoutMinor: 0),
        "slow-sips": termsFrom(
            "2026-07-01", "8%",
            perOrderMinor: 0, holdbackDays: 14, minPayoutMinor: 0),
        "steep-sam": TermsInForce(
            effectiveFrom: day("2026-09-01"), commission: rate("7.75%"),
            minPayoutMinor: 10000, retainerMinor: 25000),
        "tea-with-tess": TermsInForce(
            effectiveFrom: day("2026-07-01"), commission: rate("10%"), minPayoutMinor: 2500,
            newCustomerCommission: rate("15%"), lifetimeMonths: 3, lifetimeCommission: rate("5%"))
    ]
    static let tiers: [TierCosts] = [
        TierCosts(
            tier: "nano",
            figures: roi(
                conversions: 2, net: 6010,
                commission: 822, fee: 0, gift: 0, adjustment: 1200, discount: 840)),
        TierCosts(
            tier: "micro",
            figures: roi(
                conversions: 25, net: 117424,
                commission: 19138, fee: 60000, gift: 2400, adjustment: 0, discount: 16310)),
        TierCosts(
            tier: "macro",
            figures: roi(
                conversions: 9, net: 48871,
                commission: 3264, fee: 210000, gift: 3650, adjustment: 0, discount: 5391)),
        TierCosts(
            tier: "mega",
            figures: roi(
                conversions: 10, net: 57226,
                commission: 5053, fee: 150000, gift: 0, adjustment: 0, discount: 8447))
    ]
    static let creatorCosts: [(creator: String, tier: String, figures: ROIFigures)] = [
        (
            "anna-bakes", "micro",
            roi(
                conversions: 5, net: 24794,
                commission: 2979, fee: 0, gift: 0, adjustment: 0, discount: 4863)
        ),
        (
            "brew-bea", "micro",
            roi(
                conversions: 0, net: 0,
                commission: 0, fee: 15000, gift: 0, adjustment: 0, discount: 0)
        ),
        (
            "chai-priya", "micro",
            roi(
                conversions: 5, net: 11400,
                commission: 1710, fee: 30000, gift: 0, adjustment: 0, discount: 2850)
        ),
        (
            "cuppa-cam", "macro",
            roi(
                conversions: 1, net: 6757,
                commission: 0, fee: 120000, gift: 3650, adjustment: 0, discount: 1193)
        ),
        (
            "herbal-hugo", "nano",
            roi(
                conversions: 1, net: 2635,
                commission: 316, fee: 0, gift: 0, adjustment: 0, discount: 465)
        ),
        (
            "kettle-kate", "nano",
            roi(
                conversions: 1, net: 3375,
                commission: 506, fee: 0, gift: 0, adjustment: 1200, discount: 375)
        ),
        (
            "leafy-lena", "micro",
            roi(
                conversions: 6, net: 31798,
                commission: 8975, fee: 0, gift: 0, adjustment: 0, discount: 3079)
        ),
        (
            "matcha-mo", "mega",
            roi(
                conversions: 10, net: 57226,
                commission: 5053, fee: 150000, gift: 0, adjustment: 0, discount: 8447)
        ),
        (
            "oolong-omar", "micro",
            roi(
                conversions: 1, net: 4752,
                commission: 475, fee: 0, gift: 2400, adjustment: 0, discount: 648)
        ),
        (
            "slow-sips", "micro",
            roi(
                conversions: 0, net: 0,
                commission: 0, fee: 15000, gift: 0, adjustment: 0, discount: 0)
        ),
        (
            "steep-sam", "macro",
            roi(
                conversions: 8, net: 42114,
                commission: 3264, fee: 90000, gift: 0, adjustment: 0, discount: 4198)
        ),
        (
            "tea-with-tess", "micro",
            roi(
                conversions: 8, net: 44680,
                commission: 4999, fee: 0, gift: 0, adjustment: 0, discount: 4870)
        )
    ]
    static let history: [MonthFigures] = [
        monthFigures("2026-07", commissions: 2091, clawbacks: 0, fees: 55000, gifts: 24925, payouts: 56131),
        monthFigures("2026-08", commissions: 13190, clawbacks: 0, fees: 410000, gifts: 26950, payouts: 427375),
        monthFigures("2026-09", commissions: 20384, clawbacks: 0, fees: 340000, gifts: 21275, payouts: 353486),
        monthFigures("2026-10", commissions: 31824, clawbacks: 5219, fees: 420000, gifts: 6050, payouts: 450964)
    ]
    static let unknownCodes: [UnknownCode] = [
        unknown("AUTOMATIC DISCOUNTS", orders: 1, firstSeen: "2026-08-12", lastSeen: "2026-08-12", revenue: 4050),
        unknown("CUSTOM DISCOUNT", orders: 3, firstSeen: "2026-07-15", lastSeen: "2026-10-24", revenue: 10750),
        unknown("SUMMER2025", orders: 5, firstSeen: "2026-07-03", lastSeen: "2026-10-17", revenue: 28035),
        unknown("TEA4TWO", orders: 1, firstSeen: "2026-09-23", lastSeen: "2026-09-23", revenue: 1620)
    ]
}

func figures(
    _ carriedIn: Int64, _ commissions: Int64, _ clawbacks: Int64, _ fees: Int64, _ adjustments: Int64,
    _ balance: Int64, _ payout: Int64, _ carriedOut: Int64
) -> PayoutFigures {
    PayoutFigures(
        carriedInMinor: carriedIn, commissionsMinor: commissions, clawbacksMinor: clawbacks,
        feesMinor: fees, adjustmentsMinor: adjustments, balanceMinor: balance, payoutMinor: payout,
        carriedOutMinor: carriedOut)
}

func day(_ text: String) -> CivilDate { CivilDate.parse(text)! }

func rate(_ text: String) -> CommissionRate { try! CommissionRate.parse(text).get() }

private func e(
    _ kind: StatementEntry.Kind, _ reference: String, _ date: String, _ amount: Int64, base: Int64? = nil,
    rate text: String? = nil, perOrder: Int64? = nil, note: String? = nil
) -> StatementEntry {
    StatementEntry(
        kind: kind, reference: reference, date: day(date), baseMinor: base, rate: text.map(rate),
        perOrderMinor: perOrder, amountMinor: amount, note: note)
}

private func termsFrom(
    _ from: String, _ commission: String, perOrderMinor: Int64, holdbackDays: Int64,
    minPayoutMinor: Int64
) -> TermsInForce {
    TermsInForce(
        effectiveFrom: day(from), commission: rate(commission), perOrderMinor: perOrderMinor,
        holdbackDays: holdbackDays, minPayoutMinor: minPayoutMinor)
}

func roi(
    conversions: Int64, net: Int64, commission: Int64, fee: Int64, gift: Int64, adjustment: Int64,
    discount: Int64
) -> ROIFigures {
    var figures = ROIFigures()
    figures.conversions = conversions; figures.netRevenueMinor = net; figures.commissionCostMinor = commission
    figures.feeCostMinor = fee; figures.giftCostMinor = gift; figures.adjustmentCostMinor = adjustment
    figures.discountGivenMinor = discount
    return figures
}

func monthFigures(
    _ text: String, commissions: Int64, clawbacks: Int64, fees: Int64, gifts: Int64,
    payouts: Int64
) -> MonthFigures {
    MonthFigures(
        month: YearMonth.parse(text)!, commissionsMinor: commissions, clawbacksMinor: clawbacks,
        feesMinor: fees, giftsMinor: gifts, payoutsMinor: payouts)
}

private func unknown(
    _ code: String, orders: Int64, firstSeen: String, lastSeen: String,
    revenue: Int64
) -> UnknownCode {
    UnknownCode(code: code, orders: orders, firstSeen: day(firstSeen), lastSeen: day(lastSeen), revenueMinor: revenue)
}
