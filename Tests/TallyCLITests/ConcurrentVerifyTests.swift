import Foundation
import LedgerStore
import TestSupport
import Testing

// `verify` while small imports commit one after another, in real processes: it checks one state of
// the ledger (one read transaction for the chain and every projection), so it never reports a
// difference that is not there. Before the fix, it read the log first and the projections later,
// and reported "projection orders differs from a rebuild from the log" for the orders imported in
// between.

@Suite("verify while imports commit")
struct ConcurrentVerifyTests {
    @Test(.enabled(if: python3Available, "needs python3 for benchmarks/generate.py"))
    func verifyNeverCriesWolfWhileImportsCommit() throws {
        let shop = try ShopFixture(orders: 2_000); defer { shop.remove() }
        let files = fullReliabilityRuns ? 60 : 12
        let codes = try String(contentsOfFile: shop.path("shop/codes.csv"), encoding: .utf8).split(separator: "\n")
            .dropFirst().prefix(5).map { String($0.prefix { $0 != "," }) }
        for n in 0..<files { try smallOrderFile(n, codes: codes, in: shop) }
        // One process imports the files one after another (each its own transaction) ...
        let loop = "for n in $(seq 0 \(files - 1)); do "
            + "\"$0\" import orders small-$n.csv --ledger closed.sqlite --quiet || exit 1; done"
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/bash")
        writer.arguments = ["-c", loop, tallyBinary().path]
        writer.currentDirectoryURL = shop.dir
        writer.environment = pinnedEnvironment()
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()
        // ... while `verify` runs again and again.
        var verifies = 0, overlapping = 0
        while writer.isRunning && verifies < 200 {  // bounded: the writer ends after `files` imports
            let factsBefore = try factCount(shop.path("closed.sqlite"))
            let verify = try shop.run(["verify"], on: "closed.sqlite")
            let factsAfter = try factCount(shop.path("closed.sqlite"))
            verifies += 1
            if factsAfter > factsBefore { overlapping += 1 }
            #expect(verify.status == 0 && verify.stdout.hasPrefix("OK:"), "verify \(verifies): \(verify.stderr)")
            // The head it reports is a state the ledger really was in during the verify.
            let seq = Int64(lastLine(verify.stdout).split(separator: " ").dropFirst().first ?? "") ?? -1
            #expect(seq >= factsBefore && seq <= factsAfter, "head \(seq) outside \(factsBefore)...\(factsAfter)")
        }
        writer.waitUntilExit()
        print("verify while imports commit: \(verifies) verifies, \(overlapping) of them while an import committed")
        #expect(writer.terminationStatus == 0, "an import failed")
        // Without commits during the verifies, this test would prove nothing.
        #expect(overlapping >= 2, "only \(overlapping) of \(verifies) verifies ran while an import committed")
        #expect(try factCount(shop.path("closed.sqlite"), type: "import.recorded") == Int64(files) + 1)
        #expect(try shop.verifiedHead("closed.sqlite").hasPrefix("head: "))
    }
}

/// small-N.csv: 20 new orders in the canonical format, with the shop's codes.
private func smallOrderFile(_ n: Int, codes: [String], in shop: ShopFixture) throws {
    var text = "order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,"
        + "financial_status,refunded,cancelled_at,test\n"
    for i in 0..<20 {
        let code = codes[i % codes.count]
        text += "S\(n)-\(i),2025-06-\(10 + i % 15)T10:00:00-04:00,USD,85.00,15.00,0.00,0.00,85.00,\(code),,"
            + "buyer\(n)-\(i)@example.com,paid,0.00,,false\n"
    }
    try write(text, to: "small-\(n).csv", in: shop.dir)
}
