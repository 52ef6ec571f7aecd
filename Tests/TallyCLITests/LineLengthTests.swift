import Foundation
import TestSupport
import Testing

/// The lines of the .swift files under `folders` of `root` that are longer than `limit` columns, as
/// "folder/file.swift:line: N columns". A column is a character, as swift-format counts them.
func linesOver(_ limit: Int, in folders: [String], of root: URL) throws -> [String] {
    var found: [String] = []
    for folder in folders {
        let base = root.appendingPathComponent(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: base.path])
        }
        var files: [String] = []
        for case let url as URL in FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) ?? .init()
        where url.pathExtension == "swift" {
            files.append(folder + "/" + url.path.dropFirst(base.path.count + 1))
        }
        for file in files.sorted() {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            for (index, line) in lines.enumerated() where line.count > limit {
                found.append("\(file):\(index + 1): \(line.count) columns")
            }
        }
    }
    return found
}

/// House style: lines of at most 120 columns (.swift-format; scripts/format.sh formats and checks).
@Suite("architecture: line length")
struct LineLengthTests {
    @Test func noSwiftLineIsLongerThan120Columns() throws {
        let long = try linesOver(120, in: ["Sources", "Tests", "fuzz", "scripts"], of: packageRoot())
        // scripts/format.sh, then split by hand the string literals it leaves too long (docs/testing.md).
        #expect(long.isEmpty, "\(long.count) lines over 120 columns:\n\(long.prefix(30).joined(separator: "\n"))")
    }

    /// The check finds what it is meant to find, and counts characters, not bytes.
    @Test func theCheckNamesALineOver120Columns() throws {
        let dir = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: dir) }
        let accented = "let s = \"" + String(repeating: "é", count: 109) + "\""  // 119 columns, 228 bytes
        try write("\(accented)\n" + String(repeating: "x", count: 121) + "\n", to: "Sources/A/A.swift", in: dir)
        try write(String(repeating: "y", count: 120) + "\n", to: "Sources/B.swift", in: dir)
        try write(String(repeating: "z", count: 200) + "\n", to: "Sources/C.txt", in: dir)
        #expect(try linesOver(120, in: ["Sources"], of: dir) == ["Sources/A/A.swift:2: 121 columns"])
        #expect(throws: (any Error).self) { try linesOver(120, in: ["Tests"], of: dir) }
    }
}
