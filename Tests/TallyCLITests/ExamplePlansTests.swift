import Foundation
import TestSupport
import Testing

/// The example shop's commission plans (examples/terms.csv) against examples/check.py's reference
/// month-end, written from ledger rules sections 5, 6 and 8 without Tally's code: every statement line
/// of the four creators on plans, July to October, must be the same in the ledger.
@Suite struct ExamplePlansTests {
    @Test(.enabled(if: python3Available, "needs python3 for examples/check.py"))
    func thePlanCreatorsStatementsEqualTheReferenceModel() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07", "2026-08", "2026-09", "2026-10"])
        let examples = packageRoot().appendingPathComponent("examples")
        let check = examples.appendingPathComponent("check.py").path
        let result = try runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", check, "--dir", examples.path, "--tally", tallyBinary().path,
                "--ledger", dir.appendingPathComponent("tally.sqlite").path
            ],
            in: dir, environment: pinnedEnvironment())
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("equal the reference model"), "\(result.stdout)")
        // The data exercises each rule: a tier passed, a lifetime order, a bonus paid and clawed back.
        #expect(
            result.stdout.contains(
                "matcha-mo shopify:7213863397061 #1236 2026-09-29: tier, position 11, 7.5%, 8.44"))
        #expect(result.stdout.contains("tea-with-tess shopify:7207087988286 #1088 2026-08-02: lifetime, 5%, 5.75"))
        #expect(result.stdout.contains("clawback bonus:2026-08 -50.00"))
    }
}
