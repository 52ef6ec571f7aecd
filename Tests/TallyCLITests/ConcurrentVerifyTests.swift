import Foundation
import LedgerStore
import TestSupport
import Testing

// `verify` while small imports commit, in real processes: it checks one state of the ledger (one
// read transaction for the chain and every projection), so it never reports a difference that is
// not there. Before the fix, it read the log first and the projections later, and reported
// "projection orders differs from a rebuild from the log" for the orders imported in between.
// Each verify stops between the two (TALLY_TEST_PAUSE=verify-log-read) while an import commits:
// the commit lands inside every verify, whatever the machine's load (a first version ran verifies
// in a loop beside a loop of imports, and under load once had only one overlap of the 2 it needs).

@Suite("verify while imports commit")
struct ConcurrentVerifyTests {
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func verifyNeverCriesWolfWhileImportsCommit() throws {
        let shop = try ShopFixture(orders: 2_000); defer { shop.remove() }
        let files = fullReliabilityRuns ? 60 : 12
        let codes = try String(contentsOfFile: shop.path("shop/codes.csv"), encoding: .utf8).split(separator: "\n")
            .dropFirst().prefix(5).map { String($0.prefix { $0 != "," }) }
        let ledger = shop.path("closed.sqlite")
        for n in 0..<files {
            try smallOrderFile(n, codes: codes, in: shop)
            let factsBefore = try factCount(ledger)
            // The verify has read the log and stands before the projections, in its read transaction ...
            let verify = try PausedTally(
                ["verify", "--ledger", "closed.sqlite"], at: "verify-log-read", in: shop.dir,
                name: "verify-\(n)")
            try #require(verify.reachedPause(), "verify \(n): \(verify.run.stderrSoFar)")
            // ... while an import of 20 new orders commits.
            let imported = try shop.run(["import", "orders", "small-\(n).csv", "--quiet"], on: "closed.sqlite")
            #expect(imported.status == 0, "import \(n): \(imported.stderr)")
            let factsAfter = try factCount(ledger)
            #expect(factsAfter == factsBefore + 21, "import \(n) committed \(factsAfter - factsBefore) facts")
            let result = try verify.release()
            #expect(result.status == 0 && result.stdout.hasPrefix("OK:"), "verify \(n): \(result.stderr)")
            // The head it reports is the state it began with, not the import's.
            let seq = Int64(lastLine(result.stdout).split(separator: " ").dropFirst().first ?? "") ?? -1
            #expect(seq == factsBefore, "verify \(n): head \(seq), the ledger had \(factsBefore) facts when it began")
        }
        #expect(try factCount(ledger, type: "import.recorded") == Int64(files) + 1)
        #expect(try shop.verifiedHead("closed.sqlite").hasPrefix("head: \(try factCount(ledger)) "))
    }
}

/// small-N.csv: 20 new orders in the canonical format, with the shop's codes.
private func smallOrderFile(_ n: Int, codes: [String], in shop: ShopFixture) throws {
    var text =
        "order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,"
        + "financial_status,refunded,cancelled_at,test\n"
    for i in 0..<20 {
        let code = codes[i % codes.count]
        text +=
            "S\(n)-\(i),2025-06-\(10 + i % 15)T10:00:00-04:00,USD,85.00,15.00,0.00,0.00,85.00,\(code),,"
            + "buyer\(n)-\(i)@example.com,paid,0.00,,false\n"
    }
    try write(text, to: "small-\(n).csv", in: shop.dir)
}
