import App
import ArgumentParser
import Foundation
import LedgerCore

// The books (cli.md "Books", docs/books.md): `tally accounts [set]` and `tally journal`.

struct AccountsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "Show or set the accounts the journals post to ('tally journal').",
        discussion: """
            Keys: commissions, fees, adjustments, payable, carried, cash, and optionally cash:paypal, cash:wise, \
            cash:bank (the cash account of the payments made by that method; else cash), and tax-rate (the tax \
            rate name of Xero's lines, default Tax Exempt). See docs/books.md.
            """,
        subcommands: [Show.self, Set.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every account key with its name and code.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let book = try options.open(readOnly: true).accounts()
            let rows: [[Cell]] = book.all.map { a in
                let source = a.isSet ? "set" : (a.key.defaultName == nil ? "default: cash" : "default")
                return [.text(a.key.rawValue), .text(a.name), a.code.map(Cell.text) ?? .none, .text(source)]
            }
            print(Report(columns: ["key", "name", "code", "source"], rows: rows).render(format), terminator: "")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the account a key posts to (a fact; journals printed from now on use it).",
            discussion: """
                Without --code the code in force is kept; --code "" removes it. In QuickBooks a sub-account is \
                written Parent:Child.
                """
        )
        @OptionGroup var options: LedgerOptions
        @Argument(help: ArgumentHelp("The account key (see 'tally accounts').", valueName: "key")) var key: String
        @Argument(
            help: ArgumentHelp(
                "The account's name in the accounting system (for tax-rate: the tax rate's name).",
                valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("The account's code (Xero matches accounts by code).", valueName: "code"))
        var code: String?

        func run() throws {
            guard let set = try options.open().setAccount(key: key, name: name, code: code) else {
                print("Account \(key) unchanged.")
                return
            }
            print("Account \(set.key): \(set.name)" + (set.code.isEmpty ? "" : " (code \(set.code))") + ".")
        }
    }
}

/// `--format` of `tally journal`.
enum JournalFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, quickbooks, xero
}

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print the journals to book for a month: its close and the payments made in it.",
        discussion: """
            The close journal of M (M must be closed; TALLY-CLOSE-YYYY-MM, dated M's last day) and one journal per \
            payout marked paid with a date in M (TALLY-PAID-YYYY-MM-CREATOR). Every journal balances. quickbooks: \
            QuickBooks Online's journal entry import; xero: Xero's manual journal import, at most 300 lines a file \
            (a bigger month is written as FILE-1.csv, FILE-2.csv, ...). Accounts: 'tally accounts'. A file written \
            with --output is recorded in the ledger: written again, it says so; 'payout reopen' of M names it (to \
            void in the books). --output replaces an existing journal file; any other file (a backup, a key or \
            payment file) only with --force. See docs/books.md.
            """
    )
    @OptionGroup var options: LedgerOptions
    @OptionGroup var month: MonthOption
    @Option(help: "csv, quickbooks or xero.") var format: JournalFormat = .csv
    @Option(help: ArgumentHelp("Write the file here (default: standard output).", valueName: "file"))
    var output: String?
    @Flag(help: "Replace the --output file even if it is not a journal tally wrote.") var force = false

    /// The first lines of the journal files tally writes (csv, quickbooks, xero): such a file is replaced
    /// without --force, any other only with it.
    static let journalHeaders: Swift.Set<String> = [
        "journal,date,account,debit,credit,creator,memo",
        "Journal No,Journal Date,Account Name,Debits,Credits,Description,Name",
        "*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount"
    ]

    static func isJournalHeader(_ line: String) -> Bool {
        var text = Substring(line)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        if text.hasSuffix("\r") { text = text.dropLast() }
        return journalHeaders.contains(String(text))
    }

    /// Xero's manual journal import takes at most 300 lines a file.
    static let xeroLinesMax = 300

    func run() throws {
        guard let output else {
            let session = try options.open(readOnly: true)
            let files = try render(try session.journals(month.value))
            if files.count > 1 {
                throw UserError(
                    "the \(month.value) journals take \(files.count) Xero files of at most "
                        + "\(Self.xeroLinesMax) lines: give --output FILE (written as FILE-1.csv ...)")
            }
            print(files[0], terminator: "")
            return
        }
        // A journal handed to the books is recorded (journal.exported): a reopen of the month names it.
        let session = try options.open()
        let report = try session.exportJournals(
            month.value, format: format.rawValue, force: force, isJournal: Self.isJournalHeader
        ) { books in
            let files = try render(books)
            let paths = files.count == 1 ? [output] : files.indices.map { numbered(output, $0 + 1) }
            return (Array(zip(paths, files)).map { (path: $0.0, text: $0.1) }, try numbers(books))
        }
        let books = report.books
        let lines = books.journals.reduce(0) { $0 + $1.lines.count }
        let debits = books.journals.reduce(0) { $0 + $1.debitsMinor }
        let credits = books.journals.reduce(0) { $0 + $1.creditsMinor }
        let balanced = books.journals.allSatisfy(\.isBalanced) ? "each balanced" : "NOT balanced"
        let e = books.currency.minorUnitExponent
        // Grouped, as every other summary writes money (4,481.50).
        let (debitsText, creditsText) = (
            formatMinorGrouped(debits, exponent: e), formatMinorGrouped(credits, exponent: e)
        )
        print(
            "Wrote \(plural(Int64(books.journals.count), "journal")) (\(plural(Int64(lines), "line")), \(balanced): "
                + "debits \(debitsText) = credits \(creditsText) "
                + "\(books.currency.code)) to " + report.paths.joined(separator: ", ") + ".")
        let zone = session.zone
        if !report.earlier.isEmpty {
            printNote(
                "\(describeJournalFiles(report.earlier, zone: zone)) already: these are the same journal numbers; "
                    + "import them into the books only if they were not imported from there (QuickBooks warns of a "
                    + "duplicate journal number, Xero adds a second draft)")
        }
        // A file replaced that no earlier journal of this month was written to is named.
        let written = Swift.Set(report.earlier.flatMap(\.files))
        let others = report.replaced.filter { !written.contains($0) }
        if !others.isEmpty { printNote("replaced the existing \(others.joined(separator: ", "))") }
        if !report.reopened.isEmpty {
            printNote(
                "\(describeJournalFiles(report.reopened, zone: zone)) for a close of \(month.value) taken back "
                    + "since: if it was imported into the books, void it there")
        }
    }

    /// The month's journals laid out in `--format`: one file, or Xero's files of at most 300 lines.
    func render(_ books: MonthJournals) throws -> [String] {
        switch format {
        case .csv: return [journalCSV(books)]
        case .quickbooks: return [try quickBooksCSV(books)]
        case .xero:
            var files = splitJournals(books.journals, maxLines: Self.xeroLinesMax).map { xeroCSV(books, $0) }
            if files.isEmpty { files = [xeroCSV(books, [])] }
            let used = Swift.Set(books.journals.flatMap { $0.lines.map(\.account) }).sorted()
            let uncoded = used.filter { books.book.account($0).code == nil }
            if !uncoded.isEmpty {
                printNote(
                    "no account code set for \(uncoded.map(\.rawValue).joined(separator: ", ")): the AccountCode "
                        + "column holds the account name; Xero matches codes ('tally accounts set KEY NAME --code "
                        + "CODE')")
            }
            return files
        }
    }

    /// The journal numbers as `--format` writes them (QuickBooks' at most 21 characters).
    func numbers(_ books: MonthJournals) throws -> [String] {
        guard format == .quickbooks else { return books.journals.map(\.id) }
        do throws(BooksError) {
            let numbers = try quickBooksJournalNumbers(books.journals)
            return books.journals.map { numbers[$0.id]! }
        } catch {
            throw UserError(error.description)
        }
    }

    /// `books.csv` as `books-2.csv`.
    func numbered(_ path: String, _ n: Int) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        guard !ext.isEmpty else { return path + "-\(n)" }
        return String(path.dropLast(ext.count + 1)) + "-\(n)." + ext
    }
}

private func money(_ minor: Int64, _ currency: Currency) -> Cell { .money(minor, exponent: currency.minorUnitExponent) }

/// cli.md's `journal,date,account,debit,credit,creator,memo`.
func journalCSV(_ books: MonthJournals) -> String {
    var report = Report(columns: ["journal", "date", "account", "debit", "credit", "creator", "memo"])
    for journal in books.journals {
        for line in journal.lines {
            report.rows.append([
                .text(journal.id), .text(journal.date.description),
                .text(books.book.account(line.account).name),
                line.debitMinor > 0 ? money(line.debitMinor, books.currency) : .none,
                line.creditMinor > 0 ? money(line.creditMinor, books.currency) : .none,
                .text(line.creator), .text(line.memo)
            ])
        }
    }
    return report.renderCSV()
}

/// `MM/DD/YYYY` (QuickBooks Online, US).
func usDate(_ d: CivilDate) -> String { String(format: "%02d/%02d/%04d", d.month, d.day, d.year) }
/// `DD/MM/YYYY` (Xero).
func dayFirstDate(_ d: CivilDate) -> String { String(format: "%02d/%02d/%04d", d.day, d.month, d.year) }

/// QuickBooks Online's journal entry import: one of Debits and Credits empty, no negative numbers,
/// the creator's name on the payable lines (QuickBooks requires a name on payable accounts). Journal
/// numbers of at most 21 characters (`quickBooksJournalNo`): a shortened one has the journal's id at the
/// start of its Description.
func quickBooksCSV(_ books: MonthJournals) throws -> String {
    var report = Report(columns: [
        "Journal No", "Journal Date", "Account Name", "Debits", "Credits", "Description",
        "Name"
    ])
    let numbers: [String: String]
    do throws(BooksError) { numbers = try quickBooksJournalNumbers(books.journals) } catch {
        throw UserError(error.description)
    }
    for journal in books.journals {
        let number = numbers[journal.id]!
        let memoPrefix = number == journal.id ? "" : journal.id + ": "
        for line in journal.lines {
            let name = line.account == .payable ? Cell.text(books.names[line.creator] ?? line.creator) : .none
            report.rows.append([
                .text(number), .text(usDate(journal.date)),
                .text(books.book.account(line.account).name),
                line.debitMinor > 0 ? money(line.debitMinor, books.currency) : .none,
                line.creditMinor > 0 ? money(line.creditMinor, books.currency) : .none,
                .text(memoPrefix + line.memo), name
            ])
        }
    }
    return report.renderCSV()
}

/// Xero's manual journal import: the lines of a journal share its narration (the journal id) and
/// date; the amount is positive for a debit, negative for a credit; the account by code, else name.
func xeroCSV(_ books: MonthJournals, _ journals: [Journal]) -> String {
    var report = Report(columns: ["*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount"])
    let taxRate = books.book.account(.taxRate).name
    for journal in journals {
        for line in journal.lines {
            let account = books.book.account(line.account)
            report.rows.append([
                .text(journal.id), .text(dayFirstDate(journal.date)), .text(line.memo),
                .text(account.code ?? account.name), .text(taxRate),
                money(line.signedMinor, books.currency)
            ])
        }
    }
    return report.renderCSV()
}

struct PaymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "The payments made in a calendar year per creator, with the 1099-NEC figures.",
        discussion: """
            A payment counts in the year of its day (mark-paid --date, else the day it was recorded). \
            paid_by_paypal is reported by the payment network on Form 1099-K; nec_amount = paid - paid_by_paypal; \
            needs_1099_nec when the base currency is USD and nec_amount reaches the year's threshold (600.00 up to \
            2025, 2,000.00 in 2026; from 2027 the IRS figure, set with 'tally settings set \
            1099-nec-threshold:YYYY AMOUNT'). tax_form: the form on file (w9, w8ben; creators file or creator \
            add --tax-form). See docs/books.md.
            """
    )
    @OptionGroup var options: LedgerOptions
    @Option(help: ArgumentHelp("The calendar year of the payments' days (four digits).", valueName: "YYYY"))
    var year: String
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func validate() throws { _ = try parseYearOption(year) }

    func run() throws {
        let year = try parseYearOption(self.year)
        let session = try options.open(readOnly: true)
        let shown = try session.paymentsOfYear(year)
        let e = session.baseCurrency.minorUnitExponent
        let rows: [[Cell]] = shown.rows.map { r in
            [
                .text(String(r.year)), .text(r.creator), .text(shown.names[r.creator] ?? r.creator),
                .int(Int64(r.payments)),
                .money(r.paidMinor, exponent: e), .money(r.paypalMinor, exponent: e), .money(r.necMinor, exponent: e),
                r.thresholdMinor.map { .money($0, exponent: 2) } ?? .none, .text(r.needs1099NEC ? "true" : "false"),
                shown.taxForms[r.creator].map { .text($0.rawValue) } ?? .none
            ]
        }
        let columns = [
            "year", "creator", "name", "payments", "paid", "paid_by_paypal", "nec_amount", "threshold",
            "needs_1099_nec", "tax_form"
        ]
        print(Report(columns: columns, rows: rows).render(format), terminator: "")
        if rows.isEmpty, format == .table { printNote("no payment dated in \(year)") }
        let needing = shown.rows.filter(\.needs1099NEC).map(\.creator)
        let noForm = needing.filter { shown.taxForms[$0] == nil }
        if !noForm.isEmpty {
            printNote(
                "no tax form on file for \(noForm.joined(separator: ", ")), over the 1099-NEC threshold of "
                    + "\(year): ask for a W-9 (a W-8BEN from a foreign person) before January, then record it "
                    + "(tax_form in the creators file)")
        }
        let foreign = needing.filter { shown.taxForms[$0] == .w8ben }
        if !foreign.isEmpty {
            printNote(
                "\(foreign.joined(separator: ", ")): over the threshold with a W-8BEN on file (a foreign "
                    + "person): services performed outside the US need no 1099-NEC; check where the work was done")
        }
        if session.baseCurrency.code != "USD", !shown.rows.isEmpty {
            printNote("the ledger's currency is \(session.baseCurrency.code), not USD: no 1099-NEC threshold applies")
        }
    }
}

/// `tally settings [set KEY VALUE]`: the ledger's settings that are figures of the law (so far the
/// 1099-NEC thresholds of the years indexed for inflation).
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show or set the 1099-NEC thresholds of the years indexed for inflation ('tally payments').",
        discussion: """
            Key: 1099-nec-threshold:YYYY for a year from 2027, the IRS figure (a multiple of 100.00, at least \
            2000.00). 600.00 (to 2025) and 2,000.00 (2026) are the law's and listed as such. See docs/books.md.
            """,
        subcommands: [Show.self, Set.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every setting with its value and source.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "table, csv or json.") var format: OutputFormat = .table

        func run() throws {
            let rows: [[Cell]] = try options.open(readOnly: true).settings().map { row in
                [.text(row.key), .money(row.amountMinor, exponent: 2), .text(row.source)]
            }
            print(Report(columns: ["key", "value", "source"], rows: rows).render(format), terminator: "")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a setting (a fact; a later one for the same key replaces it).")
        @OptionGroup var options: LedgerOptions
        @Argument(help: ArgumentHelp("The key, like 1099-nec-threshold:2027.", valueName: "key")) var key: String
        @Argument(help: ArgumentHelp("The value, like 2100.00.", valueName: "value")) var value: String

        /// A key or value that does not parse is a usage error (exit 2), as on every command; a value
        /// that parses but the law does not allow (a year before 2027, not a multiple of 100.00) is a
        /// user error (exit 1), from the use case.
        func validate() throws {
            let prefix = "\(ThresholdSet.necForm)-threshold:"
            let year = key.hasPrefix(prefix) ? key.dropFirst(prefix.count) : ""
            guard year.count == 4, year.allSatisfy({ ("0"..."9").contains($0) }) else {
                throw ValidationError(
                    "unknown setting '\(key)': expected \(prefix)YYYY, a year of four digits, like \(prefix)2027")
            }
            if case let .failure(error) = parseAmount(value, .usd) {
                throw ValidationError("the threshold '\(value)': \(error)")
            }
        }

        func run() throws {
            guard let outcome = try options.open().setSetting(key: key, value: value) else {
                print("Setting \(key) unchanged.")
                return
            }
            let amount = formatMinor(outcome.set.amountMinor, exponent: 2)
            let was = outcome.previous.map { " (was \(formatMinor($0, exponent: 2)))" } ?? ""
            print("Setting \(outcome.set.settingKey): \(amount)\(was).")
        }
    }
}
