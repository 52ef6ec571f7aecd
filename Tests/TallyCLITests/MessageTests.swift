import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// Messages seen to mislead a new user (issue 13, item 7), each with the message it gives now.

@Suite("messages that used to mislead")
struct MessageTests {
    /// The file is writable, its folder is not: SQLite cannot write its journal there. Said so,
    /// not "the ledger is read-only". As root the commands run as `nobody` (setpriv).
    @Test(.enabled(if: !runningAsRoot || canRunAsNobody, "needs a non-root user or setpriv to drop root's privileges"))
    func aReadOnlyFolderIsNamedAsTheFolder() throws {
        let dir = try makeTemporaryDirectory()
        let folder = dir.appendingPathComponent("books")
        defer { chmod(folder.path, 0o755); try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(try runTally(["init", "--currency", "USD", "--ledger", "books/t.sqlite"], in: dir).status == 0)
        let binary = runningAsRoot ? try tallyCopy(in: dir) : tallyBinary()
        let wrapper = runningAsRoot ? dropPrivileges : ["/usr/bin/env"]
        chmod(dir.path, 0o755)
        if runningAsRoot { chown(folder.path, 65534, 65534); chown(folder.path + "/t.sqlite", 65534, 65534) }
        chmod(folder.path + "/t.sqlite", 0o644)
        chmod(folder.path, 0o555)
        let add = ["creator", "add", "zoe", "--name", "Zoe", "--ledger", "books/t.sqlite"]
        let result = try runTallyWrapped(wrapper, add, in: dir, binary: binary)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "the folder books holding the ledger books/t.sqlite is read-only (the file "
                    + "itself is writable"), "\(result.stderr)")
        #expect(!result.stderr.hasPrefix("tally: error: the ledger books/t.sqlite is read-only"))
    }

    /// A read of a ledger that was read-only leaves its -wal and -shm with the ledger's mode (SQLite
    /// copies it); once the ledger is writable again, a write names the file that is not, not the ledger.
    @Test(.enabled(if: !runningAsRoot || canRunAsNobody, "needs a non-root user or setpriv to drop root's privileges"))
    func aReadOnlyFileBesideTheLedgerIsNamed() throws {
        let dir = try makeTemporaryDirectory()
        let folder = dir.appendingPathComponent("books")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(try runTally(["init", "--currency", "USD", "--ledger", "books/t.sqlite"], in: dir).status == 0)
        let binary = runningAsRoot ? try tallyCopy(in: dir) : tallyBinary()
        let wrapper = runningAsRoot ? dropPrivileges : ["/usr/bin/env"]
        chmod(dir.path, 0o755)
        let ledger = folder.path + "/t.sqlite"
        if runningAsRoot { chown(folder.path, 65534, 65534); chown(ledger, 65534, 65534) }
        chmod(ledger, 0o444)
        let read = try runTallyWrapped(
            wrapper, ["list", "creators", "--ledger", "books/t.sqlite"], in: dir, binary: binary)
        #expect(read.status == 0, "\(read.stderr)")
        let shm = ledger + "-shm"
        try #require(FileManager.default.fileExists(atPath: shm), "SQLite left no -shm: nothing to test")
        chmod(ledger, 0o600)
        let add = ["creator", "add", "zoe", "--name", "Zoe", "--ledger", "books/t.sqlite"]
        let refused = try runTallyWrapped(wrapper, add, in: dir, binary: binary)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("the ledger books/t.sqlite cannot be written: books/t.sqlite-")
                && refused.stderr.contains("which SQLite keeps beside it, has mode 0444")
                && refused.stderr.contains("'chmod u+w books/t.sqlite-"), "\(refused.stderr)")
        for suffix in ["-wal", "-shm"] { chmod(ledger + suffix, 0o600) }
        let added = try runTallyWrapped(wrapper, add, in: dir, binary: binary)
        #expect(added.status == 0, "\(added.stderr)")
    }

    /// `init` where no file can be created: not "SQLite error 14".
    @Test(.enabled(if: !runningAsRoot || canRunAsNobody, "needs a non-root user or setpriv to drop root's privileges"))
    func initInAFolderOneCannotWriteSaysSo() throws {
        let dir = try makeTemporaryDirectory()
        defer { chmod(dir.path, 0o755); try? FileManager.default.removeItem(at: dir) }
        let binary = runningAsRoot ? try tallyCopy(in: dir) : tallyBinary()
        let wrapper = runningAsRoot ? dropPrivileges : ["/usr/bin/env"]
        chmod(dir.path, 0o555)
        let result = try runTallyWrapped(
            wrapper, ["init", "--currency", "USD", "--timezone", "UTC"], in: dir,
            binary: binary)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("cannot create the ledger tally.sqlite: the current folder (")
                && result.stderr.contains(") is not writable by this user; nothing was written"), "\(result.stderr)")
        #expect(!result.stderr.contains("SQLite error"))
    }

    @Test func initInAMissingFolderSaysSo() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let result = try runTally(["init", "--currency", "USD", "--ledger", "no/such/t.sqlite"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr == "tally: error: cannot create the ledger no/such/t.sqlite: the folder no/such does not "
                + "exist (create it first); nothing was written\n")
    }

    /// `--fee -200` was "Missing value for '--fee <amount>'".
    @Test func aNegativeFeeIsReadAndRefusedAsNegative() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try setUp(dir)
        let post = ["post", "add", "anna", "--date", "2026-09-01", "--platform", "instagram", "--fee", "-200"]
        let result = try runTally(post, in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr == "tally: error: --fee: found '-200', expected a fee of zero or more, like 250.00 "
                + "(money taken back from a creator is an adjustment: tally adjust anna --amount -200 ...)\n")
        let gift = try runTally(["gift", "add", "anna", "--date", "2026-09-01", "--value", "-5.00"], in: dir)
        #expect(gift.status == 1 && gift.stderr.contains("--value: found '-5.00', expected an amount of zero or more"))
    }

    @Test func aNotesColumnInACreatorsFileIsExplained() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try setUp(dir)
        try write("id,name,email,notes\nbob,Bob,bob@example.com,likes tea\n", to: "creators.csv", in: dir)
        let result = try runTally(["import", "creators", "creators.csv"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("creators.csv:2:4: found 'likes tea', expected a whole number"))
        #expect(
            result.stderr.contains(
                "a creators file reads every column other than id, name, email, payout_method, "
                    + "payout_account, tax_form as a platform's follower count"), "\(result.stderr)")
    }

    @Test func semicolonSeparatedMasterDataGetsTheSpreadsheetHint() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try setUp(dir)
        try write("code;creator;valid_from;valid_until\nANNA15;anna;2026-07-01;\n", to: "codes.csv", in: dir)
        let result = try runTally(["import", "codes", "codes.csv"], in: dir)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "codes.csv:1:1: found 'code;creator;valid_from;valid_until', expected a "
                    + "comma-separated header"), "\(result.stderr)")
        #expect(result.stderr.contains("uses ';' and looks re-saved by a spreadsheet (Excel)"))
        #expect(!result.stderr.contains("missing column"))
    }

    /// `8/31/2026` is month/day/year: it was described as DD/MM/YYYY.
    @Test func aDateWithSlashesIsDescribedAsItIs() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try setUp(dir)
        try write(
            "creator,date,platform,fee\nanna,8/31/2026,instagram,10.00\nanna,08/09/2026,instagram,10.00\n",
            to: "posts.csv", in: dir)
        let posts = try runTally(["import", "posts", "posts.csv"], in: dir)
        #expect(posts.status == 1)
        #expect(
            posts.stderr.contains(
                "'8/31/2026' is a date with slashes, as a spreadsheet writes it: write it as "
                    + "2026-08-31 (YYYY-MM-DD)"), "\(posts.stderr)")
        #expect(posts.stderr.contains("it is 2026-08-09 or 2026-09-08 depending on the spreadsheet's language"))
        try write(
            """
            order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,financial_status,\
            refunded,cancelled_at,test
            A1,8/31/2026 14:05,USD,10.00,0.00,0.00,0.00,10.00,,,,paid,0.00,,false

            """, to: "orders.csv", in: dir)
        let orders = try runTally(["import", "orders", "orders.csv"], in: dir)
        #expect(orders.status == 1)
        #expect(
            orders.stderr.contains(
                "'8/31/2026' is a date with slashes, as a spreadsheet writes it: write it as "
                    + "2026-08-31 (YYYY-MM-DD). The file was re-saved by a spreadsheet"))
        #expect(!orders.stderr.contains("DD/MM/YYYY"))
    }

    @Test func theLedgerOptionWorksBeforeTheSubcommand() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let initBooks = ["--ledger", "books.sqlite", "init", "--currency", "USD", "--timezone", "UTC"]
        #expect(try runTally(initBooks, in: dir).status == 0)
        let add = try runTally(["--ledger", "books.sqlite", "creator", "add", "anna", "--name", "Anna"], in: dir)
        #expect(add.status == 0, "\(add.stderr)")
        let between = try runTally(["creator", "--ledger=books.sqlite", "list", "--format", "csv"], in: dir)
        #expect(between.status == 0 && between.stdout.contains("anna,Anna"), "\(between.stderr)")
        let show = try runTally(["--ledger", "books.sqlite", "payout", "preview", "--month", "2026-10"], in: dir)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tally.sqlite").path))
    }

    @Test func versionIsPrinted() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let result = try runTally(["--version"], in: dir)
        #expect(result.status == 0)
        #expect(
            result.stdout.range(
                of: #"^tally [0-9]+\.[0-9]+\.[0-9]+ \(ledger schema [0-9]+\)\n$"#,
                options: .regularExpression) != nil, "\(result.stdout)")
    }

    @Test func aCreatorIdOneLetterOffGetsDidYouMean() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try setUp(dir)
        for command in [
            ["terms", "set", "anan", "--from", "2026-07-01", "--commission", "10%"],
            ["code", "assign", "ANNA15", "--creator", "ana", "--from", "2026-07-01"],
            ["statement", "annna", "--month", "2026-09"]
        ] {
            let result = try runTally(command, in: dir)
            #expect(
                result.status == 1 && result.stderr.contains("(did you mean 'anna'?)"),
                "\(command): \(result.stderr)")
        }
        let far = try runTally(["terms", "set", "zed", "--from", "2026-07-01", "--commission", "10%"], in: dir)
        #expect(far.status == 1 && !far.stderr.contains("did you mean") && far.stderr.contains("register it first"))
    }

    @Test func timeZonesAreIANANamesAndInitSaysWhichItChose() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let est = try runTally(["init", "--currency", "USD", "--timezone", "EST"], in: dir)
        #expect(est.status == 2)
        #expect(
            est.stderr.contains(
                "--timezone: found 'EST', expected an IANA time zone name such as America/New_York"))
        #expect(est.stderr.contains("(for EST, perhaps America/New_York)"), "\(est.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("tally.sqlite").path))
        let plain = try runTally(["init", "--currency", "USD"], in: dir)
        #expect(plain.status == 0)
        #expect(
            plain.stdout.contains("time zone UTC") && plain.stdout.contains("No --timezone given"),
            "\(plain.stdout)")
        let berlin = ["init", "--currency", "USD", "--timezone", "Europe/Berlin", "--ledger", "b.sqlite"]
        let named = try runTally(berlin, in: dir)
        #expect(named.status == 0 && !named.stdout.contains("No --timezone"))
        try write("order_id\n", to: "w.csv", in: dir)
        let site = try runTally(["import", "woocommerce", "w.csv", "--site-timezone", "CET"], in: dir)
        #expect(site.status == 2 && site.stderr.contains("--site-timezone: found 'CET'"), "\(site.stderr)")
    }

    /// One of a thing is not "1 things" in an import's summary.
    @Test func oneOrderIsOneOrder() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTally(["init", "--currency", "USD", "--timezone", "UTC"], in: dir).status == 0)
        let header =
            "order_id,created_at,currency,subtotal,discount,shipping,taxes,total,codes,referral,email,"
            + "financial_status,refunded,cancelled_at,test"
        try write(
            header + "\nT1,2026-09-01T10:00:00Z,USD,10.00,0,0,0,10.00,,,,paid,0,,true\n"
                + "R1,2026-09-01T11:00:00Z,USD,10.00,0,0,0,10.00,,,,partially_refunded,2.00,,false\n"
                + "B1,2026-09-01T12:00:00Z,USD,ten,0,0,0,10.00,,,,paid,0,,false\n", to: "one.csv", in: dir)
        let result = try runTally(["import", "orders", "one.csv", "--skip-invalid", "rejects.csv"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("test:     1 test order (recorded"), "\(result.stdout)")
        #expect(result.stdout.contains("refunds:  1 new or larger refund\n"), "\(result.stdout)")
        #expect(result.stdout.contains("rejected: 1 order,"), "\(result.stdout)")
    }

    /// Help read by someone new: no sentence broken after its first word by a long line above it, and
    /// `import creators` does not send them to import creators first.
    @Test func importHelpReadsRight() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let orders = try runTally(["import", "orders", "--help"], in: dir, environment: ["COLUMNS": "80"])
        #expect(orders.stdout.contains("Timestamps carry their offset"), "\(orders.stdout)")
        let creators = try runTally(["import", "creators", "--help"], in: dir, environment: ["COLUMNS": "80"])
        #expect(!creators.stdout.contains("import creators first"), "\(creators.stdout)")
        #expect(creators.stdout.contains("Import creators before the files that"), "\(creators.stdout)")
    }

    /// A group named without its subcommand: the parser's "Unknown option '--month'" became the list of
    /// the group's subcommands (exit 2, usage error); a mistyped one gets a did-you-mean.
    @Test func aForgottenSubcommandIsNamed() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let forgotten = try runTally(["payout", "--month", "2026-08"], in: dir)
        #expect(forgotten.status == 2)
        #expect(
            forgotten.stderr == "tally: error: tally payout needs a subcommand before '--month': one of preview, "
                + "close, show, export, mark-paid, unmark-paid, reopen (see 'tally payout --help')\n",
            "\(forgotten.stderr)")
        let typo = try runTally(["--ledger", "x.sqlite", "payout", "shwo", "--month", "2026-08"], in: dir)
        #expect(typo.status == 2)
        #expect(
            typo.stderr.contains("unknown subcommand 'shwo' of tally payout (did you mean 'show'?)"),
            "\(typo.stderr)")
        // Help, and commands that run, are left to the parser.
        #expect(try runTally(["payout", "--help"], in: dir).status == 0)
        #expect(try runTally(["tiers", "--ledger", "x.sqlite"], in: dir).status == 1)  // no ledger there
    }

    private func setUp(_ dir: URL) throws {
        for step in [["init", "--currency", "USD", "--timezone", "UTC"], ["creator", "add", "anna", "--name", "Anna"]] {
            let result = try runTally(step, in: dir)
            try #require(result.status == 0, "\(result.stderr)")
        }
    }
}
