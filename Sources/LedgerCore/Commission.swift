// Section 5 of the ledger rules: the commission of one order.

/// A creator's terms with every field resolved (left-out fields carried over from the terms before).
public struct Terms: Equatable, Sendable {
    public var effectiveFrom: Instant
    public var commission: CommissionRate
    public var perOrderMinor: Int64
    public var holdbackDays: Int64
    public var minPayoutMinor: Int64
    // Section 8 (commission plans): nil and 0 mean the field is off.
    public var newCustomerCommission: CommissionRate?
    public var lifetimeMonths: Int64
    public var lifetimeCommission: CommissionRate?
    public var tiers: RateTiers?
    public var tiersApply: TiersApply
    public var bonusThreshold: Int64
    public var bonusMinor: Int64?
    public var retainerMinor: Int64?

    public init(
        effectiveFrom: Instant, commission: CommissionRate, perOrderMinor: Int64, holdbackDays: Int64,
        minPayoutMinor: Int64, newCustomerCommission: CommissionRate? = nil, lifetimeMonths: Int64 = 0,
        lifetimeCommission: CommissionRate? = nil, tiers: RateTiers? = nil, tiersApply: TiersApply = .marginal,
        bonusThreshold: Int64 = 0, bonusMinor: Int64? = nil, retainerMinor: Int64? = nil
    ) {
        self.effectiveFrom = effectiveFrom; self.commission = commission; self.perOrderMinor = perOrderMinor
        self.holdbackDays = holdbackDays; self.minPayoutMinor = minPayoutMinor
        self.newCustomerCommission = newCustomerCommission; self.lifetimeMonths = lifetimeMonths
        self.lifetimeCommission = lifetimeCommission; self.tiers = tiers; self.tiersApply = tiersApply
        self.bonusThreshold = bonusThreshold; self.bonusMinor = bonusMinor; self.retainerMinor = retainerMinor
    }

    /// Any field of section 8 that shapes a rate, links customers or pays a bonus or retainer.
    public var hasPlan: Bool {
        newCustomerCommission != nil || lifetimeMonths > 0 || tiers != nil || bonus != nil || retainerMinor != nil
    }

    /// The bonus (threshold and amount) when both are set (section 8.4).
    public var bonus: (threshold: Int64, amountMinor: Int64)? {
        guard bonusThreshold > 0, let bonusMinor else { return nil }
        return (bonusThreshold, bonusMinor)
    }

    /// The one table of term defaults: what the first `terms set` of a creator starts from (a field
    /// left out keeps its default), and the holdback of an attributed order whose creator has no
    /// terms. The help of `terms set` and `import terms` quotes it.
    public static let defaults = Terms(
        effectiveFrom: Instant(unixSeconds: 0), commission: .zero, perOrderMinor: 0,
        holdbackDays: 30, minPayoutMinor: 0)

    /// What the first `terms set` of a creator starts from.
    public static func initial(from effectiveFrom: Instant) -> Terms {
        var terms = defaults
        terms.effectiveFrom = effectiveFrom
        return terms
    }

    /// The holdback of `terms`, or the default one for a creator without terms.
    public static func holdbackDays(_ terms: Terms?) -> Int64 { (terms ?? defaults).holdbackDays }
}

/// Every creator's terms over time, resolved once per run.
public struct TermsIndex: Sendable {
    /// Per creator, sorted by `effectiveFrom`, one entry per distinct `effectiveFrom`.
    public let history: [String: [Terms]]

    /// `terms` in log order, resolved by `resolveTermsHistory`.
    public init(_ terms: [TermsSet]) {
        history = resolveTermsHistory(terms).mapValues { $0.map(\.terms) }
    }

    /// The terms in force at `instant`: the latest whose effective-from is at or before it; nil when none.
    public func terms(for creator: String, at instant: Instant) -> Terms? {
        history[creator].flatMap { latest(in: $0, atOrBefore: instant, \.effectiveFrom) }
    }
}

/// Exchange rates by currency, sorted by date.
public struct FXIndex: Sendable {
    let rates: [Currency: [FXRateSet]]

    public init(_ rates: [FXRateSet]) {
        var byCurrency: [Currency: [FXRateSet]] = [:]
        for r in rates { byCurrency[r.currency, default: []].append(r) }
        // One rate per (currency, date): the last recorded wins.
        self.rates = byCurrency.mapValues { list in
            var byDate: [CivilDate: FXRateSet] = [:]
            for r in list { byDate[r.date] = r }
            return byDate.values.sorted { $0.date < $1.date }
        }
    }

    /// The latest rate dated on or before `date`.
    public func rate(for currency: Currency, on date: CivilDate) -> FXRateSet? {
        rates[currency].flatMap { latest(in: $0, atOrBefore: date, \.date) }
    }
}

/// The amounts of an order that the commission needs, in base-currency minor units.
public struct BaseAmounts: Equatable, Sendable {
    public var subtotalMinor: Int64
    public var totalMinor: Int64
    public var refundedMinor: Int64
    public init(subtotalMinor: Int64, totalMinor: Int64, refundedMinor: Int64) {
        self.subtotalMinor = subtotalMinor; self.totalMinor = totalMinor; self.refundedMinor = refundedMinor
    }
}

/// The arithmetic of section 5, kept for `explain`.
public struct CommissionBreakdown: Equatable, Sendable {
    public var refundedBaseMinor: Int64
    public var baseMinor: Int64
    public var percentPartMinor: Int64
    public var fixedPartMinor: Int64
    public var payable: Bool
    public var fullyRefunded: Bool
    public var commissionMinor: Int64 { percentPartMinor + fixedPartMinor }
}

/// `refunded_base = round_half_even(refunded * subtotal / total)`, capped at subtotal, 0 when total is 0.
public func refundedBase(subtotalMinor: Int64, totalMinor: Int64, refundedMinor: Int64) -> Int64 {
    guard totalMinor != 0, refundedMinor > 0 else { return 0 }
    let share = divideRoundingHalfEven(Int128(refundedMinor) * Int128(subtotalMinor), Int128(totalMinor))
    return Int64(min(share, Int128(subtotalMinor)))
}

/// The commission of one order under `terms`, with its amounts already in base currency.
/// `fullyRefunded` is decided on the order's own amounts (refunded >= total > 0), before conversion.
/// A non-payable or cancelled order earns 0; the fixed part needs a payable, not fully refunded order.
/// `rate` is the order's rate under section 8 (the terms' commission when not given).
public func commission(
    amounts: BaseAmounts, state: OrderState, fullyRefunded: Bool, terms: Terms,
    rate: CommissionRate? = nil
) -> CommissionBreakdown {
    let refunded = refundedBase(
        subtotalMinor: amounts.subtotalMinor, totalMinor: amounts.totalMinor, refundedMinor: amounts.refundedMinor)
    let base = amounts.subtotalMinor - refunded
    guard state.isPayable else {
        return CommissionBreakdown(
            refundedBaseMinor: refunded, baseMinor: base, percentPartMinor: 0, fixedPartMinor: 0, payable: false,
            fullyRefunded: fullyRefunded)
    }
    return CommissionBreakdown(
        refundedBaseMinor: refunded, baseMinor: base,
        percentPartMinor: (rate ?? terms.commission).apply(to: base),
        fixedPartMinor: fullyRefunded ? 0 : terms.perOrderMinor, payable: true, fullyRefunded: fullyRefunded)
}

extension OrderState {
    /// The one definition of "payable": a payable status (paid, partially refunded, refunded) and
    /// not cancelled. Anything else earns no commission and is left out of ROI.
    public var isPayable: Bool { status.isPayable && cancelledAt == nil }
}

/// When an order matures (section 5): its created date in the ledger's zone plus the holdback days of
/// the terms in force at its created time (the default one without terms), in calendar days, never
/// multiples of 86,400 s (across a daylight-saving change the two differ late in the evening). It is
/// first paid in the close of the month that contains that date.
@inline(__always)
public func maturityDate(createdDate: CivilDate, terms: Terms?) -> CivilDate {
    createdDate.adding(days: Terms.holdbackDays(terms))
}

/// Refunded in full: the refunded amount reaches a non-zero total (order currency, so exact).
public func isFullyRefunded(_ seen: OrderDetails, _ state: OrderState) -> Bool {
    seen.totalMinor > 0 && state.refundedMinor >= seen.totalMinor
}

/// Why an order's commission is 0 although it is attributed.
public enum ZeroReason: Equatable, Sendable {
    case test, selfReferral, noTerms, notPayable(FinancialStatus), cancelled
}

/// Everything the rules say about one order at one point in time, with the reasons (for `explain`).
public struct OrderEvaluation: Sendable {
    public var attribution: Attribution
    public var state: OrderState
    /// The terms in force at the order's created time for the attributed creator.
    public var terms: Terms?
    /// The rate used for an order in another currency (nil for base-currency orders).
    public var fxRate: FXRateSet?
    /// True when the order is in another currency and no rate is dated on or before its created date.
    public var missingRate: Bool
    public var amounts: BaseAmounts?
    public var breakdown: CommissionBreakdown?
    public var zeroReason: ZeroReason?
    /// The commission (0 with a `zeroReason`; nil only when the rate is missing and it matters).
    public var commissionMinor: Int64?
    /// The created date in the ledger's zone + holdback days: first payable in the close of its month.
    public var maturityDate: CivilDate?
    /// Section 8: the order as the plan rules see it (nil without plans, or unattributed).
    public var plan: OrderPlan?
    /// The rate applied: the plan's, else the terms' commission; nil without terms.
    public var rate: CommissionRate?
}

/// The indexes a run needs, built once from a snapshot.
public struct RuleIndex: Sendable {
    public let baseCurrency: Currency
    public let zone: Zone
    public let attribution: AttributionIndex
    public let terms: TermsIndex
    public let fx: FXIndex

    public init(_ snapshot: LedgerSnapshot) {
        baseCurrency = snapshot.baseCurrency
        zone = snapshot.zone
        attribution = AttributionIndex(snapshot)
        terms = TermsIndex(snapshot.terms)
        fx = FXIndex(snapshot.fxRates)
    }

    /// The order's amounts in base currency with the rate of its created date (ledger zone);
    /// nil when it is in another currency and no rate is dated on or before that date.
    /// `createdDate` may be given when already known (the order's created date in the ledger zone).
    public func baseAmounts(
        _ seen: OrderDetails, _ state: OrderState,
        createdDate: CivilDate? = nil
    ) -> (amounts: BaseAmounts, rate: FXRateSet?)? {
        let own = BaseAmounts(
            subtotalMinor: seen.subtotalMinor, totalMinor: seen.totalMinor, refundedMinor: state.refundedMinor)
        if seen.currency == baseCurrency { return (own, nil) }
        guard let rate = fx.rate(for: seen.currency, on: createdDate ?? zone.civilDate(of: seen.createdAt.instant))
        else { return nil }
        // nil also when a conversion does not fit Int64 (an absurd amount at an absurd rate, from a
        // hostile file): the order counts as one without a usable rate; never a trap.
        let convert = { (amount: Money) in rate.rate.convertChecked(amount, to: self.baseCurrency)?.amountMinor }
        guard let subtotal = convert(seen.subtotal), let total = convert(seen.total),
            let refunded = convert(seen.money(own.refundedMinor))
        else { return nil }
        return (BaseAmounts(subtotalMinor: subtotal, totalMinor: total, refundedMinor: refunded), rate)
    }

    /// The created date in the ledger's zone + the holdback days of the terms in force at created time.
    public func maturityDate(_ seen: OrderDetails, terms: Terms?) -> CivilDate {
        LedgerCore.maturityDate(createdDate: zone.civilDate(of: seen.createdAt.instant), terms: terms)
    }

    /// The full evaluation of an order in the state it has before `instant` (now: `.distantFuture`).
    /// `plan`: the order under section 8 (`orderPlans`), which may attribute it through a lifetime link
    /// and sets its rate.
    public func evaluate(_ order: OrderRecord, before instant: Instant, plan: OrderPlan? = nil) -> OrderEvaluation {
        let seen = order.seen
        var attribution = self.attribution.attribute(seen)
        if let plan, attribution.creator == nil, plan.lifetime != nil {
            attribution.creator = plan.creator
            attribution.selfReferral = plan.selfReferral
        }
        let state = order.state(before: instant)
        var e = OrderEvaluation(
            attribution: attribution, state: state, terms: nil, fxRate: nil, missingRate: false, amounts: nil,
            breakdown: nil, zeroReason: nil, commissionMinor: nil, maturityDate: nil,
            plan: nil, rate: nil)
        if let converted = baseAmounts(seen, state) {
            e.amounts = converted.amounts; e.fxRate = converted.rate
        } else {
            e.missingRate = true
        }
        guard let creator = attribution.creator else { return e }
        e.terms = terms.terms(for: creator, at: seen.createdAt.instant)
        e.maturityDate = maturityDate(seen, terms: e.terms)
        e.plan = plan
        e.rate = plan?.rate ?? e.terms?.commission
        if let terms = e.terms, let amounts = e.amounts {
            e.breakdown = commission(
                amounts: amounts, state: state, fullyRefunded: isFullyRefunded(seen, state),
                terms: terms, rate: e.rate)
        }
        e.zeroReason = zeroReason(seen, state, attribution.selfReferral, e.terms)
        e.commissionMinor = e.zeroReason != nil ? 0 : e.breakdown?.commissionMinor
        return e
    }

    func zeroReason(_ seen: OrderDetails, _ state: OrderState, _ selfReferral: Bool, _ terms: Terms?) -> ZeroReason? {
        if seen.test { return .test }
        if selfReferral { return .selfReferral }
        if terms == nil { return .noTerms }
        if !state.isPayable { return state.cancelledAt != nil ? .cancelled : .notPayable(state.status) }
        return nil
    }

    /// The commission the close needs (hot path): 0 without computing amounts whenever the rules give
    /// 0 anyway; `.missingRate` when the amounts are needed but cannot be converted.
    public func commissionMinor(
        _ order: borrowing OrderRecord, selfReferral: Bool, state: OrderState, terms: Terms?,
        createdDate: CivilDate? = nil, rate: CommissionRate? = nil
    ) -> CommissionOutcome {
        let outcome = closeCommission(
            order, selfReferral: selfReferral, state: state, terms: terms,
            createdDate: createdDate, rate: rate)
        switch outcome {
        case let .earned(breakdown, _): return .amount(breakdown.commissionMinor)
        case .zero: return .amount(0)
        case .missingRate: return .missingRate
        }
    }

    /// As `commissionMinor`, with the figures a statement line keeps: the breakdown and the rate,
    /// or why the commission is 0.
    public func closeCommission(
        _ order: borrowing OrderRecord, selfReferral: Bool, state: OrderState, terms: Terms?,
        createdDate: CivilDate? = nil, rate: CommissionRate? = nil
    ) -> CloseCommission {
        if let reason = zeroReason(order.seen, state, selfReferral, terms) { return .zero(reason) }
        guard let terms else { return .zero(.noTerms) }
        guard let converted = baseAmounts(order.seen, state, createdDate: createdDate) else { return .missingRate }
        let breakdown = commission(
            amounts: converted.amounts, state: state,
            fullyRefunded: isFullyRefunded(order.seen, state), terms: terms, rate: rate)
        return .earned(breakdown, rate: rate ?? terms.commission)
    }
}

/// An order's commission as the close computes it.
public enum CloseCommission: Equatable, Sendable {
    case earned(CommissionBreakdown, rate: CommissionRate)
    case zero(ZeroReason)
    case missingRate
}

public enum CommissionOutcome: Equatable, Sendable {
    case amount(Int64)
    case missingRate
}

extension Instant {
    /// Later than any real time: "as known now".
    public static let distantFuture = Instant(unixSeconds: Int64.max / 2)
    /// 1970-01-01T00:00:00Z: what a decoder's blank fact starts from.
    public static let epoch = Instant(unixSeconds: 0)
}
