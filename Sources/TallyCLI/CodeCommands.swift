import App
import ArgumentParser
import LedgerCore

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
            give --from explicitly (without it, tally says how many earlier orders carry the code and stay \
            unattributed). A house code cannot be assigned.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The discount code, like ANNA15.", valueName: "code"))
    var code: String

    @Option(help: ArgumentHelp("The creator's id.", valueName: "id"))
    var creator: String

    @Option(
        help: ArgumentHelp(
            "Valid from this DATE "
                + "(YYYY-MM-DD at 00:00 in the ledger's zone, or a timestamp with offset); default today.",
            valueName: "date"))
    var from: DateArgument?

    @Option(help: ArgumentHelp("Valid until this DATE, exclusive; default: no end.", valueName: "date"))
    var until: DateArgument?

    func run() throws {
        let session = try options.open()
        let zone = session.zone
        let code = try parseOption("code", self.code) { .success(normalizeCode($0)) }
        let creator = self.creator.trimmingASCIISpaces()
        let until = self.until?.instant(in: zone)
        let from = self.from?.instant(in: zone)
        let outcome: CodeAssignment
        let repriced: ClosedMonthsRepricing?
        do {
            // Without --from the code is assigned from today: never in a closed month.
            (outcome, repriced) = try session.repricing(from: from ?? .distantFuture) {
                try resolving(creatorLabel: "--creator", keyLabel: "code") {
                    try session.assignCode(code, creator: creator, from: from, until: until)
                }
            }
        } catch let error as EndNotAfterStart {
            let start = describe(error.start, zone: zone)
            let found = self.until?.text ?? ""
            throw UserError("--until: found '\(found)', expected a date after --from \(start) (--until is exclusive)")
        }
        switch outcome {
        case let .alreadyHeld(since):
            print("Nothing added: \(code) already belongs to \(creator) (since \(describe(since, zone: zone))).")
        case let .recorded(change, start, until):
            let end = until.map { " until \(describe($0, zone: zone))" } ?? ""
            let shown = "\(code) to \(creator) from \(describe(start, zone: zone))" + end
            switch change {
            case .added: print("Assigned \(shown).")
            case .changed: print("Reassigned \(shown) (this replaces the earlier assignment with the same start).")
            case .unchanged: print(unchangedNote("The assignment of \(shown)"))
            }
            if from == nil { try noteOrdersLeftBehind(session, code: code, start: start) }
            if change != .unchanged {
                noteRepricing(repriced, what: "this assignment", currency: session.baseCurrency)
            }
        }
    }

    /// Without --from the assignment starts today: earlier orders with the code stay unattributed.
    private func noteOrdersLeftBehind(_ session: LedgerSession, code: String, start: Instant) throws {
        let (count, earliest) = try session.unattributedOrders(carrying: code, before: start)
        guard count > 0, let earliest else { return }
        let zone = session.zone
        let day = zone.civilDate(of: earliest)
        let orders = count == 1 ? "1 earlier order carries" : "\(count) earlier orders carry"
        let them = count == 1 ? "it stays" : "they stay"
        printNote(
            "\(orders) \(code) (the first on \(day)) and \(them) unattributed: this assignment starts "
                + "\(describe(start, zone: zone)). To cover \(count == 1 ? "it" : "them"), assign from that day: "
                + "tally code assign \(code) --creator \(creator.trimmingASCIISpaces()) --from \(day)")
    }
}

struct CodeHouseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "house",
        abstract: "Declare a house code: a code that belongs to no creator (a sitewide sale, a welcome code).",
        discussion:
            "Orders using it are never attributed through it. A code assigned to a creator cannot be a house code."
    )

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("The discount code, like WELCOME10.", valueName: "code"))
    var code: String

    func run() throws {
        let normalized = normalizeCode(code)
        let session = try options.open()
        _ = try parseOption("code", self.code) { .success($0) }
        let change = try resolving(creatorLabel: "code", keyLabel: "code") { try session.declareHouseCode(normalized) }
        print(change == .unchanged ? unchangedNote("House code \(normalized)") : "Declared \(normalized) a house code.")
    }
}
