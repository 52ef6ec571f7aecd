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

    public init(id: String, name: String, email: String?, followers: [String: Int64], payout: PayoutDetails?) {
        self.id = id; self.name = name; self.email = email; self.followers = followers; self.payout = payout
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
        throws -> MasterDataChange {
        try ledger.write { ledger throws -> MasterDataChange in
            var book = try MasterDataBook.load(from: ledger, for: kind)
            let (change, fact) = try body(&book, ledger)
            if let fact { try ledger.append(fact) }
            return change
        }
    }

    public func addCreator(_ creator: CreatorDetails) throws -> MasterDataChange {
        try applyMasterData(.creators) { book, ledger in
            let payout = try creator.payout.map { details in
                let key = try ledger.payoutKey()
                return PayoutDetails(method: details.method, account: PayoutSealing.seal(details.account, key: key))
            }
            let emailHash = creator.email.flatMap(ledger.emailHash)
            return book.applyCreator(id: creator.id, name: creator.name, emailHash: emailHash,
                                     followers: creator.followers, payout: payout, at: ledger.clock.now())
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
    public func addPost(id: String?, creator: String, at: Instant, platform: String, feeMinor: Int64, url: String?,
                        impressions: Int64?, engagements: Int64?) throws -> (MasterDataChange, id: String) {
        var recorded = ""
        let change = try applyMasterData(.posts) { book, _ in
            let post = book.post(id: id, creator: creator, at: at, platform: platform, feeMinor: feeMinor, url: url,
                                 impressions: impressions, engagements: engagements)
            recorded = post.id
            return try book.applyPost(post)
        }
        return (change, recorded)
    }

    public func addGift(id: String?, creator: String, at: Instant, valueMinor: Int64,
                        note: String?) throws -> (MasterDataChange, id: String) {
        var recorded = ""
        let change = try applyMasterData(.gifts) { book, _ in
            let gift = book.gift(id: id, creator: creator, at: at, valueMinor: valueMinor, note: note)
            recorded = gift.id
            return try book.applyGift(gift)
        }
        return (change, recorded)
    }

    public func addAdjustment(id: String?, creator: String, at: Instant, amountMinor: Int64,
                              reason: String) throws -> (MasterDataChange, id: String) {
        var recorded = ""
        let change = try applyMasterData(.adjustments) { book, _ in
            let adjustment = book.adjustment(id: id, creator: creator, at: at, amountMinor: amountMinor, reason: reason)
            recorded = adjustment.id
            return try book.applyAdjustment(adjustment)
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
    public func importMasterData(_ kind: MasterDataKind, path: String, file: String,
                                 dryRun: Bool) throws -> MasterDataSummary {
        try MasterDataImport.run(kind, path: path, file: file, ledger: ledger, dryRun: dryRun)
    }

    /// Imports one order export (`OrderImporter.run`).
    public func importOrders(_ request: OrderImportRequest,
                             progress: ImportProgress? = nil) throws -> OrderImportSummary {
        try OrderImporter.run(request, ledger: ledger, progress: progress)
    }
}
