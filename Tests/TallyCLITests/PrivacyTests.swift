import Foundation
import LedgerStore
import TestSupport
import Testing

// Private data: customer and creator e-mails only as salted hashes, payout accounts only where a
// payment file needs them. Checked on the bytes of the ledger file after the whole examples
// walkthrough, on what the commands print, and on error messages.

/// Every e-mail address in the example files (any field with text@text), lower-cased.
func exampleEmails() throws -> Set<String> {
    let examples = packageRoot().appendingPathComponent("examples")
    var emails = Set<String>()
    let files = FileManager.default.enumerator(at: examples, includingPropertiesForKeys: nil)!
        .compactMap { $0 as? URL }.filter { $0.pathExtension == "csv" }
    for file in files {
        let text = try String(contentsOf: file, encoding: .utf8)
        // An address, not a URL with an @handle in it.
        for field in text.split(whereSeparator: { ",\n\r\"".contains($0) }) where looksLikeAddress(field) {
            emails.insert(field.trimmingCharacters(in: .whitespaces).lowercased())
        }
    }
    return emails
}

func looksLikeAddress(_ field: Substring) -> Bool {
    let parts = field.split(separator: "@", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !field.contains("/")
        && !field.contains(" ")
}

/// The payout accounts of examples/creators.csv.
func exampleAccounts() throws -> [String] {
    let text = try String(contentsOf: packageRoot().appendingPathComponent("examples/creators.csv"), encoding: .utf8)
    let rows = text.split(separator: "\n").map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    let column = try #require(rows.first?.firstIndex(of: "payout_account"))
    return rows.dropFirst().compactMap { $0.count > column && !$0[column].isEmpty ? $0[column] : nil }
}

/// The ledger file and its -wal/-shm, as one lower-cased byte string.
func ledgerBytes(in dir: URL) throws -> String {
    var text = ""
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasPrefix("tally.sqlite") {
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        text += String(decoding: data, as: UTF8.self).lowercased()
    }
    return text
}

@Suite("private data")
struct PrivacyTests {
    @Test func walkthroughLedgerAndOutputHoldNoEmailOrAccount() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try examplesLedger(in: dir, closing: ["2026-07", "2026-08", "2026-09"])
        let emails = try exampleEmails()
        let accounts = try exampleAccounts()
        try #require(emails.count > 50, "the examples should hold customer and creator e-mails (\(emails.count) found)")
        try #require(accounts.count >= 3)

        let bytes = try ledgerBytes(in: dir)
        try #require(bytes.count > 100_000)
        #expect(emails.filter { bytes.contains($0) }.sorted() == [], "e-mails in clear in the ledger file")
        #expect(
            accounts.filter { bytes.contains($0.lowercased()) } == [], "payout accounts in clear in the ledger file")

        // What the commands print: the log in both formats and the reports.
        let commands: [[String]] = [
            ["log"], ["log", "--format", "json"], ["payout", "show", "--month", "2026-09", "--format", "csv"],
            ["payout", "preview", "--month", "2026-10", "--format", "json"],
            ["statement", "anna-bakes", "--month", "2026-09"],
            ["explain", "576461587257114833"], ["codes", "unknown"],
            ["roi", "--from", "2026-07-01", "--to", "2026-10-31", "--by", "creator"],
            ["verify"]
        ]
        for command in commands {
            let result = try runTally(command, in: dir)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            let printed = (result.stdout + result.stderr).lowercased()
            #expect(emails.filter { printed.contains($0) }.sorted() == [], "\(command) printed e-mails")
            #expect(accounts.filter { printed.contains($0.lowercased()) } == [], "\(command) printed payout accounts")
        }

        // The e-mails are kept as salted hashes, not dropped: the canonical export's first order.
        let ledger = try Ledger.open(path: dir.appendingPathComponent("tally.sqlite").path, readOnly: true)
        ledger.keySource = KeyFile.source(
            option: nil, ledgerId: try #require(ledger.ledgerId),
            environment: keyEnvironment())
        let stored = try dumpRows(ledger.path, "SELECT email_hash FROM orders WHERE order_id = '576461587257114833'")
        let hashed = try ledger.emailHash("Sophia.Fraser63@example.org ")
        let hash = try #require(hashed)
        #expect(stored == ["text(\"\(hash)\")"])
        #expect(hash != Ledger.emailHash("sophia.fraser63@example.org", salt: "another ledger"))

        // The payment file is the one place an account appears.
        let export = try runTally(
            ["payout", "export", "--month", "2026-07", "--to", "paypal", "--output", "paypal.csv"], in: dir)
        #expect(export.status == 0, "\(export.stderr)")
        let paymentFile = try String(contentsOf: dir.appendingPathComponent("paypal.csv"), encoding: .utf8).lowercased()
        #expect(
            accounts.contains { paymentFile.contains($0.lowercased()) }, "the PayPal file needs the PayPal accounts")
    }

    /// A malformed e-mail, an e-mail shifted into another column by a stray comma, and an IBAN in
    /// the wrong column: the error names the place, and shows at most the last 4 characters.
    @Test func errorMessagesNeverPrintAnEmailOrAnAccount() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD"], in: dir).status == 0)
        try write(
            """
            id,name,email,payout_method,payout_account
            q1,Quinn,quinn at example.com,paypal,quinn@example.com
            q2,Rae,rae@example.com,GB29NWBK60161331926819,
            q3,Sam,sam@example.com,bank,

            """, to: "creators.csv", in: dir)
        let creators = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(creators.status == 1)
        #expect(
            creators.stderr.contains("creators.csv:2:3: found '****.com', expected an e-mail address"),
            "\(creators.stderr)")
        #expect(creators.stderr.contains("creators.csv:3:4: found '****6819'"), "\(creators.stderr)")
        for secret in ["quinn at example", "quinn@example", "rae@example", "gb29nwbk", "60161331926819"] {
            #expect(!creators.stderr.lowercased().contains(secret), "\(secret) in \(creators.stderr)")
        }
        try write(
            """
            order_id,created_at,currency,subtotal,discount,shipping,taxes,total,\
            codes,referral,email,financial_status,refunded,cancelled_at,test
            X1,2026-09-20T10:00:00-04:00,USD,85.00,15.00,0.00,0.00,85.00,ANNA15,,,buyer.one@example.com,0.00,,false

            """, to: "orders.csv", in: dir)
        let orders = try runTally(["import", "orders", "orders.csv"], in: dir)
        #expect(orders.status == 1)
        #expect(orders.stderr.contains("orders.csv:2:12: found '****.com'"), "\(orders.stderr)")
        #expect(!orders.stderr.contains("buyer.one"), "\(orders.stderr)")
    }
}
