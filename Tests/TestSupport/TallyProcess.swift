import Foundation

/// The result of running the built `tally` binary.
public struct RunResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status; self.stdout = stdout; self.stderr = stderr
    }
}

/// Runs the real `tally` executable (built next to the test bundle) in `directory`, with a pinned
/// environment (`pinnedEnvironment`); under `umask` (e.g. "022") when given, else the test process's.
public func runTally(
    _ arguments: [String], in directory: URL, environment extra: [String: String] = [:],
    stdin: String? = nil, umask mask: String? = nil
) throws -> RunResult {
    let (executable, arguments) = tallyInvocation(arguments, umask: mask)
    return try runProcess(executable, arguments, in: directory, environment: pinnedEnvironment(extra), stdin: stdin)
}

/// The executable and arguments that run `tally ARGUMENTS`: the binary itself, or, to run it under
/// a file-creation mask of the test's choosing, a shell that sets it and then becomes the binary
/// (`exec`: the same process, so that a kill meets tally).
public func tallyInvocation(_ arguments: [String], umask mask: String?) -> (URL, [String]) {
    guard let mask else { return (tallyBinary(), arguments) }
    precondition(mask.allSatisfy { ("0"..."7").contains($0) }, "a umask is octal digits")
    let script = "umask \(mask) && exec \"$0\" \"$@\""
    return (URL(fileURLWithPath: "/bin/sh"), ["-c", script, tallyBinary().path] + arguments)
}

/// The tests' environment for `tally`: TZ=UTC, no TALLY_LEDGER unless given, TALLY_NOW fixed
/// unless given, keys in the tests' own home (`testHome`: never the user's ~/.config), no
/// TALLY_KEY_FILE unless given.
public func pinnedEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "TALLY_LEDGER")
    environment.removeValue(forKey: "TALLY_KEY_FILE")
    for (k, v) in keyEnvironment() { environment[k] = v }
    environment["TZ"] = "UTC"
    environment["TALLY_NOW"] = "2026-11-21T12:00:00Z"
    for (k, v) in extra { environment[k] = v }
    return environment
}

/// Runs `executable` to its end and returns what it printed (standard input: `stdin`, else none).
public func runProcess(
    _ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String],
    stdin: String? = nil
) throws -> RunResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let stdin {
        let input = Pipe()
        process.standardInput = input
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    // Read both pipes before waiting, so that a large output cannot block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The `tally` binary: $TALLY_BIN, else next to the test bundle in the build folder.
public func tallyBinary() -> URL {
    if let path = ProcessInfo.processInfo.environment["TALLY_BIN"] { return URL(fileURLWithPath: path) }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("tally")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    // `swift test` puts the test bundle in .build/<triple>/debug; the executable is there too.
    return packageRoot().appendingPathComponent(".build/debug/tally")
}

/// The repository root (for examples/ and schema/).
public func packageRoot() -> URL {
    // Tests/TestSupport/TallyProcess.swift
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Writes `text` to `name` in `directory` and returns its path.
@discardableResult
public func write(_ text: String, to name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url.path
}
