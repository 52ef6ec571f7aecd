import Foundation
import LedgerCore
import LedgerStore

// The books (issue 16): the accounts the journals post to, and the journals of a month.

/// What `tally journal --month M` books: the journals of M and the accounts and names they need.
public struct MonthJournals: Sendable {
    public var month: YearMonth
    public var currency: Currency
    public var journals: [Journal]
    public var book: AccountBook
    /// Creator id to name (QuickBooks' Name column on payable lines).
    public var names: [String: String]
}

extension LedgerSession {
    /// `tally accounts`: every account key with the name and code in force.
    public func accounts() throws -> AccountBook { AccountBook(try ledger.accountSettings()) }

    /// `tally accounts set KEY NAME [--code CODE]`: records an `account.set` fact; nil when the
    /// account is already so (nothing recorded).
    public func setAccount(key: String, name: String, code: String?) throws -> AccountSet? {
        try ledger.write { ledger throws -> AccountSet? in
            let book = AccountBook(try ledger.accountSettings())
            let setting: AccountSet
            do throws(BooksError) {
                setting = try accountSetting(key: key, name: name, code: code, book: book, at: ledger.clock.now())
            } catch {
                throw UserError(error.description)
            }
            if let current = book.settings[AccountKey(rawValue: key)!], current.name == setting.name,
                current.code == setting.code
            {
                return nil
            }
            try ledger.append(.accountSet(setting))
            return setting
        }
    }

    /// `tally journal --month M`: the close journal of M (M must be closed) and the journals of the
    /// payments made in M, with the accounts in force now. One read: the figures, the payments and
    /// the accounts agree with one another.
    public func journals(_ month: YearMonth) throws -> MonthJournals {
        try ledger.read { try journalsOf(month, snapshot: try ledger.snapshot(), ledger: ledger) }
    }

    private func journalsOf(_ month: YearMonth, snapshot: LedgerSnapshot, ledger: Ledger) throws -> MonthJournals {
        let statements = try closedStatements(snapshot, month)
        let payments = try ledger.payments(from: month.firstDay, through: month.next.firstDay.adding(days: -1))
        let book = AccountBook(try ledger.accountSettings())
        let journals = monthJournals(
            month, statements: statements.map { ($0.creator, $0.figures) },
            payments: payments, book: book)
        var names: [String: String] = [:]
        for (id, creator) in snapshot.creators { names[id] = creator.name }
        return MonthJournals(month: month, currency: baseCurrency, journals: journals, book: book, names: names)
    }
}

/// What `journal --output` wrote.
public struct JournalFileReport: Sendable {
    public var books: MonthJournals
    public var paths: [String]
    /// Of these paths, the ones that held a file, replaced.
    public var replaced: [String]
    /// Journals of this month's close written before (recorded, at any path): this file holds the same
    /// journals again, which the books must not import twice.
    public var earlier: [JournalExported]
    /// Journals of a close of this month that was reopened since: their figures no longer count.
    public var reopened: [JournalExported]
}

extension LedgerSession {
    /// `journal --output`: the month's journals, written to `paths` and recorded as a
    /// `journal.exported` fact, so that a reopen of the month names them (they may be in the books).
    /// The files are staged beside their names inside the transaction and renamed into place after
    /// the commit, as payment files are: a kill never leaves a journal the ledger does not know. A
    /// journal is derived from the ledger, so an existing journal file (`isJournal`, by its first line)
    /// is replaced without `force` (and said); any other existing file (a backup, a key file, a payment
    /// file) only with `force`, and the ledger's own files never: none is written then. Mode 0600: they
    /// name creators and what they earned. `render` lays the journals out: the paths with their text,
    /// and the journal numbers as the layout writes them.
    public func exportJournals(
        _ month: YearMonth, format: String, force: Bool = false, isJournal: (String) -> Bool = { _ in true },
        render: (MonthJournals) throws -> (files: [(path: String, text: String)], journals: [String])
    ) throws -> JournalFileReport {
        var staged: [(from: String, to: String)] = []
        defer { for file in staged { try? FileManager.default.removeItem(atPath: file.from) } }
        let report = try ledger.write { ledger in
            let snapshot = try ledger.snapshot()
            let books = try journalsOf(month, snapshot: snapshot, ledger: ledger)
            let (files, numbers) = try render(books)
            for file in files {
                // A payment file of a close in force is the record of what was sent: never replaced.
                let path = Self.absolutePath(file.path)
                if let payment = snapshot.paymentFiles.first(where: { !$0.reopened && $0.export.file == path }) {
                    throw UserError(
                        "\(file.path) is \(describe(payment.export)), recorded for the \(payment.export.month) close: "
                            + "write the journal elsewhere; nothing was written")
                }
                try refuseReplacing(file.path, option: "--output", writing: "journal", force: force, isOurs: isJournal)
            }
            let replaced = files.map(\.path).filter { FileManager.default.fileExists(atPath: $0) }
            for file in files { staged.append((try stageOutputFile(file.text, beside: file.path), file.path)) }
            let mine = snapshot.journalFiles.filter { $0.export.month == month }
            let export = JournalExported(
                month: month, format: format, files: files.map(\.path), journals: numbers,
                debitsMinor: books.journals.reduce(0) { $0 + $1.debitsMinor }, at: ledger.clock.now())
            // The same journals written again to the same files (a re-run, or a run after a kill that
            // had committed) are recorded once: the log of a re-run is the log of one run.
            let again = mine.contains { earlier in
                var same = earlier.export
                same.at = export.at
                return !earlier.reopened && same == export
            }
            if !again { try ledger.append(.journalExported(export)) }
            return JournalFileReport(
                books: books, paths: files.map(\.path), replaced: replaced,
                earlier: mine.filter { !$0.reopened }.map(\.export), reopened: mine.filter(\.reopened).map(\.export))
        }
        while let file = staged.first {
            do {
                try publishOutputFile(file.from, to: file.to, replacing: true)
                staged.removeFirst()
            } catch {
                let left = staged.map { "\($0.from) (for \($0.to))" }.joined(separator: ", ")
                staged = []
                throw UserError(
                    "the journal is recorded as \(report.paths.joined(separator: ", ")) but could not be put "
                        + "there (\(error.reason)): it is at \(left); move it into place")
            }
        }
        return report
    }
}

/// What `tally payments --year Y` lists.
public struct PaymentsOfYear: Sendable {
    public var rows: [YearPayments]
    /// Creator id to name.
    public var names: [String: String]
    /// Creator id to the tax form on file (none: absent).
    public var taxForms: [String: TaxForm]
}

extension LedgerSession {
    /// `tally payments --year Y`: the payments dated in Y per creator, with the 1099-NEC figures. A USD
    /// ledger with payments in a year indexed for inflation whose threshold is not set is refused: who
    /// needs a form is not guessed.
    public func paymentsOfYear(_ year: Int) throws -> PaymentsOfYear {
        try ledger.read {
            guard let first = CivilDate(year: year, month: 1, day: 1),
                let last = CivilDate(year: year, month: 12, day: 31)
            else {
                throw UserError("--year: expected a year like 2026")
            }
            let payments = try ledger.payments(from: first, through: last)
            let usd = baseCurrency.code == "USD"
            let threshold = necThreshold(year: year, indexed: try ledger.necThresholdSettings())
            if usd, threshold == nil, payments.contains(where: { $0.paidOn.year == year }) {
                throw UserError(
                    "the 1099-NEC threshold of \(year) is not set: from \(necIndexedFrom) it is indexed "
                        + "for inflation, and tally does not guess it. Record the IRS figure for \(year) with "
                        + "'tally settings set 1099-nec-threshold:\(year) AMOUNT' (e.g. 2100.00) and run this "
                        + "again")
            }
            let rows = LedgerCore.paymentsOfYear(year, payments: payments, threshold: usd ? threshold : nil)
            var names: [String: String] = [:]
            var taxForms: [String: TaxForm] = [:]
            for creator in try ledger.masterData(.creators).creators.values {
                names[creator.id] = creator.name
                taxForms[creator.id] = creator.taxForm
            }
            return PaymentsOfYear(rows: rows, names: names, taxForms: taxForms)
        }
    }
}

/// A row of `tally settings`.
public struct LedgerSettingRow: Sendable, Equatable {
    public var key: String
    public var amountMinor: Int64
    /// `law` (fixed by statute) or `set` (a `threshold.set` fact).
    public var source: String
}

extension LedgerSession {
    /// `tally settings`: the 1099-NEC thresholds, the law's (up to 2025, 2026) and those set, by key.
    public func settings() throws -> [LedgerSettingRow] {
        let set = try ledger.read { try ledger.necThresholdSettings() }
        let prefix = "\(ThresholdSet.necForm)-threshold:"
        var rows = [
            LedgerSettingRow(key: prefix + "2025", amountMinor: necThreshold(year: 2025)!, source: "law"),
            LedgerSettingRow(key: prefix + "2026", amountMinor: necThreshold(year: 2026)!, source: "law")
        ]
        for year in set.keys.sorted() {
            rows.append(LedgerSettingRow(key: prefix + String(year), amountMinor: set[year]!, source: "set"))
        }
        return rows
    }

    /// `tally settings set KEY VALUE`: records a `threshold.set` fact; nil when the value is already so
    /// (nothing recorded). `previous`: the figure it replaces, if any.
    public func setSetting(key: String, value: String) throws -> (set: ThresholdSet, previous: Int64?)? {
        try ledger.write { ledger throws -> (set: ThresholdSet, previous: Int64?)? in
            let setting: ThresholdSet
            do throws(BooksError) {
                setting = try thresholdSetting(key: key, value: value, at: ledger.clock.now())
            } catch {
                throw UserError(error.description)
            }
            let previous = try ledger.necThresholdSettings()[Int(setting.year)]
            if previous == setting.amountMinor { return nil }
            try ledger.append(.thresholdSet(setting))
            return (setting, previous)
        }
    }
}
