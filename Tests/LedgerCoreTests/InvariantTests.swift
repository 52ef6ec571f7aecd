import LedgerCore
import Testing

/// Section 6's identities are asserted in the close: figures that break one are a bug and trap
/// (exit tests run the failing case in a child process).
@Suite("close invariants")
struct InvariantTests {
    static let lines = [
        StatementLine(
            kind: .commission, ref: "shopify:1", date: CivilDate(year: 2026, month: 9, day: 1)!, amountMinor: 1_200),
        StatementLine(
            kind: .clawback, ref: "shopify:2", date: CivilDate(year: 2026, month: 9, day: 2)!, amountMinor: -200),
        StatementLine(kind: .fee, ref: "P1", date: CivilDate(year: 2026, month: 9, day: 3)!, amountMinor: 500),
        StatementLine(kind: .adjustment, ref: "A1", date: CivilDate(year: 2026, month: 9, day: 4)!, amountMinor: -50)
    ]

    /// carried_in 100 + 1,200 - 200 + 500 - 50 = 1,550, paid out in full.
    static func consistent() -> PayoutFigures {
        PayoutFigures(
            carriedInMinor: 100, commissionsMinor: 1_200, clawbacksMinor: 200, feesMinor: 500, adjustmentsMinor: -50,
            balanceMinor: 1_550, payoutMinor: 1_550, carriedOutMinor: 0)
    }

    @Test func consistentFiguresPass() {
        Self.consistent().assertConsistent(minPayoutMinor: 1_000, lines: Self.lines)
        var below = Self.consistent()
        (below.payoutMinor, below.carriedOutMinor) = (0, 1_550)  // under the minimum: carried forward
        below.assertConsistent(minPayoutMinor: 5_000, lines: Self.lines)
    }

    @Test func aBalanceThatIsNotTheSumTraps() async {
        await #expect(processExitsWith: .failure) {
            var f = InvariantTests.consistent()
            f.balanceMinor += 1
            f.payoutMinor += 1
            f.assertConsistent(minPayoutMinor: 0, lines: InvariantTests.lines)
        }
    }

    @Test func aNegativePayoutTraps() async {
        await #expect(processExitsWith: .failure) {
            var f = InvariantTests.consistent()
            (f.payoutMinor, f.carriedOutMinor) = (-1, 1_551)
            f.assertConsistent(minPayoutMinor: 0, lines: InvariantTests.lines)
        }
    }

    @Test func carriedOutOtherThanBalanceLessPayoutTraps() async {
        await #expect(processExitsWith: .failure) {
            var f = InvariantTests.consistent()
            f.carriedOutMinor = 1
            f.assertConsistent(minPayoutMinor: 0, lines: InvariantTests.lines)
        }
    }

    @Test func aPartialPayoutTraps() async {
        await #expect(processExitsWith: .failure) {
            var f = InvariantTests.consistent()
            (f.payoutMinor, f.carriedOutMinor) = (1_000, 550)
            f.assertConsistent(minPayoutMinor: 0, lines: InvariantTests.lines)
        }
    }

    @Test func figuresThatAreNotTheirLinesSumsTrap() async {
        await #expect(processExitsWith: .failure) {
            InvariantTests.consistent().assertConsistent(
                minPayoutMinor: 0, lines: Array(InvariantTests.lines.dropFirst()))
        }
    }
}
