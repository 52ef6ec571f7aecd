@testable import App
import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing

/// What the projections give back equals the fold of the facts, read model for read model: the
/// snapshot loader reads each read model through its field table (`ProjectionTableTests` checks
/// the columns), and this checks the values, on ledgers written and closed as the commands do.
@Suite("projections give the folded read models")
struct ProjectionFoldTests {
    /// Random ledgers appended and closed by the close use case: every part of the snapshot the
    /// projections give equals the fold of the same facts (orders with their changes, statements,
    /// closed months, paid payouts, master data), and again after a rebuild.
    @Test(arguments: Array(UInt64(1)...UInt64(8)), [false, true])
    func theProjectionsGiveTheFoldedReadModels(seed: UInt64, plans: Bool) throws {
        let random = RandomLedger(seed: seed, plans: plans)
        let reference = closeAll(random)
        let temporary = try temporaryLedger()
        let ledger = temporary.ledger
        let session = LedgerSession(ledger)
        try ledger.write { l in for fact in random.header.dropFirst() { try l.append(fact) } }
        for (k, batch) in random.batches.enumerated() {
            try ledger.write { l in for fact in batch { try l.append(fact) } }
            if k < RandomLedger.months.count { _ = try session.closeMonth(RandomLedger.months[k]) }
        }
        // The last month: a payment file written, the close taken back (the file not uploaded), closed again.
        let last = RandomLedger.months.last!
        let request = PaymentFileRequest(
            month: last, format: "generic", options: ExportOptions(method: nil),
            output: nil)
        _ = try? session.exportPayments(request, render: { "\($0.count)" }, standardOutput: { _ in })
        _ = try session.exportJournals(last, format: "csv") { books in
            ([(path: temporary.path("books.csv"), text: "\(books.journals.count)")], ["j"])
        }
        let reopened = try session.reopen(
            month: last, reason: "seed \(seed)", filesNotUploaded: true, journalsNotBooked: true)
        #expect(reopened.reopened.month == last)
        _ = try session.closeMonth(last)
        if let paid = try ledger.snapshot().statements.first(where: { $0.figures.payoutMinor > 0 }) {
            let mark = PaymentMark(creator: paid.creator, reference: "PP-\(seed)")
            _ = try session.markPaid(month: paid.month, mark: mark)
            // A wrong mark taken back and marked again: the fold and the projection agree on the second.
            _ = try session.unmarkPaid(month: paid.month, creator: paid.creator, reason: "wrong reference")
            #expect(try ledger.snapshot().payoutsPaid.isEmpty, "seed \(seed)")
            _ = try session.markPaid(
                month: paid.month, mark: PaymentMark(creator: paid.creator, reference: "R-\(seed)"))
        }
        let folded = try #require(LedgerSnapshot.fold(try storedFacts(ledger)))
        let loaded = try ledger.snapshot()
        _ = try ledger.rebuild()
        for stored in [loaded, try ledger.snapshot()] {
            #expect(stored.orders == folded.orders, "seed \(seed)")
            #expect(stored.statements == folded.statements, "seed \(seed)")
            #expect(stored.closedMonths == folded.closedMonths, "seed \(seed)")
            #expect(stored.payoutsPaid == folded.payoutsPaid, "seed \(seed)")
            #expect(folded.payoutsPaid.allSatisfy { $0.reference.hasPrefix("R-") }, "seed \(seed)")
            #expect(stored.paymentFiles == folded.paymentFiles, "seed \(seed)")
            #expect(stored.journalFiles == folded.journalFiles && folded.journalFiles.map(\.reopened) == [true])
            #expect(stored.reopenings == folded.reopenings && folded.reopenings.count == 1, "seed \(seed)")
            #expect(stored.creators == folded.creators, "seed \(seed)")
            #expect(stored.codeAssignments == folded.codeAssignments, "seed \(seed)")
            #expect(stored.referralAssignments == folded.referralAssignments, "seed \(seed)")
            #expect(stored.houseCodes == folded.houseCodes, "seed \(seed)")
            #expect(stored.terms == folded.terms, "seed \(seed)")
            #expect(stored.fxRates == folded.fxRates, "seed \(seed)")
            #expect(stored.posts == folded.posts, "seed \(seed)")
            #expect(stored.adjustments == folded.adjustments, "seed \(seed)")
            #expect(stored.gifts == folded.gifts, "seed \(seed)")
        }
        #expect(reference.results.count == RandomLedger.months.count)
    }

    func storedFacts(_ ledger: Ledger) throws -> [Fact] {
        var facts: [Fact] = []
        try ledger.forEachFact { facts.append(try $0.decoded()) }
        return facts
    }
}
