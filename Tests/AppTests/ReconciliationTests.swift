@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// Ledger rules §3 on the canonical CSV: identity, re-imports, overlapping and older exports.
@Suite struct ReconciliationTests {
    let a1 =
        "A1,2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,\"ANNA10, welcome\","
        + "ref=anna,Ann@Example.com,paid,0.00,,false"
    let a2 = "A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,pending,,,false"

    @Test func newOrderIsRecordedAsSeenWithEveryField() throws {
        let t = try TemporaryLedger()
        let summary = try t.importFile(.orders, try t.write(canonical(a1, a2), "sept.csv"))
        #expect(summary.counts.new == 2 && summary.counts.changed == 0 && summary.counts.orders == 2)
        let seen = try #require(try t.seen("A1"))
        #expect(seen.key == OrderKey(source: "orders", orderId: "A1"))
        #expect(seen.createdAt == Timestamp(instant("2026-09-01T14:00:00Z"), offsetSeconds: -4 * 3600))
        #expect(
            [seen.subtotalMinor, seen.discountMinor, seen.shippingMinor, seen.taxesMinor, seen.totalMinor] == [
                9000, 1000, 500, 720, 10220
            ])
        #expect(seen.codes == ["ANNA10", "welcome"])
        #expect(seen.referral == "ref=anna")
        #expect(seen.emailHash == Ledger.emailHash("ann@example.com", salt: "test-salt"))
        #expect(seen.state == OrderState(status: .paid, refundedMinor: 0, cancelledAt: nil))
        #expect(seen.test == false)
        // The as-of defaults to the latest timestamp in the file: A2's created_at.
        #expect(seen.asOf == instant("2026-09-02T11:30:00-04:00"))
        #expect(seen.importRef == summary.sha256 && summary.sha256.count == 64)
        let recorded = try #require(try t.imports().last)
        #expect(recorded.fileName == "sept.csv" && recorded.source == "orders" && recorded.sha256 == summary.sha256)
        #expect(recorded.counts["orders_new"] == 2 && recorded.counts["orders"] == 2)
        try t.expectVerified()
    }

    @Test func theSameFileTwiceIsSkippedBySHA256() throws {
        let t = try TemporaryLedger()
        let path = try t.write(canonical(a1, a2), "sept.csv")
        try t.importFile(.orders, path)
        let before = try t.logText()
        let again = try t.importFile(.orders, path)
        #expect(again.previous?.fileName == "sept.csv")
        #expect(again.previous?.source == "orders")
        #expect(try t.logText() == before)
        try t.expectVerified()
    }

    @Test func theSameOrdersInOtherBytesAddOnlyTheImportRecord() throws {
        let t = try TemporaryLedger()
        try t.importFile(.orders, try t.write(canonical(a1, a2), "one.csv"))
        let before = try t.facts().count
        // Same orders, other column order and an extra column: another SHA-256, nothing new.
        let reordered =
            "note,order_id,created_at,currency,subtotal,discount,shipping,taxes,total,"
            + "codes,referral,email,financial_status,refunded,cancelled_at,test\n"
            + "x," + a2 + "\n" + "y," + a1 + "\n"
        let summary = try t.importFile(.orders, try t.write(reordered, "two.csv"))
        #expect(summary.previous == nil)
        #expect(
            summary.counts.unchanged == 2 && summary.counts.new == 0 && summary.counts.changed == 0
                && summary.counts.confirmed == 0)
        let facts = try t.facts()
        #expect(facts.count == before + 1)
        guard case .importRecorded? = facts.last else { Issue.record("expected import.recorded last"); return }
        try t.expectVerified()
    }

    @Test func aLaterOverlappingExportAddsOnlyTheDifference() throws {
        let t = try TemporaryLedger()
        try t.importFile(.orders, try t.write(canonical(a1, a2), "sept.csv"))
        // October's export: A1 partially refunded, A2 unchanged, A3 new. Latest timestamp: A3.
        let a1Refunded =
            "A1,2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,\"ANNA10, "
            + "welcome\",ref=anna,Ann@Example.com,partially_refunded,12.50,,false"
        let a3 = "A3,2026-10-05T09:00:00-04:00,USD,20.00,0.00,0.00,0.00,20.00,,,,paid,,,false"
        let summary = try t.importFile(.orders, try t.write(canonical(a3, a1Refunded, a2), "oct.csv"))
        #expect(
            summary.counts.new == 1 && summary.counts.changed == 1 && summary.counts.unchanged == 1
                && summary.counts.stale == 0)
        #expect(summary.counts.refunds == 1)
        let changes = try t.changes("A1")
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.status == .partiallyRefunded && change.refundedMinor == 1250 && change.cancellation == nil)
        #expect(change.effectiveAt == instant("2026-10-05T09:00:00-04:00"))
        #expect(try t.changes("A2").isEmpty)
        // A2 was confirmed by the newer export: its as-of moved forward with no fact of its own.
        #expect(try t.imports().last?.confirmedOrderIds == ["A2"])
        #expect(try t.order("A2")?.asOf == instant("2026-10-05T09:00:00-04:00"))
        #expect(
            try t.order("A1")?.state == OrderState(status: .partiallyRefunded, refundedMinor: 1250, cancelledAt: nil))
        try t.expectVerified()
    }

    @Test func anOlderExportAfterANewerOneChangesNothing() throws {
        let t = try TemporaryLedger()
        let newer = canonical(
            "A1,2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,,,,"
                + "refunded,102.20,2026-10-02T08:00:00-04:00,false")
        try t.importFile(.orders, try t.write(newer, "newer.csv"))
        let older = canonical(a1, a2)  // as-of 2026-09-02: before the newer file's 2026-10-02
        let summary = try t.importFile(.orders, try t.write(older, "older.csv"))
        #expect(summary.counts.stale == 1 && summary.counts.new == 1 && summary.counts.changed == 0)
        #expect(try t.changes("A1").isEmpty)
        let state = try #require(try t.order("A1")).state
        #expect(state.status == .refunded && state.refundedMinor == 10220 && state.cancelledAt != nil)
        #expect(try t.order("A1")?.asOf == instant("2026-10-02T08:00:00-04:00"))
        try t.expectVerified()
    }

    /// January's export downloaded again in March: its inferred as-of is its newest order's, older
    /// than what the ledger knows, yet its refunds and cancellations are news (rules §3).
    @Test func anOldLookingExportStillRecordsItsRefundsAndCancellations() throws {
        let t = try TemporaryLedger()
        let a3 = "A3,2026-10-05T09:00:00-04:00,USD,20.00,0.00,0.00,0.00,20.00,,,,paid,,,false"
        try t.importFile(.orders, try t.write(canonical(a1, a2, a3), "october.csv"))  // as-of Oct 5
        let before = try t.facts().count
        let a1Refunded =
            "A1,2026-09-01T10:00:00-04:00,USD,90.00,10.00,5.00,7.20,102.20,\"ANNA10, "
            + "welcome\",ref=anna,"
            + "Ann@Example.com,partially_refunded,12.50,,false"
        let a2Cancelled =
            "A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,voided,,"
            + "2026-09-02T12:00:00-04:00,false"
        let again = try t.importFile(.orders, try t.write(canonical(a1Refunded, a2Cancelled), "september-again.csv"))
        #expect(again.asOf == instant("2026-09-02T12:00:00-04:00"))  // older than the ledger's Oct 5
        #expect(again.counts.stale == 2 && again.counts.staleNews == 2 && again.counts.refunds == 1)
        #expect(again.counts.changed == 0 && again.counts.unchanged == 0)
        #expect(try t.facts().count == before + 3)  // two changes and the import
        let october = instant("2026-10-05T09:00:00-04:00")
        let refund = try #require(try t.changes("A1").first)
        #expect(refund.status == .partiallyRefunded && refund.refundedMinor == 1250 && refund.cancellation == nil)
        #expect(refund.effectiveAt == october)
        let cancel = try #require(try t.changes("A2").first)
        #expect(cancel.status == .voided)
        #expect(cancel.cancellation == .cancelled(Timestamp.parse("2026-09-02T12:00:00-04:00")!))
        #expect(cancel.effectiveAt == october)
        // Never rolled back: the as-of stays the newer export's.
        #expect(try t.order("A1")?.asOf == october && t.order("A2")?.asOf == october)
        #expect(try t.imports().last?.counts["orders_stale_news"] == 2)
        try t.expectVerified()
        // An even older picture (a smaller refund, no cancellation) is stale without news.
        let older = canonical(a1, a2)
            .replacingOccurrences(of: "2026-09-02T11:30:00-04:00", with: "2026-09-01T11:30:00-04:00")
        let stale = try t.importFile(.orders, try t.write(older, "older.csv"))
        #expect(stale.counts.stale == 2 && stale.counts.staleNews == 0)
        #expect(try t.changes("A1").count == 1 && t.changes("A2").count == 1)
        #expect(try t.order("A2")?.state.cancelledAt != nil)
        try t.expectVerified()
    }

    @Test func aCancellationAndItsLiftingAreChanges() throws {
        let t = try TemporaryLedger()
        try t.importFile(.orders, try t.write(canonical(a2), "one.csv"))
        let cancelled = canonical(
            "A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,voided,,2026-09-03T10:00:00-04:00,false")
        try t.importFile(.orders, try t.write(cancelled, "two.csv"))
        let lifted = canonical("A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,paid,,,false")
        try t.importFile(.orders, try t.write(lifted, "three.csv"), asOf: "2026-09-10")
        let changes = try t.changes("A2")
        #expect(changes.count == 2)
        #expect(
            changes[0].status == .voided
                && changes[0].cancellation == .cancelled(Timestamp.parse("2026-09-03T10:00:00-04:00")!))
        #expect(changes[0].effectiveAt == instant("2026-09-03T10:00:00-04:00"))
        #expect(changes[1].status == .paid && changes[1].cancellation == .uncancelled)
        #expect(changes[1].effectiveAt == instant("2026-09-10T00:00:00-04:00"))
        try t.expectVerified()
    }

    @Test func firstExportFieldsAreKeptAndADifferenceIsReported() throws {
        let t = try TemporaryLedger()
        try t.importFile(.orders, try t.write(canonical(a1), "one.csv"))
        let edited = canonical(
            "A1,2026-09-01T10:00:00-04:00,USD,95.00,10.00,5.00,7.20,107.20,"
                + "\"ANNA10, welcome\",ref=anna,ann@example.com,paid,0.00,,false")
        let summary = try t.importFile(.orders, try t.write(edited, "two.csv"), asOf: "2026-09-05")
        #expect(summary.counts.amountsDiffer == 1 && summary.counts.unchanged == 1)
        #expect(
            summary.warnings == ["order A1: subtotal, total differ from the first export; the ledger keeps the first"])
        #expect(try t.seen("A1")?.subtotalMinor == 9000)
        let stored = try t.ledger.connection.scalarInt("SELECT subtotal_minor FROM orders WHERE order_id = 'A1'")
        #expect(stored == 9000)
        try t.expectVerified()
    }

    @Test func anOrderTwiceInOneFileIsAnError() throws {
        let t = try TemporaryLedger()
        let before = try t.logText()
        let issue = try #require(t.importError(.orders, try t.write(canonical(a1, a2, a1), "dup.csv")))
        #expect(issue.line == 4 && issue.column == 1 && issue.found == "A1")
        #expect(issue.expected.contains("already appeared at line 2"))
        #expect(try t.logText() == before)
    }

    @Test func anExplicitAsOfBeforeTheFilesTimesIsRefused() throws {
        let t = try TemporaryLedger()
        let before = try t.logText()
        do {
            try t.importFile(.orders, try t.write(canonical(a1, a2), "sept.csv"), asOf: "2026-09-02")
            Issue.record("accepted an as-of before A2's created_at")
        } catch let issue as InputIssue {
            #expect(issue.line == 3)
            #expect(issue.expected.contains("after --as-of"))
        }
        #expect(try t.logText() == before)
    }

    @Test func theAsOfIsTheLatestTimestampOfAnyColumnRead() throws {
        let t = try TemporaryLedger()
        let row =
            "A1,2026-09-01T10:00:00-04:00,USD,90.00,0.00,0.00,0.00,90.00,,,,voided,,2026-09-20T16:45:00-04:00,false"
        let summary = try t.importFile(.orders, try t.write(canonical(row, a2), "f.csv"))
        #expect(summary.asOf == instant("2026-09-20T16:45:00-04:00") && summary.asOfFromFile)
    }

    @Test func aDryRunReportsAndWritesNothing() throws {
        let t = try TemporaryLedger()
        try t.importFile(.orders, try t.write(canonical(a2), "one.csv"))
        let before = try t.logText()
        let later = canonical(
            a1, "A2,2026-09-02T11:30:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,paid,,,false",
            "bad,2026-09-02T11:30:00-04:00,USD,1.00,0,0,0,1.00,,,,what,,,false")
        let summary = try t.importFile(.orders, try t.write(later, "two.csv"), dryRun: true, rejects: "rejects.csv")
        #expect(
            summary.dryRun && summary.counts.new == 1 && summary.counts.changed == 1 && summary.counts.rejected == 1)
        #expect(try t.logText() == before)
        #expect(!FileManager.default.fileExists(atPath: t.path("rejects.csv")))
        #expect(!FileManager.default.fileExists(atPath: t.path("rejects.csv.partial")))
        // The real run does what the dry run said.
        let real = try t.importFile(.orders, t.path("two.csv"), rejects: "rejects.csv")
        #expect(real.counts == summary.counts)
    }

    @Test func skipInvalidWritesEachBadRowWithItsReasonAndImportsTheRest() throws {
        let t = try TemporaryLedger()
        let bad1 = "B1,2026-09-03T10:00:00-04:00,USD,\"12,50\",0.00,0.00,0.00,12.50,,,,paid,,,false"
        let bad2 = "B2,2026-09-03T10:00:00-04:00,XYZ,12.50,0.00,0.00,0.00,12.50,,,,paid,,,false"
        let summary = try t.importFile(
            .orders, try t.write(canonical(a1, bad1, a2, bad2), "mixed.csv"), rejects: "rejects.csv")
        #expect(summary.counts.new == 2 && summary.counts.rejected == 2)
        #expect(summary.rejectsPath == t.path("rejects.csv"))
        let text = try String(contentsOfFile: t.path("rejects.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == canonicalHeader + ",reject_reason")
        #expect(lines[1].hasPrefix(bad1 + ",\"" + t.path("mixed.csv") + ":3:4: found '12,50'"))
        #expect(lines[2].hasPrefix(bad2 + ",\"" + t.path("mixed.csv") + ":5:3: found 'XYZ'"))
        #expect(try t.imports().last?.counts["orders_rejected"] == 2)
        try t.expectVerified()
    }

    @Test func withoutSkipInvalidOneBadRowFailsTheWholeFile() throws {
        let t = try TemporaryLedger()
        let before = try t.logText()
        let bad = "B1,2026-09-03T10:00:00-04:00,USD,\"12,50\",0.00,0.00,0.00,12.50,,,,paid,,,false"
        let issue = try #require(t.importError(.orders, try t.write(canonical(a1, bad, a2), "mixed.csv")))
        #expect(issue.line == 3 && issue.column == 4 && issue.columnName == "subtotal")
        #expect(try t.logText() == before)
        #expect(try t.orderCount() == 0)
    }

    @Test func testOrdersAreRecordedWithTheirFlag() throws {
        let t = try TemporaryLedger()
        let rows = [
            "T1,2026-09-01T10:00:00Z,USD,1.00,0,0,0,1.00,,,,paid,,,TRUE",
            "T2,2026-09-01T10:00:00Z,USD,1.00,0,0,0,1.00,,,,paid,,,1",
            "T3,2026-09-01T10:00:00Z,USD,1.00,0,0,0,1.00,,,,paid,,,yes",
            "T4,2026-09-01T10:00:00Z,USD,1.00,0,0,0,1.00,,,,paid,,,no",
            "T5,2026-09-01T10:00:00Z,USD,1.00,0,0,0,1.00,,,,paid,,,"
        ]
        let summary = try t.importFile(
            .orders, try t.write(([canonicalHeader] + rows).joined(separator: "\n"), "t.csv"))
        #expect(summary.counts.test == 3)
        #expect(try ["T1", "T2", "T3", "T4", "T5"].map { try t.seen($0)!.test } == [true, true, true, false, false])
        let issue = try #require(
            t.importError(
                .orders,
                try t.write(canonical("T6,2026-09-01T10:00:00Z,USD,1.00,0,0,0,1.00,,,,paid,,,maybe"), "bad.csv")))
        #expect(issue.line == 2 && issue.column == 15)
    }

    @Test func aSourceOverrideKeepsTwoShopsApart() throws {
        let t = try TemporaryLedger()
        try t.importFile(.orders, try t.write(canonical(a1), "us.csv"))
        let eu = canonical("A1,2026-09-01T10:00:00+02:00,EUR,50.00,0.00,0.00,0.00,50.00,,,,paid,,,false")
        let summary = try t.importFile(.orders, try t.write(eu, "eu.csv"), source: "shop-eu")
        #expect(summary.counts.new == 1)
        #expect(try t.seen("A1")?.key.source == "orders")
        #expect(try t.order("A1", source: "shop-eu")?.state.status == .paid)
        #expect(try t.orderCount() == 2)
    }

    @Test func codesNeverSeenBeforeAreListedOnce() throws {
        let t = try TemporaryLedger()
        _ = try t.ledger.write { l in
            try l.append(
                .codeAssigned(
                    CodeAssigned(
                        code: "ANNA10", creator: "anna", validFrom: instant("2026-01-01T00:00:00Z"), validUntil: nil)))
        }
        let first = try t.importFile(.orders, try t.write(canonical(a1), "one.csv"))
        #expect(first.codesNeverSeen == ["WELCOME"])
        let again = canonical("A9,2026-09-05T10:00:00-04:00,USD,1.00,0,0,0,1.00,\"welcome,Summer\",,,paid,,,false")
        let second = try t.importFile(.orders, try t.write(again, "two.csv"))
        #expect(second.codesNeverSeen == ["SUMMER"])
    }
}

/// The byte-level amount fast path agrees with `parseAmount` wherever it answers.
@Test func plainAmountAgreesWithParseAmount() {
    let samples = [
        "0", "12", "12.5", "12.50", "-3.00", "1234567.89", "12.345", "", "-", ".5", "5.", "1,00", "+1.00", "1e3",
        "999999999999999", "9999999999999999", "12.5.1", "-0.01", "007.10", " 1.00"
    ]
    for currency in [Currency.usd, .jpy, .kwd] {
        for text in samples {
            let fast = Array(text.utf8).withUnsafeBufferPointer {
                plainAmount($0, exponent: currency.minorUnitExponent)
            }
            guard let fast else { continue }
            #expect(parseAmount(text, currency) == .success(fast), "\(text) \(currency)")
        }
    }
}
