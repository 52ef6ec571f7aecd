import Foundation
import LedgerCore
import TestSupport
import Testing
@testable import LedgerStore

// Tamper evidence: a change made behind Tally's back, with raw SQL on the ledger file, is found
// by `verify()`, which names the first bad fact or the projection table that differs. Each case
// first drops the append-only triggers where it needs to (as an attacker with the file would).

private let dropTriggers = "DROP TRIGGER facts_are_append_only_update; DROP TRIGGER facts_are_append_only_delete;"

/// A change to the ledger file, and what `verify()` must say about it.
/// A fact of the fixture, by what it is.
enum Role: Sendable {
    case creator, firstOrder, secondOrder, change, statement

    func seq(_ seqs: FixtureSeqs) -> Int64 {
        switch self {
        case .creator: return seqs.creator
        case .firstOrder: return seqs.firstOrder
        case .secondOrder: return seqs.secondOrder
        case .change: return seqs.change
        case .statement: return seqs.statement
        }
    }
}

struct Tamper: CustomStringConvertible, Sendable {
    let name: String
    /// SQL run on a separate connection; `$first`, `$second`, `$change`, `$statement`, `$closed`
    /// and `$creator` stand for the fixture's sequence numbers.
    let sql: String
    /// The fact at which the chain must be reported broken, by fixture role; nil when the chain
    /// stays intact and a projection check must catch it.
    let brokenAt: Role?
    /// Text that must appear in one of the problems.
    let mentions: String
    var description: String { name }
}

private let tampers: [Tamper] = [
    Tamper(
        name: "edit an order's total in its fact",
        sql: dropTriggers + "UPDATE facts SET payload = replace(payload, "
            + "'\"total_minor\":5000', '\"total_minor\":500000') WHERE seq = $first",
        brokenAt: .firstOrder, mentions: "(order.seen) does not match its hash"),
    Tamper(
        name: "edit a statement's payout in its fact",
        sql: dropTriggers + "UPDATE facts SET payload = replace(payload, "
            + "'\"payout_minor\":1025', '\"payout_minor\":9025') WHERE seq = $statement",
        brokenAt: .statement, mentions: "(statement.issued) does not match its hash"),
    Tamper(
        name: "redirect a creator's payout account in the fact",
        sql: dropTriggers + "UPDATE facts SET payload = replace(payload, "
            + "'DE89370400440532013000', 'GB29NWBK60161331926819') WHERE seq = $creator",
        brokenAt: .creator, mentions: "(creator.registered) does not match its hash"),
    Tamper(
        name: "delete a fact in the middle",
        sql: dropTriggers + "DELETE FROM facts WHERE seq = $change",
        brokenAt: .change, mentions: "is missing: the log jumps"),
    Tamper(
        name: "swap two facts' payloads",
        sql: dropTriggers + """
            UPDATE facts SET payload = CASE seq WHEN $first THEN (SELECT payload FROM facts WHERE seq = $second)
                                                ELSE (SELECT payload FROM facts WHERE seq = $first) END
            WHERE seq IN ($first, $second)
            """,
        brokenAt: .firstOrder, mentions: "does not match its hash"),
    Tamper(
        name: "backdate a fact's effective time",
        sql: dropTriggers + "UPDATE facts SET effective_at = effective_at - 86400 WHERE seq = $change",
        brokenAt: .change, mentions: "(order.changed) does not match its hash"),
    Tamper(
        name: "change a fact's type",
        sql: dropTriggers + "UPDATE facts SET type = 'order.changed' WHERE seq = $second",
        brokenAt: .secondOrder, mentions: "does not match its hash"),
    Tamper(
        name: "overwrite a stored hash",
        sql: dropTriggers + "UPDATE facts SET hash = zeroblob(32) WHERE seq = $statement",
        brokenAt: .statement, mentions: "does not match its hash"),
    Tamper(
        name: "delete the last fact (its projection rows stay)",
        sql: dropTriggers + "DELETE FROM facts WHERE seq = $closed",
        brokenAt: nil, mentions: "projection closed_months differs"),
    Tamper(
        name: "edit an order row",
        sql: "UPDATE orders SET total_minor = 50000 WHERE order_id = '1001'",
        brokenAt: nil, mentions: "projection orders differs"),
    Tamper(
        name: "add an order row",
        sql: """
            INSERT INTO orders SELECT source, '9999', name, created_at, created_offset, currency, subtotal_minor,
              discount_minor, shipping_minor, taxes_minor, total_minor, codes, referral, email_hash, seen_status,
              seen_refunded_minor, seen_cancelled_at, seen_cancelled_offset, status, refunded_minor, cancelled_at,
              cancelled_offset, test, as_of, seen_seq
            FROM orders WHERE order_id = '1001'
            """,
        brokenAt: nil, mentions: "projection orders differs"),
    Tamper(
        name: "undo a refund in the order_changes rows",
        sql: "DELETE FROM order_changes",
        brokenAt: nil, mentions: "projection order_changes differs"),
    Tamper(
        name: "redirect a creator's payout account in the creators row",
        sql: "UPDATE creators SET payout_account = 'GB29NWBK60161331926819' WHERE id = 'ana'",
        brokenAt: nil, mentions: "projection creators differs"),
    Tamper(
        name: "raise a frozen statement's payout",
        sql: "UPDATE statements SET payout_minor = 9025, balance_minor = 9025",
        brokenAt: nil, mentions: "projection statements differs"),
    Tamper(
        name: "edit a statement line",
        sql: "UPDATE statement_lines SET amount_minor = 0 WHERE kind = 'clawback'",
        brokenAt: nil, mentions: "projection statement_lines differs"),
    Tamper(
        name: "reopen a closed month",
        sql: "DELETE FROM closed_months",
        brokenAt: nil, mentions: "projection closed_months differs"),
    Tamper(
        name: "change a commission rate",
        sql: "UPDATE terms SET commission_ppm = 500000",
        brokenAt: nil, mentions: "projection terms differs"),
    Tamper(
        name: "move a code to another creator",
        sql: "UPDATE code_assignments SET creator = 'mallory'",
        brokenAt: nil, mentions: "projection code_assignments differs"),
    Tamper(
        name: "drop the append-only triggers (no data changed)",
        sql: dropTriggers,
        brokenAt: nil, mentions: "append-only trigger")
]

func substitute(_ sql: String, _ seqs: FixtureSeqs) -> String {
    [
        ("$first", seqs.firstOrder), ("$second", seqs.secondOrder), ("$change", seqs.change),
        ("$statement", seqs.statement),
        ("$closed", seqs.monthClosed), ("$creator", seqs.creator)
    ]
    .reduce(sql) { $0.replacingOccurrences(of: $1.0, with: String($1.1)) }
}

@Suite("tamper evidence: verify finds raw-SQL changes")
struct TamperEvidenceTests {
    @Test func untouchedLedgerVerifies() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let (ledger, seqs) = try fixtureLedger(at: dir.appendingPathComponent("t.sqlite").path)
        let report = try ledger.verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.factsChecked == seqs.monthClosed)
    }

    @Test(arguments: tampers)
    func tamperingIsFound(_ tamper: Tamper) throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.sqlite").path
        let seqs = try fixtureLedger(at: path).1
        try Connection(path: path).execute(substitute(tamper.sql, seqs))
        let report = try Ledger.open(path: path, readOnly: true).verify()
        #expect(!report.isClean, "\(tamper) went unnoticed")
        #expect(report.problems.contains { $0.contains(tamper.mentions) }, "\(tamper): \(report.problems)")
        if let role = tamper.brokenAt {
            #expect(report.firstBadSeq == role.seq(seqs), "\(tamper): \(report.problems)")
            #expect(report.problems.contains { $0.contains("fact \(role.seq(seqs))") }, "\(tamper): \(report.problems)")
        } else {
            #expect(report.firstBadSeq == nil, "\(tamper): the chain itself was not touched")
        }
    }

    /// The triggers stop an accidental UPDATE or DELETE of a fact (a slip in a SQL console).
    @Test func factsRefuseUpdateAndDeleteWhileTheTriggersStand() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.sqlite").path
        let seqs = try fixtureLedger(at: path).1
        let raw = try Connection(path: path)
        for sql in [
            "UPDATE facts SET payload = '{}' WHERE seq = \(seqs.firstOrder)",
            "DELETE FROM facts WHERE seq = \(seqs.firstOrder)"
        ] {
            let error = #expect(throws: SQLiteError.self) { try raw.execute(sql) }
            #expect(error?.message.contains("facts are append-only") == true)
        }
        #expect(try Ledger.open(path: path, readOnly: true).verify().isClean)
    }
}
