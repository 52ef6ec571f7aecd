import App
import ArgumentParser

/// Hidden tools for the benchmark and for support: not part of the contract.
struct DebugCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Diagnostics used by the benchmark (not part of the command-line contract).",
        shouldDisplay: false,
        subcommands: [Tokenize.self]
    )

    /// The tokenizer alone: reads every field of every record, as an import would, and nothing
    /// else. The benchmark's floor for an import.
    struct Tokenize: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tokenize a CSV file and count its records, fields and bytes.")
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            let count = try tokenize(file)
            print("\(count.records) records, \(count.fields) fields, \(count.bytes) field bytes")
        }
    }
}
