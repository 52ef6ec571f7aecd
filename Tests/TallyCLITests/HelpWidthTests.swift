import Foundation
import TestSupport
import Testing

/// Help in a narrow terminal: swift-argument-parser traps when the width leaves no room beside its
/// label column; tally hands it 80 columns instead (Tally.guardHelpWidth).
@Suite("help width")
struct HelpWidthTests {
    @Test(arguments: ["20", "0", "-5", "39"])
    func helpInANarrowTerminalIsPrintedNotACrash(columns: String) throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        for command in [["--help"], ["terms", "set", "--help"], ["payout", "close", "--help"]] {
            let result = try runTally(command, in: dir, environment: ["COLUMNS": columns])
            #expect(result.status == 0, "COLUMNS=\(columns) tally \(command): \(result.stderr)")
            #expect(result.stdout.contains("USAGE:"), "COLUMNS=\(columns) tally \(command): \(result.stdout)")
            #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
            // Wrapped at the fallback width, not at the narrow one (the usage line is never wrapped).
            let lines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix("USAGE:") }
            let widest = lines.map(\.count).max() ?? 0
            #expect(widest > 39 && widest <= 80, "COLUMNS=\(columns) tally \(command): widest line \(widest)")
        }
    }

    @Test func aWidthTheParserCanUseIsLeftAlone() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let result = try runTally(["terms", "set", "--help"], in: dir, environment: ["COLUMNS": "50"])
        #expect(result.status == 0, "\(result.stderr)")
        // The usage line is not wrapped; every other line is, at 50 columns.
        let lines = result.stdout.split(separator: "\n").filter { !$0.hasPrefix("USAGE:") }
        let widest = lines.map(\.count).max() ?? 0
        #expect(widest <= 50 && widest > 40, "widest line \(widest)")
    }
}
