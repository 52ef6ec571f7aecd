/// Why a master-data value was refused: `expected` completes "found 'X', expected ...".
/// Shared by the CSV importers (which add file:line:column) and the single commands (which add
/// the option name), so that both say the same thing about the same value.
public struct ValueProblem: Error, Equatable, Sendable {
    public var expected: String
    public init(_ expected: String) { self.expected = expected }
}

/// Which signs an amount may have.
public enum AmountSign: Sendable {
    case zeroOrMore
    case nonZero
}

/// Parsers for the cells of master-data files and the options of the master-data commands.
/// Each takes already-trimmed, non-empty text.
public enum MasterValues {
    public static let slugLengthMax = 64
    public static let idLengthMax = 128
    public static let holdbackDaysMax: Int64 = 3650

    /// A creator id or platform name: lower-case ASCII letters, digits, `-`, `_`, `.`, starting
    /// with a letter or digit (so ids sort, print and appear in file names without surprises).
    public static func slug(_ text: String, what: String = "a creator id") -> Result<String, ValueProblem> {
        let bytes = Array(text.utf8)
        let ok = !bytes.isEmpty && bytes.count <= slugLengthMax && isSlugStart(bytes[0]) && bytes.allSatisfy(isSlugByte)
        guard ok else {
            return .failure(
                ValueProblem(
                    "\(what) of lower-case letters, digits, '-', '_' or '.' "
                        + "(at most \(slugLengthMax), starting with a letter or digit, like anna-bakes)"))
        }
        return .success(text)
    }

    /// A platform name as written in a header or a post row: lower-cased, then a slug.
    public static func platform(_ text: String) -> Result<String, ValueProblem> {
        slug(text.lowercased(), what: "a platform name")
    }

    /// An explicit row id (posts, gifts, adjustments): printable text without control characters.
    public static func rowID(_ text: String) -> Result<String, ValueProblem> {
        let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
        guard printable, text.utf8.count <= idLengthMax else {
            return .failure(ValueProblem("an id of at most \(idLengthMax) bytes without control characters"))
        }
        return .success(text)
    }

    /// A DATE: `YYYY-MM-DD` (00:00 in the ledger's zone) or an ISO 8601 timestamp with offset.
    public static func instant(_ text: String, zone: Zone) -> Result<Instant, ValueProblem> {
        guard let at = parseDateOrTimestamp(text, zone: zone) else {
            let expected = "a date like 2026-07-01 or a timestamp with offset like 2026-07-01T09:30:00-04:00"
            return .failure(ValueProblem(expected + (slashedDateNote(text).map { "; " + $0 } ?? "")))
        }
        return .success(at)
    }

    /// Money in minor units of `currency`, through the one amount parser (`parseAmount`).
    public static func money(_ text: String, _ currency: Currency, sign: AmountSign) -> Result<Int64, ValueProblem> {
        switch parseAmount(text, currency) {
        case let .failure(error): return .failure(ValueProblem(expectation(error, currency: currency)))
        case let .success(minor):
            if sign == .zeroOrMore && minor < 0 {
                return .failure(ValueProblem("an amount of zero or more, like 250.00"))
            }
            if sign == .nonZero && minor == 0 {
                return .failure(
                    ValueProblem("a non-zero amount, like 40.00 or -12.00 (an adjustment of 0 changes nothing)"))
            }
            return .success(minor)
        }
    }

    /// A whole number from 0 to `max` (follower counts, impressions, days).
    public static func count(_ text: String, max: Int64 = 1_000_000_000_000) -> Result<Int64, ValueProblem> {
        switch parseCount(text, max: max) {
        case .success(let n): return .success(n)
        case .failure:
            // The example stays inside the range (lifetime months go to 1,200).
            let example = max >= 48_200 ? 48_200 : Swift.min(max, 12)
            return .failure(ValueProblem("a whole number from 0 to \(max), like \(example)"))
        }
    }

    public static func holdbackDays(_ text: String) -> Result<Int64, ValueProblem> {
        switch count(text, max: holdbackDaysMax) {
        case .success(let n): return .success(n)
        case .failure: return .failure(ValueProblem("a whole number of days from 0 to \(holdbackDaysMax), like 30"))
        }
    }

    /// `12.5%`: the percent sign is required (`10` could mean 10% or 1000%).
    public static func commission(_ text: String) -> Result<CommissionRate, ValueProblem> {
        CommissionRate.parse(text).mapError { error in
            switch error {
            case .percentSignRequired: return ValueProblem("a percentage with a % sign, like 12.5%")
            case let .outOfRange(what): return ValueProblem(dropExpected(what))
            default: return ValueProblem("a percentage from 0% to 100% with at most 4 decimals, like 12.5%")
            }
        }
    }

    /// `none` (any case): clears a rate, a tier list, a bonus or a retainer (section 8).
    public static func isNone(_ text: String) -> Bool { text.trimmingASCIISpaces().lowercased() == "none" }

    /// A rate or `none` (nil).
    public static func clearableCommission(_ text: String) -> Result<CommissionRate?, ValueProblem> {
        if isNone(text) { return .success(nil) }
        return commission(text).map { $0 }.mapError { ValueProblem($0.expected + ", or none") }
    }

    /// An amount of zero or more, or `none` (nil).
    public static func clearableMoney(_ text: String, _ currency: Currency) -> Result<Int64?, ValueProblem> {
        if isNone(text) { return .success(nil) }
        return money(text, currency, sign: .zeroOrMore).map { $0 }.mapError { ValueProblem($0.expected + ", or none") }
    }

    /// `25:12.5%;50:15%`, or `none` (nil).
    public static func clearableTiers(_ text: String) -> Result<RateTiers?, ValueProblem> {
        if isNone(text) { return .success(nil) }
        return RateTiers.parse(text).map { $0 }.mapError { ValueProblem($0.expected + ", or none") }
    }

    /// `marginal` or `month`.
    public static func tiersApply(_ text: String) -> Result<TiersApply, ValueProblem> {
        TiersApply(rawValue: text.trimmingASCIISpaces().lowercased()).map { .success($0) }
            ?? .failure(ValueProblem("marginal or month"))
    }

    /// Units of the base currency per unit of another currency, up to 10 decimals.
    public static func fxRate(_ text: String) -> Result<FXRate, ValueProblem> {
        FXRate.parse(text).mapError { error in
            if case let .outOfRange(what) = error { return ValueProblem(dropExpected(what)) }
            return ValueProblem("a positive dot-decimal rate with at most 10 decimals, like 1.082735")
        }
    }

    public static func currency(_ text: String) -> Result<Currency, ValueProblem> {
        guard let currency = Currency(code: text) else {
            return .failure(ValueProblem("an ISO 4217 currency code, like EUR"))
        }
        return .success(currency)
    }

    public static let payoutMethods = ["bank", "paypal", "wise"]

    public static func payoutMethod(_ text: String) -> Result<String, ValueProblem> {
        let method = text.lowercased()
        guard payoutMethods.contains(method) else {
            return .failure(ValueProblem("a payout method: paypal, wise or bank"))
        }
        return .success(method)
    }

    /// The expectation of a tax form cell (creators file, `creator add --tax-form`).
    public static let taxFormExpected =
        "a tax form: w9 or w8ben (the form on file, never the taxpayer identification "
        + "number), none to clear it, or an empty cell to keep it"

    /// A tax form as a team writes it: `w9`, `W-9`, `w8ben`, `W-8BEN` (case and hyphens aside); `none`
    /// clears the one on file (`.some(nil)`).
    public static func taxForm(_ text: String) -> Result<Clearable<TaxForm>, ValueProblem> {
        let plain = text.lowercased().replacingOccurrences(of: "-", with: "")
        if plain == "none" { return .success(.some(nil)) }
        guard let form = TaxForm(rawValue: plain) else { return .failure(ValueProblem(taxFormExpected)) }
        return .success(.some(form))
    }

    /// A cell as an error may show it: one with a run of digits may be a taxpayer identification
    /// number typed into the wrong column, which tally neither stores nor prints.
    public static func shownTaxFormCell(_ text: String) -> String {
        text.unicodeScalars.filter { ("0"..."9").contains($0) }.count >= 3
            ? "a value with \(text.count) characters and digits (not shown: it may be a taxpayer identification number)"
            : text
    }

    /// What a payout account must look like for its method, so that a typo shows at import rather
    /// than when PayPal, Wise or the bank refuses the upload (docs/payouts.md, "Layouts"): PayPal,
    /// an e-mail address or a PayerID (13 letters and digits); Wise, an e-mail address or an IBAN
    /// whose check digits hold (ISO 13616, mod 97); a bank account is free-form (account numbers
    /// differ by country), but one written as an IBAN (two letters, two digits, ...) must hold as
    /// one. Nil when it does. The problem never repeats the account (only its last 4 characters).
    public static func payoutAccountProblem(method: String, account: String) -> ValueProblem? {
        let isEmail = (try? email(account).get()) != nil
        switch method {
        case "paypal":
            let payerID =
                account.count == 13
                && account.unicodeScalars.allSatisfy {
                    ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                }
            guard isEmail || payerID else {
                return ValueProblem(
                    "a PayPal e-mail address or PayerID (13 capital letters and digits) for payout method paypal")
            }
        case "wise":
            if account.contains("@") {
                if !isEmail { return ValueProblem("an e-mail address like name@example.com for Wise") }
            } else if !ibanHolds(account) {
                return ValueProblem(
                    "an IBAN with valid check digits (or the recipient's e-mail address) for payout method wise")
            }
        default:
            let compact = account.filter { $0 != " " }.uppercased()
            let ibanLike =
                compact.count >= 15 && compact.prefix(2).allSatisfy(\.isLetter)
                && compact.dropFirst(2).prefix(2).allSatisfy(\.isNumber)
            if ibanLike, !ibanHolds(account) {
                return ValueProblem("an IBAN with valid check digits (this one's do not hold)")
            }
        }
        return nil
    }

    /// ISO 13616: two letters, two check digits and 11 to 30 letters and digits (spaces aside), the
    /// number read with A = 10 ... Z = 35 after moving the first four characters to the end, mod 97
    /// equal to 1.
    public static func ibanHolds(_ text: String) -> Bool {
        let iban = Array(text.filter { $0 != " " }.uppercased().unicodeScalars)
        guard (15...34).contains(iban.count), iban.prefix(2).allSatisfy({ ("A"..."Z").contains($0) }),
            iban.dropFirst(2).prefix(2).allSatisfy({ ("0"..."9").contains($0) }),
            iban.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else { return false }
        var remainder = 0
        for c in iban.dropFirst(4) + iban.prefix(4) {
            let v = Int(c.value)
            let digits = ("0"..."9").contains(c) ? v - 48 : v - 55
            remainder = digits < 10 ? (remainder * 10 + digits) % 97 : (remainder * 100 + digits) % 97
        }
        return remainder == 1
    }

    /// An e-mail address: one `@` with text on both sides and no spaces. Only its salted hash is
    /// ever stored; this only catches a shifted column or a typo.
    public static func email(_ text: String) -> Result<String, ValueProblem> {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let ok = parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !text.contains(" ")
        guard ok else { return .failure(ValueProblem("an e-mail address like name@example.com")) }
        return .success(text)
    }

    /// The "expected ..." text for an amount the one amount parser refused.
    static func expectation(_ error: AmountError, currency: Currency) -> String {
        switch error {
        case .comma:
            return "a dot-decimal amount like 1234.50 (a comma is neither a decimal mark nor a thousands separator)"
        case .currencySymbol: return "a plain amount without a currency symbol, like 1234.50"
        case .scientific: return "a plain dot-decimal amount like 1234.50 (no scientific notation)"
        case let .tooManyDecimals(_, allowed, _):
            return "at most \(allowed) decimals (\(currency.code) has \(allowed)), "
                + "like \(formatMinor(123_450, exponent: allowed))"
        case .tooLarge: return "an amount below \(AmountLimit.described)"
        case .negativeNotAllowed: return "an amount of zero or more"
        case let .outOfRange(what): return dropExpected(what)
        case .empty, .notANumber, .percentSignRequired: return "a dot-decimal amount like 1234.50 or -3.00"
        }
    }

    private static func dropExpected(_ text: String) -> String {
        text.hasPrefix("expected ") ? String(text.dropFirst("expected ".count)) : text
    }

    private static func isSlugStart(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
    private static func isSlugByte(_ b: UInt8) -> Bool { isSlugStart(b) || b == 0x2D || b == 0x5F || b == 0x2E }
}

/// What to say of a date written with slashes, as spreadsheets write dates (`8/31/2026`,
/// `31/08/2026 14:05`): which day it is when the numbers tell (a number above 12 is the day), and
/// that the order of day and month depends on the spreadsheet's language when they do not. Nil
/// for anything else.
public func slashedDateNote(_ text: String) -> String? {
    let date = text.trimmingASCIISpaces().split(separator: " ").first ?? ""
    let parts = date.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let y = Int(parts[2]),
        (1...31).contains(a), (1...31).contains(b), (0...9999).contains(y)
    else { return nil }
    let year = y < 100 ? 2000 + y : y
    func iso(_ month: Int, _ day: Int) -> String? {
        CivilDate(year: year, month: month, day: day).map(\.description)
    }
    let asMonthDay = a <= 12 ? iso(a, b) : nil, asDayMonth = b <= 12 ? iso(b, a) : nil
    let shown = "'\(date)' is a date with slashes, as a spreadsheet writes it"
    switch (asMonthDay, asDayMonth) {
    case let (md?, dm?) where md != dm:
        return shown + ": it is \(md) or \(dm) depending on the spreadsheet's language; write YYYY-MM-DD"
    case let (one?, _), let (nil, one?):
        return shown + ": write it as \(one) (YYYY-MM-DD)"
    default:
        return nil
    }
}
