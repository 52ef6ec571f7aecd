import Foundation
import TestSupport
import Testing

/// A value of the wrong shape (`--month 2026-1`, `--date 10/05/2026`) is a usage error whose first line
/// says what a value of that kind looks like (Tally.explainingInvalidValue), not only that it is invalid.
@Suite("malformed values: what was expected")
struct ValueMessageTests {
    @Test(arguments: [
        (
            ["payout", "preview", "--month", "2026-1"],
            "Error: The value '2026-1' is invalid for '--month <YYYY-MM>': expected a month like 2026-01 "
                + "(YYYY-MM: the year, a dash, the month in two digits)"
        ),
        (
            ["journal", "--month", "October"],
            "Error: The value 'October' is invalid for '--month <YYYY-MM>': expected a month like 2026-01 "
                + "(YYYY-MM: the year, a dash, the month in two digits)"
        ),
        (
            ["adjust", "anna", "--date", "10/05/2026", "--amount", "-1.00", "--reason", "x"],
            "Error: The value '10/05/2026' is invalid for '--date <date>': expected a DATE: a day like 2026-10-05 "
                + "(YYYY-MM-DD, 00:00 in the ledger's time zone) or a timestamp with its offset like "
                + "2026-10-05T14:30:00-04:00"
        ),
        (
            ["roi", "--from", "2026-7-1", "--to", "2026-07-31"],
            "Error: The value '2026-7-1' is invalid for '--from <YYYY-MM-DD>': expected a day like 2026-10-05 "
                + "(YYYY-MM-DD)"
        ),
        (
            ["post", "add", "anna", "--date", "2026-08-01", "--platform", "instagram", "--fee", "1,250.00"],
            "Error: The value '1,250.00' is invalid for '--fee <amount>': expected an amount like 1234.50 or "
                + "-12.00 (a dot before the cents; no thousands separator, no currency sign)"
        )
    ])
    func aMalformedValueSaysWhatWasExpected(arguments: [String], firstLine: String) throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let result = try runTally(arguments, in: dir)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == firstLine, "\(result.stderr)")
        // The parser's help and usage lines follow, unchanged.
        #expect(result.stderr.contains("\nUsage: tally "), "\(result.stderr)")
    }
}
