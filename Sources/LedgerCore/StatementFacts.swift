/// One line of a statement: what moved a creator's balance in a closed month.
public struct StatementLine: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable { case commission, clawback, fee, adjustment }
    public var kind: Kind
    /// The order (`source:order_id`) for commissions and clawbacks; the post or adjustment id.
    public var ref: String
    public var date: CivilDate
    /// Signed effect on the balance: clawbacks are negative.
    public var amountMinor: Int64
    public init(kind: Kind, ref: String, date: CivilDate, amountMinor: Int64) {
        self.kind = kind; self.ref = ref; self.date = date; self.amountMinor = amountMinor
    }
    var json: JSON { .array([.string(kind.rawValue), .string(ref), .string(date.description), .int(amountMinor)]) }
    init(_ json: JSON, type: String) throws(FactDecodingError) {
        guard let a = json.arrayValue, a.count == 4, let k = a[0].stringValue.flatMap(Kind.init(rawValue:)),
              let ref = a[1].stringValue, let d = a[2].stringValue.flatMap(CivilDate.parse), let amount = a[3].intValue
        else { throw FactDecodingError("\(type): malformed statement line") }
        self.init(kind: k, ref: ref, date: d, amountMinor: amount)
    }
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
    public init(carriedInMinor: Int64, commissionsMinor: Int64, clawbacksMinor: Int64, feesMinor: Int64, adjustmentsMinor: Int64,
                balanceMinor: Int64, payoutMinor: Int64, carriedOutMinor: Int64) {
        self.carriedInMinor = carriedInMinor; self.commissionsMinor = commissionsMinor; self.clawbacksMinor = clawbacksMinor
        self.feesMinor = feesMinor; self.adjustmentsMinor = adjustmentsMinor; self.balanceMinor = balanceMinor
        self.payoutMinor = payoutMinor; self.carriedOutMinor = carriedOutMinor
    }
    /// Section 6's identities between the figures, and between them and the lines they sum.
    /// Asserted where the close computes a statement and again before it hands it to the log: a
    /// statement that breaks one is a bug in the close, never a consequence of input, so it traps.
    public func assertConsistent(minPayoutMinor: Int64, lines: [StatementLine]) {
        let balance = carriedInMinor + commissionsMinor - clawbacksMinor + feesMinor + adjustmentsMinor
        precondition(balanceMinor == balance,
                     "statement: balance \(balanceMinor) is not the sum of carried_in, commissions, fees, adjustments "
                        + "less clawbacks")
        precondition(payoutMinor >= 0, "statement: payout \(payoutMinor) is negative")
        precondition(payoutMinor == 0 || (payoutMinor == balanceMinor && balanceMinor >= minPayoutMinor),
                     "statement: payout \(payoutMinor) is neither 0 nor the whole balance \(balanceMinor) "
                        + "of at least \(minPayoutMinor)")
        precondition(carriedOutMinor == balanceMinor - payoutMinor,
                     "statement: carried_out \(carriedOutMinor) is not balance - payout")
        var sums: (commissions: Int64, clawbacks: Int64, fees: Int64, adjustments: Int64) = (0, 0, 0, 0)
        for line in lines {
            switch line.kind {
            case .commission: sums.commissions += line.amountMinor
            case .clawback: sums.clawbacks -= line.amountMinor
            case .fee: sums.fees += line.amountMinor
            case .adjustment: sums.adjustments += line.amountMinor
            }
        }
        precondition(commissionsMinor == sums.commissions && commissionsMinor >= 0,
                     "statement: commissions are not their lines' sum")
        precondition(clawbacksMinor == sums.clawbacks, "statement: clawbacks are not their lines' sum")
        precondition(feesMinor == sums.fees, "statement: fees are not their lines' sum")
        precondition(adjustmentsMinor == sums.adjustments, "statement: adjustments are not their lines' sum")
    }

    /// A row is shown when any of these is non-zero (cli.md).
    public var isShown: Bool { carriedInMinor != 0 || commissionsMinor != 0 || clawbacksMinor != 0 || feesMinor != 0 || adjustmentsMinor != 0 }
}

/// A creator's frozen statement for a closed month: the read model of `statement.issued`.
public struct IssuedStatement: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    public var currency: Currency
    public var figures: PayoutFigures
    public var minPayoutMinor: Int64
    public var lines: [StatementLine]
    public init(month: YearMonth, creator: String, currency: Currency, figures: PayoutFigures, minPayoutMinor: Int64,
                lines: [StatementLine]) {
        self.month = month; self.creator = creator; self.currency = currency; self.figures = figures
        self.minPayoutMinor = minPayoutMinor; self.lines = lines
    }
}

/// The fact that a close froze a creator's statement; its fields read as the statement's.
@dynamicMemberLookup
public struct StatementIssued: Equatable, Sendable {
    public var statement: IssuedStatement
    public var effectiveAt: Instant    // start of the next month in the ledger's zone
    public init(statement: IssuedStatement, effectiveAt: Instant) {
        self.statement = statement; self.effectiveAt = effectiveAt
    }
    public init(month: YearMonth, creator: String, currency: Currency, figures: PayoutFigures, minPayoutMinor: Int64,
                lines: [StatementLine], effectiveAt: Instant) {
        let statement = IssuedStatement(month: month, creator: creator, currency: currency, figures: figures,
                                        minPayoutMinor: minPayoutMinor, lines: lines)
        self.init(statement: statement, effectiveAt: effectiveAt)
    }
    public subscript<T>(dynamicMember field: WritableKeyPath<IssuedStatement, T>) -> T {
        get { statement[keyPath: field] }
        set { statement[keyPath: field] = newValue }
    }
}

extension IssuedStatement: FieldTable {
    /// The statement's part of `statement.issued`'s field table, with its columns in `statements`
    /// (the lines go to `statement_lines`, one row each).
    @inlinable public static var blank: Self {
        IssuedStatement(month: YearMonth(year: 2000, month: 1)!, creator: "", currency: .usd, figures: PayoutFigures(),
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

/// A payout made outside Tally (bank, PayPal, Wise) with its external reference: the read model
/// of `payout.paid`.
public struct PaidPayout: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    public var amountMinor: Int64
    public var reference: String
    public init(month: YearMonth, creator: String, amountMinor: Int64, reference: String) {
        self.month = month; self.creator = creator; self.amountMinor = amountMinor; self.reference = reference
    }
}

/// The fact that a payout was made, recorded once, at `at`.
@dynamicMemberLookup
public struct PayoutPaid: Equatable, Sendable {
    public var payout: PaidPayout
    public var at: Instant
    public init(payout: PaidPayout, at: Instant) {
        self.payout = payout; self.at = at
    }
    public init(month: YearMonth, creator: String, amountMinor: Int64, reference: String, at: Instant) {
        payout = PaidPayout(month: month, creator: creator, amountMinor: amountMinor, reference: reference)
        self.at = at
    }
    public subscript<T>(dynamicMember field: WritableKeyPath<PaidPayout, T>) -> T {
        get { payout[keyPath: field] }
        set { payout[keyPath: field] = newValue }
    }
}

extension PaidPayout: FieldTable {
    /// The payout's part of `payout.paid`'s field table, with its columns in `payouts_paid`.
    @inlinable public static var blank: Self {
        PaidPayout(month: YearMonth(year: 2000, month: 1)!, creator: "", amountMinor: 0, reference: "")
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout PaidPayout) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("creator", &o.creator)
        try c.int("amount_minor", &o.amountMinor)
        try c.string("reference", &o.reference)
    }
}

extension PayoutPaid: FieldTable {
    /// The field table of `payout.paid` version 1: the payout, then when it was recorded.
    @inlinable public static var blank: Self {
        PayoutPaid(payout: .blank, at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout PayoutPaid) throws(C.Failure) {
        try PaidPayout.fields(&c, &o.payout)
        try c.instant("at", &o.at, column: .notProjected)
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
