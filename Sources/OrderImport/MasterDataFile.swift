import LedgerCore

/// The kinds of master-data file, in the order they are meant to be imported.
public enum MasterDataKind: String, CaseIterable, Sendable {
    case creators, codes, referrals, terms, posts, gifts, adjustments, fx

    /// Columns that must be in the header: every column a missing cell of which would change money
    /// (a code without `valid_until` would never end, terms without `holdback_days` would pay too
    /// early). Their cells may still be empty where the format allows it.
    public var requiredColumns: [String] {
        switch self {
        case .creators: return ["id", "name", "email"]
        case .codes: return ["code", "creator", "valid_from", "valid_until"]
        case .referrals: return ["value", "creator", "valid_from", "valid_until"]
        case .terms: return ["creator", "effective_from", "commission", "per_order", "holdback_days", "min_payout"]
        case .posts: return ["creator", "date", "platform", "fee"]
        case .gifts: return ["creator", "date", "value"]
        case .adjustments: return ["creator", "date", "amount", "reason"]
        case .fx: return ["date", "currency", "rate"]
        }
    }

    /// The optional plan columns of a terms file (section 8 of the ledger rules).
    public static let planColumns = [
        "new_customer_commission", "lifetime_months", "lifetime_commission", "tiers",
        "tiers_apply", "bonus_threshold", "bonus", "retainer"
    ]

    /// Columns read when present. For creators every other column is a platform.
    public var optionalColumns: [String] {
        switch self {
        case .creators: return ["payout_method", "payout_account", "tax_form"]
        case .codes, .referrals: return []
        case .terms: return Self.planColumns
        case .posts: return ["url", "impressions", "engagements", "id"]
        case .gifts: return ["note", "id"]
        case .adjustments: return ["id"]
        case .fx: return []
        }
    }

    /// The header as written in docs/master-data.md and cli.md.
    public var documentedHeader: String {
        switch self {
        case .creators: return "id,name,email[,payout_method,payout_account][,tax_form][,PLATFORM...]"
        case .codes: return "code,creator,valid_from,valid_until"
        case .referrals: return "value,creator,valid_from,valid_until"
        case .terms: return "creator,effective_from,commission,per_order,holdback_days,min_payout"
        case .posts: return "[id,]creator,date,platform,fee,url,impressions,engagements"
        case .gifts: return "[id,]creator,date,value,note"
        case .adjustments: return "[id,]creator,date,amount,reason"
        case .fx: return "date,currency,rate"
        }
    }
}

/// A header row: column names (trimmed, lower-cased) by position.
struct MasterDataHeader {
    /// As written in the file.
    let raw: [String]
    /// Trimmed and lower-cased: what columns are matched by.
    let names: [String]
    let index: [String: Int]
    /// The columns the kind does not read and that are near none it reads, as written (creators:
    /// none, every such column is a platform): ignored, and named in a note.
    var ignored: [String] = []

    /// Reads and checks the header of `kind`: every required column present, no name twice, no
    /// column that is a near miss of one the kind reads and the header lacks (`bonus_treshold`,
    /// `Bonus Threshold`, `tier`: its cells would be dropped without a word, and the plan it holds
    /// never applied). Blank header cells are ignored (with their columns).
    static func read(_ cells: [String], kind: MasterDataKind, file: String) -> Result<MasterDataHeader, InputIssue> {
        let names = cells.map { $0.trimmingASCIISpaces().lowercased() }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() where !name.isEmpty {
            if let first = index[name] {
                return .failure(
                    InputIssue(
                        file: file, line: 1, column: i + 1, columnName: name, found: cells[i],
                        expected: "each column once (column \(first + 1) has the same name)"))
            }
            index[name] = i
        }
        if cells.count == 1, let issue = otherDelimiter(cells[0], header: kind.documentedHeader, file: file) {
            return .failure(issue)
        }
        let missing = kind.requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            return .failure(missingColumns(missing, names: names, raw: cells, kind: kind, file: file))
        }
        let known = kind.requiredColumns + kind.optionalColumns
        let absent = known.filter { index[$0] == nil }
        var ignored: [String] = []
        // Every near miss, in one message: a header fixed one column a run would take as many runs.
        var nearMisses: [(column: Int, found: String, near: String)] = []
        for (i, name) in names.enumerated() where !name.isEmpty && !known.contains(name) {
            if let near = nearMissColumn(name, among: absent) {
                nearMisses.append((i + 1, cells[i].trimmingASCIISpaces(), near))
                continue
            }
            if kind != .creators { ignored.append(cells[i].trimmingASCIISpaces()) }
        }
        if let first = nearMisses.first {
            let more = nearMisses.dropFirst().map { "column \($0.column) '\($0.found)' (did you mean \($0.near)?)" }
            return .failure(
                InputIssue(
                    file: file, line: 1, column: first.column, found: first.found,
                    expected: "a column a \(kind.rawValue) file reads: did you mean \(first.near)? (rename it to "
                        + "\(first.near), or remove it: "
                        + (kind == .creators
                            ? "a creators file would read it as a platform's follower counts)"
                            : "a column a \(kind.rawValue) file does not read is ignored, so its cells would "
                                + "be dropped without a word)")
                        + (more.isEmpty
                            ? ""
                            : "; the header has \(more.count) more near miss\(more.count == 1 ? "" : "es"): "
                                + more.joined(separator: ", "))))
        }
        return .success(MasterDataHeader(raw: cells, names: names, index: index, ignored: ignored))
    }
}

/// One data row being read: trimmed cells by column name, collecting every problem it has.
struct RowReader {
    let file: String
    let line: Int
    let header: MasterDataHeader
    let cells: [String]
    private(set) var issues: [InputIssue] = []

    init(file: String, line: Int, header: MasterDataHeader, cells: [String]) {
        self.file = file; self.line = line; self.header = header
        self.cells = cells.map { $0.trimmingASCIISpaces() }
    }

    /// The trimmed cell of `column`; "" when the column is not in the file.
    func text(_ column: String) -> String {
        guard let i = header.index[column], i < cells.count else { return "" }
        return cells[i]
    }

    mutating func fail(_ column: String, found: String, expected: String) {
        let i = header.index[column] ?? -1
        issues.append(
            InputIssue(file: file, line: line, column: i + 1, columnName: column, found: found, expected: expected))
    }

    mutating func fail(_ column: String, _ conflict: MasterDataConflict) {
        fail(column, found: conflict.found, expected: conflict.expected)
    }

    /// A value that must be there: an empty cell is a problem.
    mutating func required<T>(_ column: String, _ what: String, _ parse: (String) -> Result<T, ValueProblem>) -> T? {
        let raw = text(column)
        guard !raw.isEmpty else {
            fail(column, found: "", expected: what)
            return nil
        }
        return parsed(column, raw, parse)
    }

    /// A value that may be left empty (nil, and no problem).
    mutating func optional<T>(_ column: String, _ parse: (String) -> Result<T, ValueProblem>) -> T? {
        let raw = text(column)
        return raw.isEmpty ? nil : parsed(column, raw, parse)
    }

    /// Free text that must not be empty.
    mutating func requiredText(_ column: String, _ what: String) -> String? {
        required(column, what) { .success($0) }
    }

    func optionalText(_ column: String) -> String? {
        let raw = text(column)
        return raw.isEmpty ? nil : raw
    }

    private mutating func parsed<T>(_ column: String, _ raw: String, _ parse: (String) -> Result<T, ValueProblem>) -> T?
    {
        switch parse(raw) {
        case let .success(value): return value
        case let .failure(problem):
            fail(column, found: raw, expected: problem.expected)
            return nil
        }
    }
}

/// A header of one cell holding `;` or a tab: a file re-saved by a spreadsheet with another
/// delimiter, as the order importers say.
func otherDelimiter(_ only: String, header: String, file: String) -> InputIssue? {
    let name = only.contains(";") ? "';'" : only.contains("\t") ? "tabs" : nil
    guard let name else { return nil }
    return InputIssue(
        file: file, line: 1, column: 1, found: only,
        expected: "a comma-separated header (\(header)); this file uses \(name) and looks "
            + "re-saved by a spreadsheet (Excel): save it as CSV with commas "
            + "(\"CSV UTF-8 (Comma delimited)\"), "
            + "or export it again")
}

/// The missing columns, each with the header closest to it that no other column of the kind takes.
private func missingColumns(
    _ missing: [String], names: [String], raw: [String], kind: MasterDataKind,
    file: String
) -> InputIssue {
    let known = Set(kind.requiredColumns + kind.optionalColumns)
    var free = names.enumerated().filter { !$0.element.isEmpty && !known.contains($0.element) }
    var at = 0
    let list = missing.map { name -> String in
        guard let near = closestMatch(to: name, among: free.map(\.element)),
            let k = free.firstIndex(where: { $0.element == near })
        else { return "'\(name)'" }
        let i = free.remove(at: k).offset  // each header is offered once
        if at == 0 { at = i + 1 }
        return "'\(name)' (closest header: '\(raw[i].trimmingASCIISpaces())', column \(i + 1))"
    }
    let plural = missing.count > 1 ? "s" : ""
    if let other = recognizeFile(raw, file: file, except: kind.rawValue) {
        return InputIssue(
            file: file, line: 1, column: 0,
            expected: "\(kind.article) \(kind.rawValue) file (\(kind.documentedHeader)); \(other.hint)")
    }
    return InputIssue(
        file: file, line: 1, column: at,
        expected: "missing column\(plural) \(list.joined(separator: ", ")) in the header "
            + "(\(kind.article) \(kind.rawValue) "
            + "file has \(kind.documentedHeader), in any order; a column may hold empty cells, "
            + "but it must be there)")
}
