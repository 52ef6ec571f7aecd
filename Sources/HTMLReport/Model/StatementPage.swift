import LedgerCore

/// The statement a creator receives for a month: every line, the balance arithmetic, the payout
/// and how it was paid, and the terms in force. Also one section of the close report.
public struct StatementPage: Sendable, Equatable {
    public var brand: String
    public var month: YearMonth
    public var currency: Currency
    public var state: MonthState
    public var creator: String
    public var name: String
    /// In the order of the frozen statement (date, kind, ref).
    public var entries: [StatementEntry]
    public var figures: PayoutFigures
    /// The minimum payout of the terms in force at the end of the month.
    public var minPayoutMinor: Int64
    public var payment: PaymentStatus
    /// nil when the creator has no terms.
    public var terms: TermsInForce?
    public var madeAt: Timestamp

    public init(
        brand: String, month: YearMonth, currency: Currency, state: MonthState, creator: String, name: String,
        entries: [StatementEntry], figures: PayoutFigures, minPayoutMinor: Int64, payment: PaymentStatus,
        terms: TermsInForce?, madeAt: Timestamp
    ) {
        self.brand = brand; self.month = month; self.currency = currency; self.state = state
        self.creator = creator; self.name = name; self.entries = entries; self.figures = figures
        self.minPayoutMinor = minPayoutMinor; self.payment = payment; self.terms = terms; self.madeAt = madeAt
    }
}

/// One line of a statement. Kinds are those of `tally statement` (cli.md).
public struct StatementEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case commission, clawback, fee, adjustment, bonus, retainer
    }
    public var kind: Kind
    /// What a creator recognises: the shop's order number, the post or adjustment id,
    /// `bonus:YYYY-MM`, `retainer:YYYY-MM`.
    public var reference: String
    public var date: CivilDate
    /// The commissionable base of an order line (commissions and clawbacks), as known at the close.
    public var baseMinor: Int64?
    /// The rate the order earned.
    public var rate: CommissionRate?
    /// The fixed amount per order of the terms, part of `amountMinor` (ledger rules section 5).
    public var perOrderMinor: Int64?
    /// Signed effect on the balance: clawbacks are negative.
    public var amountMinor: Int64
    /// A post's platform, an adjustment's reason; for an order line correcting earlier statements,
    /// what changed (`refund`, `re-attribution`, ...).
    public var note: String?

    public init(
        kind: Kind, reference: String, date: CivilDate, baseMinor: Int64? = nil, rate: CommissionRate? = nil,
        perOrderMinor: Int64? = nil, amountMinor: Int64, note: String? = nil
    ) {
        self.kind = kind; self.reference = reference; self.date = date; self.baseMinor = baseMinor
        self.rate = rate; self.perOrderMinor = perOrderMinor; self.amountMinor = amountMinor; self.note = note
    }
}

/// The terms in force at the end of the month (`terms set`, ledger rules sections 5 and 8).
public struct TermsInForce: Sendable, Equatable {
    public enum TiersApply: String, Sendable { case marginal, month }
    /// From the N-th conversion of a month on (N exclusive), the rate.
    public struct Tier: Sendable, Equatable {
        public var afterConversions: Int64
        public var rate: CommissionRate
        public init(afterConversions: Int64, rate: CommissionRate) {
            self.afterConversions = afterConversions; self.rate = rate
        }
    }
    public var effectiveFrom: CivilDate
    public var commission: CommissionRate
    public var perOrderMinor: Int64
    public var holdbackDays: Int64
    public var minPayoutMinor: Int64
    public var newCustomerCommission: CommissionRate?
    public var lifetimeMonths: Int64
    public var lifetimeCommission: CommissionRate?
    public var tiers: [Tier]
    public var tiersApply: TiersApply
    public var bonusThreshold: Int64
    public var bonusMinor: Int64?
    public var retainerMinor: Int64?

    public init(
        effectiveFrom: CivilDate, commission: CommissionRate, perOrderMinor: Int64 = 0,
        holdbackDays: Int64 = 30, minPayoutMinor: Int64 = 0, newCustomerCommission: CommissionRate? = nil,
        lifetimeMonths: Int64 = 0, lifetimeCommission: CommissionRate? = nil, tiers: [Tier] = [],
        tiersApply: TiersApply = .marginal, bonusThreshold: Int64 = 0, bonusMinor: Int64? = nil,
        retainerMinor: Int64? = nil
    ) {
        self.effectiveFrom = effectiveFrom; self.commission = commission; self.perOrderMinor = perOrderMinor
        self.holdbackDays = holdbackDays; self.minPayoutMinor = minPayoutMinor
        self.newCustomerCommission = newCustomerCommission; self.lifetimeMonths = lifetimeMonths
        self.lifetimeCommission = lifetimeCommission; self.tiers = tiers; self.tiersApply = tiersApply
        self.bonusThreshold = bonusThreshold; self.bonusMinor = bonusMinor; self.retainerMinor = retainerMinor
    }
}
