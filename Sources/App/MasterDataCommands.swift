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
        try addCreator(creator, lookAlike: { _ in })
    }

    /// `creator add`; `lookAlike` is told when the creator, added or given a new e-mail or payout
    /// account, shares it with another id (`lookAlikeNote`).
    public func addCreator(_ creator: CreatorDetails, lookAlike: (String) -> Void) throws -> MasterDataChange {
        var note: String?
        let change = try applyMasterData(.creators) { book, ledger in
            // The key only when there is an e-mail to hash or an account to seal.
            let payout = try creator.payout.map { details in
                PayoutDetails(
                    method: details.method,
                    account: PayoutSealing.seal(details.account, key: try ledger.sealingKey()))
            }
            let emailHash = try creator.email.flatMap { try ledger.emailHash($0) }
            let outcome = book.applyCreator(
                id: creator.id, name: creator.name, emailHash: emailHash,
                followers: creator.followers, payout: payout, taxForm: creator.taxForm,
                at: ledger.clock.now())
            let (newEmail, newAccount) = newContactDetails(outcome.1)
            if newEmail || newAccount { note = lookAlikeNote(creator.id, book) }
            return outcome
        }
        if let note { lookAlike(note) }
        return change
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
        if let path = request.rejectsPath {
            try refuseReplacing(
                path, option: "--skip-invalid", writing: "rejects file", force: request.replaceRejects,
                isOurs: RejectsWriter.isRejectsHeader)
        }
        return try OrderImporter.run(request, ledger: ledger, progress: progress)
    }
}

/// Terms or an assignment dated in closed months (docs/master-data.md, "Dated in closed months"):
/// the closed months' statements never change, so their orders are re-priced by correction lines
/// in the next close. What that moves, from the next month's preview before and after.
public struct ClosedMonthsRepricing: Sendable {
    /// The closed months reached: from the month of the change's date through the last closed one.
    public var from: YearMonth
    public var through: YearMonth
    /// The next month to close, whose preview was compared.
    public var next: YearMonth
    /// The creators whose balance in the next month's preview moved, by id, with before and after;
    /// nil when the preview could not be computed (then the count of lines is 0).
    public var moved: [(creator: String, beforeMinor: Int64, afterMinor: Int64)]?
    /// Lines of the next month's preview that are new with the change (correction lines included).
    public var newLines: Int
}

extension LedgerSession {
    /// Runs `change` (a write dated `from`); when `from` falls in a closed month, previews the next
    /// month before and after it to say what the change moves there. Two previews: as much as
    /// `payout preview` twice, paid only by a change dated in a closed month.
    public func repricing<T>(from: Instant, _ change: () throws -> T) throws -> (T, ClosedMonthsRepricing?) {
        guard let lastClosed = try ledger.lastClosedMonth(), zone.month(of: from) <= lastClosed else {
            return (try change(), nil)
        }
        let next = lastClosed.next
        let before = try? previewPayouts(next).result
        let result = try change()
        let after = try? previewPayouts(next).result
        var report = ClosedMonthsRepricing(
            from: zone.month(of: from), through: lastClosed, next: next, moved: nil, newLines: 0)
        if let before, let after {
            let old = Dictionary(before.statements.map { ($0.creator, $0) }, uniquingKeysWith: { a, _ in a })
            let new = Dictionary(after.statements.map { ($0.creator, $0) }, uniquingKeysWith: { a, _ in a })
            var moved: [(creator: String, beforeMinor: Int64, afterMinor: Int64)] = []
            for creator in Set(old.keys).union(new.keys).sorted() {
                let a = old[creator]?.figures.balanceMinor ?? 0
                let b = new[creator]?.figures.balanceMinor ?? 0
                if a != b { moved.append((creator, a, b)) }
                var oldLines: [String: Int] = [:]
                for line in old[creator]?.lines ?? [] { oldLines["\(line)", default: 0] += 1 }
                for line in new[creator]?.lines ?? [] {
                    if let n = oldLines["\(line)"], n > 0 { oldLines["\(line)"] = n - 1 } else { report.newLines += 1 }
                }
            }
            report.moved = moved
        }
        return (result, report)
    }
}
