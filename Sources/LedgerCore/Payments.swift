// Paying a closed month, the decisions: marking payouts paid (one or a file of them), who a payment
// file pays and why the others are left out, and whether a month may be reopened. No payout may
// end up in two payment files, or be paid twice, by accident.

/// One payout to mark paid, as given on the command line or on a line of a file.
public struct PaymentMark: Equatable, Sendable {
    public var creator: String
    public var reference: String
    /// The day the money left (nil: today in the ledger's zone).
    public var paidOn: CivilDate?
    /// How it left (nil: the creator's payout method, else other).
    public var method: PaymentMethod?
    /// The amount a file's row says was paid (nil: not given); it must be the payout as closed.
    public var amountMinor: Int64?
    /// The line of the file it comes from (nil: the command line).
    public var line: Int?

    public init(
        creator: String, reference: String, paidOn: CivilDate? = nil, method: PaymentMethod? = nil,
        amountMinor: Int64? = nil, line: Int? = nil
    ) {
        self.creator = creator; self.reference = reference; self.paidOn = paidOn; self.method = method
        self.amountMinor = amountMinor; self.line = line
    }
}

/// Why a mark cannot be recorded: the line it came from, the value to blame and what is wrong.
public struct MarkProblem: Equatable, Sendable, CustomStringConvertible {
    public enum Field: String, Sendable { case creator, reference, date, method, amount }
    public var line: Int?
    public var field: Field
    public var message: String
    public var description: String { message }

    public init(line: Int?, field: Field, message: String) {
        self.line = line; self.field = field; self.message = message
    }
}

/// A mark, or a file of them, that cannot be recorded: nothing is.
public struct MarkPaidRefusal: Error, Equatable, Sendable {
    /// Every problem found, in the order of the marks.
    public var problems: [MarkProblem]

    public init(problems: [MarkProblem]) { self.problems = problems }
}

/// What marking one payout did.
public enum MarkPaidOutcome: Equatable, Sendable {
    case recorded(PaidPayout)
    /// The same reference was recorded before: nothing written. `differs` names what the mark gave
    /// otherwise than the record (its date or method): the record stays.
    case alreadyRecorded(PaidPayout, differs: [String])

    public var payment: PaidPayout {
        switch self {
        case let .recorded(p), let .alreadyRecorded(p, _): return p
        }
    }
}

/// Marking `marks` of `month` paid, all or none: a fact per payout not marked before, or every
/// reason it cannot be. Only a closed month's payouts above 0, each once: the same reference again
/// changes nothing, another one is refused with what was recorded. The day the money left is
/// neither after `today` nor before the month ended; without one it is `today`. Without a method it
/// is the creator's payout method, else other.
public func markPaid(
    month: YearMonth, marks: [PaymentMark], today: CivilDate, at: Instant,
    snapshot: LedgerSnapshot
) throws(MarkPaidRefusal) -> [(MarkPaidOutcome, PayoutPaid?)] {
    guard snapshot.closedMonths.contains(where: { $0.month == month }) else {
        let reopened = snapshot.reopenings.last { $0.month == month }
        let why = reopened.map { " (it was reopened: \($0.reason))" } ?? ""
        throw MarkPaidRefusal(problems: [
            MarkProblem(
                line: nil, field: .creator,
                message: "\(month) is not closed\(why): only a closed month's payouts can be marked paid")
        ])
    }
    var problems: [MarkProblem] = []
    var results: [(MarkPaidOutcome, PayoutPaid?)] = []
    var lines: [String: Int?] = [:]
    for mark in marks {
        let problem = { (field: MarkProblem.Field, message: String) in
            problems.append(MarkProblem(line: mark.line, field: field, message: message))
        }
        if let earlier = lines[mark.creator] {
            problem(.creator, "\(mark.creator) is marked twice" + (earlier.map { " (first on line \($0))" } ?? ""))
            continue
        }
        lines[mark.creator] = mark.line
        let statement = snapshot.statements.first { $0.month == month && $0.creator == mark.creator }
        guard let statement, statement.figures.payoutMinor > 0 else {
            problem(.creator, noPayout(mark.creator, month, statement, snapshot))
            continue
        }
        if let given = mark.amountMinor, given != statement.figures.payoutMinor {
            let e = statement.currency.minorUnitExponent
            let payout = formatMinor(statement.figures.payoutMinor, exponent: e)
            problem(
                .amount,
                "the row pays \(formatMinor(given, exponent: e)) \(statement.currency.code) to "
                    + "\(mark.creator), but their \(month) payout is \(payout) (frozen at the close): "
                    + "a payout is marked paid whole; correct the row, or the difference with 'tally adjust'")
            continue
        }
        let paidOn = mark.paidOn ?? today
        if paidOn > today { problem(.date, "\(paidOn) is after today (\(today)): give the day the money left") }
        if paidOn < month.next.firstDay {
            problem(.date, "\(paidOn) is before \(month) ended: its payouts were known from \(month.next.firstDay)")
        }
        let method = mark.method ?? PaymentMethod(payoutMethod: snapshot.creators[mark.creator]?.payout?.method)
        let payment = PaidPayout(
            month: month, creator: mark.creator, amountMinor: statement.figures.payoutMinor,
            reference: mark.reference, paidOn: paidOn, method: method)
        if let paid = snapshot.payoutsPaid.first(where: { $0.month == month && $0.creator == mark.creator }) {
            guard paid.reference == mark.reference else {
                problem(
                    .reference,
                    "the \(month) payout to \(mark.creator) was already marked paid on \(paid.paidOn) "
                        + "by \(paid.method.rawValue) with reference '\(paid.reference)', not '\(mark.reference)'")
                continue
            }
            var differs: [String] = []
            if let given = mark.paidOn, given != paid.paidOn { differs.append("date \(paid.paidOn)") }
            if let given = mark.method, given != paid.method { differs.append("method \(paid.method.rawValue)") }
            results.append((.alreadyRecorded(paid, differs: differs), nil))
            continue
        }
        let fact = PayoutPaid(
            month: month, creator: mark.creator, amountMinor: payment.amountMinor,
            reference: mark.reference, paidOn: paidOn, method: method, at: at)
        results.append((.recorded(payment), fact))
    }
    guard problems.isEmpty else { throw MarkPaidRefusal(problems: problems) }
    return results
}

/// Why `creator` has nothing to mark paid for `month`: an id the ledger never heard of (with the id
/// it probably meant: ids are compared exactly, so `Anna-Bakes` is not `anna-bakes`), a balance
/// below the minimum payout carried to the next month, or nothing owed.
func noPayout(
    _ creator: String, _ month: YearMonth, _ statement: IssuedStatement?,
    _ snapshot: LedgerSnapshot
) -> String {
    let known = snapshot.creators[creator] != nil || snapshot.statements.contains { $0.creator == creator }
    guard known else {
        let ids = Set(snapshot.creators.keys).union(snapshot.statements.map(\.creator))
        return "unknown creator '\(creator)': expected \(unknownCreatorExpectation(creator, among: ids))"
    }
    guard let statement, statement.figures.carriedOutMinor != 0 else {
        return "\(creator) has no payout for \(month): nothing was owed to them in its close"
    }
    let exponent = statement.currency.minorUnitExponent, code = statement.currency.code
    let balance = formatMinorGrouped(statement.figures.balanceMinor, exponent: exponent)
    let minimum = formatMinorGrouped(statement.minPayoutMinor, exponent: exponent)
    if statement.figures.balanceMinor < 0 {
        return "\(creator) has no payout for \(month): their balance of \(balance) \(code) is negative (clawbacks) "
            + "and is carried to \(month.next) (see tally statement \(creator) --month \(month))"
    }
    return "\(creator) has no payout for \(month): their balance of \(balance) \(code) is below their minimum payout "
        + "of \(minimum) \(code) and is carried to \(month.next) (see tally statement \(creator) --month \(month))"
}

/// One payout to put in a payment file: the creator, the amount and the payout details in clear.
public struct PaymentItem: Equatable, Sendable {
    public var creator: String
    public var name: String
    public var amountMinor: Int64
    public var details: PayoutDetails?

    public init(creator: String, name: String, amountMinor: Int64, details: PayoutDetails?) {
        self.creator = creator; self.name = name; self.amountMinor = amountMinor; self.details = details
    }
}

/// Why a payout is not in a payment file.
public enum LeftOut: Equatable, Sendable {
    /// Marked paid already (`--include-paid` puts it in).
    case paid(PaidPayout)
    /// In a payment file written before for this close (`--include-exported` puts it in).
    case exported(PayoutExported)
    /// No payout details to pay it with (`--skip-missing` leaves it out; without it nothing is written).
    case noDetails
    /// Paid by another method: it belongs in that method's file.
    case otherMethod(String)
}

/// What `payout export` may put in a file besides the payouts nobody paid yet.
public struct ExportOptions: Equatable, Sendable {
    /// The payout method the file's layout pays (nil: any, everyone with a payout).
    public var method: String?
    public var skipMissing = false
    public var includePaid = false
    public var includeExported = false

    public init(method: String?, skipMissing: Bool = false, includePaid: Bool = false, includeExported: Bool = false) {
        self.method = method; self.skipMissing = skipMissing; self.includePaid = includePaid
        self.includeExported = includeExported
    }
}

/// Who a payment file pays.
public struct PaymentSelection: Equatable, Sendable {
    /// Paid through this file, in the order given.
    public var paid: [PaymentItem]
    /// Left out, with why, in the order given.
    public var leftOut: [(item: PaymentItem, reason: LeftOut)]
    /// With a payout but no payout details, without `skipMissing`: the file cannot be written.
    public var missingDetails: [PaymentItem]

    public static func == (a: PaymentSelection, b: PaymentSelection) -> Bool {
        a.paid == b.paid && a.missingDetails == b.missingDetails && a.leftOut.map(\.item) == b.leftOut.map(\.item)
            && a.leftOut.map(\.reason) == b.leftOut.map(\.reason)
    }
}

/// A payout goes into a file once: not when it is marked paid, nor when a file written for this
/// close of the month lists it (a file of a reopened close does not count: its figures are gone),
/// unless `options` say so. A file for a payout method pays exactly the creators whose details
/// name that method; a payout without details stops the file, unless `skipMissing` leaves it out
/// (a payout must never be left out silently: each one left out is named with why).
public func selectPayments(
    _ items: [PaymentItem], month: YearMonth, options: ExportOptions,
    snapshot: LedgerSnapshot
) -> PaymentSelection {
    var selection = PaymentSelection(paid: [], leftOut: [], missingDetails: [])
    let files = snapshot.paymentFiles.filter { $0.export.month == month && !$0.reopened }.map(\.export)
    for item in items {
        if !options.includePaid,
            let paid = snapshot.payoutsPaid.first(where: { $0.month == month && $0.creator == item.creator })
        {
            selection.leftOut.append((item, .paid(paid)))
        } else if !options.includeExported, let file = files.last(where: { $0.creators.contains(item.creator) }) {
            selection.leftOut.append((item, .exported(file)))
        } else if let method = options.method {
            guard let details = item.details, !details.account.trimmingASCIISpaces().isEmpty else {
                if options.skipMissing {
                    selection.leftOut.append((item, .noDetails))
                } else {
                    selection.missingDetails.append(item)
                }
                continue
            }
            if details.method.lowercased() == method {
                selection.paid.append(item)
            } else {
                selection.leftOut.append((item, .otherMethod(details.method.lowercased())))
            }
        } else {
            selection.paid.append(item)
        }
    }
    return selection
}

/// Reopening `month` with `reason`: the fact to append and the payment files written for the close
/// it takes back (their figures stop counting: they must not be uploaded), or why it cannot be.
/// Only the latest closed month, and only while none of its payouts is marked paid. A payment file
/// of the close may have been uploaded already, money on its way but not yet marked paid: a new
/// close would pay those payouts again. So a close with payment files is reopened only when
/// `filesNotUploaded` says that none of them was uploaded (`payout reopen --not-uploaded`).
///
/// A journal written for the books (`journal --output`) holds the close journal of the month, which
/// may be imported into QuickBooks or Xero already: a close again with other figures would book a
/// second `TALLY-CLOSE-YYYY-MM` beside the first. So a close whose journal was written is reopened
/// only when `journalsNotBooked` says that it is not in the books (never imported, or voided there:
/// `payout reopen --not-booked`); the journals are returned, to be named.
///
/// A mark taken back since the close (`payout unmark-paid`) lets a close with marks be reopened; a
/// mark of money that really left would then be paid again by the close after. So such a close is
/// reopened only when `marksNotPaid` says that none of those payouts was paid (`--not-paid`).
public func reopenMonth(
    _ month: YearMonth, reason: String, at: Instant, snapshot: LedgerSnapshot,
    filesNotUploaded: Bool = false, journalsNotBooked: Bool = false, marksNotPaid: Bool = false
)
    throws(PayoutError) -> (MonthReopened, files: [PayoutExported], journals: [JournalExported])
{
    guard let last = snapshot.lastClosedMonth else {
        throw PayoutError("no month is closed: there is nothing to reopen")
    }
    guard snapshot.closedMonths.contains(where: { $0.month == month }) else {
        throw PayoutError("\(month) is not closed: only the latest closed month, \(last), can be reopened")
    }
    guard month == last else {
        throw PayoutError(
            "\(month) is not the latest closed month: reopen \(last) first "
                + "(months are reopened from the latest, as they are closed in order)")
    }
    let paid = snapshot.payoutsPaid.filter { $0.month == month }
    guard paid.isEmpty else {
        let named = paid.map { "\($0.creator) (paid on \($0.paidOn), reference \($0.reference))" }
            .joined(separator: ", ")
        throw PayoutError(
            "cannot reopen \(month): \(paid.count) of its payouts \(paid.count == 1 ? "is" : "are") "
                + "marked paid: \(named); money that left stays booked: correct it in the next month "
                + "(an adjustment)")
    }
    let since = snapshot.reopenings.last { $0.month == month }?.at
    var takenBack: [PayoutUnmarked] = []  // the latest of each payout's
    for u in snapshot.payoutsUnmarked where u.month == month && since.map({ u.at > $0 }) ?? true {
        if let i = takenBack.firstIndex(where: { $0.creator == u.creator }) {
            takenBack[i] = u
        } else {
            takenBack.append(u)
        }
    }
    guard takenBack.isEmpty || marksNotPaid else {
        let named = takenBack.map { u in
            let day = snapshot.zone.civilDate(of: u.at)
            return "\(u.creator) (reference \(u.reference), taken back on \(day): \(u.reason))"
        }.joined(separator: ", ")
        throw PayoutError(
            "cannot reopen \(month) yet: the marks of \(takenBack.count) of its payouts were taken back since its "
                + "close: \(named); if that money left, it stays booked: mark \(takenBack.count == 1 ? "it" : "them") "
                + "paid again and correct the next month (an adjustment); if none of it left, give --not-paid")
    }
    let files = snapshot.paymentFiles.filter { $0.export.month == month && !$0.reopened }.map(\.export)
    guard files.isEmpty || filesNotUploaded else {
        let named = files.map {
            "\($0.format) file \($0.file == "-" ? "(standard output)" : $0.file) "
                + "(\($0.creators.count) payout\($0.creators.count == 1 ? "" : "s"))"
        }.joined(separator: ", ")
        throw PayoutError(
            "cannot reopen \(month) yet: payment files were written for its close: \(named); if one "
                + "was uploaded, its payouts may be paid already: mark them paid instead, and correct "
                + "the next month; if none was uploaded, give --not-uploaded (the files become void)")
    }
    let journals = snapshot.journalFiles.filter { $0.export.month == month && !$0.reopened }.map(\.export)
    guard journals.isEmpty || journalsNotBooked else {
        let named = describeJournalFiles(journals, zone: snapshot.zone)
        throw PayoutError(
            "cannot reopen \(month) yet: \(named): void it in the books (QuickBooks, Xero) before "
                + "re-closing, or a second \(journals[0].closeJournal) with other figures joins it; once it is "
                + "voided there (or if it was never imported), give --not-booked")
    }
    return (MonthReopened(month: month, reason: reason, at: at), files, journals)
}

/// Taking back the mark of `creator`'s `month` payout (`payout unmark-paid`), made by mistake: the
/// payout reads as unpaid again (balances, payments, the books) and can be marked paid anew. Refused
/// for a payout not marked paid. The payment journal of the mark (`TALLY-PAID-YYYY-MM-CREATOR`) may
/// be in QuickBooks or Xero already when a journal file holding it was written (`journal --output`):
/// then only when `journalsNotBooked` says it is not in the books (never imported, or voided there),
/// or the books keep a payment the ledger no longer has. The mark and those files are returned.
public func unmarkPaid(
    month: YearMonth, creator: String, reason: String, at: Instant, snapshot: LedgerSnapshot,
    journalsNotBooked: Bool = false
) throws(PayoutError) -> (PayoutUnmarked, mark: PaidPayout, journals: [JournalExported]) {
    guard let paid = snapshot.payoutsPaid.first(where: { $0.month == month && $0.creator == creator }) else {
        let statement = snapshot.statements.first { $0.month == month && $0.creator == creator }
        if let statement, statement.figures.payoutMinor > 0 {
            throw PayoutError("the \(month) payout to \(creator) is not marked paid: there is no mark to take back")
        }
        guard snapshot.closedMonths.contains(where: { $0.month == month }) else {
            throw PayoutError("\(month) is not closed: none of its payouts is marked paid")
        }
        throw PayoutError(noPayout(creator, month, statement, snapshot) + ": there is no mark to take back")
    }
    let id = paymentJournalId(paid)
    let journals = snapshot.journalFiles.map(\.export).filter {
        $0.journals.contains(id) || $0.journals.contains(quickBooksJournalNo(id))
    }
    guard journals.isEmpty || journalsNotBooked else {
        let named = journals.map {
            "\($0.format) \($0.files.joined(separator: ", ")) (written \(snapshot.zone.civilDate(of: $0.at)))"
        }.joined(separator: ", ")
        throw PayoutError(
            "cannot take back the mark of the \(month) payout to \(creator) yet: its payment journal \(id) was "
                + "written for the books: \(named); void it in the books (QuickBooks, Xero) first, or they keep a "
                + "payment the ledger no longer has; once it is voided there (or if it was never imported), "
                + "give --not-booked")
    }
    return (
        PayoutUnmarked(month: month, creator: creator, reference: paid.reference, reason: reason, at: at), paid,
        journals
    )
}

/// `the journal TALLY-CLOSE-2026-11 was written on 2026-12-02 to books-11.csv (quickbooks)`; several
/// files of one month are listed after one number, the same file written again once (its latest).
public func describeJournalFiles(_ files: [JournalExported], zone: Zone) -> String {
    var latest: [JournalExported] = []
    for file in files {
        latest.removeAll { $0.format == file.format && $0.files == file.files }
        latest.append(file)
    }
    let written = latest.map {
        "on \(zone.civilDate(of: $0.at)) to \($0.files.joined(separator: ", ")) (\($0.format))"
    }
    return "the journal \(files.first?.closeJournal ?? "") was written " + written.joined(separator: ", ")
}
