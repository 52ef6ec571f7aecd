import App
import ArgumentParser
import LedgerCore

struct TiersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers",
        abstract: "Show or change the follower thresholds of the creator tiers used by 'roi --by tier'.",
        discussion: "A creator's tier is decided by the follower count of their largest platform: "
            + "nano < micro <= ... < macro <= ... < mega.",
        subcommands: [Show.self, Set.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the tier thresholds.")
        @OptionGroup var options: LedgerOptions

        func run() throws {
            let t = try options.open(readOnly: true).tierThresholds()
            let report = Report(
                columns: ["tier", "followers_from", "followers_below"],
                rows: [
                    [.text("nano"), .int(0), .int(t.microFrom)],
                    [.text("micro"), .int(t.microFrom), .int(t.macroFrom)],
                    [.text("macro"), .int(t.macroFrom), .int(t.megaFrom)],
                    [.text("mega"), .int(t.megaFrom), .none]
                ])
            print(report.renderTable(), terminator: "")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the tier thresholds (each is the first follower count of its tier).")
        @OptionGroup var options: LedgerOptions
        @Option(help: "Followers from which a creator is micro (default 1,000).") var micro: Int64?
        @Option(help: "Followers from which a creator is macro (default 100,000).") var macro: Int64?
        @Option(help: "Followers from which a creator is mega (default 1,000,000).") var mega: Int64?

        func run() throws {
            guard let new = try options.open().setTiers(micro: micro, macro: macro, mega: mega) else {
                print("Tier thresholds unchanged.")
                return
            }
            print("Tiers: nano < \(new.microFrom) <= micro < \(new.macroFrom) <= macro < \(new.megaFrom) <= mega.")
        }
    }
}
