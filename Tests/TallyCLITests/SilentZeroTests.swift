import Foundation
import TestSupport
import Testing

/// Issue 13, item 6: money that silently becomes zero gets a word. Preview and close name creators
/// with attributed orders and no terms; an import into closed months says where its orders land;
/// `explain` names the first open month and why an order earns nothing.
@Suite("money that becomes zero is named")
struct SilentZeroTests {
    private let header =
        "order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,"
        + "financial_status,refunded,cancelled_at,test"

    @Test func previewAndCloseNameCreatorsWithoutTerms() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["creator", "add", "zed", "--name", "Zed"], in: dir).status == 0)
        let assign = ["code", "assign", "MYSTERY", "--creator", "zed", "--from", "2026-08-01"]
        #expect(try runTally(assign, in: dir).status == 0)
        let note =
            "zed has 2 attributed orders in 2026-08 and no terms at their time: commission 0. Terms from "
            + "2026-08-21 would cover them: tally terms set zed --from 2026-08-21"
        let preview = try runTally(["payout", "preview", "--month", "2026-08"], in: dir)
        #expect(preview.status == 0 && preview.stderr.contains(note), "\(preview.stderr)")
        #expect(!preview.stderr.contains("anna has"))
        let explain = try runTally(["explain", "woocommerce:1001"], in: dir)
        #expect(explain.stdout.contains("No commission: zed had no terms at the created time"), "\(explain.stdout)")
        let close = try runTally(["payout", "close", "--month", "2026-08"], in: dir)
        #expect(close.status == 0 && close.stderr.contains(note), "\(close.stderr)")
    }

    @Test func anImportIntoClosedMonthsSaysWhereItLandsAndExplainNamesTheFirstOpenMonth() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try seedPayoutLedger(in: dir)
        #expect(try runTally(["payout", "close", "--month", "2026-08"], in: dir).status == 0)
        try write(
            "\(header)\nL1,2026-08-15T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,ANNA15,,,paid,,,false\n"
                + "L2,2026-09-15T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,ANNA15,,,paid,,,false\n",
            to: "late.csv", in: dir)
        let note =
            "closed months: 1 new order or change is dated in closed months (through 2026-08); closed "
            + "months never change: they land in the close of 2026-09"
        let dry = try runTally(["import", "orders", "late.csv", "--dry-run"], in: dir)
        #expect(dry.stdout.contains(note), "\(dry.stdout)")
        let late = try runTally(["import", "orders", "late.csv"], in: dir)
        #expect(late.stdout.contains(note), "\(late.stdout)")
        let explain = try runTally(["explain", "orders:L1"], in: dir)
        #expect(
            explain.stdout.contains(
                "first payable in the close of 2026-09 (2026-08 is closed: the first open month)"),
            "\(explain.stdout)")
        let open = try runTally(["explain", "orders:L2"], in: dir)
        #expect(open.stdout.contains("first payable in the close of 2026-09\n"), "\(open.stdout)")
    }

    @Test func explainSaysWhyAnOrderEarnsNothing() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        for step in [
            ["init", "--currency", "USD"],
            ["creator", "add", "anna", "--name", "Anna", "--email", "anna@example.com"],
            ["code", "assign", "ANNA", "--creator", "anna", "--from", "2026-08-01"],
            ["terms", "set", "anna", "--from", "2026-08-01", "--commission", "10%"]
        ] {
            #expect(try runTally(step, in: dir).status == 0, "\(step)")
        }
        try write(
            """
            \(header)
            T1,2026-08-02T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,ANNA,,,paid,,,true
            C1,2026-08-03T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,ANNA,,,voided,,2026-08-04T10:00:00Z,false
            P1,2026-08-05T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,ANNA,,,pending,,,false
            S1,2026-08-06T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,ANNA,,Anna@Example.com,paid,,,false
            U1,2026-08-07T10:00:00Z,USD,50.00,0.00,0.00,0.00,50.00,,,,paid,,,true

            """, to: "orders.csv", in: dir)
        #expect(try runTally(["import", "orders", "orders.csv"], in: dir).status == 0)
        let why = [
            "T1": "No commission: a test order", "C1": "No commission: cancelled",
            "P1": "No commission: unpaid (status pending is not payable",
            "S1": "No commission: a self-referral", "U1": "No commission: a test order"
        ]
        for (id, reason) in why {
            let explain = try runTally(["explain", "orders:\(id)"], in: dir)
            #expect(explain.status == 0 && explain.stdout.contains(reason), "\(id): \(explain.stdout)")
        }
    }
}
