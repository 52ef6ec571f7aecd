/// One line of a statement: what moved a creator's balance in a closed month.
public struct StatementLine: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case commission, clawback, fee, adjustment
        /// Section 8: a month's bonus (counted in commissions; taken back by a clawback line with
        /// the bonus's ref) and a month's retainer (counted in fees, either sign).
        case bonus, retainer

        /// The kinds of an order's lines (a commission or a clawback): what `OrderLineDetail`
        /// explains. A clawback of a bonus has this kind too: `StatementLine.isOrderLine` tells them apart.
        public var isOrderLine: Bool { self == .commission || self == .clawback }
    }

    /// `bonus:YYYY-MM`, the ref of month `month`'s bonus (its lines: bonus, or clawback).
    public static func bonusRef(_ month: YearMonth) -> String { "bonus:\(month)" }
    /// `retainer:YYYY-MM`, the ref of month `month`'s retainer.
    public static func retainerRef(_ month: YearMonth) -> String { "retainer:\(month)" }

    /// A line of a bonus (including its clawbacks) or a retainer: its ref names a month, no order.
    /// (`bonus` and `retainer` are never source names, so no order's ref starts like these.)
    public var isPlanLine: Bool {
        kind == .bonus || kind == .retainer || (kind == .clawback && ref.hasPrefix("bonus:"))
    }

    /// A commission or clawback of an order (not of a bonus).
    public var isOrderLine: Bool { kind.isOrderLine && !isPlanLine }
    public var kind: Kind
    /// The order (`source:order_id`) for commissions and clawbacks; the post or adjustment id.
    public var ref: String
    public var date: CivilDate
    /// Signed effect on the balance: clawbacks are negative.
    public var amountMinor: Int64
    /// What an order line's amount comes from, frozen with it (statements of version 2); nil for
    /// other kinds and for the order lines of statements frozen before.
    public var order: OrderLineDetail?

    public init(kind: Kind, ref: String, date: CivilDate, amountMinor: Int64, order: OrderLineDetail? = nil) {
        self.kind = kind; self.ref = ref; self.date = date; self.amountMinor = amountMinor; self.order = order
    }

    /// `[kind, ref, date, amount]`, and for an order line of version 2
    /// `[..., base_minor, rate_ppm, per_order_minor, change]` (each may be null). A kind added later
    /// appends its own detail after the amount the same way.
    var json: JSON {
        var items: [JSON] = [.string(kind.rawValue), .string(ref), .string(date.description), .int(amountMinor)]
        if let o = order {
            items += [.opt(o.baseMinor), .opt(o.rate?.partsPerMillion), .opt(o.perOrderMinor), .opt(o.change?.rawValue)]
        }
        return .array(items)
    }

    init(_ json: JSON, type: String) throws(FactDecodingError) {
        let malformed = FactDecodingError("\(type): malformed statement line")
        guard let a = json.arrayValue, a.count >= 4, let k = a[0].stringValue.flatMap(Kind.init(rawValue:)),
            let ref = a[1].stringValue, let d = a[2].stringValue.flatMap(CivilDate.parse), let amount = a[3].intValue
        else { throw malformed }
        var order: OrderLineDetail? = nil
        if a.count != 4 {
            guard k.isOrderLine, a.count == 8 else { throw malformed }
            func int(_ j: JSON) throws(FactDecodingError) -> Int64? {
                if j.isNull { return nil }
                guard let i = j.intValue else { throw malformed }
                return i
            }
            let rate = try int(a[5])
            guard rate.map({ (0...1_000_000).contains($0) }) ?? true else { throw malformed }
            var change: LineChange? = nil
            if !a[7].isNull {
                guard let c = a[7].stringValue.flatMap(LineChange.init(rawValue:)) else { throw malformed }
                change = c
            }
            order = OrderLineDetail(
                baseMinor: try int(a[4]), rate: rate.map(CommissionRate.init(partsPerMillion:)),
                perOrderMinor: try int(a[6]), change: change)
        }
        self.init(kind: k, ref: ref, date: d, amountMinor: amount, order: order)
    }
}

/// What an order's line in a statement comes from, frozen at the close so that an auditor reads
/// the figures the close used: the commissionable base and the terms applied to it, and for a
/// line that corrects what earlier statements paid for the order, what changed.
public struct OrderLineDetail: Equatable, Sendable {
    /// The commissionable base at the end of the month (base currency); nil when the order earns
    /// this creator nothing without it (not attributed to them, not payable, self-referral).
    public var baseMinor: Int64?
    /// The commission rate of the terms in force at the order's created time; nil without terms or
    /// when the order is no longer this creator's.
    public var rate: CommissionRate?
    /// The fixed part per order applied (0 when it does not apply); nil as `rate`.
    public var perOrderMinor: Int64?
    /// For a line correcting earlier statements: why the order's commission changed.
    public var change: LineChange?

    public init(baseMinor: Int64?, rate: CommissionRate?, perOrderMinor: Int64?, change: LineChange?) {
        self.baseMinor = baseMinor; self.rate = rate; self.perOrderMinor = perOrderMinor; self.change = change
    }
}

/// Why an order's commission differs from what earlier statements paid for it.
public enum LineChange: String, Sendable, CaseIterable {
    /// More of the order was refunded.
    case refund
    /// The order was cancelled, voided or is no longer payable (or the reverse).
    case cancellation
    /// The order belongs to another creator now (or to none): a code or referral moved.
    case reattribution = "re-attribution"
    /// The customer's e-mail is now the creator's.
    case selfReferral = "self-referral"
    /// The terms in force at its created time changed (rate or fixed part).
    case rateChange = "rate change"
    /// Its conversion to the base currency changed (another exchange rate for its date).
    case exchangeRate = "exchange rate"
    /// None of the above can be told (the earlier line was frozen without its figures).
    case other
}

/// The payout figures of one creator for one month (section 6 of the ledger rules).
public struct PayoutFigures: Equatable, Sendable {
    public var carriedInMinor: Int64 = 0
    public var commissionsMinor: Int64 = 0
    public var clawbacksMinor: Int64 = 0
    public var feesMinor: Int64 = 0
    public var adjustmentsMinor: Int64 = 0
    public var balanceMinor: Int64 = 0
    public var payoutMinor: Int64 = 0
    public var carriedOutMinor: Int64 = 0
    public init() {}
    public init(
        carriedInMinor: Int64, commissionsMinor: Int64, clawbacksMinor: Int64, feesMinor: Int64,
        adjustmentsMinor: Int64,
        balanceMinor: Int64, payoutMinor: Int64, carriedOutMinor: Int64
    ) {
        self.carriedInMinor = carriedInMinor; self.commissionsMinor = commissionsMinor;
        self.clawbacksMinor = clawbacksMinor
        self.feesMinor = feesMinor; self.adjustmentsMinor = adjustmentsMinor; self.balanceMinor = balanceMinor
        self.payoutMinor = payoutMinor; self.carriedOutMinor = carriedOutMinor
    }
    /// Section 6's identities between the figures, and between them and the lines they sum.
    /// Asserted where the close computes a statement and again before it hands it to the log: a
    /// statement that breaks one is a bug in the close, never a consequence of input, so it traps.
    public func assertConsistent(minPayoutMinor: Int64, lines: [StatementLine]) {
        let balance = carriedInMinor + commissionsMinor - clawbacksMinor + feesMinor + adjustmentsMinor
        precondition(
            balanceMinor == balance,
            "statement: balance \(balanceMinor) is not the sum of carried_in, commissions, fees, adjustments "
                + "less clawbacks")
        precondition(payoutMinor >= 0, "statement: payout \(payoutMinor) is negative")
        precondition(
            payoutMinor == 0 || (payoutMinor == balanceMinor && balanceMinor >= minPayoutMinor),
            "statement: payout \(payoutMinor) is neither 0 nor the whole balance \(balanceMinor) "
                + "of at least \(minPayoutMinor)")
        precondition(
            carriedOutMinor == balanceMinor - payoutMinor,
            "statement: carried_out \(carriedOutMinor) is not balance - payout")
        var sums: (commissions: Int64, clawbacks: Int64, fees: Int64, adjustments: Int64) = (0, 0, 0, 0)
        for line in lines {
            switch line.kind {
            case .commission: sums.commissions += line.amountMinor
            case .clawback: sums.clawbacks -= line.amountMinor
            case .fee: sums.fees += line.amountMinor
            case .adjustment: sums.adjustments += line.amountMinor
            case .bonus: sums.commissions += line.amountMinor
            case .retainer: sums.fees += line.amountMinor
            }
        }
        precondition(
            commissionsMinor == sums.commissions && commissionsMinor >= 0,
            "statement: commissions are not their lines' sum")
        precondition(clawbacksMinor == sums.clawbacks, "statement: clawbacks are not their lines' sum")
        precondition(feesMinor == sums.fees, "statement: fees are not their lines' sum")
        precondition(adjustmentsMinor == sums.adjustments, "statement: adjustments are not their lines' sum")
    }

    /// A row is shown when any of these is non-zero (cli.md).
    public var isShown: Bool {
        carriedInMinor != 0 || commissionsMinor != 0 || clawbacksMinor != 0 || feesMinor != 0 || adjustmentsMinor != 0
    }
}

/// A creator's frozen statement for a closed month: the read model of `statement.issued`.
public struct IssuedStatement: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    public var currency: Currency
    public var figures: PayoutFigures
    public var minPayoutMinor: Int64
    public var lines: [StatementLine]
    public init(
        month: YearMonth, creator: String, currency: Currency, figures: PayoutFigures, minPayoutMinor: Int64,
        lines: [StatementLine]
    ) {
        self.month = month; self.creator = creator; self.currency = currency; self.figures = figures
        self.minPayoutMinor = minPayoutMinor; self.lines = lines
    }
}

/// The fact that a close froze a creator's statement; its fields read as the statement's.
@dynamicMemberLookup
public struct StatementIssued: Equatable, Sendable {
    public var statement: IssuedStatement
    public var effectiveAt: Instant  // start of the next month in the ledger's zone
    public init(statement: IssuedStatement, effectiveAt: Instant) {
        self.statement = statement; self.effectiveAt = effectiveAt
    }
    public init(
        month: YearMonth, creator: String, currency: Currency, figures: PayoutFigures, minPayoutMinor: Int64,
        lines: [StatementLine], effectiveAt: Instant
    ) {
        let statement = IssuedStatement(
            month: month, creator: creator, currency: currency, figures: figures,
            minPayoutMinor: minPayoutMinor, lines: lines)
        self.init(statement: statement, effectiveAt: effectiveAt)
    }
    public subscript<T>(dynamicMember field: WritableKeyPath<IssuedStatement, T>) -> T {
        get { statement[keyPath: field] }
        set { statement[keyPath: field] = newValue }
    }

    /// The layout of the payload: 2 when its order lines carry their figures (`OrderLineDetail`),
    /// 1 when none does (the statements frozen before, and any statement without order lines, whose
    /// bytes are the same in both).
    /// Bonus and retainer lines (section 8) are kinds of version 2 too.
    public var version: Int {
        statement.lines.contains { $0.order != nil || $0.kind == .bonus || $0.kind == .retainer } ? 2 : 1
    }
}

extension IssuedStatement: FieldTable {
    /// The statement's part of `statement.issued`'s field table, with its columns in `statements`
    /// (the lines go to `statement_lines`, one row each).
    @inlinable public static var blank: Self {
        IssuedStatement(
            month: YearMonth(year: 2000, month: 1)!, creator: "", currency: .usd, figures: PayoutFigures(),
            minPayoutMinor: 0, lines: [])
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout IssuedStatement) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("creator", &o.creator)
        try c.currency("currency", &o.currency)
        try c.int("carried_in_minor", &o.figures.carriedInMinor)
        try c.int("commissions_minor", &o.figures.commissionsMinor)
        try c.int("clawbacks_minor", &o.figures.clawbacksMinor)
        try c.int("fees_minor", &o.figures.feesMinor)
        try c.int("adjustments_minor", &o.figures.adjustmentsMinor)
        try c.int("balance_minor", &o.figures.balanceMinor)
        try c.int("payout_minor", &o.figures.payoutMinor)
        try c.int("carried_out_minor", &o.figures.carriedOutMinor)
        try c.int("min_payout_minor", &o.minPayoutMinor)
        try c.statementLines("lines", &o.lines)
    }
}

extension StatementIssued: FieldTable {
    /// The field table of `statement.issued` version 1: the statement, then its effective time.
    @inlinable public static var blank: Self {
        StatementIssued(statement: .blank, effectiveAt: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout StatementIssued) throws(C.Failure) {
        try IssuedStatement.fields(&c, &o.statement)
        try c.instant("effective_at", &o.effectiveAt, column: .notProjected)
    }
}

/// A closed month as the ledger holds it: the read model of `month.closed`.
public struct ClosedMonth: Equatable, Sendable {
    public var month: YearMonth
    public var statements: Int64
    public var payoutTotalMinor: Int64
    public init(month: YearMonth, statements: Int64, payoutTotalMinor: Int64) {
        self.month = month; self.statements = statements; self.payoutTotalMinor = payoutTotalMinor
    }
}

/// The marker that a month is closed, written after its statements.
@dynamicMemberLookup
public struct MonthClosed: Equatable, Sendable {
    public var closedMonth: ClosedMonth
    public var effectiveAt: Instant
    public init(closedMonth: ClosedMonth, effectiveAt: Instant) {
        self.closedMonth = closedMonth; self.effectiveAt = effectiveAt
    }
    public init(month: YearMonth, statements: Int64, payoutTotalMinor: Int64, effectiveAt: Instant) {
        closedMonth = ClosedMonth(month: month, statements: statements, payoutTotalMinor: payoutTotalMinor)
        self.effectiveAt = effectiveAt
    }
    public subscript<T>(dynamicMember field: WritableKeyPath<ClosedMonth, T>) -> T {
        get { closedMonth[keyPath: field] }
        set { closedMonth[keyPath: field] = newValue }
    }
}

extension ClosedMonth: FieldTable {
    /// The closed month's part of `month.closed`'s field table, with its columns in `closed_months`.
    @inlinable public static var blank: Self {
        ClosedMonth(month: YearMonth(year: 2000, month: 1)!, statements: 0, payoutTotalMinor: 0)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout ClosedMonth) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.int("statements", &o.statements)
        try c.int("payout_total_minor", &o.payoutTotalMinor)
    }
}

extension MonthClosed: FieldTable {
    /// The field table of `month.closed` version 1: the closed month, then its effective time.
    @inlinable public static var blank: Self {
        MonthClosed(closedMonth: .blank, effectiveAt: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout MonthClosed) throws(C.Failure) {
        try ClosedMonth.fields(&c, &o.closedMonth)
        try c.instant("effective_at", &o.effectiveAt, column: .notProjected)
    }
}

/// Follower thresholds of the tiers: nano < micro <= ... < macro <= ... < mega.
public struct TierThresholds: Equatable, Sendable {
    public var microFrom: Int64
    public var macroFrom: Int64
    public var megaFrom: Int64
    public static let `default` = TierThresholds(microFrom: 1_000, macroFrom: 100_000, megaFrom: 1_000_000)
    public init(microFrom: Int64, macroFrom: Int64, megaFrom: Int64) {
        self.microFrom = microFrom; self.macroFrom = macroFrom; self.megaFrom = megaFrom
    }
    public func tier(followers: Int64) -> String {
        if followers >= megaFrom { return "mega" }
        if followers >= macroFrom { return "macro" }
        if followers >= microFrom { return "micro" }
        return "nano"
    }
    public static let tierNames = ["nano", "micro", "macro", "mega"]
}

public struct TiersSet: Equatable, Sendable {
    public var thresholds: TierThresholds
    public var at: Instant
    public init(thresholds: TierThresholds, at: Instant) { self.thresholds = thresholds; self.at = at }
}

extension TiersSet: FieldTable {
    /// Projected by hand, as `micro,macro,mega` in `settings`.
    @inlinable public static var blank: Self {
        TiersSet(thresholds: .default, at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout TiersSet) throws(C.Failure) {
        try c.int("micro_from", &o.thresholds.microFrom)
        try c.int("macro_from", &o.thresholds.macroFrom)
        try c.int("mega_from", &o.thresholds.megaFrom)
        try c.instant("at", &o.at)
    }
}
