import App
import ArgumentParser
import Foundation
import LedgerCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new ledger file.",
        discussion: """
            Refuses to touch an existing file. The base currency and time zone are fixed for the life of the \
            ledger. Also writes the ledger's key (the e-mail salt and the payout-account key) to --key-file, \
            else $TALLY_KEY_FILE, else a file named after the ledger's id in $XDG_CONFIG_HOME/tally/keys \
            (default ~/.config/tally/keys), readable by its owner only: back it up apart from the ledger.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("The base currency (ISO 4217), in which creators are paid.", valueName: "code"))
    var currency: String

    @Option(
        help: ArgumentHelp(
            "The ledger's IANA time zone, like America/New_York: payout months are months in "
                + "this zone (default: UTC).", valueName: "zone"))
    var timezone: String?

    func validate() throws {
        guard Currency(code: currency) != nil else {
            throw ValidationError("unknown currency '\(currency)': expected an ISO 4217 code such as USD, EUR, JPY")
        }
        if let timezone, case let .failure(problem) = Zone.named(timezone) {
            throw ValidationError("--timezone: found '\(timezone)', expected \(problem.expected)")
        }
    }

    func run() throws {
        let zone = try timezone.map { try Zone.named($0).get() } ?? .utc
        let session = try LedgerSession.create(
            path: options.path, baseCurrency: Currency(code: currency)!,
            zone: zone, now: fixedNow(),
            environment: ProcessInfo.processInfo.environment,
            keyFile: options.keyFile)
        let settings = "base currency \(session.baseCurrency.code), time zone \(session.zone.identifier)"
        print("Created ledger \(session.path) (\(settings)).")
        print("Its key is in \(session.keyFile ?? "?"): back it up apart from the ledger ('tally key export FILE').")
        if timezone == nil {
            // The zone decides which month every order is paid in and can never change: say it.
            print(
                "No --timezone given: the ledger's time zone is UTC, and payout months are months in UTC. If the "
                    + "shop works in another zone, start again now with --timezone (an IANA name such as "
                    + "America/New_York): it cannot be changed later.")
        }
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the facts of the ledger, in the order they were recorded.",
        discussion: "Payout accounts are masked; e-mails are never stored in clear."
    )

    @OptionGroup var options: LedgerOptions
    @Option(help: ArgumentHelp("Start at this sequence number.", valueName: "seq")) var since: Int64 = 1
    @Option(help: "table or json.") var format: LogFormat = .table

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() throws {
        let session = try options.open(readOnly: true)
        let zone = session.zone
        var first = true
        if format == .json { print("[") }
        try session.forEachFact(since: since) { fact in
            switch format {
            case .table:
                let times = "effective \(zone.timestamp(fact.effectiveAt))  recorded \(zone.timestamp(fact.recordedAt))"
                print("\(fact.seq)  \(fact.type)  \(times)")
                print("    \(fact.payload)")
            case .json:
                let object = JSON.object([
                    ("seq", .int(fact.seq)), ("type", .string(fact.type)),
                    ("version", .int(Int64(fact.version))),
                    ("effective_at", .string(zone.timestamp(fact.effectiveAt).description)),
                    ("recorded_at", .string(zone.timestamp(fact.recordedAt).description)),
                    ("hash", .string(fact.hash))
                ]).encodedString
                print((first ? "  " : "  ,") + object.dropLast() + ",\"payload\":" + fact.payload + "}")
            }
            first = false
        }
        if format == .json { print("]") }
    }
}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain of the log and that a rebuild from it equals the stored projections.",
        discussion: """
            Checks one state of the ledger, whatever other commands commit meanwhile. Ends with the chain's \
            head, "head: SEQ HASH" (the last fact's sequence number and hash): written down away from the \
            ledger, it catches a log cut back or rewritten later, with --head. Exit status 1 names the first \
            bad sequence number, the projection that differs, or the anchor that is no longer in the log.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(
        help: ArgumentHelp(
            "Also check that fact SEQ is still in the log with this hash (a head written down "
                + "earlier).", valueName: "seq:hash"))
    var head: String?

    func validate() throws {
        if let head, ChainHead(anchor: head) == nil {
            throw ValidationError(
                "--head '\(head)': expected SEQ:HASH, a fact's sequence number and its 64 hex digits "
                    + "as 'tally verify' prints them (head: SEQ HASH)")
        }
    }

    func run() throws {
        let anchor = head.flatMap(ChainHead.init(anchor:))
        let report = try options.open(readOnly: true).verify(anchor: anchor)
        for note in report.notes { printNote(note) }
        if report.isClean {
            print("OK: \(report.factsChecked) facts, hash chain intact, projections equal a rebuild from the log.")
            if let anchor { print("anchor: fact \(anchor.seq) is in the log with the hash \(anchor.hashHex).") }
        } else {
            for problem in report.problems { printError(problem) }
            if let seq = report.firstBadSeq { printError("the chain is broken at fact \(seq)") }
        }
        print("head: \(report.head.map(String.init(describing:)) ?? "none (the log is empty)")")
        if !report.isClean { throw ExitCode(1) }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the ledger to a file, atomically.",
        discussion: """
            Other commands may go on reading and writing: the copy is the ledger as it was when the copy \
            began, and passes 'tally verify --ledger FILE'. It appears whole or not at all, readable by its \
            owner only (mode 0600). Refuses an existing FILE unless --force. Ends with the copy's head.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("The copy to write.", valueName: "file")) var file: String
    @Flag(help: "Replace FILE if it exists.") var force = false

    func run() throws {
        let session = try options.open(readOnly: true)
        let result: BackupResult
        do {
            result = try session.backup(to: file, replacing: force)
        } catch let error as BackupError {
            throw UserError(error.description)
        }
        print("Backed up \(session.path) to \(result.path): \(result.facts) facts, \(result.bytes) bytes.")
        print("head: \(result.head.map(String.init(describing:)) ?? "none (the log is empty)")")
    }
}

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Recompute every projection from the log (in one transaction)."
    )

    @OptionGroup var options: LedgerOptions

    func run() throws {
        let count = try options.open().rebuild()
        print("Rebuilt the projections from \(count) facts.")
    }
}
