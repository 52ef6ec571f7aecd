import Foundation
import TestSupport
import Testing

/// Runs scripts/check-architecture.sh on `root`.
func checkArchitecture(_ root: URL) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [packageRoot().appendingPathComponent("scripts/check-architecture.sh").path, root.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
}

/// The module boundaries of docs/architecture.md, on the sources as they are.
@Suite("architecture")
struct ArchitectureTests {
    @Test func sqlStaysInTheStoreAndModulesImportOnlyWhatIsBelowThem() throws {
        let result = try checkArchitecture(packageRoot())
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
    }

    /// The check finds what it is meant to find.
    @Test func theCheckNamesSQLOutsideTheStore() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try write("import LedgerCore\nlet sql = \"SELECT 1 FROM facts\"\n", to: "Sources/OrderImport/A.swift", in: dir)
        try write("let sql = \"\"\"\n    DELETE FROM orders\n    \"\"\"\n", to: "Sources/LedgerCore/B.swift", in: dir)
        try write("func f(l: L) { _ = l.connection }\n", to: "Sources/TallyCLI/C.swift", in: dir)
        try write("let x = \"SELECT 1\"\nlet rc = sqlite3_step(nil)\n", to: "Sources/LedgerStore/D.swift", in: dir)
        let result = try checkArchitecture(dir)
        #expect(result.status == 1)
        for place in ["./OrderImport/A.swift:2", "./LedgerCore/B.swift:2", "./TallyCLI/C.swift:1"] {
            #expect(result.stdout.contains("SQL outside the store: \(place)"), "\(place): \(result.stdout)")
        }
        #expect(!result.stdout.contains("LedgerStore/D.swift"), "\(result.stdout)")
    }

    @Test func theCheckNamesAnImportAgainstTheGraph() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        try write("import Foundation\nimport LedgerStore\n", to: "Sources/LedgerCore/A.swift", in: dir)
        try write("import LedgerCore\n", to: "Sources/LedgerStore/B.swift", in: dir)
        let result = try checkArchitecture(dir)
        #expect(result.status == 1)
        #expect(result.stdout.contains("LedgerCore imports LedgerStore (LedgerCore/A.swift:2)"), "\(result.stdout)")
        #expect(!result.stdout.contains("Foundation") && !result.stdout.contains("B.swift"), "\(result.stdout)")
    }
}
