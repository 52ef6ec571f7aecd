import LedgerCore

/// A random ledger over July 2026 to March 2027: master data, orders with later changes, posts,
/// adjustments and rates, as facts in batches. Batch k is recorded before the close of month k
/// (`months[k]`); the last batch after every close. Late facts (dated in a closed month) and
/// re-recorded master data happen naturally.
public struct RandomLedger {
    public static let months = [
        "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02",
        "2027-03"
    ].map(ym)
    public var header: [Fact]
    public var batches: [[Fact]]
    /// Section 8: random plans on the terms, and customers from a small pool (so that customers
    /// come back, are linked and are new). Off, the ledger is the same as before plans existed.
    public private(set) var plans = false

    public static let start = day("2026-07-01").unixSeconds
    public static let span: Int64 = 183 * 86_400  // orders and facts dated July to December

    public init(seed: UInt64, plans: Bool = false) {
        self.plans = plans
        var rng = SplitMix64(seed: seed)
        header = [.ledgerInitialized(testInitialized(usd, zone: "UTC"))]
        let creators = (0..<Int(rng.int(2...5))).map { "c\($0)" }
        for c in creators {
            header.append(
                .creatorRegistered(
                    CreatorRegistered(
                        id: c, name: c, emailHash: "h-\(c)", followers: [:], payout: nil, at: Instant(unixSeconds: 0))))
        }
        // Every CAD order finds a rate: blocking closes are tested elsewhere.
        header.append(
            .fxRateSet(
                FXRateSet(
                    date: CivilDate.parse("2026-01-01")!, effectiveAt: day("2026-01-01"), currency: cad,
                    rate: FXRate(scaled: 7_312_000_000))))
        batches = Array(repeating: [], count: RandomLedger.months.count + 1)
        let codes = (0..<6).map { "K\($0)" }
        for code in codes { addAssignments(code: code, creators: creators, rng: &rng) }
        if rng.chance(50) {
            batches[Int(rng.int(0...3))].append(
                .houseCodeDeclared(HouseCodeDeclared(code: "K5", at: Instant(unixSeconds: 0))))
        }
        for value in ["R0", "R1"] {
            let batch = Int(rng.int(0...4))
            batches[batch].append(
                .referralAssigned(
                    ReferralAssigned(
                        value: value, creator: rng.pick(creators), validFrom: randomDay(&rng), validUntil: nil)))
        }
        for c in creators { addTerms(creator: c, rng: &rng) }
        for n in 0..<Int(rng.int(5...40)) {
            addOrder(id: "o\(n)", codes: codes + ["UNKNOWN", "k1"], creators: creators, rng: &rng)
        }
        for n in 0..<Int(rng.int(0...6)) { addPost(id: "P\(n)", creators: creators, rng: &rng) }
        for n in 0..<Int(rng.int(0...4)) {
            let date = randomDay(&rng)
            let fact = Fact.adjustmentRecorded(
                AdjustmentRecorded(
                    id: "A\(n)", creator: rng.pick(creators), date: Zone.utc.civilDate(of: date), effectiveAt: date,
                    amountMinor: rng.int(-20_000...20_000), reason: "r"))
            batches[batchOnOrAfter(date, &rng)].append(fact)
        }
    }

    /// Facts in log order with a close after each batch but the last: `close(month)` gives the facts to add.
    public func facts(closing close: (YearMonth, [Fact]) -> [Fact]) -> [Fact] {
        var facts = header
        for (k, batch) in batches.enumerated() {
            facts += batch
            if k < RandomLedger.months.count { facts += close(RandomLedger.months[k], facts) }
        }
        return facts
    }

    public func randomDay(_ rng: inout SplitMix64) -> Instant {
        Instant(unixSeconds: RandomLedger.start + rng.int(0...RandomLedger.span) / 86_400 * 86_400)
    }

    /// A batch recorded no earlier than the month of `instant` (sometimes months later: a late fact).
    public func batchOnOrAfter(_ instant: Instant, _ rng: inout SplitMix64) -> Int {
        let month = Zone.utc.month(of: instant)
        let first = RandomLedger.months.firstIndex { $0 >= month } ?? RandomLedger.months.count
        return min(RandomLedger.months.count, first + Int(rng.int(0...2)))
    }

    public mutating func addAssignments(code: String, creators: [String], rng: inout SplitMix64) {
        for _ in 0..<Int(rng.int(1...3)) {
            let from = rng.chance(30) ? day("2026-07-01") : randomDay(&rng)
            let until: Instant? = rng.chance(25) ? from.adding(seconds: rng.int(1...90) * 86_400) : nil
            batches[Int(rng.int(0...6))].append(
                .codeAssigned(CodeAssigned(code: code, creator: rng.pick(creators), validFrom: from, validUntil: until))
            )
        }
    }

    public mutating func addTerms(creator: String, rng: inout SplitMix64) {
        for k in 0..<Int(rng.int(1...3)) {
            let from = k == 0 ? day("2026-07-01") : randomDay(&rng)
            let rate: CommissionRate? =
                k == 0 || rng.chance(60)
                ? CommissionRate(partsPerMillion: rng.int(0...30) * 5_000 + rng.int(0...1) * 1_250) : nil
            let fact = Fact.termsSet(
                TermsSet(
                    creator: creator, effectiveFrom: from, commission: rate,
                    perOrderMinor: rng.chance(50) ? rng.int(0...250) : nil,
                    holdbackDays: rng.chance(60) ? rng.int(0...45) : nil,
                    minPayoutMinor: rng.chance(40) ? rng.int(0...8_000) : nil))
            batches[k == 0 ? 0 : Int(rng.int(0...6))].append(plans ? withPlan(fact, &rng) : fact)
        }
    }

    public mutating func addOrder(id: String, codes: [String], creators: [String], rng: inout SplitMix64) {
        let created = Instant(unixSeconds: RandomLedger.start + rng.int(0...RandomLedger.span))
        let currency = rng.chance(20) ? cad : usd
        let subtotal = rng.int(0...40_000), total = subtotal + rng.int(0...5_000)
        let statuses: [FinancialStatus] = [
            .paid, .paid, .paid, .partiallyRefunded, .refunded, .pending, .authorized, .voided
        ]
        let listed = (0..<Int(rng.int(0...3))).map { _ in rng.pick(codes) }
        var state = OrderState(
            status: rng.pick(statuses), refundedMinor: rng.chance(20) ? rng.int(0...total) : 0, cancelledAt: nil)
        let key = OrderKey(source: rng.chance(70) ? "shopify" : "woocommerce", orderId: id)
        let seen = OrderSeen(
            key: key, name: "#\(id)", createdAt: Timestamp(created, offsetSeconds: 0), currency: currency,
            subtotalMinor: subtotal,
            discountMinor: 0, shippingMinor: total - subtotal, taxesMinor: 0, totalMinor: total, codes: listed,
            referral: rng.chance(30) ? rng.pick(["R0", "r1", "R9"]) : nil,
            emailHash: rng.chance(10) ? "h-\(rng.pick(creators))" : customer(&rng),
            state: state, test: rng.chance(5),
            asOf: created, importRef: "x")
        var batch = batchOnOrAfter(created, &rng)
        batches[batch].append(.orderSeen(seen))
        var at = created
        for _ in 0..<Int(rng.int(0...3)) {
            at = at.adding(seconds: rng.int(1...60) * 86_400)
            var next = state
            next.status = rng.pick(statuses)
            if rng.chance(50) { next.refundedMinor = rng.int(0...total) }
            if rng.chance(15) { next.cancelledAt = next.cancelledAt == nil ? Timestamp(at, offsetSeconds: 0) : nil }
            guard let change = OrderChanged(key: key, from: state, to: next, effectiveAt: at, asOf: at, importRef: "x")
            else { continue }
            state = next
            batch = max(batch, batchOnOrAfter(at, &rng))
            batches[batch].append(.orderChanged(change))
        }
    }

    func customer(_ rng: inout SplitMix64) -> String? {
        guard plans else { return "h-customer" }
        return rng.chance(10) ? nil : "h-q\(rng.int(0...7))"
    }

    /// `fact` (terms) with random plan fields: each given, cleared or left out.
    func withPlan(_ fact: Fact, _ rng: inout SplitMix64) -> Fact {
        guard case var .termsSet(t) = fact else { return fact }
        func rate(_ rng: inout SplitMix64) -> CommissionRate {
            CommissionRate(partsPerMillion: rng.int(0...40) * 5_000)
        }
        func clearable<V>(_ rng: inout SplitMix64, _ value: (inout SplitMix64) -> V) -> V?? {
            let roll = rng.int(0...9)
            return roll < 4 ? .some(value(&rng)) : roll < 5 ? .some(nil) : nil
        }
        t.newCustomerCommission = clearable(&rng, rate)
        t.lifetimeMonths = rng.chance(40) ? rng.int(0...3) : nil
        t.lifetimeCommission = clearable(&rng, rate)
        t.tiers = clearable(&rng) { rng in
            let first = rng.int(1...3)
            let second = first + rng.int(1...3)
            return RateTiers([RateTier(above: first, rate: rate(&rng)), RateTier(above: second, rate: rate(&rng))])!
        }
        t.tiersApply = rng.chance(40) ? rng.pick([.marginal, .month]) : nil
        t.bonusThreshold = rng.chance(40) ? rng.int(0...4) : nil
        t.bonusMinor = clearable(&rng) { $0.int(0...20_000) }
        t.retainerMinor = clearable(&rng) { $0.int(0...30_000) }
        return .termsSet(t)
    }

    public mutating func addPost(id: String, creators: [String], rng: inout SplitMix64) {
        for _ in 0..<Int(rng.int(1...2)) {  // a second version: a corrected fee, date or creator
            let date = randomDay(&rng)
            let fact = Fact.postPublished(
                PostPublished(
                    id: id, creator: rng.pick(creators), date: Zone.utc.civilDate(of: date), effectiveAt: date,
                    platform: "tiktok", feeMinor: rng.chance(20) ? 0 : rng.int(0...30_000), url: nil, impressions: nil,
                    engagements: nil))
            batches[batchOnOrAfter(date, &rng)].append(fact)
        }
    }
}

/// Closes every month of a random ledger with the pure engine; returns the results, the final facts
/// and the snapshot the last month was closed from.
public func closeAll(_ ledger: RandomLedger) -> (results: [MonthResult], facts: [Fact], lastSnapshot: LedgerSnapshot) {
    var results: [MonthResult] = []
    var last: LedgerSnapshot? = nil
    let facts = ledger.facts { month, factsSoFar in
        let snapshot = LedgerSnapshot.fold(factsSoFar)!
        let result = computeMonth(month, snapshot: snapshot)
        results.append(result)
        last = snapshot
        return result.facts(zone: .utc)
    }
    return (results, facts, last!)
}
