import LedgerCore
import LedgerStore

// The read-only reports: codes unknown, explain, ROI, tiers, the creators' list.

/// What `tally explain` shows of one order: the order, what the rules make of it now, and the
/// statement lines that paid or clawed it back.
public struct OrderExplanation: Sendable {
    public struct PaidLine: Sendable {
        public var month: YearMonth
        public var creator: String
        public var line: StatementLine
        /// The reference the payout of that statement was marked paid with.
        public var paidReference: String?
    }

    public var record: OrderRecord
    public var evaluation: OrderEvaluation
    public var statementLines: [PaidLine]
    /// The latest closed month: an order maturing in it or before is first paid in the next one.
    public var lastClosedMonth: YearMonth?
    /// The bonus of the creator's month of the order against its threshold (section 8), when the
    /// terms at the month's last instant carry one.
    public var monthBonus: MonthBonus? = nil
}

/// A creator's month against the bonus threshold, as known now.
public struct MonthBonus: Sendable {
    public var creator: String
    public var month: YearMonth
    public var conversions: Int64
    public var threshold: Int64
    public var amountMinor: Int64
}

/// A creator as `creator list` shows it.
public struct CreatorListing: Sendable {
    public var creator: CreatorRecord
    public var tier: String
    /// The payout account, masked (`****3000`) unless the listing was asked unmasked; nil without
    /// payout details.
    public var account: String?
}

/// `roi`'s grouping.
public enum ROIGrouping: String, Sendable, CaseIterable {
    case creator, tier, platform
}

extension LedgerSession {
    /// `codes unknown`: over the orders that carry a code or a referral value.
    public func unknownCodes() throws -> [UnknownCode] {
        LedgerCore.unknownCodes(try ledger.snapshot(orders: .attributable, statements: false))
    }

    /// Preview and close: the creators whose attributed orders of `month` fall before any terms of
    /// theirs (commission 0, silently otherwise).
    public func creatorsWithoutTerms(in month: YearMonth) throws -> [CreatorWithoutTerms] {
        let snapshot = try ledger.snapshot(orders: .attributable, statements: false)
        return LedgerCore.creatorsWithoutTerms(in: month, snapshot: snapshot)
    }

    /// `referrals unknown`.
    public func unknownReferrals() throws -> [UnknownCode] {
        LedgerCore.unknownReferrals(try ledger.snapshot(orders: .attributable, statements: false))
    }

    /// The orders created before `start` that carry `code` and are attributed to nobody: what an
    /// assignment from `start` leaves uncovered (`code assign` without `--from`).
    public func unattributedOrders(
        carrying code: String,
        before start: Instant
    ) throws -> (count: Int, earliest: Instant?) {
        LedgerCore.unattributedOrders(
            carrying: code, before: start,
            snapshot: try ledger.snapshot(orders: .attributable, statements: false))
    }

    /// `explain ORDER`: `source:order_id`, a bare order id or a Shopify name (`findOrder`).
    public func explain(_ reference: String) throws -> OrderExplanation {
        let snapshot = try ledger.snapshot()
        let record: OrderRecord
        switch findOrder(reference, in: snapshot.orders) {
        case let .found(hit): record = hit
        case .notFound:
            let wanted = reference.trimmingASCIISpaces()
            throw UserError(
                "no order '\(wanted)' in the ledger "
                    + "(give source:order_id, an order id, or a Shopify name like #1042)")
        case let .ambiguous(keys):
            let wanted = reference.trimmingASCIISpaces()
            throw UserError(
                "'\(wanted)' is ambiguous: it matches " + keys.map(\.description).joined(separator: ", ")
                    + "; give source:order_id")
        }
        let ref = record.key.description
        var lines: [OrderExplanation.PaidLine] = []
        for statement in snapshot.statements {
            for line in statement.lines where (line.kind == .commission || line.kind == .clawback) && line.ref == ref {
                let paid = snapshot.payoutsPaid.first { $0.month == statement.month && $0.creator == statement.creator }
                lines.append(
                    .init(
                        month: statement.month, creator: statement.creator, line: line,
                        paidReference: paid?.reference))
            }
        }
        let rules = RuleIndex(snapshot)
        guard rules.terms.anyPlan else {
            return OrderExplanation(
                record: record, evaluation: rules.evaluate(record, before: .distantFuture),
                statementLines: lines, lastClosedMonth: snapshot.lastClosedMonth)
        }
        let plan = orderPlans(snapshot, before: .distantFuture, rules: rules)[record.key]
        let evaluation = rules.evaluate(record, before: .distantFuture, plan: plan)
        var explanation = OrderExplanation(
            record: record, evaluation: evaluation, statementLines: lines,
            lastClosedMonth: snapshot.lastClosedMonth)
        if let plan {
            let month = snapshot.zone.month(of: record.seen.createdAt.instant)
            let lastInstant = snapshot.zone.startOfMonth(month.next).adding(seconds: -1)
            explanation.monthBonus = rules.terms.terms(for: plan.creator, at: lastInstant)?.bonus.map {
                MonthBonus(
                    creator: plan.creator, month: month, conversions: plan.monthConversions,
                    threshold: $0.threshold, amountMinor: $0.amountMinor)
            }
        }
        return explanation
    }

    /// `roi`: the figures of each group with any non-zero figure, in the report's order (creators
    /// and platforms by name, `(none)` last; tiers from nano to mega). Refuses when an attributed
    /// order in the range has no exchange rate.
    public func roi(
        from: CivilDate, to: CivilDate, by grouping: ROIGrouping,
        compareAt rate: CommissionRate?
    ) throws -> [(keys: [String], figures: ROIFigures)] {
        // ROI: attributed orders, no statements.
        try roi(
            from: from, to: to, by: grouping, compareAt: rate,
            snapshot: try ledger.snapshot(orders: .attributable, statements: false))
    }

    /// The same from a snapshot already loaded (the close report reads everything in one snapshot).
    func roi(
        from: CivilDate, to: CivilDate, by grouping: ROIGrouping, compareAt rate: CommissionRate?,
        snapshot: LedgerSnapshot
    ) throws -> [(keys: [String], figures: ROIFigures)] {
        let range = ROIRange(from: from, to: to, zone: snapshot.zone)
        let index = RuleIndex(snapshot)
        let (orders, missing, planCosts) = roiEvaluation(snapshot: snapshot, index: index, range: range)
        if !missing.isEmpty {
            let codes = missing.compactMap { key in snapshot.orders.first { $0.key == key }?.seen.currency.code }
            let currencies = Set(codes)
            let some = missing.prefix(5).map(\.description).joined(separator: ", ") + (missing.count > 5 ? ", ..." : "")
            throw UserError(
                "no exchange rate for \(missing.count) attributed order(s) in "
                    + "\(currencies.sorted().joined(separator: ", ")) (\(some)): "
                    + "import fx rates dated on or before their created dates (tally import fx FILE)")
        }
        let byCreator = roiByCreator(
            orders: orders, snapshot: snapshot, range: range, compareAt: rate,
            planCosts: planCosts)
        switch grouping {
        case .creator:
            return byCreator.keys.sorted().filter { !byCreator[$0]!.isZero }.map { creator in
                ([creator, tier(of: creator, snapshot: snapshot)], byCreator[creator]!)
            }
        case .tier:
            let byTier = roiByTier(byCreator, snapshot: snapshot)
            return TierThresholds.tierNames.compactMap { t in byTier[t].flatMap { $0.isZero ? nil : ([t], $0) } }
        case .platform:
            let byPlatform = roiByPlatform(byCreator, snapshot: snapshot, range: range)
            let platforms = byPlatform.keys.sorted(by: platformOrder).filter { !byPlatform[$0]!.isZero }
            return platforms.map { ([$0], byPlatform[$0]!) }
        }
    }

    /// `tiers`: the thresholds in force.
    public func tierThresholds() throws -> TierThresholds { try ledger.tierThresholds() }

    /// `tiers set`: the thresholds with the given ones changed; nil when nothing changes.
    public func setTiers(micro: Int64?, macro: Int64?, mega: Int64?) throws -> TierThresholds? {
        try ledger.write { ledger throws -> TierThresholds? in
            let current = try ledger.tierThresholds()
            let new = current.changing(micro: micro, macro: macro, mega: mega)
            if let problem = new.problem { throw UserError(problem) }
            if new == current { return nil }
            try ledger.append(.tiersSet(TiersSet(thresholds: new, at: ledger.clock.now())))
            return new
        }
    }

    /// `creator list`: every creator by id, with the tier and the payout account masked, or in
    /// clear when `unmasked` (which needs the key).
    public func creators(unmasked: Bool = false) throws -> [CreatorListing] {
        try creatorListings(try ledger.masterData(.creators), unmasked: unmasked)
    }

    func creatorListings(_ data: LedgerSnapshot, unmasked: Bool = false) throws -> [CreatorListing] {
        try data.creators.values.sorted { $0.id < $1.id }.map { creator in
            let account = try creator.payout.map {
                unmasked ? try payoutAccountInClear($0) : try maskedPayoutAccount($0.account)
            }
            let tier = data.tiers.tier(followers: creator.followersMax)
            return CreatorListing(creator: creator, tier: tier, account: account)
        }
    }

    /// Why payout accounts show sealed although a key file is there (damaged, unreadable or another
    /// ledger's), for a note beside a listing; nil when the key is at hand or simply absent.
    public func keyFileProblem() -> String? {
        guard let problem = ledger.keyFileProblem() else { return nil }
        let text = problem.description
        let suffix = "; nothing was written"
        let reason = text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text
        return "payout accounts are shown ****(sealed): \(reason)"
    }

    /// A stored payout account as listings show it: its last 4 characters (`****3000`) when the key
    /// is at hand to open it, else `****(sealed)`: a listing works from the ledger file alone.
    public func maskedPayoutAccount(_ stored: String) throws -> String {
        guard PayoutSealing.isSealed(stored), !ledger.keyIsInside, ledger.keyIfAvailable() == nil else {
            return maskedAccountTail(try ledger.openPayoutAccount(stored))
        }
        return maskAccount(stored)
    }
}

/// Platforms by name, with `(none)` (creators without posts in the range) last.
private func platformOrder(_ a: String, _ b: String) -> Bool {
    if a == "(none)" { return false }
    if b == "(none)" { return true }
    return a < b
}
