@testable import App
import LedgerCore
import LedgerStore
@testable import OrderImport
import TestSupport
import Testing

/// The import's fast paths must decide exactly as the long ways do.
@Suite("import fast paths")
struct FastPathTests {
    func strict(_ ids: [String]) -> Bool {
        var m = MonotoneIds()
        for id in ids { Array(id.utf8).withUnsafeBufferPointer { m.add($0) } }
        return m.strict
    }

    @Test func monotoneIdsProveDistinctness() {
        #expect(strict([]))
        #expect(strict(["7"]))
        #expect(strict(["103", "102", "101"]))
        #expect(strict(["101", "102", "103"]))
        #expect(strict(["9", "10"]) == true)  // byte order: "9" > "10", still strictly one way
        #expect(!strict(["103", "102", "102"]))  // a repeat
        #expect(!strict(["103", "101", "102"]))  // turns around: a repeat could hide here
        #expect(!strict(["1", "2", "1"]))
        #expect(!strict(["12", "12"]))
        #expect(!strict(["b", "a\u{A0}"]))  // non-ASCII: pass 2 trims more than bytes show
    }

    /// Orders newest first (the Shopify way) import without the duplicate check; a repeat among
    /// them is still refused at its line.
    @Test func descendingIdsImportAndARepeatIsStillRefused() throws {
        let t = try TemporaryLedger()
        let good = shopify(shopifyOrder("#3", id: "13"), shopifyOrder("#2", id: "12"), shopifyOrder("#1", id: "11"))
        let summary = try t.importFile(.shopify, try t.write(good, "good.csv"))
        #expect(summary.counts.new == 3)
        let bad = shopify(shopifyOrder("#6", id: "16"), shopifyOrder("#5", id: "15"), shopifyOrder("#6", id: "16"))
        let issue = try #require(t.importError(.shopify, try t.write(bad, "bad.csv")))
        #expect(issue.line == 4 && issue.column == 18 && issue.expected.contains("already appeared at line 2"))
    }

    @Test func emailHashFastPathEqualsTheLongWay() throws {
        let t = try TemporaryLedger()
        for email in [
            "ann@example.com", "  Ann@Example.COM\t", "", "   ", "ZOË@example.com", "\u{A0}bob@example.org", "a@b",
            String(repeating: "Long.Name", count: 500) + "@Example.com"  // past a scratch buffer on the stack
        ] {
            #expect(try t.ledger.emailHash(email) == Ledger.emailHash(email, salt: t.key.emailSalt), "\(email)")
        }
        #expect(try t.ledger.emailHash(" ANN@example.com ") == t.ledger.emailHash("ann@example.com"))
    }

    /// The one-read check compares an address with a stored hash without building the hash's string.
    @Test func emailHashMatchingEqualsComparingTheStrings() throws {
        let t = try TemporaryLedger()
        let hasher = try t.ledger.emailHasher()
        let addresses = [
            "ann@example.com", "  Ann@Example.COM\t", "ZOË@example.com", "\u{A0}bob@example.org", "a@b", "", "  "
        ]
        for email in addresses {
            for stored in addresses.compactMap(hasher.hash) + [String(repeating: "0", count: 64), "abc"] {
                let matches = Array(stored.utf8).withUnsafeBytes { hasher.matches(email, hex: $0) }
                #expect(matches == (hasher.hash(email) == stored), "\(email) vs \(stored)")
            }
        }
        #expect(!Array("x".utf8).withUnsafeBytes { hasher.matches(nil, hex: $0) })
    }
}
