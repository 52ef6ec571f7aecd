import TestSupport
import Testing
@testable import LedgerCore

// Hostile values for the parsers every importer and command goes through: each must answer
// with a value or an error, never trap. A trap here would kill the whole test process, so a
// test that merely completes proves the "no crash" half; the expectations prove the errors.

/// SplitMix64: tiny, seedable; the seed is printed with every failure so it can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Named hostile values

@Test(arguments: [
    ("1e309", AmountError.scientific),
    ("1E309", .scientific),
    ("-1e309", .scientific),
    ("123456789012345678901234567890", .tooLarge),  // 30 digits
    ("-123456789012345678901234567890", .tooLarge),
    ("123456789012345678901234567890.12", .tooLarge),
    ("9223372036854775807", .tooLarge),  // Int64.max: overflows when scaled to cents
    ("-9223372036854775808", .tooLarge),  // Int64.min magnitude does not fit
    ("92233720368547758.07", .tooLarge),  // fits Int64 as cents, beyond the 10^15 margin
    ("10000000000000.01", .tooLarge),  // 10^15 + 1 cents
    ("0.000000000000000000000000000001", .tooManyDecimals(found: 30, allowed: 2, currency: "USD")),
    ("inf", .notANumber), ("NaN", .notANumber), ("-", .notANumber), ("+", .notANumber),
    ("--1", .notANumber), ("1..2", .notANumber), (".5", .notANumber), ("5.", .notANumber),
    ("", .empty), ("12,50", .comma), ("$5", .currencySymbol), ("€5", .currencySymbol),
    ("1\u{0}2", .notANumber), ("١٢", .notANumber)  // NUL, Arabic-Indic digits
])
func hostileAmountsAreRefused(text: String, expected: AmountError) {
    #expect(parseAmount(text, .usd) == .failure(expected))
}

@Test func amountLimitIsExactAtTheMargin() {
    // 10^15 minor units is accepted (ten trillion dollars), one more is not, for every exponent.
    for currency in [Currency.jpy, .usd, .kwd, Currency(code: "CLF")!] {
        let e = currency.minorUnitExponent
        let limit = formatMinor(1_000_000_000_000_000, exponent: e)
        #expect(parseAmount(limit, currency) == .success(1_000_000_000_000_000), "\(currency)")
        #expect(parseAmount("-" + limit, currency) == .success(-1_000_000_000_000_000), "\(currency)")
        let over = formatMinor(1_000_000_000_000_001, exponent: e)
        #expect(parseAmount(over, currency) == .failure(.tooLarge), "\(currency)")
    }
    // Overflow while scaling (few decimals given, many required) is an error, not a trap.
    #expect(parseAmount("9223372036854775", Currency(code: "CLF")!) == .failure(.tooLarge))
    #expect(parseAmount("922337203685477580", .kwd) == .failure(.tooLarge))
}

@Test func negativeTotalsParseAsNegative() {
    // The parser is exact about signs; whether a negative total is allowed is the importer's rule.
    #expect(parseAmount("-0.01", .usd) == .success(-1))
    #expect(parseAmount("-0", .usd) == .success(0))
    #expect(parseCount("-1") == .failure(.negativeNotAllowed))
    #expect(parseCount("1e9") == .failure(.scientific))
    #expect(parseCount("123456789012345678901234567890") == .failure(.tooLarge))
    #expect(parseCount("1000000000001") == .failure(.tooLarge))
}

@Test(arguments: [
    "0000-01-01T00:00:00Z", "0000-12-31 23:59:59 +0000", "10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-09-14T24:00:00Z",
    "2026-09-14T10:60:00Z", "2026-09-14T10:00:60Z", "2026-09-14T10:00:00+19:00", "2026-09-14T10:00:00+05:61",
    "2026-09-14T10:00:00.1234567890Z", "2026-09-14T10:00:00.Z", "2026-09-14T10:00:00", "2026-09-14",
    "2026-09-14T10:00:00Zjunk", "2026-09-14T10:00:00+0", "２０２６-09-14T10:00:00Z", "2026-09-14T10:00:00\u{0}Z",
    "", "T", "9999999999-01-01T00:00:00Z"
])
func hostileTimestampsAreRefused(text: String) {
    #expect(Timestamp.parse(text) == nil)
}

@Test(arguments: [
    "0000-01-01", "0000-02-29", "10000-01-01", "-001-01-01", "2026-02-29", "2025-04-31", "2026-1-01",
    "２０２６-01-01", ""
])
func hostileDatesAreRefused(text: String) {
    #expect(CivilDate.parse(text) == nil)
    #expect(parseDateOrTimestamp(text, zone: .utc) == nil)
}

/// Year 9999 is a valid year, and an offset can push its last day into year 10000 (UTC) or
/// year 1's first day into year 0. Everything downstream (months, their first days, the next
/// month) must still compute without a trap.
@Test(arguments: [
    "9999-12-31T23:59:59-18:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+18:00", "0001-01-01T00:00:00Z"
])
func extremeYearsDoNotTrapDownstream(text: String) throws {
    let t = try #require(Timestamp.parse(text))
    #expect(Timestamp.parse(t.description)?.instant == t.instant)
    for zone in [Zone.utc, Zone(identifier: "Pacific/Kiritimati")!, Zone(identifier: "Pacific/Pago_Pago")!] {
        let month = zone.month(of: t.instant)
        let start = zone.startOfMonth(month)
        #expect(start <= t.instant, "\(text) in \(zone)")
        #expect(zone.startOfMonth(month.next) > t.instant, "\(text) in \(zone)")
        _ = zone.startOfMonth(month.previous)
        _ = zone.timestamp(t.instant).description
    }
}

/// Found by the importer hostile-value test: a post dated `9999-12-31T23:59:59-18:00` was stored
/// with the date 10000-01-01 (New York), which no loader could read back: every later command
/// that loads the ledger failed with "the ledger is damaged".
@Test func dateArgumentsOutsideYearsOneToNineThousandNineHundredNinetyNineAreRefused() {
    let newYork = Zone(identifier: "America/New_York")!
    #expect(parseDateOrTimestamp("9999-12-31T23:59:59-18:00", zone: newYork) == nil)
    #expect(parseDateOrTimestamp("9999-12-31T23:59:59-18:00", zone: .utc) == nil)
    #expect(parseDateOrTimestamp("0001-01-01T00:00:00+18:00", zone: newYork) == nil)
    #expect(parseDateOrTimestamp("9999-12-31T12:00:00Z", zone: newYork) == Instant(unixSeconds: 253_402_257_600))
    #expect(
        parseDateOrTimestamp("9999-12-31", zone: newYork).map { newYork.civilDate(of: $0).description } == "9999-12-31")
    #expect(
        parseDateOrTimestamp("0001-01-01", zone: newYork).map { newYork.civilDate(of: $0).description } == "0001-01-01")
}

@Test func yearNineThousandNineHundredNinetyNineIsAccepted() {
    #expect(CivilDate.parse("9999-12-31")?.description == "9999-12-31")
    #expect(CivilDate.parse("0001-01-01")?.description == "0001-01-01")
    #expect(YearMonth.parse("9999-12")?.next.firstDay.description == "10000-01-01")
    #expect(YearMonth.parse("0001-01")?.previous.firstDay.description == "0000-12-01")
}

@Test(arguments: [
    ("1e309%", AmountError.scientific), ("100.0001%", .outOfRange(CommissionRate.overFullExpected)),
    ("-0.0001%", .outOfRange(CommissionRate.negativeExpected)), ("-5%", .outOfRange(CommissionRate.negativeExpected)),
    ("120%", .outOfRange(CommissionRate.overFullExpected)), ("123456789012345678901234567890%", .tooLarge),
    ("9223372036854775807%", .tooLarge), ("12.5", .percentSignRequired), ("%", .empty),
    ("12.34567%", .outOfRange("expected at most 4 decimals of a percent, like 12.3456%"))
])
func hostileRatesAreRefused(text: String, expected: AmountError) {
    #expect(CommissionRate.parse(text) == .failure(expected))
}

@Test(arguments: [
    ("1e309", AmountError.scientific), ("0", .outOfRange("expected an exchange rate greater than 0")),
    ("-1", .outOfRange("expected an exchange rate greater than 0")), ("123456789012345678901234567890", .tooLarge),
    ("922337203.6854775808", .tooLarge), ("1000000000", .tooLarge),
    ("0.00000000001", .outOfRange("expected at most 10 decimals in an exchange rate"))
])
func hostileFXRatesAreRefused(text: String, expected: AmountError) {
    #expect(FXRate.parse(text) == .failure(expected))
}

@Test func fxConversionOverflowIsReportedNotTrapped() throws {
    let rate = try FXRate.parse("922337203").get()
    #expect(rate.convertChecked(1_000_000_000_000_000, from: .usd, to: .jpy) == nil)
    #expect(rate.convertChecked(100, from: .usd, to: .usd) == 92_233_720_300)
    #expect(try FXRate.parse("0.5").get().convertChecked(3, from: .usd, to: .usd) == 2)  // 1.5 -> 2, half-even
}

// MARK: - Random and mutated values

/// Seeds and the alphabet that mutations draw from: the characters of every format, plus bytes
/// that must never be mistaken for them.
private let seeds = [
    "1234.50", "-3.00", "0", "12.5%", "0.7312", "2026-09-14T10:23:45-04:00", "2026-09-14 10:23:45 -0400",
    "2026-09-14", "2026-09", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "100%", "1000000000000000"
]
private let alphabet: [String] = [
    "0", "1", "5", "9", ".", "-", "+", "e", "E", ":", "T", "Z", " ", "%", ",", "$", "€", "\u{0}",
    "\u{FEFF}", "\u{00A0}", "é", "😀", "\u{FFFD}", "9999999999", "18", "24", "60"
]

private func mutate(_ text: String, _ rng: inout SeededRandom) -> String {
    var chars = Array(text)
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        let at = chars.isEmpty ? 0 : Int.random(in: 0..<chars.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: if !chars.isEmpty { chars.remove(at: at) }
        case 1: chars.insert(contentsOf: alphabet.randomElement(using: &rng)!, at: at)
        case 2: if !chars.isEmpty { chars[at] = Character(alphabet.randomElement(using: &rng)!.prefix(1).description) }
        case 3: chars = Array(chars.prefix(at))  // truncate
        default: chars += Array(String(repeating: "9", count: Int.random(in: 1...40, using: &rng)))
        }
    }
    return String(chars)
}

/// Every parser on every mutated value; when one accepts, its result must be self-consistent
/// (formatting it and parsing again gives the same value).
@Test func mutatedValuesNeverTrapAndRoundTrip() {
    var accepted = 0
    for seed in UInt64(0)..<4_000 {
        var rng = SeededRandom(state: seed)
        let text = mutate(seeds.randomElement(using: &rng)!, &rng)
        for currency in [Currency.jpy, .usd, .kwd] {
            if case let .success(minor) = parseAmount(text, currency) {
                accepted += 1
                #expect(abs(minor) <= 1_000_000_000_000_000, "seed \(seed): \(text)")
                #expect(
                    parseAmount(formatMinor(minor, exponent: currency.minorUnitExponent), currency) == .success(minor),
                    "seed \(seed)")
            }
        }
        if case let .success(rate) = CommissionRate.parse(text) {
            #expect((0...1_000_000).contains(rate.partsPerMillion), "seed \(seed): \(text)")
            #expect(CommissionRate.parse(rate.description) == .success(rate), "seed \(seed)")
        }
        if case let .success(rate) = FXRate.parse(text) {
            #expect(rate.scaled > 0 && FXRate.parse(rate.description) == .success(rate), "seed \(seed): \(text)")
        }
        if let t = Timestamp.parse(text) {
            accepted += 1
            let month = Zone.utc.month(of: t.instant)
            #expect(Zone.utc.startOfMonth(month) <= t.instant, "seed \(seed): \(text)")
            _ = Zone.utc.startOfMonth(month.next)
        }
        _ = Timestamp.parse(text, defaultZone: Zone(identifier: "America/New_York")!)
        if let d = CivilDate.parse(text) { #expect(CivilDate.parse(d.description) == d, "seed \(seed)") }
        _ = parseDateOrTimestamp(text, zone: .utc)
        _ = YearMonth.parse(text).map { $0.next.firstDay }
        _ = parseCount(text)
    }
    #expect(accepted > 100, "the mutations should also produce valid values")
}

/// Random bytes (not just mutations of valid text): invalid UTF-8 decodes to U+FFFD and must be refused.
@Test func randomBytesNeverTrap() {
    for seed in UInt64(0)..<2_000 {
        var rng = SeededRandom(state: seed)
        let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = parseAmount(text, .usd)
        _ = CommissionRate.parse(text)
        _ = FXRate.parse(text)
        _ = Timestamp.parse(text)
        _ = Timestamp.parse(text, defaultZone: .utc)
        _ = CivilDate.parse(text)
        _ = YearMonth.parse(text)
        _ = parseDateOrTimestamp(text, zone: .utc)
        _ = Currency(code: text)
        _ = Zone(identifier: text)
    }
}
