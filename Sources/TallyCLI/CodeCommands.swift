import ArgumentParser
import LedgerCore
import LedgerStore
import OrderImport

/// `tally code assign|house`.
struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Assign a discount code to a creator, or declare a house code.",
        subcommands: [CodeAssignCommand.self, CodeHouseCommand.self]
    )
}

struct CodeAssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Give a discount code to a creator from a date.",
        discussion: """
            Codes compare trimmed and upper-cased. A new assignment of a code ends the previous one at its --from. \
            Without --from the assignment starts today (00:00 in the ledger's zone), unless the code already belongs \
            to this creator now, in which case nothing is added. For orders already imported from before today, \
            give --from explicitly. A house code cannot be assigned.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The discount code, like ANNA15.", valueName: "code"))
    var code: String

    @Option(help: ArgumentHelp("The creator's id.", valueName: "id"))
    var creator: String

    @Option(help: ArgumentHelp("Valid from this DATE (YYYY-MM-DD at 00:00 in the ledger's zone, or a timestamp with offset); default today.", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Valid until this DATE, exclusive; default: no end.", valueName: "date"))
    var until: String?

    func run() throws {
        var shown = ""
        let change = try applyMasterData(options, .codes) { book, ledger in
            let code = try parseOption("code", self.code) { .success(normalizeCode($0)) }
            let creator = self.creator.trimmingASCIISpaces()
            let now = ledger.clock.now()
            let until = try parseOption("--until", self.until) { MasterValues.instant($0, zone: book.zone) }
            var start: Instant
            if let from = self.from {
                start = try parseOption("--from", from) { MasterValues.instant($0, zone: book.zone) }
            } else {
                if let current = book.codeAssignment(code, at: now), current.creator == creator, current.validUntil == until {
                    shown = "\(code) already belongs to \(creator) (since \(describe(current.validFrom, zone: book.zone)))"
                    return (.unchanged, nil)
                }
                start = book.day(of: now).at
            }
            if let until, until <= start {
                throw UserError("--until: found '\(self.until!)', expected a date after --from \(describe(start, zone: book.zone)) (--until is exclusive)")
            }
            shown = "\(code) to \(creator) from \(describe(start, zone: book.zone))" + (until.map { " until \(describe($0, zone: book.zone))" } ?? "")
            return try resolving(creatorLabel: "--creator", keyLabel: "code") { () throws(MasterDataConflict) in
                try book.applyCode(code, Assignment(creator: creator, validFrom: start, validUntil: until))
            }
        }
        switch change {
        case .added: print("Assigned \(shown).")
        case .changed: print("Reassigned \(shown) (this replaces the earlier assignment with the same start).")
        case .unchanged: print(shown.contains("already belongs") ? "Nothing added: \(shown)." : unchangedNote("The assignment of \(shown)"))
        }
    }
}

struct CodeHouseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "house",
        abstract: "Declare a house code: a code that belongs to no creator (a sitewide sale, a welcome code).",
        discussion: "Orders using it are never attributed through it. A code assigned to a creator cannot be a house code."
    )

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The discount code, like WELCOME10.", valueName: "code"))
    var code: String

    func run() throws {
        let normalized = normalizeCode(code)
        let change = try applyMasterData(options, .codes) { book, ledger in
            _ = try parseOption("code", self.code) { .success($0) }
            return try resolving(creatorLabel: "code", keyLabel: "code") { () throws(MasterDataConflict) in
                try book.applyHouseCode(normalized, at: ledger.clock.now())
            }
        }
        print(change == .unchanged ? unchangedNote("House code \(normalized)") : "Declared \(normalized) a house code.")
    }
}
