import ArgumentParser
import OrderImport

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
        static let configuration = CommandConfiguration(abstract: "Tokenize a CSV file and count its records, fields and bytes.")
        @Argument(help: "The CSV file.") var file: String

        func run() throws {
            var reader: CSVReader
            do { reader = try CSVReader(path: file) } catch { throw UserError("\(file): \(error)") }
            var records = 0, fields = 0, bytes = 0
            do {
                while try reader.next() {
                    records += 1
                    fields += reader.fieldCount
                    for i in 0..<reader.fieldCount { bytes &+= reader.withField(i) { $0.count } }
                }
            } catch { throw UserError("\(file):\(error.line):\(error.column): \(error.message)") }
            print("\(records) records, \(fields) fields, \(bytes) field bytes")
        }
    }
}
