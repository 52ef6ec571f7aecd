import LedgerCore

// The view models of the close report: plain values that the use-case layer fills from the
// ledger. Money stays in the ledger's minor units until a page is rendered, and every total the
// page shows is derived here from the rows it shows, so a page can never disagree with itself.

/// Whether a month's figures are final: an open month is rendered as a preview on every page.
public enum MonthState: Sendable, Equatable {
    case closed
    case open
}

/// An inclusive range of calendar days in the ledger's zone (the ROI figures' period).
public struct DayRange: Sendable, Equatable {
    public var from: CivilDate
    public var to: CivilDate
    public init(from: CivilDate, to: CivilDate) { self.from = from; self.to = to }
}

/// The close report of one month: what finance and marketing look at together.
public struct CloseReport: Sendable, Equatable {
    /// The brand paying the creators, shown on every page.
    public var brand: String
    public var month: YearMonth
    /// The ledger's base currency: every amount of the report is in it.
    public var currency: Currency
    public var state: MonthState
    public var madeAt: Timestamp
    /// The log's head when the report was made, `SEQ HASH` as `tally verify` prints it after `head: `
    /// (LedgerStore's `ChainHead.description`).
    public var chainHead: String
    /// The rows of `payout show` (or `payout preview` for an open month), sorted by creator id.
    public var payouts: [PayoutRow]
    /// The period of the ROI figures below (normally the month itself).
    public var roiPeriod: DayRange
    /// `roi --by tier` over `roiPeriod`: the rows with any non-zero figure, nano to mega.
    public var tiers: [TierCosts]
    /// `roi --by creator` over `roiPeriod`, sorted by creator id.
    public var creatorCosts: [CreatorCosts]
    /// Up to 12 months ending with `month`, oldest first.
    public var history: [MonthFigures]
    /// `codes unknown` with orders in the month.
    public var unknownCodes: [UnknownCode]
    /// One statement per payout row, in the same order.
    public var statements: [StatementPage]

    public init(
        brand: String, month: YearMonth, currency: Currency, state: MonthState, madeAt: Timestamp,
        chainHead: String, payouts: [PayoutRow], roiPeriod: DayRange, tiers: [TierCosts],
        creatorCosts: [CreatorCosts], history: [MonthFigures], unknownCodes: [UnknownCode],
        statements: [StatementPage]
    ) {
        self.brand = brand; self.month = month; self.currency = currency; self.state = state
        self.madeAt = madeAt; self.chainHead = chainHead; self.payouts = payouts; self.roiPeriod = roiPeriod
        self.tiers = tiers; self.creatorCosts = creatorCosts; self.history = history
        self.unknownCodes = unknownCodes; self.statements = statements
    }

    /// A month with no payout row has nothing to close: the report says so instead of charting zeros.
    public var hasActivity: Bool { !payouts.isEmpty }

    public var glance: MonthAtAGlance { MonthAtAGlance(payouts: payouts, statements: statements) }
}

/// One creator's row of the payout table: the figures of `payout show`, the name, the payment.
public struct PayoutRow: Sendable, Equatable {
    public var creator: String
    public var name: String
    public var figures: PayoutFigures
    public var payment: PaymentStatus
    public init(creator: String, name: String, figures: PayoutFigures, payment: PaymentStatus) {
        self.creator = creator; self.name = name; self.figures = figures; self.payment = payment
    }
}

/// Whether a month's payout to a creator has been made.
public enum PaymentStatus: Sendable, Equatable {
    /// The payout is 0: nothing to pay.
    case noPayout
    case unpaid
    case paid(Payment)
}

/// A payout marked paid (`payout mark-paid`).
public struct Payment: Sendable, Equatable {
    public var reference: String
    /// The day it was paid; nil where the ledger does not know it.
    public var date: CivilDate?
    /// `paypal`, `wise`, `bank` or `other`; nil where the ledger does not know it.
    public var method: String?
    public var amountMinor: Int64
    public init(reference: String, date: CivilDate?, method: String?, amountMinor: Int64) {
        self.reference = reference; self.date = date; self.method = method; self.amountMinor = amountMinor
    }
}

/// A tier's ROI figures (`roi --by tier`).
public struct TierCosts: Sendable, Equatable {
    public var tier: String
    public var figures: ROIFigures
    public init(tier: String, figures: ROIFigures) { self.tier = tier; self.figures = figures }
}

/// A creator's ROI figures (`roi --by creator`) with the name to show.
public struct CreatorCosts: Sendable, Equatable {
    public var creator: String
    public var name: String
    public var tier: String
    public var figures: ROIFigures
    public init(creator: String, name: String, tier: String, figures: ROIFigures) {
        self.creator = creator; self.name = name; self.tier = tier; self.figures = figures
    }
}

/// One month of the 12-month series: the sums of that month's statements (its preview when open)
/// and the gifts dated in it.
public struct MonthFigures: Sendable, Equatable {
    public var month: YearMonth
    public var commissionsMinor: Int64
    public var clawbacksMinor: Int64
    public var feesMinor: Int64
    public var giftsMinor: Int64
    public var payoutsMinor: Int64
    public init(
        month: YearMonth, commissionsMinor: Int64, clawbacksMinor: Int64, feesMinor: Int64,
        giftsMinor: Int64, payoutsMinor: Int64
    ) {
        self.month = month; self.commissionsMinor = commissionsMinor; self.clawbacksMinor = clawbacksMinor
        self.feesMinor = feesMinor; self.giftsMinor = giftsMinor; self.payoutsMinor = payoutsMinor
    }
}

// A code nobody assigned (`codes unknown`), a creator code to set up or a leak: the core's
// `UnknownCode`, as `unknownCodes` computes it.

/// The month at a glance, summed from the payout rows and the statements' lines.
public struct MonthAtAGlance: Sendable, Equatable {
    public var payoutTotalMinor: Int64 = 0
    /// Creators with a payout above 0.
    public var creatorsPaid = 0
    /// Of those, the payouts marked paid.
    public var paymentsMade = 0
    public var creators = 0
    public var commissionsMinor: Int64 = 0
    /// The bonus lines: part of `commissionsMinor` (ledger rules section 8).
    public var bonusesMinor: Int64 = 0
    public var clawbacksMinor: Int64 = 0
    public var feesMinor: Int64 = 0
    /// The retainer lines: part of `feesMinor`.
    public var retainersMinor: Int64 = 0
    public var adjustmentsMinor: Int64 = 0
    public var carriedInMinor: Int64 = 0
    public var carriedOutMinor: Int64 = 0

    public init(payouts: [PayoutRow], statements: [StatementPage]) {
        creators = payouts.count
        for row in payouts {
            let f = row.figures
            payoutTotalMinor += f.payoutMinor
            if f.payoutMinor > 0 { creatorsPaid += 1 }
            if case .paid = row.payment { paymentsMade += 1 }
            commissionsMinor += f.commissionsMinor
            clawbacksMinor += f.clawbacksMinor
            feesMinor += f.feesMinor
            adjustmentsMinor += f.adjustmentsMinor
            carriedInMinor += f.carriedInMinor
            carriedOutMinor += f.carriedOutMinor
        }
        for entry in statements.flatMap(\.entries) {
            switch entry.kind {
            case .bonus: bonusesMinor += entry.amountMinor
            case .retainer: retainersMinor += entry.amountMinor
            default: break
            }
        }
    }
}
