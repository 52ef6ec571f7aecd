import LedgerCore

// What a migration adds that its SQL cannot compute: run in its transaction, right after it. And
// reading a ledger whose schema is older (a read-only open does not migrate): the same values,
// computed instead of read.

extension Ledger {
    /// The first schema with the day and method of each payment (`payouts_paid.paid_on`, `method`),
    /// line details, payment files and reopenings (schema/0005_payout_operations.sql).
    static let payoutOperationsSchema = 5

    /// The first schema with the plan fields of terms (schema/0007_commission_plans.sql).
    static let commissionPlansSchema = 7

    /// The first schema with the tax form on file per creator (schema/0008_creator_tax_form.sql).
    static let creatorTaxFormSchema = 8

    /// The first schema with the journals written for the books (schema/0009_journal_exports.sql).
    static let journalExportsSchema = 9

    /// The first schema with the marks of payouts taken back (schema/0010_payout_unmarks.sql).
    static let payoutUnmarksSchema = 10

    /// Runs the data step of migration `version`, if it has one.
    static func migrateData(after version: Int, _ connection: Connection, path: String) throws {
        guard version == payoutOperationsSchema else { return }
        let zone = try readSettings(connection, path: path).zone
        let update = try connection.prepared(
            """
            UPDATE payouts_paid SET paid_on = ?, method = ? WHERE month = ? AND creator = ? AND paid_on IS NULL
            """)
        defer { update.reset() }
        for payment in try legacyPayments(connection, zone: zone) {
            try update.bind([
                .text(payment.paidOn.description), .text(payment.method.rawValue),
                .text(payment.month.description), .text(payment.creator)
            ])
            try update.run()
        }
    }

    /// Every payout marked paid, as the projector resolves it (`PayoutPaid.payment`): a fact of
    /// version 1 was paid on the day it was recorded, by the creator's payout method at that time.
    /// Read from the log: the creators' payout methods in log order, and the payments between them.
    /// The first mark of a payout is the one, as in `payouts_paid`. In log order.
    static func legacyPayments(_ connection: Connection, zone: Zone) throws -> [PaidPayout] {
        var methods: [String: String?] = [:]
        var payments: [PaidPayout] = []
        var marked: Set<String> = []
        let st = try connection.prepared(
            """
            SELECT type, version, payload FROM facts
            WHERE type IN ('creator.registered', 'creator.updated', 'payout.paid') ORDER BY seq
            """)
        defer { st.reset() }
        while try st.step() {  // bounded by the log
            switch try Fact.decode(type: st.text(0), version: Int(st.int(1)), payload: Array(st.text(2).utf8)) {
            case let .creatorRegistered(f): methods[f.id] = .some(f.payout?.method)
            case let .creatorUpdated(f):
                if let payout = f.payout, methods[f.id] != nil { methods[f.id] = .some(payout.method) }
            case let .payoutPaid(f):
                guard marked.insert(f.month.description + "\u{0}" + f.creator).inserted else { continue }
                payments.append(f.payment(zone: zone, creatorMethod: methods[f.creator] ?? nil))
            default: continue
            }
        }
        return payments
    }
}
