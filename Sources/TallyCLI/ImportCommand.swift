import ArgumentParser

/// `tally import KIND FILE`: orders from shop exports, and master data.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a shop's order export or a master-data CSV file.",
        discussion: "Every import is all or nothing, and importing the same file again adds nothing.",
        subcommands: orderImportCommands + masterDataImportCommands
    )
}
