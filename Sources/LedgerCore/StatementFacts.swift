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
    /// A row is shown when any of these is non-zero (cli.md).
    public var isShown: Bool { carriedInMinor != 0 || commissionsMinor != 0 || clawbacksMinor != 0 || feesMinor != 0 || adjustmentsMinor != 0 }
}

/// A creator's frozen statement for a closed month.
public struct StatementIssued: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    public var currency: Currency
    public var figures: PayoutFigures
    public var minPayoutMinor: Int64
    public var lines: [StatementLine]
    public var effectiveAt: Instant    // start of the next month in the ledger's zone
    public init(month: YearMonth, creator: String, currency: Currency, figures: PayoutFigures, minPayoutMinor: Int64, lines: [StatementLine], effectiveAt: Instant) {
        self.month = month; self.creator = creator; self.currency = currency; self.figures = figures
        self.minPayoutMinor = minPayoutMinor; self.lines = lines; self.effectiveAt = effectiveAt
    }
    var json: JSON {
        let f = figures
        return .object([
            ("month", .string(month.description)), ("creator", .string(creator)), ("currency", .string(currency.code)),
            ("carried_in_minor", .int(f.carriedInMinor)), ("commissions_minor", .int(f.commissionsMinor)),
            ("clawbacks_minor", .int(f.clawbacksMinor)), ("fees_minor", .int(f.feesMinor)), ("adjustments_minor", .int(f.adjustmentsMinor)),
            ("balance_minor", .int(f.balanceMinor)), ("payout_minor", .int(f.payoutMinor)), ("carried_out_minor", .int(f.carriedOutMinor)),
            ("min_payout_minor", .int(minPayoutMinor)), ("lines", .array(lines.map(\.json))), ("effective_at", .at(effectiveAt)),
        ])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        var lines: [StatementLine] = []
        for line in try r.array("lines") { lines.append(try StatementLine(line, type: r.type)) }
        let f = PayoutFigures(carriedInMinor: try r.int("carried_in_minor"), commissionsMinor: try r.int("commissions_minor"),
                              clawbacksMinor: try r.int("clawbacks_minor"), feesMinor: try r.int("fees_minor"),
                              adjustmentsMinor: try r.int("adjustments_minor"), balanceMinor: try r.int("balance_minor"),
                              payoutMinor: try r.int("payout_minor"), carriedOutMinor: try r.int("carried_out_minor"))
        self.init(month: try r.month("month"), creator: try r.string("creator"), currency: try r.currency("currency"), figures: f,
                  minPayoutMinor: try r.int("min_payout_minor"), lines: lines, effectiveAt: try r.instant("effective_at"))
    }
}

/// The marker that a month is closed, written after its statements.
public struct MonthClosed: Equatable, Sendable {
    public var month: YearMonth
    public var statements: Int64
    public var payoutTotalMinor: Int64
    public var effectiveAt: Instant
    public init(month: YearMonth, statements: Int64, payoutTotalMinor: Int64, effectiveAt: Instant) {
        self.month = month; self.statements = statements; self.payoutTotalMinor = payoutTotalMinor; self.effectiveAt = effectiveAt
    }
    var json: JSON {
        .object([("month", .string(month.description)), ("statements", .int(statements)), ("payout_total_minor", .int(payoutTotalMinor)), ("effective_at", .at(effectiveAt))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(month: try r.month("month"), statements: try r.int("statements"), payoutTotalMinor: try r.int("payout_total_minor"), effectiveAt: try r.instant("effective_at"))
    }
}

/// A payout made outside Tally (bank, PayPal, Wise), recorded once with its external reference.
public struct PayoutPaid: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    public var amountMinor: Int64
    public var reference: String
    public var at: Instant
    public init(month: YearMonth, creator: String, amountMinor: Int64, reference: String, at: Instant) {
        self.month = month; self.creator = creator; self.amountMinor = amountMinor; self.reference = reference; self.at = at
    }
    var json: JSON {
        .object([("month", .string(month.description)), ("creator", .string(creator)), ("amount_minor", .int(amountMinor)), ("reference", .string(reference)), ("at", .at(at))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(month: try r.month("month"), creator: try r.string("creator"), amountMinor: try r.int("amount_minor"), reference: try r.string("reference"), at: try r.instant("at"))
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
    var json: JSON {
        .object([("micro_from", .int(thresholds.microFrom)), ("macro_from", .int(thresholds.macroFrom)), ("mega_from", .int(thresholds.megaFrom)), ("at", .at(at))])
    }
    init(_ r: PayloadReader) throws(FactDecodingError) {
        self.init(thresholds: TierThresholds(microFrom: try r.int("micro_from"), macroFrom: try r.int("macro_from"), megaFrom: try r.int("mega_from")), at: try r.instant("at"))
    }
}
