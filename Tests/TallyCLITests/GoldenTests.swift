import ArgumentParser
import Foundation
import TallyCLI
import TestSupport
import Testing

// Golden files: what `tally` prints, committed under Tests/Golden and compared byte for byte.
// `UPDATE_GOLDEN=1 swift test --filter GoldenTests` rewrites them (docs/testing.md): read the diff
// before committing it, since a golden file that changed is a change of the command line.

/// Tests/Golden in the repository.
func goldenDirectory() -> URL { packageRoot().appendingPathComponent("Tests/Golden") }

/// Compares `actual` with the golden file `name`, or rewrites the file when UPDATE_GOLDEN=1.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = goldenDirectory().appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no golden file \(name): run the tests once with UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
        return
    }
    #expect(
        actual == expected, "\(name) differs from its golden file (UPDATE_GOLDEN=1 rewrites it)",
        sourceLocation: sourceLocation)
}

/// Every command path of the tree that `--help` lists (hidden commands left out), parents first.
func commandPaths(_ command: ParsableCommand.Type = Tally.self, prefix: [String] = []) -> [[String]] {
    var paths = [prefix]
    for sub in command.configuration.subcommands where sub.configuration.shouldDisplay {
        paths += commandPaths(sub, prefix: prefix + [sub._commandName])
    }
    return paths
}

@Suite("golden files")
struct GoldenTests {
    /// `--help` of every command, at a fixed width (COLUMNS=80).
    @Test func helpOfEveryCommand() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let paths = commandPaths()
        #expect(paths.count > 30, "the command tree was not walked: \(paths)")
        for path in paths {
            let result = try runTally(path + ["--help"], in: dir, environment: ["COLUMNS": "80"])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            try expectGolden(result.stdout, "help/" + (["tally"] + path).joined(separator: "-") + ".txt")
        }
    }

    /// The README walkthrough (scripts/demo.sh) on the bundled examples, with the clock pinned:
    /// every command's output, in the transcript form the script prints.
    @Test func walkthroughOutputs() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        // Relative paths as in the script, so that the outputs name the same files.
        try FileManager.default.createSymbolicLink(
            at: dir.appendingPathComponent("examples"),
            withDestinationURL: packageRoot().appendingPathComponent("examples"))
        for folder in ["out/demo", "out/demo-keys"] {
            try FileManager.default.createDirectory(
                at: dir.appendingPathComponent(folder),
                withIntermediateDirectories: true)
        }
        let environment = [
            "TALLY_LEDGER": "out/demo/tally.sqlite", "TALLY_KEY_FILE": "out/demo-keys/tally.key",
            "COLUMNS": "80"
        ]
        var transcript = ""
        for step in walkthroughSteps {
            let result = try runTally(step, in: dir, environment: environment)
            #expect(result.status == 0, "tally \(step.joined(separator: " ")): \(result.stderr)")
            transcript += "\n$ tally \(step.joined(separator: " "))\n" + result.stdout + result.stderr
        }
        try expectGolden(maskingChainHashes(transcript), "walkthrough.txt")
    }
}

/// `head: SEQ HASH` lines with the hash masked: every ledger has its own random id and key
/// fingerprint in its first fact, so the hashes differ from run to run while the sequence numbers do not.
func maskingChainHashes(_ text: String) -> String {
    text.replacingOccurrences(of: #"(head: [0-9]+ )[0-9a-f]{64}"#, with: "$1<hash>", options: .regularExpression)
}

/// The commands of scripts/demo.sh, in its order.
let walkthroughSteps: [[String]] = {
    var steps: [[String]] = [["init", "--currency", "USD", "--timezone", "America/New_York"]]
    for kind in ["creators", "codes", "referrals", "terms", "posts", "gifts", "adjustments", "fx"] {
        steps.append(["import", kind, "examples/\(kind).csv"])
    }
    let later = "examples/shopify/orders_export_2026-08-15_2026-10-31.csv"
    steps += [
        ["import", "shopify", "examples/shopify/orders_export_2026-07-01_2026-08-31.csv"],
        ["import", "shopify", later],
        ["import", "shopify", later],
        ["import", "woocommerce", "examples/woocommerce/orders_export_woo.csv"],
        ["import", "orders", "examples/orders/popup-and-tiktok.csv"],
        ["imports"],
        ["codes", "unknown"],
        ["payout", "preview", "--month", "2026-07"]
    ]
    for month in ["2026-07", "2026-08", "2026-09", "2026-10"] { steps.append(["payout", "close", "--month", month]) }
    steps += [
        ["payout", "show", "--month", "2026-09"],
        ["statement", "anna-bakes", "--month", "2026-09"],
        ["payout", "export", "--month", "2026-09", "--to", "generic", "--output", "out/demo/payouts-2026-09.csv"],
        ["explain", "7209192468671"],
        ["explain", "7207087988286"],
        ["statement", "leafy-lena", "--month", "2026-10"],
        ["roi", "--from", "2026-07-01", "--to", "2026-10-31", "--by", "tier"],
        ["roi", "--from", "2026-07-01", "--to", "2026-10-31", "--by", "creator"],
        [
            "report", "--month", "2026-10", "--brand", "Maple & Moss Tea Co.",
            "--output", "out/demo/report-2026-10.html"
        ],
        [
            "journal", "--month", "2026-10", "--format", "quickbooks",
            "--output", "out/demo/books-2026-10-quickbooks.csv"
        ],
        ["journal", "--month", "2026-10", "--format", "xero", "--output", "out/demo/books-2026-10-xero.csv"],
        ["verify"]
    ]
    return steps
}()
