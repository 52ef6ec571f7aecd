// The facts of paying a closed month: a payout marked paid, a payment file written, a month
// reopened. Each with its field table (docs/facts.md).

/// How a payout left: `--method` of `payout mark-paid`.
public enum PaymentMethod: String, CaseIterable, Sendable {
    case paypal, wise, bank, other

    /// The method of a payment recorded without one (`mark-paid` without `--method`, and every
    /// `payout.paid` of version 1): the creator's payout method at the time, else other (cli.md,
    /// "Books").
    public init(payoutMethod: String?) {
        self = payoutMethod.flatMap { PaymentMethod(rawValue: $0.lowercased()) } ?? .other
    }
}

/// A payout made outside Tally (bank, PayPal, Wise): the read model of `payout.paid`, with the day
/// the money left and how.
public struct PaidPayout: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    public var amountMinor: Int64
    public var reference: String
    public var paidOn: CivilDate
    public var method: PaymentMethod
    public init(
        month: YearMonth, creator: String, amountMinor: Int64, reference: String, paidOn: CivilDate,
        method: PaymentMethod
    ) {
        self.month = month; self.creator = creator; self.amountMinor = amountMinor; self.reference = reference
        self.paidOn = paidOn; self.method = method
    }
}

extension PaidPayout: FieldTable {
    /// The payment as `payouts_paid` holds it (version 1 facts resolved, see `PayoutPaid.payment`).
    @inlinable public static var blank: Self {
        PaidPayout(
            month: YearMonth(year: 2000, month: 1)!, creator: "", amountMinor: 0, reference: "",
            paidOn: CivilDate(year: 2000, month: 1, day: 1)!, method: .other)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout PaidPayout) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("creator", &o.creator)
        try c.int("amount_minor", &o.amountMinor)
        try c.string("reference", &o.reference)
        try c.date("paid_on", &o.paidOn)
        try c.enumeration("method", &o.method)
    }
}

/// The fact that a payout was made, recorded once, at `at`. Version 2 added the day the money left
/// (`paid_on`) and how (`method`); a version 1 fact has neither and reads as `payment` says.
public struct PayoutPaid: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    public var amountMinor: Int64
    public var reference: String
    /// Nil in version 1.
    public var paidOn: CivilDate?
    /// Nil in version 1.
    public var method: PaymentMethod?
    public var at: Instant

    public init(
        month: YearMonth, creator: String, amountMinor: Int64, reference: String, paidOn: CivilDate?,
        method: PaymentMethod?, at: Instant
    ) {
        self.month = month; self.creator = creator; self.amountMinor = amountMinor; self.reference = reference
        self.paidOn = paidOn; self.method = method; self.at = at
    }

    /// The layout of the payload: 2 with the day and the method, 1 without.
    public var version: Int { paidOn == nil ? 1 : 2 }

    /// The payment as the rules read it. A version 1 fact was paid on the day it was recorded, in the
    /// ledger's zone, by the creator's payout method at that time (`creatorMethod`), else other.
    public func payment(zone: Zone, creatorMethod: String?) -> PaidPayout {
        PaidPayout(
            month: month, creator: creator, amountMinor: amountMinor, reference: reference,
            paidOn: paidOn ?? zone.civilDate(of: at),
            method: method ?? PaymentMethod(payoutMethod: creatorMethod))
    }
}

extension PayoutPaid: FieldTable {
    /// The field table of `payout.paid` versions 1 and 2 (2 adds `paid_on` and `method`, both or
    /// neither). Projected through `PaidPayout`, resolved.
    @inlinable public static var blank: Self {
        PayoutPaid(
            month: YearMonth(year: 2000, month: 1)!, creator: "", amountMinor: 0, reference: "", paidOn: nil,
            method: nil, at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout PayoutPaid) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("creator", &o.creator)
        try c.int("amount_minor", &o.amountMinor)
        try c.string("reference", &o.reference)
        try c.omittableText("paid_on", &o.paidOn, parse: CivilDate.parse, problem: "is not a date")
        try c.omittableEnumeration("method", &o.method)
        if C.decodes && (o.paidOn == nil) != (o.method == nil) { try c.reject("method", "comes with paid_on") }
        try c.instant("at", &o.at)
    }
}

/// A payout's mark taken back (`payout unmark-paid`): it was marked paid by mistake (another creator,
/// month or reference). The payout reads as unpaid again and can be marked paid anew; the log keeps
/// the mark it takes back, with the reference it had, and why.
public struct PayoutUnmarked: Equatable, Sendable {
    public var month: YearMonth
    public var creator: String
    /// The reference of the mark taken back.
    public var reference: String
    public var reason: String
    public var at: Instant

    public init(month: YearMonth, creator: String, reference: String, reason: String, at: Instant) {
        self.month = month; self.creator = creator; self.reference = reference; self.reason = reason; self.at = at
    }
}

extension PayoutUnmarked: FieldTable {
    /// The field table of `payout.unmarked` version 1 (projected as the removal of the mark from
    /// `payouts_paid`).
    @inlinable public static var blank: Self {
        PayoutUnmarked(month: YearMonth(year: 2000, month: 1)!, creator: "", reference: "", reason: "", at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout PayoutUnmarked) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("creator", &o.creator)
        try c.string("reference", &o.reference)
        try c.string("reason", &o.reason)
        try c.instant("at", &o.at)
    }
}

/// A payment file written for a closed month (`payout export`): the read model of
/// `payout.exported`. The payouts it lists are in a file that may be uploaded: another export
/// leaves them out unless told otherwise.
public struct PayoutExported: Equatable, Sendable {
    public var month: YearMonth
    /// The layout: generic, paypal, wise or bank.
    public var format: String
    /// The file as given to `--output`; `-` for standard output.
    public var file: String
    /// The creators it pays, by id.
    public var creators: [String]
    public var totalMinor: Int64
    public var at: Instant

    public init(month: YearMonth, format: String, file: String, creators: [String], totalMinor: Int64, at: Instant) {
        self.month = month; self.format = format; self.file = file; self.creators = creators
        self.totalMinor = totalMinor; self.at = at
    }
}

extension PayoutExported: FieldTable {
    /// The field table of `payout.exported` version 1, with its columns in `payout_exports`.
    @inlinable public static var blank: Self {
        PayoutExported(
            month: YearMonth(year: 2000, month: 1)!, format: "", file: "", creators: [], totalMinor: 0,
            at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout PayoutExported) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("format", &o.format)
        try c.string("file", &o.file)
        try c.strings("creators", &o.creators)
        try c.int("total_minor", &o.totalMinor)
        try c.instant("at", &o.at)
    }
}

/// A payment file as the ledger remembers it: the export, and whether the close it was written for
/// was reopened since (its figures no longer count; the file must not be uploaded).
public struct PaymentFileRecord: Equatable, Sendable {
    public var export: PayoutExported
    public var reopened: Bool
    public init(export: PayoutExported, reopened: Bool) { self.export = export; self.reopened = reopened }
}

/// The latest closed month taken back (`payout reopen`): its statements stop counting and it can
/// be closed again. The log keeps the close it undoes.
public struct MonthReopened: Equatable, Sendable {
    public var month: YearMonth
    public var reason: String
    public var at: Instant
    public init(month: YearMonth, reason: String, at: Instant) {
        self.month = month; self.reason = reason; self.at = at
    }
}

extension MonthReopened: FieldTable {
    /// The field table of `month.reopened` version 1, with its columns in `month_reopenings`.
    @inlinable public static var blank: Self {
        MonthReopened(month: YearMonth(year: 2000, month: 1)!, reason: "", at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout MonthReopened) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("reason", &o.reason)
        try c.instant("at", &o.at)
    }
}

/// A month's journals written to a file for the books (`journal --output`): the read model of
/// `journal.exported`. The close journal in it may be imported into QuickBooks or Xero: a reopen
/// of the month names it (it must be voided there before the month is closed again).
public struct JournalExported: Equatable, Sendable {
    public var month: YearMonth
    /// The layout: csv, quickbooks or xero.
    public var format: String
    /// The files as given to `--output` (a Xero month of more than 300 lines takes several).
    public var files: [String]
    /// The journal numbers in the files, as the layout writes them (`TALLY-CLOSE-2026-10`, `TP-...`).
    public var journals: [String]
    /// The sum of the debits of every journal in the files.
    public var debitsMinor: Int64
    public var at: Instant

    public init(
        month: YearMonth, format: String, files: [String], journals: [String], debitsMinor: Int64, at: Instant
    ) {
        self.month = month; self.format = format; self.files = files; self.journals = journals
        self.debitsMinor = debitsMinor; self.at = at
    }

    /// The close journal's number: the one a reopen of `month` takes back.
    public var closeJournal: String { "TALLY-CLOSE-\(month)" }
}

extension JournalExported: FieldTable {
    /// The field table of `journal.exported` version 1, with its columns in `journal_exports`.
    @inlinable public static var blank: Self {
        JournalExported(
            month: YearMonth(year: 2000, month: 1)!, format: "", files: [], journals: [], debitsMinor: 0, at: .epoch)
    }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout JournalExported) throws(C.Failure) {
        try c.month("month", &o.month)
        try c.string("format", &o.format)
        try c.strings("files", &o.files)
        try c.strings("journals", &o.journals)
        try c.int("debits_minor", &o.debitsMinor)
        try c.instant("at", &o.at)
    }
}

/// A journal file as the ledger remembers it: the export, and whether the close whose journal it
/// holds was reopened since.
public struct JournalFileRecord: Equatable, Sendable {
    public var export: JournalExported
    public var reopened: Bool
    public init(export: JournalExported, reopened: Bool) { self.export = export; self.reopened = reopened }
}
