import Foundation  // TimeZone only: the IANA rules of the ledger's zone.

/// A calendar date without a zone (`2026-09-14`).
public struct CivilDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...CivilDate.daysIn(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// 1970-01-01: what a decoder's blank fact starts from.
    public static let epoch = CivilDate(daysSinceEpoch: 0)

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`.
    public var daysSinceEpoch: Int64 { CivilDate.daysFromCivil(year: year, month: month, day: day) }

    /// `days_from_civil` for any proleptic Gregorian year, also outside 1...9999: a timestamp of
    /// 9999-12-31 written with a western offset falls in year 10000 in UTC, and must not trap.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.year = Int(y); self.month = Int(m); self.day = Int(d)
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public func adding(days: Int64) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    public var yearMonth: YearMonth { YearMonth(uncheckedYear: year, month: month) }

    /// `YYYY-MM-DD`; nil for anything else.
    public static func parse(_ text: String) -> CivilDate? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2)
        else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    public var description: String {
        // The common case (years 1000-9999) without intermediate strings: a close writes a date per
        // statement line, 180,000 of them for a year's first close.
        guard (1000...9999).contains(year) else { return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            writeISO(into: buffer)
            return 10
        }
    }

    /// `YYYY-MM-DD` into 10 bytes; only for years 1000-9999.
    private func writeISO(into b: UnsafeMutableBufferPointer<UInt8>) {
        let zero = UInt8(ascii: "0")
        b[0] = zero + UInt8(year / 1000); b[1] = zero + UInt8(year / 100 % 10); b[2] = zero + UInt8(year / 10 % 10);
        b[3] = zero + UInt8(year % 10)
        b[4] = UInt8(ascii: "-"); b[5] = zero + UInt8(month / 10); b[6] = zero + UInt8(month % 10)
        b[7] = UInt8(ascii: "-"); b[8] = zero + UInt8(day / 10); b[9] = zero + UInt8(day % 10)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// A calendar month (`2026-09`), the payout period.
public struct YearMonth: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    init(uncheckedYear year: Int, month: Int) { self.year = year; self.month = month }

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year; self.month = month
    }

    /// `YYYY-MM`; nil for anything else.
    public static func parse(_ text: String) -> YearMonth? {
        let b = Array(text.utf8)
        guard b.count == 7, b[4] == UInt8(ascii: "-"), let y = digits(b, 0, 4), let m = digits(b, 5, 2) else {
            return nil
        }
        return YearMonth(year: y, month: m)
    }

    public var next: YearMonth {
        month == 12 ? YearMonth(uncheckedYear: year + 1, month: 1) : YearMonth(uncheckedYear: year, month: month + 1)
    }
    public var previous: YearMonth {
        month == 1 ? YearMonth(uncheckedYear: year - 1, month: 12) : YearMonth(uncheckedYear: year, month: month - 1)
    }
    public var firstDay: CivilDate {
        CivilDate(daysSinceEpoch: CivilDate.daysFromCivil(year: year, month: month, day: 1))
    }
    public var description: String { pad(year, 4) + "-" + pad(month, 2) }
    public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z. Sub-second parts of imported
/// timestamps are dropped (rounded down): no rule of the ledger depends on them.
public struct Instant: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let unixSeconds: Int64
    public init(unixSeconds: Int64) { self.unixSeconds = unixSeconds }
    public static func < (a: Instant, b: Instant) -> Bool { a.unixSeconds < b.unixSeconds }
    public func adding(seconds: Int64) -> Instant { Instant(unixSeconds: unixSeconds + seconds) }
    /// ISO 8601 in UTC (`2026-09-14T08:30:00Z`).
    public var description: String { Timestamp(self, offsetSeconds: 0).description }
}

/// An instant together with the UTC offset it was written with, so that an export's own
/// `2026-09-14 10:23:45 -0400` can be shown back as it was.
public struct Timestamp: Hashable, Sendable, CustomStringConvertible {
    public let instant: Instant
    public let offsetSeconds: Int

    public init(_ instant: Instant, offsetSeconds: Int) {
        self.instant = instant
        self.offsetSeconds = offsetSeconds
    }

    /// ISO 8601 with offset: `2026-09-14T10:23:45-04:00` (`Z` for UTC).
    public var description: String {
        let local = instant.unixSeconds + Int64(offsetSeconds)
        let days = floorDiv(local, 86_400)
        let secondOfDay = Int(local - days * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        let time = pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        let zone: String
        if offsetSeconds == 0 {
            zone = "Z"
        } else {
            let sign = offsetSeconds < 0 ? "-" : "+"
            let minutes = abs(offsetSeconds) / 60
            zone = sign + pad(minutes / 60, 2) + ":" + pad(minutes % 60, 2)
        }
        return "\(date)T\(time)\(zone)"
    }

    /// Parses a timestamp that carries its offset:
    /// `2026-09-14T10:23:45-04:00`, `...Z`, `...-0400`, `2026-09-14 10:23:45 -0400` (Shopify),
    /// optional fractional seconds. nil when the text is not such a timestamp (no offset included).
    public static func parse(_ text: String) -> Timestamp? {
        Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// `parse(_:)` straight from UTF-8 bytes (the importers' hot path: no String, no array).
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var p = TimestampParser(bytes)
        return p.parse(requireOffset: true).flatMap { parts in
            guard let offset = parts.offset else { return nil }
            return Timestamp(Instant(unixSeconds: parts.localSeconds - Int64(offset)), offsetSeconds: offset)
        }
    }

    /// A date-time without an offset (`2026-09-14 10:23:45`, `2026-09-14T10:23`) read as local time
    /// in `zone`; also accepts one with an offset.
    public static func parse(_ text: String, defaultZone zone: Zone) -> Timestamp? {
        let parsed = Array(text.utf8).withUnsafeBufferPointer { bytes in
            var p = TimestampParser(bytes)
            return p.parse(requireOffset: false)
        }
        guard let parts = parsed else { return nil }
        if let offset = parts.offset {
            return Timestamp(Instant(unixSeconds: parts.localSeconds - Int64(offset)), offsetSeconds: offset)
        }
        let instant = zone.instant(localSeconds: parts.localSeconds)
        return Timestamp(instant, offsetSeconds: zone.offsetSeconds(at: instant))
    }
}

struct TimestampParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    mutating func parse(requireOffset: Bool) -> (localSeconds: Int64, offset: Int?)? {
        guard b.count >= 16, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
            let y = digits(b, 0, 4), let mo = digits(b, 5, 2), let d = digits(b, 8, 2),
            let date = CivilDate(year: y, month: mo, day: d),
            let h = digits(b, 11, 2), b[13] == UInt8(ascii: ":"), let mi = digits(b, 14, 2),
            h < 24, mi < 60
        else { return nil }
        i = 16
        var s = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let sec = digits(b, i + 1, 2), sec < 60 else { return nil }
            s = sec; i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                let start = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                if i == start || i - start > 9 { return nil }
            }
        }
        let local = date.daysSinceEpoch * 86_400 + Int64(h * 3600 + mi * 60 + s)
        if i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
        if i == b.count { return requireOffset ? nil : (local, nil) }
        if b[i] == UInt8(ascii: "Z") && i + 1 == b.count { return (local, 0) }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        guard let oh = digits(b, i, 2), oh <= 18 else { return nil }
        i += 2
        var om = 0
        if i < b.count {
            if b[i] == UInt8(ascii: ":") { i += 1 }
            guard let m = digits(b, i, 2), m < 60 else { return nil }
            om = m; i += 2
        }
        guard i == b.count else { return nil }
        return (local, sign * (oh * 3600 + om * 60))
    }
}

/// The ledger's IANA time zone: the months of the payout periods are months in this zone.
public struct Zone: Sendable, Hashable, CustomStringConvertible {
    public let identifier: String
    let timeZone: TimeZone

    public init?(identifier: String) {
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.timeZone = tz
    }

    public static let utc = Zone(identifier: "UTC")!
    public var description: String { identifier }

    /// A zone a user names (`init --timezone`, `--site-timezone`): an IANA name, `Area/Location`
    /// like America/New_York, or UTC. Abbreviations are refused although the system knows some of
    /// them: `EST` is a fixed UTC-5 without daylight saving, so a New York shop's summer orders
    /// would land an hour off, and `CST` means three different zones.
    public static func named(_ text: String) -> Result<Zone, ValueProblem> {
        let name = text.trimmingASCIISpaces()
        let example = "an IANA time zone name such as America/New_York, Europe/Berlin or UTC"
        if name != "UTC" && !name.contains("/") {
            let hint = abbreviationHints[name.uppercased()].map { " (for \(name), perhaps \($0))" } ?? ""
            let known = Zone(identifier: name) != nil
            return .failure(
                ValueProblem(
                    example
                        + (known
                            ? "; an abbreviation like \(name) is a fixed offset "
                                + "without daylight saving, or ambiguous" : "") + hint))
        }
        guard let zone = Zone(identifier: name) else { return .failure(ValueProblem(example)) }
        return .success(zone)
    }

    private static let abbreviationHints: [String: String] = [
        "EST": "America/New_York", "EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
        "MST": "America/Denver or America/Phoenix", "MDT": "America/Denver", "PST": "America/Los_Angeles",
        "PDT": "America/Los_Angeles", "GMT": "Europe/London or UTC", "BST": "Europe/London", "CET": "Europe/Berlin",
        "CEST": "Europe/Berlin", "IST": "Asia/Kolkata or Europe/Dublin", "JST": "Asia/Tokyo",
        "AEST": "Australia/Sydney"
    ]

    public func offsetSeconds(at instant: Instant) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.unixSeconds)))
    }

    /// The instant at which the local wall clock shows `localSeconds` (seconds since 1970 in local
    /// time). In a DST gap the later offset is used; in an overlap the earlier instant.
    public func instant(localSeconds: Int64) -> Instant {
        var guess = Instant(unixSeconds: localSeconds - Int64(offsetSeconds(at: Instant(unixSeconds: localSeconds))))
        for _ in 0..<3 {
            let candidate = Instant(unixSeconds: localSeconds - Int64(offsetSeconds(at: guess)))
            if candidate == guess { break }
            guess = candidate
        }
        return guess
    }

    /// 00:00 of `date` in this zone.
    public func startOfDay(_ date: CivilDate) -> Instant { instant(localSeconds: date.daysSinceEpoch * 86_400) }

    /// 00:00 of the first day of `month` in this zone.
    public func startOfMonth(_ month: YearMonth) -> Instant { startOfDay(month.firstDay) }

    /// The local calendar date of an instant in this zone.
    public func civilDate(of instant: Instant) -> CivilDate {
        CivilDate(daysSinceEpoch: floorDiv(instant.unixSeconds + Int64(offsetSeconds(at: instant)), 86_400))
    }

    public func month(of instant: Instant) -> YearMonth { civilDate(of: instant).yearMonth }

    public func timestamp(_ instant: Instant) -> Timestamp {
        Timestamp(instant, offsetSeconds: offsetSeconds(at: instant))
    }

    public static func == (a: Zone, b: Zone) -> Bool { a.identifier == b.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}

/// A DATE argument: `YYYY-MM-DD` (00:00 in the ledger's zone) or a full timestamp with offset.
/// nil also for a timestamp whose date in `zone` is outside the years 1-9999 (`9999-12-31T23:59:59-18:00`
/// is in year 10000 in New York): such a date could not be written back as `YYYY-MM-DD`, and a
/// post or gift stored with it would make the ledger unreadable.
public func parseDateOrTimestamp(_ text: String, zone: Zone) -> Instant? {
    let trimmed = text.trimmingASCIISpaces()
    if let date = CivilDate.parse(trimmed) { return zone.startOfDay(date) }
    guard let instant = Timestamp.parse(trimmed)?.instant else { return nil }
    return (1...9999).contains(zone.civilDate(of: instant).year) ? instant : nil
}

@inline(__always)
func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
    b.withUnsafeBufferPointer { digits($0, start, count) }
}

@inline(__always)
func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
    guard start >= 0, start + count <= b.count else { return nil }
    var v = 0
    for k in start..<(start + count) {
        let c = b[k]
        guard c >= 0x30 && c <= 0x39 else { return nil }
        v = v * 10 + Int(c - 0x30)
    }
    return v
}

@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
