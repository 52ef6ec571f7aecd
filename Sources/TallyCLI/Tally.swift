import App
import ArgumentParser
import Foundation
import LedgerCore

/// The `tally` command tree.
public struct Tally: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "An event-sourced ledger for affiliate and discount-code attribution in creator marketing.",
        discussion: """
            Every command works on one ledger file: --ledger PATH (before or after the subcommand), else \
            $TALLY_LEDGER, else ./tally.sqlite.
            Exit status: 0 success, 1 a user error (bad input, unknown creator, closed month), 2 a usage error.
            """,
        version: "tally \(tallyVersion) (ledger schema \(LedgerSession.schemaVersion))",
        subcommands: commandList
    )

    public init() {}

    /// The narrowest width help is wrapped to. swift-argument-parser stops the process (a trap, exit 132,
    /// a backtrace) when the width leaves no room beside its 26-column label column: `COLUMNS=20`, `0`
    /// or `-5`, or a terminal 20 columns wide (a split pane). Below this width help is wrapped at
    /// `helpWidthFallback` columns instead, and the terminal wraps the lines itself.
    static let narrowestHelpWidth = 40
    static let helpWidthFallback = 80

    /// Sets COLUMNS to `helpWidthFallback` when COLUMNS, or the terminal without it, is narrower than
    /// `narrowestHelpWidth` (COLUMNS that is not a number is left alone: the parser ignores it).
    static func guardHelpWidth() {
        if let value = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(value) {
            if columns < narrowestHelpWidth { setenv("COLUMNS", String(helpWidthFallback), 1) }
            return
        }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0,
            Int(size.ws_col) < narrowestHelpWidth
        {
            setenv("COLUMNS", String(helpWidthFallback), 1)
        }
    }

    /// Runs the command line and returns the process exit status (see the discussion above).
    public static func run(arguments: [String]) -> Int32 {
        guardHelpWidth()
        if let problem = missingSubcommand(arguments) {
            printError(problem)
            return 2
        }
        do {
            var command = try parseAsRoot(movingLedgerOption(arguments))
            try command.run()
            return 0
        } catch let error as UserError {
            printError(error.message)
            return 1
        } catch let error as LedgerError {
            printError(error.description)
            return 1
        } catch let error as SQLiteError {
            printError(error.description)
            return error.isBusy || error.isReadOnly || error.isFull ? 1 : 3
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            if code == .validationFailure {
                let message = explainingInvalidValue(fullMessage(for: error))
                FileHandle.standardError.write(Data((message + "\n").utf8))
                return 2
            }
            printError("internal error: \(error)")
            return 3
        }
    }
}

/// What a value of each kind looks like, by the value name its options show (`--month <YYYY-MM>`).
let expectedValues: [String: String] = [
    "YYYY-MM": "expected a month like 2026-01 (YYYY-MM: the year, a dash, the month in two digits)",
    "YYYY-MM-DD": "expected a day like 2026-10-05 (YYYY-MM-DD)",
    "date": "expected a DATE: a day like 2026-10-05 (YYYY-MM-DD, 00:00 in the ledger's time zone) or a "
        + "timestamp with its offset like 2026-10-05T14:30:00-04:00",
    "amount": "expected an amount like 1234.50 or -12.00 (a dot before the cents; no thousands separator, no "
        + "currency sign)",
    "rate": "expected a rate with its % sign, like 12.5%, from 0% to 100%"
]

/// The parser's `The value '2026-1' is invalid for '--month <YYYY-MM>'` says neither why nor what
/// would do: a value type that refuses a value cannot say more. The first line gains what a value of
/// that kind looks like (`expectedValues`); a message that already gives a reason is left as it is.
func explainingInvalidValue(_ message: String) -> String {
    var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let first = lines.first, first.hasSuffix(">'"), first.contains("is invalid for '"),
        let open = first.lastIndex(of: "<")
    else { return message }
    let name = String(first[first.index(after: open)..<first.index(first.endIndex, offsetBy: -2)])
    guard let expected = expectedValues[name] else { return message }
    lines[0] = first + ": " + expected
    return lines.joined(separator: "\n")
}

/// The version `tally --version` prints: raised with each release (README, "Versions").
public let tallyVersion = "0.1.0"

extension Tally {
    /// `tally payout --month 2026-08` (the subcommand forgotten) or `tally payout shwo`: the parser
    /// would say "Unknown option '--month'" or "Unexpected argument"; a new user needs the list of
    /// subcommands of the group they named. Nil when the words name a command that runs.
    static func missingSubcommand(_ arguments: [String]) -> String? {
        var command: ParsableCommand.Type = Tally.self
        var path = ["tally"]
        var i = 0
        while i < arguments.count {  // bounded by the arguments
            let word = arguments[i]
            if word == "--ledger" { i += 2; continue }
            if word.hasPrefix("--ledger=") { i += 1; continue }
            guard let sub = command.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            command = sub
            path.append(word)
            i += 1
        }
        let subcommands = command.configuration.subcommands.filter { $0.configuration.shouldDisplay }
        guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil, i < arguments.count else {
            return nil
        }
        let word = arguments[i]
        if ["-h", "--help", "-help", "--version", "help"].contains(word) { return nil }
        let names = subcommands.map { $0._commandName }
        let group = path.joined(separator: " ")
        let list = names.joined(separator: ", ")
        if word.hasPrefix("-") {
            return "\(group) needs a subcommand before '\(word)': one of \(list) (see '\(group) --help')"
        }
        let near = closestMatch(to: word, among: names, maxDistance: 2).map { " (did you mean '\($0)'?)" } ?? ""
        return "unknown subcommand '\(word)' of \(group)\(near): expected one of \(list) (see '\(group) --help')"
    }

    /// `tally --ledger PATH payout show ...`: a `--ledger` given before the subcommand (or between
    /// its words) is moved after it, where every command that opens a ledger takes it. Only the
    /// words that name commands are looked at; anything else ends the search.
    static func movingLedgerOption(_ arguments: [String]) -> [String] {
        var command: ParsableCommand.Type = Tally.self
        var kept: [String] = []
        var moved: [String] = []
        var i = 0
        while i < arguments.count {  // bounded by the arguments
            let word = arguments[i]
            if word == "--ledger" && i + 1 < arguments.count {
                moved += arguments[i...(i + 1)]
                i += 2
            } else if word.hasPrefix("--ledger=") {
                moved.append(word)
                i += 1
            } else if let sub = command.configuration.subcommands.first(where: { $0._commandName == word }) {
                command = sub
                kept.append(word)
                i += 1
            } else {
                break
            }
        }
        guard !moved.isEmpty else { return arguments }
        var rest = Array(arguments[i...])
        // Options go before a `--`, after which everything is a positional value.
        let end = rest.firstIndex(of: "--") ?? rest.count
        rest.insert(contentsOf: moved, at: end)
        return kept + rest
    }
}

func printWarning(_ message: String) {
    FileHandle.standardError.write(Data(("tally: warning: " + message + "\n").utf8))
}

func printNote(_ message: String) {
    FileHandle.standardError.write(Data(("tally: note: " + message + "\n").utf8))
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("tally: error: " + message + "\n").utf8))
}

/// `--ledger` and `--key-file`, shared by every command.
public struct LedgerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The ledger file (default: $TALLY_LEDGER, else ./tally.sqlite).", valueName: "path"))
    public var ledger: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The ledger's key file (default: $TALLY_KEY_FILE, else the one named after "
                + "the ledger's id in ~/.config/tally/keys).", valueName: "path"))
    public var keyFile: String?

    public init() {}

    public var path: String { LedgerSession.resolvePath(option: ledger) }

    /// Opens the ledger and prints its warnings (a key still inside it; for a command that writes, a
    /// ledger other users can read). `aboutKey`: false for the command that moves the key out.
    public func open(readOnly: Bool = false, aboutKey: Bool = true) throws -> LedgerSession {
        let path = self.path
        let session = try LedgerSession.open(
            path: path, readOnly: readOnly, now: fixedNow(),
            environment: ProcessInfo.processInfo.environment, keyFile: keyFile,
            onLongWait: {
                printNote("waiting for another tally command to finish with the ledger \(path) (up to 5 s)")
            })
        for warning in session.warnings(writing: !readOnly, aboutKey: aboutKey) { printWarning(warning) }
        return session
    }
}

/// `TALLY_NOW` (an ISO 8601 timestamp), which pins the clock for reproducible runs and tests; nil:
/// the system clock.
func fixedNow() -> Instant? {
    ProcessInfo.processInfo.environment["TALLY_NOW"].flatMap { Timestamp.parse($0)?.instant }
}

/// `--format table|csv|json`.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, csv, json
}
