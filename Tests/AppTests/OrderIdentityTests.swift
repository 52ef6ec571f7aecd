@testable import App
import Foundation
import LedgerCore
@testable import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// One shop's orders keyed by `Id` in one export and by `Name` in another (an export without an `Id`
/// column) would be two orders each, and paid twice: such a file is refused (docs/importing.md, "Identity").
@Suite struct OrderIdentityTests {
    /// The same orders as `shopify(...)` writes them, without the `Id` column (the last one).
    func withoutId(_ rows: String...) -> String {
        let header = String(shopifyHeader.dropLast(",Id".count))
        return ([header] + rows.map { String($0[..<$0.lastIndex(of: ",")!]) }).joined(separator: "\n") + "\n"
    }

    @Test func aFileWithoutIdAfterIdKeyedExportsOfTheSourceIsRefusedAndWritesNothing() throws {
        let t = try TemporaryLedger()
        try t.importFile(.shopify, try t.write(shopify(shopifyOrder("#1021", id: "7204051713510")), "with-id.csv"))
        let before = try t.logText()
        let noId = try t.write(withoutId(shopifyOrder("#1021", id: "x"), shopifyOrder("#1022", id: "y")), "no-id.csv")
        let issue = try #require(t.importError(.shopify, noId))
        let text = issue.description
        #expect(text.hasPrefix(t.path("no-id.csv") + ":2:1: found '#1021'"), "\(text)")
        #expect(text.contains("'Id' column") && text.contains("(column 'Name')"), "\(text)")
        #expect(text.contains("--source"), "\(text)")
        #expect(try t.logText() == before)
        // A dry run says the same.
        #expect(throws: InputIssue.self) { try t.importFile(.shopify, t.path("no-id.csv"), dryRun: true) }
        // Under its own source (a separate shop) it is imported.
        let other = try t.importFile(.shopify, t.path("no-id.csv"), source: "shopify-old")
        #expect(other.counts.new == 2)
    }

    @Test func anIdKeyedFileAfterNameKeyedExportsOfTheSourceIsRefused() throws {
        let t = try TemporaryLedger()
        try t.importFile(.shopify, try t.write(withoutId(shopifyOrder("#1021", id: "x")), "no-id.csv"))
        let before = try t.logText()
        let withId = try t.write(shopify(shopifyOrder("#1021", id: "7204051713510")), "with-id.csv")
        let issue = try #require(t.importError(.shopify, withId))
        #expect(issue.description.contains("found '7204051713510'"), "\(issue)")
        #expect(issue.description.contains("(column 'Id')"), "\(issue)")
        #expect(try t.logText() == before)
    }

    @Test func exportsKeyedLikeTheSourceAreImportedAsBefore() throws {
        let t = try TemporaryLedger()
        try t.importFile(.shopify, try t.write(withoutId(shopifyOrder("#1", id: "x")), "a.csv"))
        let both = try t.write(withoutId(shopifyOrder("#1", id: "x"), shopifyOrder("#2", id: "x")), "b.csv")
        let second = try t.importFile(.shopify, both)
        #expect(second.counts.new == 1)
        try t.importFile(.shopify, try t.write(shopify(shopifyOrder("#1", id: "11")), "c.csv"), source: "eu")
        let more = try t.write(shopify(shopifyOrder("#1", id: "11"), shopifyOrder("#2", id: "12")), "d.csv")
        let third = try t.importFile(.shopify, more, source: "eu")
        #expect(third.counts.new == 1)
    }

    @Test func theRuleIsThatAStoredWayOtherThanTheFilesRefuses() {
        #expect(OrderIdentity.of(orderId: "#1021", name: "#1021") == .name)
        #expect(OrderIdentity.of(orderId: "7204051713510", name: "#1021") == .id)
        #expect(OrderIdentity.of(orderId: "7204051713510", name: nil) == .id)
        #expect(OrderIdentity.conflicts(file: .name, stored: [.id]))
        #expect(OrderIdentity.conflicts(file: .id, stored: [.name]))
        #expect(!OrderIdentity.conflicts(file: .name, stored: []))
        #expect(!OrderIdentity.conflicts(file: .id, stored: [.id]))
        #expect(!OrderIdentity.conflicts(file: .name, stored: [.id, .name]))
    }
}
