/// An ISO 4217 currency and the number of decimals of its minor unit.
///
/// The table is the ISO 4217 list of active codes (including fund codes such as `CLF`, `UYW`).
/// The exponent is what ISO publishes: `JPY` 0, `USD` 2, `KWD` 3, `CLF` 4.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    public let code: String
    public let minorUnitExponent: Int

    init(uncheckedCode code: String, exponent: Int) {
        self.code = code
        self.minorUnitExponent = exponent
    }

    /// Looks a code up, case-insensitively after trimming spaces (`usd` is `USD`). `nil` for anything
    /// not in ISO 4217.
    public init?(code raw: String) {
        let code = raw.trimmingASCIISpaces().uppercasedASCII()
        guard let exponent = Currency.exponents[code] else { return nil }
        self.init(uncheckedCode: code, exponent: exponent)
    }

    public var description: String { code }

    /// 10^exponent: one major unit in minor units.
    public var minorUnitsPerMajor: Int64 { pow10(minorUnitExponent) }

    public static let usd = Currency(uncheckedCode: "USD", exponent: 2)
    public static let eur = Currency(uncheckedCode: "EUR", exponent: 2)
    public static let jpy = Currency(uncheckedCode: "JPY", exponent: 0)
    public static let kwd = Currency(uncheckedCode: "KWD", exponent: 3)

    public static var allCodes: [String] { exponents.keys.sorted() }

    static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        let zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
        let three = "BHD IQD JOD KWD LYD OMR TND"
        let four = "CLF UYW"
        let two = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP \
            BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR \
            FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW \
            KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN \
            NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD \
            SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU \
            UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL
            """
        for (list, exponent) in [(zero, 0), (two, 2), (three, 3), (four, 4)] {
            for code in list.split(separator: " ") { table[String(code)] = exponent }
        }
        return table
    }()
}

@inline(__always)
func pow10(_ exponent: Int) -> Int64 {
    precondition(exponent >= 0 && exponent <= 18, "10^\(exponent) does not fit Int64")
    var result: Int64 = 1
    for _ in 0..<exponent { result &*= 10 }
    return result
}

extension String {
    /// Trims spaces, tabs, CR/LF and the Unicode spaces and format characters seen in real exports
    /// (NBSP, zero-width space, word joiner, BOM).
    public func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isTrimmable(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isTrimmable(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }

    func uppercasedASCII() -> String {
        if utf8.allSatisfy({ $0 < 0x61 || $0 > 0x7A }) { return self }
        return String(decoding: utf8.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 32 : $0 }, as: UTF8.self)
    }
}

@inline(__always)
func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x200B, 0x2060, 0xFEFF, 0x202F, 0x2007: return true
    default: return false
    }
}
