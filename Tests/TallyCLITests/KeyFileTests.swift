import Crypto
import Foundation
import LedgerCore
import LedgerStore
import TestSupport
import Testing

// Issue 19: the key (the e-mail salt and the payout-account key) lives in a key file apart from the
// ledger, and every file tally writes is its owner's only. A ledger copied alone serves every
// command that needs no key and reveals no address or account; the commands that need the key say
// so; a ledger made before key files moves its key out and its old bytes are overwritten.
// docs/security.md says what each test stands for.

/// A home of the test's own (`HOME`, `XDG_CONFIG_HOME`), with no key in it: where `tally` on
/// another machine, or the auditor's, looks for keys.
func separateHome(in dir: URL, _ name: String = "home") throws -> [String: String] {
    let home = dir.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    return keyEnvironment(home: home)
}

/// The warning and error lines of what a command printed on standard error (notes about the
/// figures, which other commands add, are not this suite's business).
func warnings(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").map(String.init)
        .filter { $0.hasPrefix("tally: warning:") || $0.hasPrefix("tally: error:") }
}

/// The permission bits of a file, nil when there is none.
func permissions(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
}

func octal(_ mode: Int?) -> String { mode.map { "0" + String($0, radix: 8) } ?? "absent" }

/// Where tally looks for the key of the ledger at `ledgerPath` in `environment` (no TALLY_KEY_FILE).
func defaultKeyPath(of ledgerPath: String, environment: [String: String]) throws -> String {
    let ledger = try Ledger.open(path: ledgerPath, readOnly: true)
    guard
        case let .file(path) = KeyFile.source(
            option: nil, ledgerId: try #require(ledger.ledgerId),
            environment: environment)
    else {
        Issue.record("no key folder in \(environment)")
        return ""
    }
    return path
}

/// The bytes of a file (or nothing), lower-cased as text: hex and base64 compare without case.
func lowercasedBytes(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self).lowercased()
}

@Suite("key files and owner-only files")
struct KeyFileTests {
    /// Item 3: under umask 022 (where a plain file comes out 0644) the ledger, its -wal, -shm and
    /// -journal, the key file and its folders, backups, payment files, rejects files and exported
    /// keys are all 0600 (folders 0700).
    @Test func everyFileTallyWritesIsOwnerOnlyUnderUmask022() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let home = try separateHome(in: dir)
        // The control: under this umask a file made without care is readable by everyone.
        let control = try runProcess(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "umask 022 && touch control"], in: dir,
            environment: pinnedEnvironment())
        try #require(control.status == 0 && permissions(dir.appendingPathComponent("control").path) == 0o644)

        func tally(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
            let result = try runTally(arguments, in: dir, environment: home.merging(environment) { $1 }, umask: "022")
            #expect(result.status == 0, "tally \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        let examples = examplesDirectory().path
        _ = try tally(["init", "--currency", "USD", "--timezone", "America/New_York"])
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        let keyPath = try defaultKeyPath(of: ledger, environment: home)
        for kind in ["creators", "codes", "terms"] { _ = try tally(["import", kind, "\(examples)/\(kind).csv"]) }
        try write(
            """
            order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,\
            financial_status,refunded,cancelled_at,test
            R1,2026-07-20T10:00:00-04:00,USD,85.00,15.00,0.00,0.00,85.00,ANNA15,,reject.me@example.com,paid,0.00,,maybe
            R2,2026-07-20T11:00:00-04:00,USD,20.00,0.00,0.00,0.00,20.00,,,,paid,0.00,,false

            """, to: "bad-orders.csv", in: dir)
        // One order valid: with every order rejected the import is an error (nothing recorded).
        _ = try tally(["import", "orders", "bad-orders.csv", "--skip-invalid", "rejects.csv"])
        _ = try tally(["import", "shopify", "\(examples)/shopify/orders_export_2026-07-01_2026-08-31.csv"])
        _ = try tally(["payout", "close", "--month", "2026-07"])
        _ = try tally(["payout", "export", "--month", "2026-07", "--to", "paypal", "--output", "paypal.csv"])
        _ = try tally(["backup", "backup.sqlite"])
        _ = try tally(["key", "export", "key-copy.key"])

        var expected: [String: Int] = [ledger: 0o600, keyPath: 0o600]
        for name in ["rejects.csv", "paypal.csv", "backup.sqlite", "key-copy.key"] {
            expected[dir.appendingPathComponent(name).path] = 0o600
        }
        // The key's folders that tally made (the home existed): ~/.config, tally, keys.
        var folder = URL(fileURLWithPath: keyPath).deletingLastPathComponent()
        for _ in 0..<3 {
            expected[folder.path] = 0o700
            folder = folder.deletingLastPathComponent()
        }
        for (path, mode) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(permissions(path) == mode, "\(path): \(octal(permissions(path)))")
        }

        // The files SQLite keeps beside the ledger exist while a command writes: met there.
        let wal = try PausedTally(
            ["adjust", "anna-bakes", "--date", "2026-08-03", "--amount", "1.00", "--reason", "x"],
            at: "before-commit", in: dir, name: "wal", environment: home, umask: "022")
        try #require(wal.reachedPause(), "\(wal.run.stderrSoFar)")
        for suffix in ["-wal", "-shm"] {
            #expect(permissions(ledger + suffix) == 0o600, "\(suffix): \(octal(permissions(ledger + suffix)))")
        }
        #expect(try wal.release().status == 0)
        let later = "\(examples)/shopify/orders_export_2026-08-15_2026-10-31.csv"
        let journal = try PausedTally(
            ["import", "shopify", later], at: "before-commit", in: dir, name: "journal",
            environment: home.merging(bigWrites) { $1 }, umask: "022")
        try #require(journal.reachedPause(), "\(journal.run.stderrSoFar)")
        #expect(permissions(ledger + "-journal") == 0o600, "-journal: \(octal(permissions(ledger + "-journal")))")
        #expect(try journal.release().status == 0)
    }

    /// Item 3: a ledger other users can read gets a one-line warning, with the chmod to run, from a
    /// command that writes; it is not an error, and a command that only reads does not repeat it.
    @Test func aLedgerOthersCanReadIsWarnedAboutByWritingCommands() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let home = try separateHome(in: dir)
        #expect(try runTally(["init", "--currency", "USD"], in: dir, environment: home).status == 0)
        let ledger = dir.appendingPathComponent("tally.sqlite").path
        try #require(chmod(ledger, 0o644) == 0)

        let write = try runTally(["creator", "add", "zoe", "--name", "Zoe"], in: dir, environment: home)
        #expect(write.status == 0, "\(write.stderr)")
        // One line; the files it names are those of the four that exist (SQLite's -wal and -shm
        // take the ledger's mode when made).
        let warning =
            "tally: warning: the ledger tally.sqlite can be read by other users "
            + "(tally.sqlite has mode 0644): run 'chmod go-rwx tally.sqlite"
        #expect(write.stderr.hasPrefix(warning) && write.stderr.hasSuffix("'\n"), "\(write.stderr)")
        #expect(write.stderr.split(separator: "\n").count == 1, "\(write.stderr)")
        let read = try runTally(["creator", "list"], in: dir, environment: home)
        #expect(read.status == 0 && read.stderr.isEmpty, "\(read.stderr)")

        // The chmod it gives is the cure: run as it says, no warning any more.
        let command = String(try #require(write.stderr.split(separator: "'").dropFirst().first))
        let cure = try runProcess(
            URL(fileURLWithPath: "/bin/sh"), ["-c", command], in: dir,
            environment: pinnedEnvironment())
        #expect(cure.status == 0, "\(command): \(cure.stderr)")
        let again = try runTally(["creator", "add", "yan", "--name", "Yan"], in: dir, environment: home)
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
        #expect(permissions(ledger) == 0o600)

        // A key file others can read: every command says so, reading ones too.
        let keyPath = try defaultKeyPath(of: ledger, environment: home)
        try #require(chmod(keyPath, 0o644) == 0)
        let listing = try runTally(["creator", "list"], in: dir, environment: home)
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(
            listing.stderr == "tally: warning: the key file \(keyPath) of the ledger tally.sqlite can be read by "
                + "other users (mode 0644): run 'chmod go-rwx \(keyPath)'\n")
    }

    /// Items 1 and 4, and "done when": the example shop's ledger copied alone to another folder
    /// (another machine: no key there) holds no e-mail address, no payout account, no salt, no
    /// sealing key, and no hash of an address under a guessed salt, while the real hashes are there;
    /// every command that needs no key works on it and gives the same figures; those that need the
    /// key say so and write nothing; with the key imported they work, and another ledger's key is
    /// refused.
    @Test func aLedgerCopiedAloneServesEveryCommandWithoutItsKeyAndRevealsNothing() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let shop = dir.appendingPathComponent("shop"), auditor = dir.appendingPathComponent("auditor")
        for folder in [shop, auditor] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try examplesLedger(in: shop, closing: ["2026-07", "2026-08", "2026-09"])
        let original = shop.appendingPathComponent("tally.sqlite").path
        let keyPath = try defaultKeyPath(of: original, environment: keyEnvironment())
        let key = try #require(try KeyFile.read(keyPath))
        // Every command has ended: the ledger is one file (no WAL left to copy with it).
        let wal = try? FileManager.default.attributesOfItem(atPath: original + "-wal")[.size] as? NSNumber
        #expect((wal?.intValue ?? 0) == 0)
        let copy = auditor.appendingPathComponent("tally.sqlite").path
        try FileManager.default.copyItem(atPath: original, toPath: copy)

        // Item 4: the bytes.
        let bytes = lowercasedBytes(copy)
        let emails = try exampleEmails(), accounts = try exampleAccounts()
        try #require(emails.count > 50 && accounts.count >= 3)
        #expect(emails.filter { bytes.contains($0) }.sorted() == [], "addresses in clear")
        #expect(accounts.filter { bytes.contains($0.lowercased()) } == [], "accounts in clear")
        #expect(!bytes.contains(key.emailSalt.lowercased()), "the e-mail salt")
        #expect(!bytes.contains(hex(key.sealingKey)), "the sealing key")
        for guess in ["", "0", String(repeating: "0", count: 32)] {
            let found = emails.filter { bytes.contains(emailHash($0, salt: guess)!) }
            #expect(found.isEmpty, "hashes under the guessed salt '\(guess)': \(found.sorted().prefix(3))")
        }
        let zeroKey = SymmetricKey(data: [UInt8](repeating: 0, count: 32))
        #expect(accounts.filter { bytes.contains(PayoutSealing.seal($0, key: zeroKey).lowercased()) } == [])
        // The control: the search finds what is there, the hashes under the real salt and the sealed accounts.
        #expect(emails.filter { bytes.contains(emailHash($0, salt: key.emailSalt)!) }.count > 50)
        let realKey = SymmetricKey(data: key.sealingKey)
        let sealed = accounts.filter { bytes.contains(PayoutSealing.seal($0, key: realKey).lowercased()) }
        #expect(sealed.count == accounts.count)

        // Item 1: the commands that need no key, on the copy, in a home without it; same figures.
        let elsewhere = try separateHome(in: dir)
        let reads: [[String]] = [
            ["payout", "preview", "--month", "2026-10", "--format", "csv"], ["payout", "show", "--month", "2026-09"],
            ["statement", "anna-bakes", "--month", "2026-09"], ["roi", "--from", "2026-07-01", "--to", "2026-10-31"],
            ["explain", "7209192468671"], ["log", "--since", "400"], ["codes", "unknown"], ["tiers", "show"],
            ["balances", "--as-of", "2026-10-31"], ["creator", "history", "anna-bakes", "--year", "2026"]
        ]
        for command in reads {
            let here = try runTally(command, in: auditor, environment: elsewhere)
            let there = try runTally(command, in: shop)
            #expect(here.status == 0 && warnings(here.stderr).isEmpty, "\(command): \(here.stderr)")
            #expect(here.stdout == there.stdout, "\(command) differs without the key")
        }
        for command in [["creator", "list", "--format", "csv"], ["list", "creators", "--format", "csv"]] {
            let listing = try runTally(command, in: auditor, environment: elsewhere)
            #expect(
                listing.status == 0 && listing.stdout.contains("paypal,****(sealed)"),
                "\(command): \(listing.stdout)\(listing.stderr)")
            #expect(accounts.filter { listing.stdout.contains($0) } == [])
        }
        try writeLateFiles(in: auditor)
        let withoutKey: [[String]] = [
            ["verify"], ["backup", "copy.sqlite"], ["rebuild"],
            [
                "adjust", "anna-bakes", "--date", "2026-10-15",
                "--amount", "-12.00", "--reason", "r"
            ],
            [
                "post", "add", "anna-bakes", "--date", "2026-10-20", "--platform",
                "instagram", "--fee", "100.00"
            ], ["gift", "add", "anna-bakes", "--date", "2026-10-05", "--value", "30.00"],
            ["terms", "set", "anna-bakes", "--from", "2026-10-01", "--commission", "12%"], ["code", "house", "HOUSE5"],
            ["code", "assign", "ANNA20", "--creator", "anna-bakes"], ["creator", "add", "zoe", "--name", "Zoe"],
            ["tiers", "set", "--micro", "900"], ["import", "posts", "late-posts.csv"],
            ["import", "gifts", "late-gifts.csv"],
            ["import", "adjustments", "late-adjustments.csv"], ["import", "fx", "late-fx.csv"],
            ["payout", "mark-paid", "--month", "2026-09", "--creator", "brew-bea", "--reference", "TX-1"],
            ["payout", "close", "--month", "2026-10"], ["verify"]
        ]
        for command in withoutKey {
            let result = try runTally(command, in: auditor, environment: elsewhere)
            #expect(result.status == 0 && warnings(result.stderr).isEmpty, "\(command): \(result.stderr)")
        }

        // The commands that need the key: a plain refusal naming the ledger, the use and where the
        // key was looked for; nothing written.
        let lookedAt = try defaultKeyPath(of: copy, environment: elsewhere)
        let needKey: [(command: [String], use: String)] = [
            (["import", "orders", "late-orders.csv"], "to hash e-mail addresses with its salt"),
            (["import", "shopify", "late-shopify.csv", "--source", "shopify-late"], "to hash e-mail addresses"),
            (["import", "creators", "late-creators.csv"], "to hash e-mail addresses with its salt"),
            (["creator", "add", "lou", "--name", "Lou", "--email", "lou@example.com"], "to hash e-mail addresses"),
            (["payout", "export", "--month", "2026-09", "--to", "generic"], "to open the sealed payout accounts"),
            (["creator", "list", "--unmasked"], "to open the sealed payout accounts")
        ]
        let facts = try factCount(copy)
        for (command, use) in needKey {
            let result = try runTally(command, in: auditor, environment: elsewhere)
            #expect(result.status == 1, "\(command): \(result.stdout)")
            let refusal = "tally: error: this command needs the key of the ledger tally.sqlite (\(use)"
            #expect(result.stderr.hasPrefix(refusal), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("there is no key file at \(lookedAt)"), "\(command): \(result.stderr)")
        }
        #expect(try factCount(copy) == facts, "a refused command wrote")

        // Another ledger's key is refused; this one's, exported where it was made, is taken.
        let other = dir.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        #expect(try runTally(["init", "--currency", "USD"], in: other).status == 0)
        #expect(try runTally(["key", "export", "\(dir.path)/other.key"], in: other).status == 0)
        let wrong = try runTally(["key", "import", "\(dir.path)/other.key"], in: auditor, environment: elsewhere)
        #expect(
            wrong.status == 1 && wrong.stderr.contains("is not the key of the ledger tally.sqlite"),
            "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lookedAt))
        let exported = try runTally(["key", "export", "\(dir.path)/shop.key"], in: shop)
        #expect(exported.status == 0, "\(exported.stderr)")
        let imported = try runTally(["key", "import", "\(dir.path)/shop.key"], in: auditor, environment: elsewhere)
        #expect(imported.status == 0 && imported.stdout.contains("Imported the key"), "\(imported.stderr)")
        #expect(try KeyFile.read(lookedAt) == key && permissions(lookedAt) == 0o600)
        for (command, _) in needKey {
            let result = try runTally(command, in: auditor, environment: elsewhere)
            #expect(result.status == 0, "\(command) with the key: \(result.stderr)")
        }
        let unmasked = try runTally(
            ["creator", "list", "--unmasked", "--format", "csv"], in: auditor,
            environment: elsewhere)
        #expect(accounts.allSatisfy { unmasked.stdout.contains($0) }, "\(unmasked.stdout)")
        // Or named with --key-file / TALLY_KEY_FILE, wherever it is kept.
        let named = try runTally(["creator", "list", "--unmasked", "--key-file", "\(dir.path)/shop.key"], in: auditor)
        #expect(named.status == 0 && accounts.allSatisfy { named.stdout.contains($0) }, "\(named.stderr)")
        let byEnvironment = try runTally(
            ["creator", "list", "--unmasked"], in: auditor,
            environment: ["TALLY_KEY_FILE": "\(dir.path)/other.key"])
        #expect(byEnvironment.status == 1 && byEnvironment.stderr.contains("is not the key of the ledger"))
    }
}

/// Item 2: a ledger made before key files (the salt in its first fact, the sealing key in
/// `ledger_meta`) warns on every command until `tally key move-out`, which takes both out into a
/// key file and overwrites their old bytes; the figures, the hashes and the sealed accounts stay
/// as they were, and `verify` still checks the whole chain, with the key and without it.
/// Every run of 12 characters of `secret`.
func pieces(of secret: String) -> [String] {
    let characters = Array(secret)
    return (0...max(0, characters.count - 12)).map { String(characters[$0..<min(characters.count, $0 + 12)]) }
}

@Suite("key move-out")
struct KeyMoveOutTests {
    /// Random-looking, so that a piece of it found in the file can only be what is left of it.
    static let salt = "9f86d081884c7d659a2feaa0c55ad015"

    /// The examples' master data and first Shopify export in a ledger made as tally made them
    /// before key files.
    func legacyLedger(in dir: URL, environment: [String: String]) throws -> String {
        let path = dir.appendingPathComponent("tally.sqlite").path
        _ = try Ledger.createWithKeyInside(
            path: path, baseCurrency: Currency(code: "USD")!,
            zone: Zone(identifier: "America/New_York")!,
            clock: .fixed(TemporaryLedger.defaultNow), emailSalt: Self.salt)
        let examples = examplesDirectory().path
        var steps = ["creators", "codes", "referrals", "terms"].map { ["import", $0, "\(examples)/\($0).csv"] }
        steps.append(["import", "shopify", "\(examples)/shopify/orders_export_2026-07-01_2026-08-31.csv"])
        for step in steps {
            let result = try runTally(step, in: dir, environment: environment)
            try #require(result.status == 0, "\(step): \(result.stderr)")
            let warning =
                "tally: warning: the ledger tally.sqlite still holds its key (the e-mail salt and the "
                + "payout-account key): run 'tally key move-out' to keep it in a key file apart from the ledger"
            #expect(warnings(result.stderr) == [warning], "\(step): \(result.stderr)")
        }
        return path
    }

    /// SQLite as it is built upstream: deleted bytes stay in the file unless a command sees to it.
    static let plainSQLite = ["TALLY_TEST_SECURE_DELETE": "off"]

    @Test func moveOutTakesTheKeyOutOfTheFileAndOverwritesItsOldBytes() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let home = try separateHome(in: dir).merging(Self.plainSQLite) { $1 }
        let path = try legacyLedger(in: dir, environment: home)
        let stored = try dumpRows(path, "SELECT value FROM ledger_meta WHERE key = 'payout_key'")
        let sealingHex = try #require(stored.first)
            .replacingOccurrences(of: "text(\"", with: "").replacingOccurrences(of: "\")", with: "")
        try #require(sealingHex.count == 64, "\(sealingHex)")
        // The control: the search finds both secrets in the file before.
        let before = try ledgerBytes(in: dir)
        #expect(before.contains(Self.salt) && before.contains(sealingHex.lowercased()))
        let reads = [
            ["payout", "preview", "--month", "2026-07", "--format", "csv"],
            ["creator", "list", "--unmasked", "--format", "csv"], ["explain", "7209192468671"]
        ]
        let outputs = try reads.map { try runTally($0, in: dir, environment: home).stdout }

        let moved = try runTally(["key", "move-out"], in: dir, environment: home, umask: "022")
        #expect(moved.status == 0 && moved.stderr.isEmpty, "\(moved.stderr)")
        #expect(moved.stdout.hasPrefix("Moved the key of the ledger tally.sqlite out to "), "\(moved.stdout)")
        let keyPath = try defaultKeyPath(of: path, environment: home)
        let key = try #require(try KeyFile.read(keyPath))
        #expect(key.emailSalt == Self.salt && hex(key.sealingKey) == sealingHex.lowercased())
        #expect(permissions(keyPath) == 0o600)

        // Gone from every byte of the file and its companions, not only from the tables: not a
        // piece of 12 hex digits of either is left (a deleted cell keeps all but its first bytes).
        let after = try ledgerBytes(in: dir)
        #expect(pieces(of: Self.salt).filter(after.contains) == [], "the salt's old bytes are still in the file")
        #expect(pieces(of: sealingHex.lowercased()).filter(after.contains) == [], "the sealing key's old bytes")
        #expect(!after.contains("email_salt"))
        #expect(try dumpRows(path, "SELECT key FROM ledger_meta WHERE key IN ('payout_key', 'scrub_pending')") == [])

        // Nothing else changed: same figures, same hashes (a re-import changes nothing), same
        // accounts; no warning any more.
        for (command, output) in zip(reads, outputs) {
            let result = try runTally(command, in: dir, environment: home)
            #expect(result.status == 0 && warnings(result.stderr).isEmpty, "\(command): \(result.stderr)")
            #expect(result.stdout == output, "\(command) changed")
        }
        let again = try runTally(
            ["import", "creators", "\(examplesDirectory().path)/creators.csv"], in: dir,
            environment: home)
        #expect(again.stdout.contains("0 new, 0 changed, 12 unchanged"), "\(again.stdout)\(again.stderr)")
        let verify = try runTally(["verify"], in: dir, environment: home)
        #expect(verify.status == 0 && verify.stdout.hasPrefix("OK:"), "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("rebuilt with the key's salt, it matches its stored hash"), "\(verify.stderr)")
        let twice = try runTally(["key", "move-out"], in: dir, environment: home)
        #expect(twice.status == 0 && twice.stdout.contains("nothing to do"), "\(twice.stdout)\(twice.stderr)")

        // Copied alone, without the key: the chain still verifies from fact 1's stored hash.
        let auditor = dir.appendingPathComponent("auditor")
        try FileManager.default.createDirectory(at: auditor, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path, toPath: auditor.appendingPathComponent("tally.sqlite").path)
        let alone = try runTally(["verify"], in: auditor, environment: try separateHome(in: dir, "elsewhere"))
        #expect(alone.status == 0 && alone.stdout.hasPrefix("OK:"), "\(alone.stdout)\(alone.stderr)")
        #expect(alone.stderr.contains("its stored hash is taken as the start of the chain"), "\(alone.stderr)")
    }

    /// Another command reading the ledger while `key move-out` runs (here a read transaction held
    /// open): the key moves out, but the old bytes cannot be overwritten under a reader. The command
    /// says so and fails; commands then warn in one line, and `key move-out` run again finishes.
    @Test func anUnfinishedOverwriteIsWarnedAboutAndFinishedByRunningMoveOutAgain() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let home = try separateHome(in: dir).merging(Self.plainSQLite) { $1 }
        let path = try legacyLedger(in: dir, environment: home)
        do {
            let reader = try Connection(path: path, options: .init(readOnly: true))
            try reader.execute("BEGIN")
            _ = try reader.scalarInt("SELECT count(*) FROM facts")
            let moved = try runTally(["key", "move-out"], in: dir, environment: home)
            #expect(moved.status == 1, "\(moved.stdout)")
            // After the note that it waits for the reader (up to 5 s) to let it overwrite.
            #expect(
                moved.stderr.contains("tally: error: moved the key of the ledger tally.sqlite out to "),
                "\(moved.stderr)")
            #expect(moved.stderr.contains("but its old bytes are not overwritten yet"), "\(moved.stderr)")
            try reader.execute("COMMIT")
        }
        let pending = try runTally(["payout", "preview", "--month", "2026-07"], in: dir, environment: home)
        #expect(pending.status == 0, "\(pending.stderr)")
        #expect(
            warnings(pending.stderr) == [
                "tally: warning: the key of the ledger tally.sqlite was moved out, "
                    + "but its old bytes are not overwritten yet: run 'tally key move-out' again to finish"
            ])
        let finish = try runTally(["key", "move-out"], in: dir, environment: home)
        #expect(
            finish.status == 0 && finish.stdout.hasPrefix("Finished moving the key"),
            "\(finish.stdout)\(finish.stderr)")
        let after = try ledgerBytes(in: dir)
        #expect(pieces(of: Self.salt).filter(after.contains) == [], "the salt's old bytes are still in the file")
        let quiet = try runTally(["payout", "preview", "--month", "2026-07"], in: dir, environment: home)
        #expect(quiet.status == 0 && warnings(quiet.stderr).isEmpty, "\(quiet.stderr)")
    }
}
