import TestSupport
import Testing
@testable import LedgerCore

@Suite("money: parsing, formatting, rounding")
struct MoneyTests {
    let usd = Currency(code: "USD")!, jpy = Currency(code: "JPY")!, kwd = Currency(code: "KWD")!

    @Test(arguments: [
        ("0", 0), ("0.00", 0), ("-0.00", 0), ("1234.50", 123_450), ("1234.5", 123_450), ("1234", 123_400),
        ("-3.00", -300), ("+7.25", 725), ("0.01", 1), ("-0.01", -1), ("999999999999.99", 99_999_999_999_999)
    ])
    func parsesDotDecimalUSD(text: String, minor: Int64) throws {
        #expect(try parseAmount(text, usd).get() == minor)
    }

    @Test func parsesByTheCurrencysExponent() throws {
        #expect(try parseAmount("500", jpy).get() == 500)
        #expect(try parseAmount("1.234", kwd).get() == 1234)
        #expect(try parseAmount("1.2", kwd).get() == 1200)
        #expect(try parseAmount("12.3456", Currency(code: "CLF")!).get() == 123_456)
    }

    @Test(arguments: [
        ("12,50", AmountError.comma), ("1,234", .comma), ("1,234.50", .comma), ("$5", .currencySymbol),
        ("€5", .currencySymbol),
        ("5$", .currencySymbol), ("1e3", .scientific), ("5.52E+12", .scientific), ("", .empty), ("abc", .notANumber),
        (".5", .notANumber), ("5.", .notANumber), ("1.2.3", .notANumber), ("-", .notANumber), ("1 000", .notANumber),
        ("1.234", .tooManyDecimals(found: 3, allowed: 2, currency: "USD")),
        ("99999999999999999999", .tooLarge), ("10000000000000.01", .tooLarge)
    ])
    func refusesAmbiguousOrBadInput(text: String, error: AmountError) {
        #expect(parseAmount(text, usd) == .failure(error))
    }

    @Test func refusesDecimalsTheCurrencyDoesNotHave() {
        #expect(parseAmount("500.0", jpy) == .failure(.tooManyDecimals(found: 1, allowed: 0, currency: "JPY")))
        #expect(parseAmount("1.2345", kwd) == .failure(.tooManyDecimals(found: 4, allowed: 3, currency: "KWD")))
    }

    @Test func errorMessagesSayWhatWasExpected() {
        #expect(AmountError.comma.description.contains("1234.50"))
        #expect(
            AmountError.tooManyDecimals(found: 3, allowed: 2, currency: "USD").description
                == "3 decimals, but USD has 2; expected at most 2 decimals")
    }

    @Test(arguments: [
        (Int64(0), 2, "0.00"), (5, 2, "0.05"), (-5, 2, "-0.05"), (123_450, 2, "1234.50"), (-300, 2, "-3.00"),
        (500, 0, "500"), (-500, 0, "-500"), (1234, 3, "1.234"), (Int64.min, 2, "-92233720368547758.08")
    ])
    func formats(minor: Int64, exponent: Int, text: String) {
        #expect(formatMinor(minor, exponent: exponent) == text)
    }

    @Test func groupedFormatIsForTablesOnly() {
        #expect(formatMinorGrouped(123_456_789, exponent: 2) == "1,234,567.89")
        #expect(formatMinorGrouped(-100_000, exponent: 0) == "-100,000")
        #expect(formatMinorGrouped(99, exponent: 2) == "0.99")
    }

    @Test func formatThenParseRoundTrips() throws {
        var rng = SplitMix64(seed: 20261121)
        for _ in 0..<2_000 {
            let minor = Int64(bitPattern: rng.next()) % 1_000_000_000_000_000
            for currency in [usd, jpy, kwd] {
                #expect(
                    try parseAmount(formatMinor(minor, exponent: currency.minorUnitExponent), currency).get() == minor,
                    "seed 20261121, \(minor) \(currency)")
            }
        }
    }

    @Test(arguments: [
        (Int128(5), Int128(2), Int128(2)), (7, 2, 4), (-5, 2, -2), (-7, 2, -4), (1, 3, 0), (2, 3, 1), (-2, 3, -1),
        (25, 10, 2), (35, 10, 4), (15, 10, 2), (0, 7, 0), (5, -2, -2), (-5, -2, 2), (1, 2, 0), (3, 2, 2)
    ])
    func roundsHalfToEven(n: Int128, d: Int128, q: Int128) {
        #expect(divideRoundingHalfEven(n, d) == q)
    }

    @Test func addingAcrossCurrenciesIsAProgrammerError() {
        #expect(Money(100, usd) + Money(5, usd) == Money(105, usd))
        #expect(Money(100, usd) - Money(150, usd) == Money(-50, usd))
        #expect(Money(123_450, usd).description == "1234.50")
    }

    @Test func currencyTableIsISO4217() {
        #expect(Currency.allCodes.count >= 150)
        #expect(Currency(code: "usd")?.minorUnitExponent == 2)
        #expect(Currency(code: "JPY")?.minorUnitExponent == 0)
        #expect(Currency(code: "KRW")?.minorUnitExponent == 0)
        #expect(Currency(code: "BHD")?.minorUnitExponent == 3)
        #expect(Currency(code: "CLF")?.minorUnitExponent == 4)
        #expect(Currency(code: "CLP")?.minorUnitExponent == 0)
        #expect(Currency(code: "XXX") == nil)
        #expect(Currency(code: "DOLLAR") == nil)
        #expect(Currency(code: "") == nil)
    }
}

@Suite("rates: commission and exchange")
struct RateTests {
    @Test(arguments: [
        ("10%", Int64(100_000)), ("12.5%", 125_000), ("7.75%", 77_500), ("0%", 0), ("100%", 1_000_000),
        ("12.3456%", 123_456), (" 5 % ", 50_000)
    ])
    func parsesPercentages(text: String, ppm: Int64) throws {
        #expect(try CommissionRate.parse(text).get().partsPerMillion == ppm)
    }

    @Test(arguments: ["10", "0.1", "12,5%", "101%", "-5%", "12.34567%", "%", "ten%"])
    func refusesAmbiguousRates(text: String) {
        #expect((try? CommissionRate.parse(text).get()) == nil)
    }

    @Test func describesRatesWithoutTrailingZeros() throws {
        #expect(try CommissionRate.parse("12.50%").get().description == "12.5%")
        #expect(try CommissionRate.parse("7.75%").get().description == "7.75%")
        #expect(try CommissionRate.parse("10%").get().description == "10%")
        #expect(CommissionRate(partsPerMillion: 5).description == "0.0005%")
    }

    @Test func appliesWithOneHalfEvenRounding() throws {
        let rate = try CommissionRate.parse("12.5%").get()
        #expect(rate.apply(to: 1_000) == 125)  // exact
        #expect(rate.apply(to: 1_004) == 126)  // 125.5 -> 126 (even)
        #expect(rate.apply(to: 1_012) == 126)  // 126.5 -> 126 (even)
        #expect(rate.apply(to: -1_004) == -126)
        #expect(try CommissionRate.parse("7.75%").get().apply(to: 8_499) == 659)  // 658.6725 -> 659
    }

    @Test func convertsAcrossExponents() throws {
        let usd = Currency(code: "USD")!, cad = Currency(code: "CAD")!, jpy = Currency(code: "JPY")!,
            kwd = Currency(code: "KWD")!
        let cadToUsd = try FXRate.parse("0.733643").get()
        #expect(cadToUsd.convert(10_000, from: cad, to: usd) == 7_336)  // 73.3643 -> 73.36
        #expect(try FXRate.parse("0.5").get().convert(1, from: cad, to: usd) == 0)  // 0.5 -> 0 (even)
        #expect(try FXRate.parse("0.5").get().convert(3, from: cad, to: usd) == 2)  // 1.5 -> 2 (even)
        let jpyToUsd = try FXRate.parse("0.0066").get()
        #expect(jpyToUsd.convert(15_000, from: jpy, to: usd) == 9_900)  // 15000 JPY = 99.00 USD
        let usdToKwd = try FXRate.parse("0.307").get()
        #expect(usdToKwd.convert(10_000, from: usd, to: kwd) == 30_700)  // 100 USD = 30.700 KWD
        #expect(try FXRate.parse("1.2345678901").get().scaled == 12_345_678_901)
        #expect((try? FXRate.parse("1.23456789012").get()) == nil)
        #expect((try? FXRate.parse("0").get()) == nil)
        #expect((try? FXRate.parse("-1.2").get()) == nil)
    }
}
