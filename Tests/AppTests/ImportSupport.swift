@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// What the import tests do with a `TemporaryLedger` (zone America/New_York, fixed clock and salt).
extension TemporaryLedger {
    @discardableResult
    func importFile(
        _ dialect: OrderDialectKind, _ path: String, asOf: String? = nil, dryRun: Bool = false, rejects: String? = nil,
        source: String? = nil, siteZone: String? = nil
    ) throws -> OrderImportSummary {
        let instant = asOf.map { parseDateOrTimestamp($0, zone: ledger.settings.zone)! }
        let request = OrderImportRequest(
            dialect: dialect, path: path, source: source, asOf: instant, dryRun: dryRun,
            rejectsPath: rejects.map(self.path), siteZone: siteZone.flatMap(Zone.init(identifier:)))
        return try OrderImporter.run(request, ledger: ledger)
    }

    /// The import's error; fails the test when the import succeeds.
    func importError(_ dialect: OrderDialectKind, _ path: String, rejects: String? = nil) -> InputIssue? {
        do {
            try importFile(dialect, path, rejects: rejects)
            Issue.record("the import succeeded")
            return nil
        } catch let issue as InputIssue {
            return issue
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    func facts() throws -> [Fact] {
        var out: [Fact] = []
        try ledger.forEachFact { out.append(try $0.decoded()) }
        return out
    }

    /// Every stored fact as type + payload, to check that a failed import left the log as it was.
    func logText() throws -> [String] {
        var out: [String] = []
        try ledger.forEachFact { out.append($0.type + " " + String(decoding: $0.payload, as: UTF8.self)) }
        return out
    }

    func changes(_ orderId: String) throws -> [OrderChanged] {
        try facts().compactMap {
            if case let .orderChanged(c) = $0, c.key.orderId == orderId { return c } else { return nil }
        }
    }

    func seen(_ orderId: String) throws -> OrderSeen? {
        try facts().lazy.compactMap {
            if case let .orderSeen(s) = $0, s.key.orderId == orderId { return s } else { return nil }
        }.first
    }

    func imports() throws -> [ImportRecorded] {
        try facts().compactMap { if case let .importRecorded(r) = $0 { return r } else { return nil } }
    }

    /// The current state and as-of of an order in the projection.
    func order(_ orderId: String, source: String = "orders") throws -> (state: OrderState, asOf: Instant)? {
        let st = try ledger.connection.prepared(
            "SELECT status, refunded_minor, cancelled_at, "
                + "cancelled_offset, as_of FROM orders WHERE source = ? AND order_id = ?")
        try st.bind([.text(source), .text(orderId)])
        defer { st.reset() }
        guard try st.step() else { return nil }
        let cancelled = st.optionalInt(2).map { Timestamp(Instant(unixSeconds: $0), offsetSeconds: Int(st.int(3))) }
        return (
            OrderState(
                status: FinancialStatus(rawValue: st.text(0))!, refundedMinor: st.int(1), cancelledAt: cancelled),
            Instant(unixSeconds: st.int(4))
        )
    }

    func orderCount() throws -> Int64 { try ledger.connection.scalarInt("SELECT count(*) FROM orders") ?? 0 }

    func expectVerified() throws {
        let report = try ledger.verify()
        #expect(report.isClean, "verify: \(report.problems)")
    }
}

func instant(_ text: String) -> Instant { Timestamp.parse(text)!.instant }

let canonicalHeader =
    "order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,"
    + "referral,email,financial_status,refunded,cancelled_at,test"

/// A canonical CSV from rows (header added).
func canonical(_ rows: String...) -> String {
    ([canonicalHeader] + rows).joined(separator: "\n") + "\n"
}
