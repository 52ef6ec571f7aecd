import Foundation
import LedgerStore
import Testing

// Closed months stay closed: after `payout close`, no command changes a frozen statement. Late
// facts dated inside a closed month land in the next open month; closing a month again is refused.

/// Everything frozen for the closed months, as the ledger file and the commands show it.
func frozenState(in dir: URL, months: [String]) throws -> [String] {
    let path = dir.appendingPathComponent("tally.sqlite").path
    var state = try dumpRows(path, "SELECT * FROM statements ORDER BY month, creator")
    state += try dumpRows(path, "SELECT * FROM statement_lines ORDER BY month, creator, line_no")
    state += try dumpRows(path, "SELECT * FROM closed_months ORDER BY month")
    state += try dumpRows(path, "SELECT seq, hash FROM facts WHERE type IN ('statement.issued', 'month.closed') ORDER BY seq")
    for month in months {
        state.append(try runTally(["payout", "show", "--month", month, "--format", "csv"], in: dir).stdout)
        state.append(try runTally(["statement", "anna-bakes", "--month", month, "--format", "csv"], in: dir).stdout)
    }
    return state
}

/// anna-bakes's figures in a month's preview, by column name (0 when she has no row).
func previewFigures(_ month: String, creator: String, in dir: URL) throws -> [String: String] {
    let preview = try runTally(["payout", "preview", "--month", month, "--format", "csv"], in: dir)
    try #require(preview.status == 0, "\(preview.stderr)")
    let lines = preview.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let header = lines.first, let row = lines.dropFirst().first(where: { $0.count > 1 && $0[1] == creator }) else { return [:] }
    return Dictionary(uniqueKeysWithValues: zip(header, row))
}

func cents(_ text: String?) -> Int {
    guard let text, let value = Double(text) else { return 0 }
    return Int((value * 100).rounded())
}

@Suite("closed months stay closed")
struct ClosedMonthTests {
    @Test func noCommandChangesAClosedMonth() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let closed = ["2026-07", "2026-08", "2026-09"]
        try examplesLedger(in: dir, closing: closed)
        let before = try frozenState(in: dir, months: closed)
        let octoberBefore = try previewFigures("2026-10", creator: "anna-bakes", in: dir)

        let lateOrders = try write("""
            order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,financial_status,refunded,cancelled_at,test
            LATE-1,2026-09-20T10:00:00-04:00,USD,85.00,15.00,0.00,0.00,85.00,ANNA15,,late.buyer@example.com,paid,0.00,,false

            """, to: "late-orders.csv", in: dir)
        let lateAdjustments = try write("id,creator,date,amount,reason\nLATE-A1,anna-bakes,2026-07-10,5.00,late bonus for July\n",
                                        to: "late-adjustments.csv", in: dir)
        // Every command that writes, aimed at the closed months.
        let commands: [[String]] = [
            ["adjust", "anna-bakes", "--date", "2026-09-15", "--amount", "-12.00", "--reason", "correction for September"],
            ["post", "add", "anna-bakes", "--date", "2026-08-20", "--platform", "instagram", "--fee", "100.00"],
            ["gift", "add", "anna-bakes", "--date", "2026-07-05", "--value", "30.00"],
            ["terms", "set", "anna-bakes", "--from", "2026-07-01", "--commission", "50%"],
            ["code", "assign", "LATE10", "--creator", "anna-bakes", "--from", "2026-07-01"],
            ["creator", "add", "zoe", "--name", "Zoe"],
            ["import", "orders", lateOrders],
            ["import", "adjustments", lateAdjustments],
            ["payout", "mark-paid", "--month", "2026-09", "--creator", "anna-bakes", "--reference", "TX-1"],
            ["payout", "mark-paid", "--month", "2026-09", "--creator", "anna-bakes", "--reference", "TX-1"],
            ["rebuild"],
        ]
        for command in commands {
            let result = try runTally(command, in: dir)
            #expect(result.status == 0 || (result.status == 1 && !result.stderr.isEmpty), "\(command): \(result.status) \(result.stderr)")
        }
        for month in closed {
            let again = try runTally(["payout", "close", "--month", month], in: dir)
            #expect(again.status == 1, "closing \(month) again: \(again.stdout)")
            #expect(again.stderr.contains(month) && again.stderr.lowercased().contains("closed"), "\(again.stderr)")
        }
        #expect(try frozenState(in: dir, months: closed) == before)
        let verify = try runTally(["verify"], in: dir)
        #expect(verify.status == 0, "\(verify.stderr)")

        // The late facts landed in October, the next month to be closed.
        let october = try previewFigures("2026-10", creator: "anna-bakes", in: dir)
        #expect(cents(october["adjustments"]) - cents(octoberBefore["adjustments"]) == -1_200 + 500)
        #expect(cents(october["fees"]) - cents(octoberBefore["fees"]) == 10_000)
        #expect(cents(october["commissions"]) > cents(octoberBefore["commissions"]), "the late September order earns in October")
    }
}
