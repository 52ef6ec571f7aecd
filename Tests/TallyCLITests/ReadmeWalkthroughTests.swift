import Foundation
import TestSupport
import Testing

/// The README's walkthrough, run as a new user types it (a fresh directory, the bundled examples):
/// every `tally` line succeeds except the ones its comment says are refused. It once exported a month
/// to standard output "to have a look", which records an export, so the routine's per-method files
/// after it were refused (docs/payouts.md): a look is `payout show`, an export names its file.
@Suite struct ReadmeWalkthroughTests {
    /// The `tally` lines of the README's first `sh` block after "## A walkthrough", comments cut.
    func walkthroughLines() throws -> [(line: String, refused: Bool)] {
        let readme = try String(contentsOf: packageRoot().appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## A walkthrough"))
        let rest = readme[section.upperBound...]
        let start = try #require(rest.range(of: "```sh\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        return rest[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { raw in
            guard raw.hasPrefix("tally ") else { return nil }
            let parts = raw.components(separatedBy: "  #")
            let comment = parts.dropFirst().joined()
            return (parts[0].trimmingCharacters(in: .whitespaces), comment.contains("refused"))
        }
    }

    @Test func everyLineDoesWhatItsCommentSays() throws {
        let lines = try walkthroughLines()
        #expect(lines.count > 30, "the walkthrough was not found: \(lines)")
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(
            at: dir.appendingPathComponent("examples"),
            withDestinationURL: packageRoot().appendingPathComponent("examples"))
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("out/walkthrough"),
            withIntermediateDirectories: true)
        let environment = ["TALLY_LEDGER": "out/walkthrough/tally.sqlite", "TALLY_NOW": "2026-11-05T12:00:00Z"]
        for (line, refused) in lines {
            let arguments = Array(shellWords(line).dropFirst())
            let result = try runTally(arguments, in: dir, environment: environment)
            #expect(result.status == (refused ? 1 : 0), "\(line): \(result.stderr)")
            // A recorded export to the screen would keep the routine's own files from listing its payouts.
            if arguments.starts(with: ["payout", "export"]) && !refused {
                #expect(arguments.contains("--output"), "\(line) records an export to standard output")
            }
        }
    }
}

/// The words of a command line as a shell splits them: on spaces, except inside double quotes.
func shellWords(_ line: String) -> [String] {
    var words: [String] = [], word = "", quoted = false, inWord = false
    for character in line {
        if character == "\"" {
            quoted.toggle()
            inWord = true
        } else if character == " " && !quoted {
            if inWord { words.append(word) }
            (word, inWord) = ("", false)
        } else {
            word.append(character)
            inWord = true
        }
    }
    if inWord { words.append(word) }
    return words
}
