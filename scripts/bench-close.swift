// Times one month's computation over a large synthetic ledger (no SQLite): 1,000,000 orders and
// 2,000 creators. Run with scripts/bench-close.sh (compiled with -O together with LedgerCore).
import Foundation

func benchMain() {
    let creators = 2_000, orders = 1_000_000
    let zone = Zone(identifier: "America/New_York")!
    var s = LedgerSnapshot(baseCurrency: Currency(code: "USD")!, zone: zone)
    let july = zone.startOfMonth(YearMonth(year: 2026, month: 7)!)
    for c in 0..<creators {
        let id = "creator-\(c)"
        s.creators[id] = CreatorRecord(id: id, name: id, emailHash: "h\(c)", followers: [:], payout: nil)
        s.codeAssignments.append(CodeAssigned(code: "CODE\(c)", creator: id, validFrom: july, validUntil: nil))
        s.referralAssignments.append(ReferralAssigned(value: "REF=\(c)", creator: id, validFrom: july, validUntil: nil))
        s.terms.append(TermsSet(creator: id, effectiveFrom: july, commission: CommissionRate(partsPerMillion: 100_000),
                                perOrderMinor: 100, holdbackDays: 14, minPayoutMinor: 5_000))
    }
    s.fxRates.append(FXRateSet(date: CivilDate(year: 2026, month: 7, day: 1)!, effectiveAt: july,
                               currency: Currency(code: "CAD")!, rate: FXRate(scaled: 7_312_000_000)))
    var rng = UInt64(42)
    func next() -> UInt64 { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return rng >> 33 }
    let start = zone.startOfMonth(YearMonth(year: 2026, month: 9)!).unixSeconds
    for n in 0..<orders {
        let created = Instant(unixSeconds: start + Int64(next() % (30 * 86_400)))
        let c = Int(next() % UInt64(creators))
        let codes = next() % 4 == 0 ? ["welcome10", "code\(c)"] : ["code\(c)"]
        let currency = next() % 10 == 0 ? "CAD" : "USD"
        let seen = OrderSeen(key: OrderKey(source: "shopify", orderId: String(100_000 + n)), name: nil,
                             createdAt: Timestamp(created, offsetSeconds: -14_400), currency: Currency(code: currency)!,
                             subtotalMinor: Int64(next() % 20_000), discountMinor: 0, shippingMinor: 500, taxesMinor: 0,
                             totalMinor: 20_500, codes: codes, referral: next() % 5 == 0 ? "ref=\(c)" : nil,
                             emailHash: "customer",
                             state: OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil), test: false,
                             asOf: created, importRef: "x")
        s.orders.append(OrderRecord(seen: seen))
    }
    s.orders.sort { $0.key < $1.key }
    let t0 = Date()
    let result = computeMonth(YearMonth(year: 2026, month: 9)!, snapshot: s)
    let seconds = Date().timeIntervalSince(t0)
    let lines = result.statements.reduce(0) { $0 + $1.lines.count }
    print("computeMonth: \(orders) orders, \(creators) creators -> \(result.statements.count) statements, "
        + "\(lines) lines in \(String(format: "%.3f", seconds)) s")
}
