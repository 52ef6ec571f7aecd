import LedgerCore

/// What every row parser needs besides the row: the ledger's settings and the time of the import.
public struct RowContext {
    let now: Instant
    let emailHash: (String) -> String?
    /// Seals a payout account (the store's `PayoutSealing`): accounts are never stored in clear.
    let sealAccount: (String) -> String
    /// For creators: the platform of each follower column, by column index (`MasterDataFileReader`).
    let platformColumns: [(index: Int, platform: String)]

    public init(
        now: Instant, emailHash: @escaping (String) -> String?, sealAccount: @escaping (String) -> String,
        platformColumns: [(index: Int, platform: String)]
    ) {
        self.now = now; self.emailHash = emailHash; self.sealAccount = sealAccount
        self.platformColumns = platformColumns
    }
}

typealias RowOutcome = (MasterDataChange, Fact?)

/// Turns one row of `kind` into a fact against `book`; nil when the row has problems (they are
/// in `row.issues`).
func applyRow(_ kind: MasterDataKind, _ row: inout RowReader, _ book: inout MasterDataBook, _ context: RowContext)
    -> RowOutcome?
{
    switch kind {
    case .creators: return creatorRow(&row, &book, context)
    case .codes: return codeRow(&row, &book, context)
    case .referrals: return referralRow(&row, &book)
    case .terms: return termsRow(&row, &book)
    case .posts: return postRow(&row, &book)
    case .gifts: return giftRow(&row, &book)
    case .adjustments: return adjustmentRow(&row, &book)
    case .fx: return fxRow(&row, &book)
    }
}

/// The columns of a creators file that are not platforms.
let namedCreatorColumns = MasterDataKind.creators.requiredColumns + MasterDataKind.creators.optionalColumns

/// The follower columns of a creators header: every column that is not one of the named ones.
func platformColumns(_ header: MasterDataHeader, file: String) -> Result<[(index: Int, platform: String)], InputIssue> {
    let named = Set(namedCreatorColumns)
    var result: [(index: Int, platform: String)] = []
    for (i, name) in header.names.enumerated() where !name.isEmpty && !named.contains(name) {
        guard case let .success(platform) = MasterValues.platform(name) else {
            return .failure(
                InputIssue(
                    file: file, line: 1, column: i + 1, found: header.raw[i],
                    expected: "a platform name of lower-case letters, digits, '-', '_' or '.' "
                        + "(every column of a creators file other than id, name, email, "
                        + "payout_method, payout_account, tax_form holds follower counts)"))
        }
        result.append((i, platform))
    }
    return .success(result)
}

// MARK: - Creators

private func creatorRow(_ row: inout RowReader, _ book: inout MasterDataBook, _ context: RowContext) -> RowOutcome? {
    let id = row.required("id", "a creator id like anna-bakes") { MasterValues.slug($0) }
    let name = row.requiredText("name", "the creator's name")
    let email = row.optional("email", MasterValues.email)
    var followers: [String: Int64] = [:]
    for (index, platform) in context.platformColumns {
        let column = row.header.names[index]
        let count = row.optional(column) { text in
            MasterValues.count(text).mapError { problem in
                ValueProblem(
                    "\(problem.expected) (a creators file reads every column other than "
                        + "\(namedCreatorColumns.joined(separator: ", ")) as a platform's follower count: "
                        + "a column of other text, such as notes, has no place in it)")
            }
        }
        if let count { followers[platform] = count }
    }
    let details = payoutDetails(&row)
    // Recorded as given (a bank's own format may differ; ledgers and benchmark data hold such
    // accounts), but said: PayPal, Wise or the bank would refuse the upload. Said when the account
    // is new to the ledger: a file imported again does not repeat it.
    let accountNote = details.flatMap { details in
        MasterValues.payoutAccountProblem(method: details.method, account: details.account).map { problem in
            "\(row.file):\(row.line): payout_account \(maskedAccountTail(details.account)) of "
                + "\(id ?? row.text("id")): expected \(problem.expected); recorded as given (the upload would be "
                + "refused)"
        }
    }
    let payout = details.map { PayoutDetails(method: $0.method, account: context.sealAccount($0.account)) }
    let taxForm = taxFormCell(&row)
    guard row.issues.isEmpty, let id, let name else {
        if let accountNote { book.notes.append(accountNote) }
        return nil
    }
    let value = CreatorCells(
        name: name, email: email, followers: followers, payout: details.map { [$0.method, $0.account] },
        taxForm: taxForm)
    let columns =
        ["name", "email", "payout_method", "payout_account", "tax_form"]
        + context.platformColumns.map { row.header.names[$0.index] }
    guard
        oneValuePerKey(
            &row, &book, key: "creator \(id)", value: value, columns: columns, rows: "row per creator id", of: id)
    else { return nil }
    let outcome = book.applyCreator(
        id: id, name: name, emailHash: email.flatMap(context.emailHash), followers: followers,
        payout: payout, taxForm: taxForm, at: context.now)
    let (newEmail, newAccount) = newContactDetails(outcome.1)
    if newAccount, let accountNote { book.notes.append(accountNote) }
    if newEmail || newAccount, let note = lookAlikeNote(id, book, at: "\(row.file):\(row.line)") {
        book.notes.append(note)
    }
    return outcome
}

/// Whether a creator fact brings an e-mail and a payout account the ledger did not have for it.
public func newContactDetails(_ fact: Fact?) -> (email: Bool, account: Bool) {
    switch fact {
    case let .creatorRegistered(f)?: return (f.emailHash != nil, f.payout != nil)
    case let .creatorUpdated(f)?: return (f.emailHash != nil, f.payout != nil)
    default: return (false, false)
    }
}

/// `creators.csv:3: bea2 has the e-mail of bea: ...`: a creator registered (or given an e-mail or
/// payout account) with the e-mail or payout account of another id is likely one person twice,
/// whose payouts would be split between the two ids. Recorded as given (two people may share a
/// payout account, such as an agency's), but said; nil when no other creator shares them.
public func lookAlikeNote(_ id: String, _ book: MasterDataBook, at place: String? = nil) -> String? {
    let others = book.lookAlikes(of: id)
    guard !others.isEmpty else { return nil }
    let named = others.map { other in
        let what =
            other.sameEmail && other.sameAccount
            ? "the e-mail and the payout account" : other.sameEmail ? "the e-mail" : "the payout account"
        return "\(what) of \(other.id)"
    }
    return (place.map { "\($0): " } ?? "")
        + "\(id) has \(named.joined(separator: ", ")): likely the same person twice, whose payouts "
        + "would be split between the ids; recorded as given; if it is one person, keep one id (and assign the "
        + "other's codes to it)"
}

/// The tax form on file: a column left out or an empty cell keeps it (a creators file from another
/// system need not carry it), `none` clears it.
private func taxFormCell(_ row: inout RowReader) -> Clearable<TaxForm> {
    let raw = row.text("tax_form")
    if raw.isEmpty { return nil }
    switch MasterValues.taxForm(raw) {
    case let .success(form): return form
    case let .failure(problem):
        row.fail("tax_form", found: MasterValues.shownTaxFormCell(raw), expected: problem.expected)
        return nil
    }
}

/// Method and account come together or not at all (both empty: keep what is stored).
private func payoutDetails(_ row: inout RowReader) -> PayoutDetails? {
    let method = row.optional("payout_method", MasterValues.payoutMethod)
    let account = row.optionalText("payout_account")
    switch (row.text("payout_method").isEmpty, account) {
    case (true, nil): return nil
    case (true, let account?):
        let expected = "a payout method (paypal, wise or bank) for payout account \(maskedAccountTail(account))"
        row.fail("payout_method", found: "", expected: expected)
        return nil
    case (false, nil):
        // Only a valid method is named: an invalid one may be an account typed into the wrong column.
        row.fail(
            "payout_account", found: "",
            expected: method.map { "the payout account for payout method \($0)" }
                ?? "a payout account, with a payout method of paypal, wise or bank")
        return nil
    case (false, let account?):
        return method.map { PayoutDetails(method: $0, account: account) }
    }
}

// MARK: - Codes and referral values

private func codeRow(_ row: inout RowReader, _ book: inout MasterDataBook, _ context: RowContext) -> RowOutcome? {
    let code = row.requiredText("code", "a discount code").map(normalizeCode)
    let creator = row.text("creator")
    if creator.isEmpty {
        // A house code: valid_from (optional) only dates the declaration; it never ends.
        let at = row.optional("valid_from") { MasterValues.instant($0, zone: book.zone) }
        let until = row.text("valid_until")
        if !until.isEmpty {
            row.fail(
                "valid_until", found: until,
                expected: "an empty cell for a house code "
                    + "(a house code belongs to no creator and has no end; "
                    + "give the code a creator, or leave valid_until empty)")
        }
        guard row.issues.isEmpty, let code else { return nil }
        return catching(&row, key: "code") { () throws(MasterDataConflict) in
            try book.applyHouseCode(code, at: at ?? context.now)
        }
    }
    guard let assignment = assignmentCells(&row, book), let code else { return nil }
    guard oneAssignmentPerStart(&row, &book, code, assignment, noun: "code") else { return nil }
    return catching(&row, key: "code") { () throws(MasterDataConflict) in try book.applyCode(code, assignment) }
}

private func referralRow(_ row: inout RowReader, _ book: inout MasterDataBook) -> RowOutcome? {
    let value = row.requiredText("value", "a referral value like ref=anna").map(normalizeCode)
    if row.text("creator").isEmpty {
        row.fail("creator", found: "", expected: "the creator id the referral value belongs to")
    }
    guard let assignment = assignmentCells(&row, book), let value,
        oneAssignmentPerStart(&row, &book, value, assignment, noun: "referral value")
    else { return nil }
    return catching(&row, key: "value") { () throws(MasterDataConflict) in try book.applyReferral(value, assignment) }
}

/// A code (or referral value) row against the earlier rows of its file: one creator and valid_until
/// per valid_from, and no row that a later row for another creator ends before the end it states
/// (`WINTER,anna-bakes,2026-07-01,2026-09-30` and `WINTER,brew-bea,2026-08-01,`: the file says both
/// who has WINTER in August and that anna-bakes keeps it to September). A row without an end is
/// ended by the next one, as across files.
private func oneAssignmentPerStart(
    _ row: inout RowReader, _ book: inout MasterDataBook, _ code: String, _ assignment: Assignment, noun: String
) -> Bool {
    let agrees = oneValuePerKey(
        &row, &book, key: "\(noun) \(code) \(assignment.validFrom)", value: assignment,
        columns: ["creator", "valid_until"]
    ) { line, column, cell in
        column == "creator"
            ? "one creator per \(noun) and valid_from in a file: line \(line) gives "
                + "\(code) to \(cell) from the same date; keep the right row (a later valid_from moves the \(noun))"
            : "one valid_until per \(noun) and valid_from in a file: line \(line) gives \(code) "
                + (cell.isEmpty ? "no valid_until" : "valid_until \(cell)") + " from the same date; keep the right row"
    }
    guard agrees else { return false }
    let earlier = book.assignmentsInFile[code] ?? []
    book.assignmentsInFile[code, default: []].append((row.line, assignment))
    for (line, other) in earlier where other.creator != assignment.creator && other.validFrom != assignment.validFrom {
        let (first, second) = other.validFrom < assignment.validFrom ? (other, assignment) : (assignment, other)
        guard let end = first.validUntil, end > second.validFrom else { continue }
        let endText = book.zone.civilDate(of: end).description,
            startText = book.zone.civilDate(of: second.validFrom).description
        let advice =
            "the file cannot say both: give the earlier row valid_until \(startText), "
            + "or the later row valid_from \(endText) (a later valid_from ends the earlier assignment)"
        if first == assignment {
            row.fail(
                "valid_until", found: row.text("valid_until"),
                expected: "a valid_until on or before \(startText), when line \(line) gives \(code) to "
                    + "\(other.creator); \(advice)")
        } else {
            row.fail(
                "valid_from", found: row.text("valid_from"),
                expected: "a valid_from on or after \(endText), the valid_until line \(line) gives \(code) "
                    + "for \(other.creator); \(advice)")
        }
        return false
    }
    return true
}

/// creator, valid_from, valid_until of a code or referral row. Nil when any of them is wrong
/// (an empty creator was already reported by the caller, or is a house code).
private func assignmentCells(_ row: inout RowReader, _ book: MasterDataBook) -> Assignment? {
    let creator = row.text("creator")
    if !creator.isEmpty { checkCreator(&row, "creator", creator, book) }
    let from = row.required("valid_from", "the date the assignment starts, like 2026-07-01") {
        MasterValues.instant($0, zone: book.zone)
    }
    let until = row.optional("valid_until") { MasterValues.instant($0, zone: book.zone) }
    if let from, let until, until <= from {
        row.fail(
            "valid_until", found: row.text("valid_until"),
            expected: "a date after valid_from \(row.text("valid_from")) (valid_until is exclusive)")
    }
    guard row.issues.isEmpty, !creator.isEmpty, let from else { return nil }
    return Assignment(creator: creator, validFrom: from, validUntil: until)
}

// MARK: - Terms

private func termsRow(_ row: inout RowReader, _ book: inout MasterDataBook) -> RowOutcome? {
    let creator = requiredCreator(&row, book)
    let from = row.required("effective_from", "the date the terms start, like 2026-07-01") {
        MasterValues.instant($0, zone: book.zone)
    }
    let commission = row.optional("commission", MasterValues.commission)
    let perOrder = row.optional("per_order") { MasterValues.money($0, book.baseCurrency, sign: .zeroOrMore) }
    let holdback = row.optional("holdback_days", MasterValues.holdbackDays)
    let minPayout = row.optional("min_payout") { MasterValues.money($0, book.baseCurrency, sign: .zeroOrMore) }
    let base = book.baseCurrency
    let newCustomer = row.optional("new_customer_commission", MasterValues.clearableCommission)
    let lifetimeMonths = row.optional("lifetime_months") { MasterValues.count($0, max: 1_200) }
    let lifetime = row.optional("lifetime_commission", MasterValues.clearableCommission)
    let tiers = row.optional("tiers", MasterValues.clearableTiers)
    let tiersApply = row.optional("tiers_apply", MasterValues.tiersApply)
    let bonusThreshold = row.optional("bonus_threshold") { MasterValues.count($0, max: 1_000_000_000) }
    let bonus = row.optional("bonus") { MasterValues.clearableMoney($0, base) }
    let retainer = row.optional("retainer") { MasterValues.clearableMoney($0, base) }
    guard row.issues.isEmpty, let creator, let from else { return nil }
    let terms = TermsSet(
        creator: creator, effectiveFrom: from, commission: commission, perOrderMinor: perOrder,
        holdbackDays: holdback, minPayoutMinor: minPayout, newCustomerCommission: newCustomer,
        lifetimeMonths: lifetimeMonths, lifetimeCommission: lifetime, tiers: tiers,
        tiersApply: tiersApply, bonusThreshold: bonusThreshold, bonusMinor: bonus,
        retainerMinor: retainer)
    let columns = MasterDataKind.terms.requiredColumns.dropFirst(2) + MasterDataKind.planColumns
    guard
        oneValuePerKey(
            &row, &book, key: "terms \(creator) \(from)", value: terms, columns: Array(columns),
            rows: "terms row per creator and effective_from", of: "\(creator) from \(row.text("effective_from"))")
    else { return nil }
    return catching(&row, key: "creator") { () throws(MasterDataConflict) in try book.applyTerms(terms) }
}

// MARK: - Posts, gifts, adjustments

private func postRow(_ row: inout RowReader, _ book: inout MasterDataBook) -> RowOutcome? {
    let creator = requiredCreator(&row, book)
    let day = datedCell(&row, book)
    let platform = row.required("platform", "a platform name like instagram", MasterValues.platform)
    let fee = row.required("fee", "the flat fee (0.00 when none)") {
        MasterValues.money($0, book.baseCurrency, sign: .zeroOrMore)
    }
    let url = row.optionalText("url")
    let impressions = row.optional("impressions") { MasterValues.count($0) }
    let engagements = row.optional("engagements") { MasterValues.count($0) }
    let explicitID = row.optional("id", MasterValues.rowID)
    guard row.issues.isEmpty, let creator, let day, let platform, let fee else { return nil }
    let post = book.post(
        id: explicitID, creator: creator, at: day.at, platform: platform, feeMinor: fee, url: url,
        impressions: impressions, engagements: engagements)
    if explicitID == nil {
        book.noteIdless(
            id: post.id, line: row.line, file: row.file, what: "post", creator: creator, date: post.date,
            platform: platform, amountMinor: fee, amountName: "fee")
    }
    guard
        explicitID == nil
            || oneValuePerKey(
                &row, &book, key: "post \(post.id)", value: post,
                columns: ["creator", "date", "platform", "fee", "url", "impressions", "engagements"],
                rows: "row per post id", of: post.id)
    else { return nil }
    return catching(&row, key: "id") { () throws(MasterDataConflict) in try book.applyPost(post) }
}

private func giftRow(_ row: inout RowReader, _ book: inout MasterDataBook) -> RowOutcome? {
    let creator = requiredCreator(&row, book)
    let day = datedCell(&row, book)
    let value = row.required("value", "the product cost of the gift, like 48.00") {
        MasterValues.money($0, book.baseCurrency, sign: .zeroOrMore)
    }
    let note = row.optionalText("note")
    let explicitID = row.optional("id", MasterValues.rowID)
    guard row.issues.isEmpty, let creator, let day, let value else { return nil }
    let gift = book.gift(id: explicitID, creator: creator, at: day.at, valueMinor: value, note: note)
    if explicitID == nil {
        book.noteIdless(
            id: gift.id, line: row.line, file: row.file, what: "gift", creator: creator, date: gift.date,
            platform: nil, amountMinor: value, amountName: "value")
    }
    guard
        explicitID == nil
            || oneValuePerKey(
                &row, &book, key: "gift \(gift.id)", value: gift, columns: ["creator", "date", "value", "note"],
                rows: "row per gift id", of: gift.id)
    else { return nil }
    return catching(&row, key: "id") { () throws(MasterDataConflict) in try book.applyGift(gift) }
}

private func adjustmentRow(_ row: inout RowReader, _ book: inout MasterDataBook) -> RowOutcome? {
    let creator = requiredCreator(&row, book)
    let day = datedCell(&row, book)
    let amount = row.required("amount", "a signed amount like 40.00 or -12.00") {
        MasterValues.money($0, book.baseCurrency, sign: .nonZero)
    }
    let reason = row.requiredText("reason", "the reason for the adjustment")
    let explicitID = row.optional("id", MasterValues.rowID)
    guard row.issues.isEmpty, let creator, let day, let amount, let reason else { return nil }
    let adjustment = book.adjustment(id: explicitID, creator: creator, at: day.at, amountMinor: amount, reason: reason)
    if explicitID == nil {
        book.noteIdless(
            id: adjustment.id, line: row.line, file: row.file, what: "adjustment", creator: creator,
            date: adjustment.date, platform: nil, amountMinor: amount, amountName: "amount")
    }
    guard
        explicitID == nil
            || oneValuePerKey(
                &row, &book, key: "adjustment \(adjustment.id)", value: adjustment,
                columns: ["creator", "date", "amount", "reason"], rows: "row per adjustment id", of: adjustment.id)
    else { return nil }
    return catching(&row, key: "id") { () throws(MasterDataConflict) in try book.applyAdjustment(adjustment) }
}

// MARK: - Exchange rates

private func fxRow(_ row: inout RowReader, _ book: inout MasterDataBook) -> RowOutcome? {
    let day = datedCell(&row, book)
    let currency = row.required("currency", "an ISO 4217 currency code like EUR") { text in
        MasterValues.currency(text).flatMap { c in
            c == book.baseCurrency
                ? .failure(
                    ValueProblem("a currency other than the base currency \(c.code) (its rate is 1 by definition)"))
                : .success(c)
        }
    }
    let rate = row.required(
        "rate", "units of \(book.baseCurrency.code) per unit of the currency, like 1.082735", MasterValues.fxRate)
    guard row.issues.isEmpty, let day, let currency, let rate,
        oneValuePerKey(
            &row, &book, key: "fx \(currency.code) \(day.date)", value: rate, columns: ["rate"],
            rows: "rate per date and currency", of: "\(currency.code) on \(day.date)")
    else { return nil }
    // A rate far from the nearest one known (the same day's first) is likely inverted (CUR per base
    // instead of base per CUR): recorded as given (the rules convert with it), and said.
    if let near = book.nearestFXRate(currency, day.date), near.rate != rate {
        let ratio = Double(rate.scaled) / Double(near.rate.scaled)
        if ratio > 1.5 || ratio < 1 / 1.5 {
            let factor = ratio > 1 ? ratio : 1 / ratio
            let hundredths = Int((factor * 100).rounded())
            let shown = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
            let times = ratio > 1 ? "\(shown) times" : "1/\(shown) of"
            let expected = "expected units of \(book.baseCurrency.code) per unit of \(currency.code)"
            // The same day's rate replaced: either may be the inverted one (a correction of an inverted
            // file looks the same), so the note says what it replaces rather than guess.
            book.notes.append(
                near.date == "\(day.date)"
                    ? "\(row.file):\(row.line): rate \(rate) for \(currency.code) on \(day.date) replaces "
                        + "\(near.rate), recorded for that day (it is \(times) that rate): \(expected); "
                        + "one of the two is likely inverted (an inverted file, or the correction of one); "
                        + "recorded as given"
                    : "\(row.file):\(row.line): rate \(rate) for \(currency.code) on \(day.date) is \(times) "
                        + "the rate of \(near.date) (\(near.rate)): \(expected); an inverted rate? recorded as given")
            book.fxNoted.insert("\(currency.code) \(day.date)")
        }
    }
    return book.applyFXRate(FXRateSet(date: day.date, effectiveAt: day.at, currency: currency, rate: rate))
}

// MARK: - Shared cells

/// The values of a creators row that an import compares (the account before it is sealed).
private struct CreatorCells: Equatable, Sendable {
    var name: String
    var email: String?
    var followers: [String: Int64]
    var payout: [String]?
    var taxForm: Clearable<TaxForm>
}

/// One value per key in a file, the rule of every kind: a row whose key an earlier row of the file
/// gave with another value is refused at the first of `columns` whose cell differs, naming the
/// earlier line ("recorded later replaces" is for a later file, not for row order). The same row
/// again is fine. `expected`: the message, from the earlier line, the column and its cell there.
private func oneValuePerKey<V: Equatable & Sendable>(
    _ row: inout RowReader, _ book: inout MasterDataBook, key: String, value: V, columns: [String],
    expected: (_ line: Int, _ column: String, _ earlierCell: String) -> String
) -> Bool {
    let cells = columns.map { row.text($0) }
    guard let earlier = book.keysInFile[key] else {
        book.keysInFile[key] = .init(line: row.line, value: value, cells: cells)
        return true
    }
    if earlier.holds(value) { return true }
    let i = columns.indices.first { cells[$0] != earlier.cells[$0] } ?? 0
    row.fail(columns[i], found: cells[i], expected: expected(earlier.line, columns[i], earlier.cells[i]))
    return false
}

/// The same, with the message of most kinds: `one terms row per creator and effective_from in a
/// file: line 2 gives anna-bakes from 2026-07-01 commission '10%'; keep the right row`.
private func oneValuePerKey<V: Equatable & Sendable>(
    _ row: inout RowReader, _ book: inout MasterDataBook, key: String, value: V, columns: [String], rows: String,
    of subject: String
) -> Bool {
    oneValuePerKey(&row, &book, key: key, value: value, columns: columns) { line, column, cell in
        let hidden =
            column.contains("email") || column.contains("account")
            ? maskedAccountTail(cell) : column == "tax_form" ? MasterValues.shownTaxFormCell(cell) : cell
        let shown = cell.isEmpty ? "an empty \(column)" : "\(column) '\(hidden)'"
        return "one \(rows) in a file: line \(line) gives \(subject) \(shown); keep the right row "
            + "(the same row twice is fine)"
    }
}

/// The `creator` cell: required, and registered.
private func requiredCreator(_ row: inout RowReader, _ book: MasterDataBook) -> String? {
    guard let creator = row.requiredText("creator", "a registered creator id") else { return nil }
    return checkCreator(&row, "creator", creator, book) ? creator : nil
}

@discardableResult
private func checkCreator(_ row: inout RowReader, _ column: String, _ id: String, _ book: MasterDataBook) -> Bool {
    do throws(MasterDataConflict) {
        try book.requireCreator(id)
        return true
    } catch {
        row.fail(column, error)
        return false
    }
}

/// The `date` cell as a calendar day in the ledger's zone; the fact is effective at its 00:00.
/// A timestamp is reduced to its day in the ledger's zone.
private func datedCell(_ row: inout RowReader, _ book: MasterDataBook) -> (date: CivilDate, at: Instant)? {
    guard let at = row.required("date", "a date like 2026-07-01", { MasterValues.instant($0, zone: book.zone) }) else {
        return nil
    }
    return book.day(of: at)
}

/// Runs a book operation, turning a conflict into a problem of `key` (or of `creator`).
private func catching(_ row: inout RowReader, key: String, _ body: () throws(MasterDataConflict) -> RowOutcome)
    -> RowOutcome?
{
    do throws(MasterDataConflict) {
        return try body()
    } catch {
        row.fail(error.field == .creator ? "creator" : key, error)
        return nil
    }
}
