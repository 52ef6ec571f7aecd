@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// `--skip-invalid FILE` replaces only a rejects file tally wrote, an empty file or no file: a mistyped
/// name must not turn a backup, a key file or a payment file into rejected rows (docs/importing.md).
@Suite("import: the rejects file replaces only its own kind")
struct RejectsFileTests {
    let good = "A1,2026-09-02T10:00:00-04:00,USD,40.00,0.00,0.00,0.00,40.00,,,,paid,,,false"
    let bad = "B1,2026-09-03T10:00:00-04:00,USD,\"12,50\",0.00,0.00,0.00,12.50,,,,paid,,,false"

    func run(_ t: TemporaryLedger, _ rejects: String, force: Bool = false, source: String) throws
        -> OrderImportSummary
    {
        var request = OrderImportRequest(
            dialect: .orders, path: try t.write(canonical(good, bad, "C-\(source)" + good.dropFirst(2)), "orders.csv"),
            source: source,
            rejectsPath: t.path(rejects))
        request.replaceRejects = force
        return try LedgerSession(t.ledger).importOrders(request)
    }

    @Test func anExistingFileThatIsNoRejectsFileIsRefusedUnlessForce() throws {
        let t = try TemporaryLedger()
        let others: [(name: String, bytes: [UInt8], said: String)] = [
            (
                "backup.sqlite", Array("SQLite format 3\u{0}".utf8) + [UInt8](repeating: 0, count: 100),
                "(it is a SQLite database: a tally ledger, or a backup of one?)"
            ),
            (
                "copy.key", Array("# The key of a tally ledger\ntally-key: 1\nledger-id: x\n".utf8),
                "(it is a tally key file)"
            ),
            ("paypal.csv", Array("email,amount,currency\nanna@example.com,10.00,USD\n".utf8), "exists")
        ]
        for other in others {
            try Data(other.bytes).write(to: URL(fileURLWithPath: t.path(other.name)))
            let before = t.ledger.lastSeq
            #expect {
                try run(t, other.name, source: "a")
            } throws: { error in
                let text = "\(error)"
                return text.contains(
                    "\(t.path(other.name)) exists and is not a rejects file tally wrote")
                    && text.contains(other.said) && text.contains("--force to replace it")
            }
            #expect(t.ledger.lastSeq == before, "nothing imported")
            #expect(try Array(Data(contentsOf: URL(fileURLWithPath: t.path(other.name)))) == other.bytes)
        }
        // A rejects file tally wrote, an empty file, or --force: replaced.
        let first = try run(t, "rejects.csv", source: "b")
        #expect(first.counts.rejected == 1)
        #expect(try run(t, "rejects.csv", source: "c").counts.rejected == 1)
        try Data().write(to: URL(fileURLWithPath: t.path("empty.csv")))
        #expect(try run(t, "empty.csv", source: "d").counts.rejected == 1)
        #expect(try run(t, "paypal.csv", force: true, source: "e").counts.rejected == 1)
        let replaced = try String(contentsOfFile: t.path("paypal.csv"), encoding: .utf8)
        #expect(replaced.hasPrefix(canonicalHeader + ",reject_reason\n"), "\(replaced)")
        // The ledger itself never, --force or not.
        #expect(throws: UserError.self) { try run(t, "ledger.sqlite", force: true, source: "f") }
        #expect(RejectsWriter.isRejectsHeader("a,b,reject_reason\r") && !RejectsWriter.isRejectsHeader("a,b"))
    }
}
