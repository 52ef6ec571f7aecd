// The books (issue 16, cli.md "Books"): which account each figure of a close and each payment posts
// to, on which side, and how the journals are cut for an import that limits its files. Pure: the
// session reads the statements, payments and account settings, the command line renders.

/// An account setting `tally accounts set` may change. `cash:METHOD` is the cash account of the
/// payments made by that method (else `cash`); `tax-rate` is not an account but the tax rate name
/// written on Xero's lines.
public enum AccountKey: String, CaseIterable, Sendable, Comparable {
    case commissions, fees, adjustments, payable, carried, cash
    case cashPaypal = "cash:paypal", cashWise = "cash:wise", cashBank = "cash:bank"
    case taxRate = "tax-rate"

    public static func < (a: AccountKey, b: AccountKey) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The name in force while nobody set one (cli.md). The method's cash accounts default to the
    /// `cash` account (nil here): a team books them apart only when it says so.
    public var defaultName: String? {
        switch self {
        case .commissions: return "Creator commissions"
        case .fees: return "Creator fees"
        case .adjustments: return "Creator adjustments"
        case .payable: return "Creator payouts payable"
        case .carried: return "Creator balances carried"
        case .cash: return "Payout clearing"
        case .cashPaypal, .cashWise, .cashBank: return nil
        case .taxRate: return "Tax Exempt"
        }
    }

    /// The cash account a payment by `method` posts to, when it is set.
    static func cash(for method: PaymentMethod) -> AccountKey? {
        switch method {
        case .paypal: return .cashPaypal
        case .wise: return .cashWise
        case .bank: return .cashBank
        case .other: return nil
        }
    }
}

/// `account.set` version 1: the account a key posts to from now on (or, for `tax-rate`, the tax rate
/// name). `code` is empty when the account has none.
public struct AccountSet: Equatable, Sendable {
    public var key: String
    public var name: String
    public var code: String
    public var at: Instant
    public init(key: String, name: String, code: String, at: Instant) {
        self.key = key; self.name = name; self.code = code; self.at = at
    }
}

extension AccountSet: FieldTable {
    /// Projected by hand, as the payload, into `settings` under `account:KEY`.
    @inlinable public static var blank: Self { AccountSet(key: "", name: "", code: "", at: .epoch) }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout AccountSet) throws(C.Failure) {
        try c.string("key", &o.key)
        try c.string("name", &o.name)
        try c.string("code", &o.code)
        try c.instant("at", &o.at)
    }
}

/// One account as the journals use it.
public struct Account: Equatable, Sendable {
    public var key: AccountKey
    public var name: String
    public var code: String?
    /// Whether it was set (else the default).
    public var isSet: Bool
    public init(key: AccountKey, name: String, code: String?, isSet: Bool) {
        self.key = key; self.name = name; self.code = code; self.isSet = isSet
    }
}

/// The accounts in force: the last setting of each key, else its default.
public struct AccountBook: Equatable, Sendable {
    public var settings: [AccountKey: AccountSet]

    public init(_ settings: [AccountSet] = []) {
        var byKey: [AccountKey: AccountSet] = [:]
        for s in settings { if let key = AccountKey(rawValue: s.key) { byKey[key] = s } }
        self.settings = byKey
    }

    /// The account of `key`: a method's cash account falls back to `cash` while it is not set.
    public func account(_ key: AccountKey) -> Account {
        if let s = settings[key] {
            return Account(key: key, name: s.name, code: s.code.isEmpty ? nil : s.code, isSet: true)
        }
        if let name = key.defaultName { return Account(key: key, name: name, code: nil, isSet: false) }
        var cash = account(.cash)
        cash.key = key; cash.isSet = false
        return cash
    }

    /// Every key, in the order of `AccountKey`.
    public var all: [Account] { AccountKey.allCases.map(account) }

    /// The key a payment by `method` posts its cash side to.
    public func cashKey(for method: PaymentMethod) -> AccountKey {
        guard let key = AccountKey.cash(for: method), settings[key] != nil else { return .cash }
        return key
    }
}

/// What `accounts set KEY NAME [--code CODE]` records: `code` nil keeps the code in force (renaming an
/// account must not lose the code Xero matches it by), empty clears it. Refuses an unknown key and a
/// name or code that an import file cannot carry.
public func accountSetting(
    key: String, name: String, code: String?, book: AccountBook,
    at: Instant
) throws(BooksError) -> AccountSet {
    guard let accountKey = AccountKey(rawValue: key) else {
        throw BooksError(
            "unknown account key '\(key)': expected one of "
                + AccountKey.allCases.map(\.rawValue).joined(separator: ", "))
    }
    if let problem = accountNameProblem(name, key: accountKey) { throw BooksError(problem) }
    if accountKey == .taxRate, let code, !code.isEmpty {
        throw BooksError(
            "tax-rate is the name of a tax rate of Xero's lines, not an account: it has no code "
                + "(leave out --code)")
    }
    let code = code ?? book.settings[accountKey]?.code ?? ""
    if let problem = accountCodeProblem(code) { throw BooksError(problem) }
    // Xero finds an account by its code, QuickBooks by its name: two keys on one account share both.
    let others = book.settings.sorted { $0.key < $1.key }.filter { $0.key != accountKey && $0.key != .taxRate }
    for (other, setting) in others {
        if !code.isEmpty, setting.code == code, setting.name != name {
            throw BooksError(
                "the code \(code) is the code of \(other.rawValue) ('\(setting.name)'): two accounts "
                    + "cannot share a code (Xero would post both to one); to post \(key) to that account, "
                    + "give its name too")
        }
        if setting.name == name, setting.code != code {
            let theirs = setting.code.isEmpty ? "no code" : "code \(setting.code)"
            throw BooksError(
                "'\(name)' is the account of \(other.rawValue), with \(theirs): one account has one code "
                    + "(QuickBooks would post both to it, Xero to two)")
        }
    }
    return AccountSet(key: key, name: name, code: code, at: at)
}

/// Why a name cannot be written into QuickBooks' or Xero's import, if it cannot: empty, a control
/// character (a line break would split the row), longer than QuickBooks' 100 characters, a colon at
/// either end or doubled (QuickBooks reads `Parent:Child` as a sub-account, so `:` may only join
/// two names), or a leading or trailing space (both systems trim it and would not find the account).
public func accountNameProblem(_ name: String, key: AccountKey) -> String? {
    let what = key == .taxRate ? "the tax rate name" : "the account name"
    if name.isEmpty { return "\(what) is empty" }
    if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        return "\(what) '\(name.debugDescription.dropFirst().dropLast())' holds a control character (a line break or "
            + "tab), which an import file cannot carry"
    }
    if name.count > 100 { return "\(what) is \(name.count) characters long: QuickBooks Online takes at most 100" }
    if name.first == " " || name.last == " " { return "\(what) '\(name)' starts or ends with a space" }
    if key != .taxRate, name.hasPrefix(":") || name.hasSuffix(":") || name.contains("::") {
        return "\(what) '\(name)' has an empty part: QuickBooks reads ':' as Parent:Child of a sub-account"
    }
    return nil
}

/// Why an account code cannot be written into Xero's import: at most 10 characters, letters, digits
/// and `-`, `_`, `.` only (Xero's account codes).
public func accountCodeProblem(_ code: String) -> String? {
    if code.count > 10 { return "the account code '\(code)' is \(code.count) characters long: Xero takes at most 10" }
    let allowed = code.unicodeScalars.allSatisfy {
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
    }
    if !allowed { return "the account code '\(code)' may hold only letters, digits, '-', '_' and '.'" }
    return nil
}

public struct BooksError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// A line of a journal: one of `debitMinor` and `creditMinor` is 0, the other above 0.
public struct JournalLine: Equatable, Sendable {
    public var account: AccountKey
    public var debitMinor: Int64
    public var creditMinor: Int64
    public var creator: String
    public var memo: String
    /// Debit positive, credit negative (Xero's amount).
    public var signedMinor: Int64 { debitMinor - creditMinor }
}

/// A balanced journal: its id, its date and its lines, creator by creator.
public struct Journal: Equatable, Sendable {
    public var id: String
    public var date: CivilDate
    public var lines: [JournalLine]
    public init(id: String, date: CivilDate, lines: [JournalLine]) {
        self.id = id; self.date = date; self.lines = lines
    }
    public var debitsMinor: Int64 { lines.reduce(0) { $0 + $1.debitMinor } }
    public var creditsMinor: Int64 { lines.reduce(0) { $0 + $1.creditMinor } }
    public var isBalanced: Bool { debitsMinor == creditsMinor }
}

/// The line of `amount` to `account`: a debit when `amount` is on the debit side as a positive
/// figure, else the other side; nil for 0.
func journalLine(_ account: AccountKey, debit amount: Int64, creator: String, memo: String) -> JournalLine? {
    if amount == 0 { return nil }
    return JournalLine(
        account: account, debitMinor: max(amount, 0), creditMinor: max(-amount, 0), creator: creator,
        memo: memo)
}

/// `TALLY-CLOSE-2026-10`.
public func closeJournalId(_ month: YearMonth) -> String { "TALLY-CLOSE-\(month)" }

/// `TALLY-PAID-2026-10-anna`: the month the payout belongs to, and the creator.
public func paymentJournalId(_ payment: PaidPayout) -> String { "TALLY-PAID-\(payment.month)-\(payment.creator)" }

/// QuickBooks Online takes journal numbers (Journal No, the API's DocNumber) of at most 21 characters.
public let quickBooksJournalNoMax = 21

/// The Journal No of the journal `id` in a QuickBooks Online file: the id itself when it fits
/// (`TALLY-CLOSE-YYYY-MM`, 19 characters), else, for a payment journal `TALLY-PAID-YYYY-MM-CREATOR`,
/// `TP-YYYY-MM-` and the creator id when it has at most 10 characters, else its first 3, `-` and 6
/// upper-case hex digits of its SHA-256 (`TP-2026-09-ann-1F0A3C`): stable, so a file imported twice
/// still shows a duplicate number. The full id starts the line's Description.
public func quickBooksJournalNo(_ id: String) -> String {
    if id.count <= quickBooksJournalNoMax && !id.hasPrefix("TALLY-PAID-") { return id }
    let rest = id.dropFirst("TALLY-PAID-".count)
    precondition(id.hasPrefix("TALLY-PAID-") && rest.count > 8, "not a journal id of tally: \(id)")
    let month = rest.prefix(7)
    let creator = String(rest.dropFirst(8))
    let room = quickBooksJournalNoMax - "TP-YYYY-MM-".count
    if creator.count <= room { return "TP-\(month)-\(creator)" }
    let digest = sha256Hex(Array(creator.utf8)).prefix(6).uppercased()
    return "TP-\(month)-\(creator.prefix(3))-\(digest)"
}

/// The Journal No of every journal of a file, by id; refused when two journals would share one (two
/// long creator ids alike in their first 3 characters and 6 hex digits of their hash): QuickBooks
/// would join their lines into one entry.
public func quickBooksJournalNumbers(_ journals: [Journal]) throws(BooksError) -> [String: String] {
    var numbers: [String: String] = [:]
    var ids: [String: String] = [:]
    for journal in journals where numbers[journal.id] == nil {
        let number = quickBooksJournalNo(journal.id)
        if let other = ids[number] {
            throw BooksError(
                "the journals \(other) and \(journal.id) would share QuickBooks' Journal No \(number) "
                    + "(at most \(quickBooksJournalNoMax) characters): write them with --format csv")
        }
        numbers[journal.id] = number
        ids[number] = journal.id
    }
    return numbers
}

/// The close journal of `month` (cli.md "Books"), dated its last day: for each creator (in the
/// order given), commissions net of clawbacks, fees and adjustments on the debit side (the cost of
/// the month), the payout to `payable` and the change of the carried balance to `carried` on the
/// credit side; a negative figure goes to the other side. Each creator's lines balance by
/// themselves, because `payout + carried_out - carried_in = commissions - clawbacks + fees +
/// adjustments` (the close's invariant).
public func closeJournal(_ month: YearMonth, statements: [(creator: String, figures: PayoutFigures)]) -> Journal {
    var lines: [JournalLine] = []
    for (creator, f) in statements {
        let entries: [JournalLine?] = [
            journalLine(
                .commissions, debit: f.commissionsMinor - f.clawbacksMinor, creator: creator,
                memo: "\(month) commissions net of clawbacks: \(creator)"),
            journalLine(.fees, debit: f.feesMinor, creator: creator, memo: "\(month) post fees: \(creator)"),
            journalLine(
                .adjustments, debit: f.adjustmentsMinor, creator: creator,
                memo: "\(month) adjustments: \(creator)"),
            journalLine(.payable, debit: -f.payoutMinor, creator: creator, memo: "\(month) payout: \(creator)"),
            journalLine(
                .carried, debit: -(f.carriedOutMinor - f.carriedInMinor), creator: creator,
                memo: "\(month) change of the balance carried: \(creator)")
        ]
        lines += entries.compactMap { $0 }
    }
    let journal = Journal(id: closeJournalId(month), date: month.next.firstDay.adding(days: -1), lines: lines)
    precondition(journal.isBalanced, "the close journal of \(month) does not balance")
    return journal
}

/// The journal of one payment, dated the day the money left: debit `payable`, credit the cash
/// account of its method.
public func paymentJournal(_ payment: PaidPayout, book: AccountBook) -> Journal {
    let memo =
        "\(payment.month) payout paid by \(payment.method.rawValue), reference \(payment.reference): "
        + payment.creator
    let lines = [
        JournalLine(
            account: .payable, debitMinor: payment.amountMinor, creditMinor: 0, creator: payment.creator,
            memo: memo),
        JournalLine(
            account: book.cashKey(for: payment.method), debitMinor: 0, creditMinor: payment.amountMinor,
            creator: payment.creator, memo: memo)
    ]
    return Journal(id: paymentJournalId(payment), date: payment.paidOn, lines: lines)
}

/// The journals of `month`: its close journal (when it has lines), then the payments made in it, by
/// day and creator.
public func monthJournals(
    _ month: YearMonth, statements: [(creator: String, figures: PayoutFigures)],
    payments: [PaidPayout], book: AccountBook
) -> [Journal] {
    let close = closeJournal(month, statements: statements)
    let paid = payments.filter { $0.paidOn.yearMonth == month }
        .sorted { ($0.paidOn, $0.creator, $0.month) < ($1.paidOn, $1.creator, $1.month) }
        .map { paymentJournal($0, book: book) }
    return (close.lines.isEmpty ? [] : [close]) + paid
}

/// The journals cut into files of at most `maxLines` lines each (Xero's manual journal import takes
/// 300 a file), each file balanced: a journal is cut only between creators, whose lines balance by
/// themselves, so each file's part of it imports as a balanced journal of the same narration.
public func splitJournals(_ journals: [Journal], maxLines: Int) -> [[Journal]] {
    precondition(maxLines >= 5, "a creator's close takes up to 5 lines")
    var files: [[Journal]] = []
    var current: [Journal] = []
    var count = 0
    func add(_ part: Journal) {
        if count + part.lines.count > maxLines, count > 0 {
            files.append(current); current = []; count = 0
        }
        if let last = current.last, last.id == part.id {
            current[current.count - 1].lines += part.lines
        } else {
            current.append(part)
        }
        count += part.lines.count
    }
    for journal in journals {
        var block: [JournalLine] = []
        for line in journal.lines {
            if let last = block.last, last.creator != line.creator {
                add(Journal(id: journal.id, date: journal.date, lines: block)); block = []
            }
            block.append(line)
        }
        if !block.isEmpty { add(Journal(id: journal.id, date: journal.date, lines: block)) }
    }
    if !current.isEmpty { files.append(current) }
    return files
}

/// The 1099-NEC threshold of payments made in `year`, in US cents: 600.00 up to 2025, 2,000.00 in
/// 2026 (the 2025 change to section 6041). From 2027 it is indexed for inflation: `indexed` holds the
/// figures the ledger was given (`tally settings set 1099-nec-threshold:YEAR`), by year; nil when the
/// year's figure is not set (it is not guessed: it decides who gets a form).
public func necThreshold(year: Int, indexed: [Int: Int64] = [:]) -> Int64? {
    if year <= 2025 { return 60_000 }
    if year == 2026 { return 200_000 }
    return indexed[year]
}

/// The first year whose 1099-NEC threshold is indexed for inflation (a ledger setting).
public let necIndexedFrom = 2027

/// `threshold.set` version 1: the 1099-NEC threshold of a year indexed for inflation (2027 on), as the
/// IRS published it, in US cents. A later fact for the same year replaces it (a correction).
public struct ThresholdSet: Equatable, Sendable {
    /// The form the threshold is of: `1099-nec`.
    public var form: String
    public var year: Int64
    public var amountMinor: Int64
    public var at: Instant
    public init(form: String, year: Int64, amountMinor: Int64, at: Instant) {
        self.form = form; self.year = year; self.amountMinor = amountMinor; self.at = at
    }

    /// The form of the 1099-NEC threshold, and the settings key's prefix (`1099-nec-threshold:2027`).
    public static let necForm = "1099-nec"
    public var settingKey: String { "\(form)-threshold:\(year)" }
}

extension ThresholdSet: FieldTable {
    /// Projected by hand, as the payload, into `settings` under `threshold:FORM:YEAR`.
    @inlinable public static var blank: Self { ThresholdSet(form: "", year: 0, amountMinor: 0, at: .epoch) }

    @inlinable @inline(__always)
    public static func fields<C: FieldCoder>(_ c: inout C, _ o: inout ThresholdSet) throws(C.Failure) {
        try c.string("form", &o.form)
        try c.int("year", &o.year)
        try c.int("amount_minor", &o.amountMinor)
        try c.instant("at", &o.at)
        guard C.decodes else { return }
        if o.form != ThresholdSet.necForm { try c.reject("form", "is not 1099-nec") }
        if o.amountMinor <= 0 { try c.reject("amount_minor", "is not above 0") }
    }
}

/// What `tally settings set KEY VALUE` records. The only key so far is `1099-nec-threshold:YYYY` for
/// a year from 2027 (600.00 and 2,000.00 are the law's, not settings), with the IRS's figure: at least
/// 2,000.00 and a whole multiple of 100.00 (the indexed figure is rounded to a multiple of $100, so
/// anything else is a typo).
public func thresholdSetting(key: String, value: String, at: Instant) throws(BooksError) -> ThresholdSet {
    let prefix = "\(ThresholdSet.necForm)-threshold:"
    guard key.hasPrefix(prefix) else {
        throw BooksError(
            "unknown setting '\(key)': expected \(prefix)YYYY (the 1099-NEC threshold of a year from "
                + "\(necIndexedFrom), indexed for inflation)")
    }
    let yearText = key.dropFirst(prefix.count)
    guard yearText.count == 4, yearText.allSatisfy({ ("0"..."9").contains($0) }), let year = Int(yearText) else {
        throw BooksError("'\(key)': expected a year of four digits after '\(prefix)', like \(prefix)\(necIndexedFrom)")
    }
    guard year >= necIndexedFrom else {
        let fixed = formatMinorGrouped(necThreshold(year: year)!, exponent: 2)
        throw BooksError(
            "the 1099-NEC threshold of \(year) is the law's, \(fixed), not a setting: only the years from "
                + "\(necIndexedFrom) are indexed for inflation")
    }
    let amount: Int64
    switch parseAmount(value, .usd) {
    case let .success(minor): amount = minor
    case let .failure(error): throw BooksError("the threshold '\(value)': \(error)")
    }
    guard amount >= 200_000, amount % 10_000 == 0 else {
        throw BooksError(
            "the threshold '\(value)': expected the IRS figure for \(year), at least 2000.00 (2026's) "
                + "and a whole multiple of 100.00 (the indexed threshold is rounded to a multiple of $100)")
    }
    return ThresholdSet(form: ThresholdSet.necForm, year: Int64(year), amountMinor: amount, at: at)
}

/// A creator's payments of a calendar year (`tally payments --year`, cli.md "Books").
public struct YearPayments: Equatable, Sendable {
    public var year: Int
    public var creator: String
    public var payments: Int
    public var paidMinor: Int64
    /// Paid through PayPal: a payment network reports it on Form 1099-K, not the payer on 1099-NEC.
    public var paypalMinor: Int64
    public var necMinor: Int64 { paidMinor - paypalMinor }
    /// Nil when the ledger's base currency is not USD (no US threshold applies to its figures).
    public var thresholdMinor: Int64?
    public var needs1099NEC: Bool { thresholdMinor.map { necMinor >= $0 } ?? false }
}

/// The payments dated in `year`, summed per creator, by creator id. `threshold`: the year's, nil when
/// the ledger's base currency is not USD (no threshold to meet).
public func paymentsOfYear(_ year: Int, payments: [PaidPayout], threshold: Int64?) -> [YearPayments] {
    var byCreator: [String: YearPayments] = [:]
    for p in payments where p.paidOn.year == year {
        var row =
            byCreator[p.creator]
            ?? YearPayments(
                year: year, creator: p.creator, payments: 0, paidMinor: 0,
                paypalMinor: 0, thresholdMinor: threshold)
        row.payments += 1
        row.paidMinor += p.amountMinor
        if p.method == .paypal { row.paypalMinor += p.amountMinor }
        byCreator[p.creator] = row
    }
    return byCreator.values.sorted { $0.creator < $1.creator }
}
