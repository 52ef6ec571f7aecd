import Foundation
import LedgerCore
import TestSupport
import Testing
@testable import LedgerStore

// `rebuild` and `verify` replay the log on two threads (`Connection.replayLog`): batches of rows
// read here, decoded on a second thread (the orders into ready-to-bind values, their text bound in
// place), applied here in log order. A ledger of several batches must come out as it was written,
// and a fact that cannot be read stops a rebuild (both threads) and is reported by verify.

/// Enough orders for several batches (`LogBatch.rowsMax` rows each) and more than the batches in
/// flight at once, with the values whose binding is easy to get wrong: empty text against NULL,
/// no codes, a name with an escape (the canonical scanner hands that one to `Fact.decode`),
/// cancellations, and changes in between.
private func busyLedger(orders: Int = 2_600) throws -> TemporaryLedger {
    let t = try storeLedger()
    let start = Instant(unixSeconds: 1_780_000_000)
    try t.ledger.write { l in
        for n in 0..<orders {
            let at = start.adding(seconds: Int64(n) * 60)
            let name: String? = n % 7 == 0 ? nil : n % 11 == 0 ? "" : n % 13 == 0 ? "say \"hi\" #\(n)" : "#\(n)"
            let codes = n % 3 == 0 ? [] : n % 5 == 0 ? ["ANA10", "", "BOB"] : ["ANA10"]
            let cancelled = n % 17 == 0 ? Timestamp(at.adding(seconds: 3_600), offsetSeconds: -18_000) : nil
            try l.append(
                .orderSeen(
                    OrderSeen(
                        key: OrderKey(source: "shopify", orderId: String(900_000 - n)), name: name,
                        createdAt: Timestamp(at, offsetSeconds: -14_400), currency: n % 9 == 0 ? .eur : .usd,
                        subtotalMinor: Int64(n) * 10, discountMinor: Int64(n % 50), shippingMinor: 0,
                        taxesMinor: Int64(n % 4), totalMinor: Int64(n) * 10 + 1, codes: codes,
                        referral: n % 19 == 0 ? "" : n % 23 == 0 ? "ref-\(n)" : nil,
                        emailHash: n % 29 == 0 ? nil : try l.emailHash("buyer\(n % 400)@example.org"),
                        state: OrderState(
                            status: n % 31 == 0 ? .refunded : .paid, refundedMinor: n % 31 == 0 ? Int64(n) * 10 + 1 : 0,
                            cancelledAt: cancelled),
                        test: n % 37 == 0, asOf: at.adding(seconds: 86_400),
                        importRef: String(repeating: "ab", count: 32)
                    )))
            if n % 250 == 249 {
                try l.append(
                    .orderChanged(
                        OrderChanged(
                            key: OrderKey(source: "shopify", orderId: String(900_000 - n + 3)),
                            status: .partiallyRefunded, refundedMinor: 100,
                            effectiveAt: at.adding(seconds: 7_200), asOf: at.adding(seconds: 86_400),
                            importRef: String(repeating: "cd", count: 32))))
            }
        }
    }
    return t
}

/// Every projection table's rows, in the order `verify` compares them, one line a row.
private func projections(_ path: String) throws -> [String: [String]] {
    let connection = try Connection(path: path, options: .init(readOnly: true))
    var tables: [String: [String]] = [:]
    for table in Projector.tables {
        let st = try connection.prepared("SELECT * FROM \(table.name) ORDER BY \(table.orderBy)")
        defer { st.reset() }
        var rows: [String] = []
        while try st.step() { rows.append(st.row().map { "\($0)" }.joined(separator: "|")) }
        tables[table.name] = rows
    }
    return tables
}

private let dropTriggers = "DROP TRIGGER facts_are_append_only_update; DROP TRIGGER facts_are_append_only_delete;"

@Suite("replay: rebuild and verify decode on a second thread")
struct ReplayTests {
    @Test func aRebuildOfManyBatchesEqualsTheProjectionsAsWritten() throws {
        let t = try busyLedger()
        let written = try projections(t.path)
        try #require(written["orders"]?.count == 2_600)
        // Empty text stays empty text, not NULL (a text bound in place must not be a null pointer).
        #expect(written["orders"]!.contains { $0.contains("|text(\"\")|") })
        let facts = try t.ledger.rebuild()
        #expect(facts == t.ledger.lastSeq)
        let rebuilt = try projections(t.path)
        for table in Projector.tables {
            #expect(rebuilt[table.name] == written[table.name], "\(table.name) differs after the rebuild")
        }
        let report = try t.ledger.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.factsChecked == t.ledger.lastSeq)
    }

    /// A fact that cannot be read, in a batch after several others: the rebuild stops with its
    /// error (the decoding thread stopped too: the test returns) and leaves the projections as
    /// they were; verify reads on and names it, after the chain's break at the same fact.
    @Test func aDamagedFactInTheMiddleStopsTheRebuildAndIsReportedByVerify() throws {
        let t = try busyLedger()
        let before = try projections(t.path)
        let damaged: Int64 = 1_900
        try t.raw().execute(dropTriggers + "UPDATE facts SET payload = '{\"source\":' WHERE seq = \(damaged)")
        #expect(throws: FactDecodingError.self) { _ = try t.ledger.rebuild() }
        #expect(try projections(t.path) == before, "a failed rebuild changed the projections")

        let report = try t.ledger.verify()
        #expect(report.factsChecked == t.ledger.lastSeq, "verify stopped reading at the damaged fact")
        #expect(report.firstBadSeq == damaged)
        let broken = report.problems.firstIndex { $0.contains("fact \(damaged) (order.seen) does not match its hash") }
        let unread = report.problems.firstIndex { $0.contains("fact \(damaged) (order.seen) cannot be read") }
        #expect(broken != nil && unread != nil, "\(report.problems)")
        if let broken, let unread { #expect(broken < unread, "\(report.problems)") }
        // The order the damaged fact saw is missing from the replay: the projection check says so.
        #expect(report.problems.contains { $0.contains("projection orders differs") }, "\(report.problems)")
    }

    /// A fact missing in a later batch: the chain check, on the decoding thread, names the gap.
    @Test func aFactRemovedInALaterBatchIsNamed() throws {
        let t = try busyLedger()
        try t.raw().execute(dropTriggers + "DELETE FROM facts WHERE seq = 2000")
        let report = try t.ledger.verify()
        #expect(report.firstBadSeq == 2_000)
        #expect(report.problems.first == "fact 2000 is missing: the log jumps from 1999 to 2001", "\(report.problems)")
        #expect(report.factsChecked == t.ledger.lastSeq - 1)
    }
}
