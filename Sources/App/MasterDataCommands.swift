import LedgerCore
import LedgerStore
import OrderImport

// The single master-data commands (`creator add`, `code assign`, `terms set`, ...): each one row
// of the matching import, applied to the book in one transaction. The values come parsed; a
// `MasterDataConflict` (unknown creator, house code) says which value is to blame.

/// A creator as `creator add` gives it; the e-mail and the payout account in clear (the session
/// hashes and seals them).
public struct CreatorDetails: Sendable {
    public var id: String
    public var name: String
    public var email: String?
    public var followers: [String: Int64]
    public var payout: PayoutDetails?
    /// Nil keeps the tax form on file; `.some(nil)` clears it.
    public var taxForm: Clearable<TaxForm>

    public init(
        id: String, name: String, email: String?, followers: [String: Int64], payout: PayoutDetails?,
        taxForm: Clearable<TaxForm> = nil
    ) {
        self.id = id; self.name = name; self.email = email; self.followers = followers; self.payout = payout
        self.taxForm = taxForm
    }
}

/// What `code assign` did.
public enum CodeAssignment: Equatable, Sendable {
    /// Without a start date, the code already belongs to the creator now, until the same end.
    case alreadyHeld(since: Instant)
    case recorded(MasterDataChange, from: Instant, until: Instant?)
}

/// `code assign` with an end at or before its start.
public struct EndNotAfterStart: Error, Sendable {
    public let start: Instant
}

extension LedgerSession {
    /// Applies one master-data change in one transaction: loads the book, lets `body` build the
    /// outcome against it, appends the fact if there is one.
    typealias MasterDataOutcome = (MasterDataChange, Fact?)

    func applyMasterData(_ kind: MasterDataKind, _ body: (inout MasterDataBook, Ledger) throws -> MasterDataOutcome)
        throws -> MasterDataChange
    {
        try ledger.write { ledger throws -> MasterDataChange in
            var book = try MasterDataBook.load(from: ledger, for: kind)
            let (change, fact) = try body(&book, ledger)
            if let fact { try ledger.append(fact) }
            return change
        }
    }

    public func addCreator(_ creator: CreatorDetails) throws -> MasterDataChange {
        try applyMasterData(.creators) { book, ledger in
            // The key only when there is an e-mail to hash or an account to seal.
            let payout = try creator.payout.map { details in
                PayoutDetails(
                    method: details.method,
                    account: PayoutSealing.seal(details.account, key: try ledger.sealingKey()))
            }
            let emailHash = try creator.email.flatMap { try ledger.emailHash($0) }
            return book.applyCreator(
                id: creator.id, name: creator.name, emailHash: emailHash,
                followers: creator.followers, payout: payout, taxForm: creator.taxForm,
                at: ledger.clock.now())
        }
    }

    /// Gives `code` (normalized) to `creator` from `from`, else from today (00:00 in the ledger's
    /// zone) unless the code already belongs to the creator now, until `until` (exclusive).
    public func assignCode(_ code: String, creator: String, from: Instant?, until: Instant?) throws -> CodeAssignment {
        var outcome = CodeAssignment.alreadyHeld(since: Instant(unixSeconds: 0))
        _ = try applyMasterData(.codes) { book, ledger in
            let start: Instant
            if let from {
                start = from
            } else {
                let now = ledger.clock.now()
                let current = book.codeAssignment(code, at: now)
                if let current, current.creator == creator, current.validUntil == until {
                    outcome = .alreadyHeld(since: current.validFrom)
                    return (.unchanged, nil)
                }
                start = book.day(of: now).at
            }
            if let until, until <= start { throw EndNotAfterStart(start: start) }
            let assignment = Assignment(creator: creator, validFrom: start, validUntil: until)
            let (change, fact) = try book.applyCode(code, assignment)
            outcome = .recorded(change, from: start, until: until)
            return (change, fact)
        }
        return outcome
    }

    public func declareHouseCode(_ code: String) throws -> MasterDataChange {
        try applyMasterData(.codes) { book, ledger in try book.applyHouseCode(code, at: ledger.clock.now()) }
    }

    public func setTerms(_ terms: TermsSet) throws -> MasterDataChange {
        try applyMasterData(.terms) { book, _ in try book.applyTerms(terms) }
    }

    /// A post on the day of `at` (its id derived from its content when `id` is nil); the id recorded.
    public func addPost(
        id: String?, creator: String, at: Instant, platform: String, feeMinor: Int64, url: String?,
        impressions: Int64?, engagements: Int64?
    ) throws -> (MasterDataChange, id: String) {
        try addDated(
            .posts,
            { book in
                book.post(
                    id: id, creator: creator, at: at, platform: platform, feeMinor: feeMinor, url: url,
                    impressions: impressions, engagements: engagements)
            }, id: \.id, apply: { try $0.applyPost($1) })
    }

    public func addGift(
        id: String?, creator: String, at: Instant, valueMinor: Int64,
        note: String?
    ) throws -> (MasterDataChange, id: String) {
        try addDated(
            .gifts, { $0.gift(id: id, creator: creator, at: at, valueMinor: valueMinor, note: note) },
            id: \.id, apply: { try $0.applyGift($1) })
    }

    public func addAdjustment(
        id: String?, creator: String, at: Instant, amountMinor: Int64,
        reason: String
    ) throws -> (MasterDataChange, id: String) {
        try addDated(
            .adjustments,
            { book in
                book.adjustment(id: id, creator: creator, at: at, amountMinor: amountMinor, reason: reason)
            }, id: \.id, apply: { try $0.applyAdjustment($1) })
    }

    /// A post, gift or adjustment built against the book (its id derived from its content when
    /// none is given), then applied; the change and the id recorded.
    private func addDated<Value>(
        _ kind: MasterDataKind, _ build: (MasterDataBook) -> Value, id: (Value) -> String,
        apply: (inout MasterDataBook, Value) throws -> MasterDataOutcome
    )
        throws -> (MasterDataChange, id: String)
    {
        var recorded = ""
        let change = try applyMasterData(kind) { book, _ in
            let value = build(book)
            recorded = id(value)
            return try apply(&book, value)
        }
        return (change, recorded)
    }

    /// The last closed month when `instant` falls in it or before it: a fee or adjustment dated
    /// there is paid in the next month closed (the frozen statements never change).
    public func closedMonth(containing instant: Instant) throws -> (month: YearMonth, lastClosed: YearMonth)? {
        guard let lastClosed = try ledger.lastClosedMonth() else { return nil }
        let month = zone.month(of: instant)
        return month <= lastClosed ? (month, lastClosed) : nil
    }

    /// Imports one master-data file (`MasterDataImport.run`).
    public func importMasterData(
        _ kind: MasterDataKind, path: String, file: String,
        dryRun: Bool
    ) throws -> MasterDataSummary {
        try MasterDataImport.run(kind, path: path, file: file, ledger: ledger, dryRun: dryRun)
    }

    /// Imports one order export (`OrderImporter.run`).
    public func importOrders(
        _ request: OrderImportRequest,
        progress: ImportProgress? = nil
    ) throws -> OrderImportSummary {
        try OrderImporter.run(request, ledger: ledger, progress: progress)
    }
}
