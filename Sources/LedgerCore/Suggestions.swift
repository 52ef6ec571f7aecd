// "Did you mean": the one way tally finds the name a user probably meant (a header of a file, a
// creator id), so that every message that suggests one suggests alike.

/// The edit distance (insertions, deletions, substitutions) between `a` and `b`, ignoring case.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {  // bounded by the names' lengths
        current[0] = i
        for j in 1...y.count {
            let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The candidate closest to `name` (edit distance, case-insensitive; the first of equals), when
/// it is at most `maxDistance` away (nil: any distance).
public func closestMatch(to name: String, among candidates: [String], maxDistance: Int? = nil) -> String? {
    var best: (name: String, distance: Int)?
    for candidate in candidates where !candidate.isEmpty {
        let d = editDistance(name, candidate)
        if best == nil || d < best!.distance { best = (candidate, d) }
    }
    guard let best, maxDistance.map({ best.distance <= $0 }) ?? true else { return nil }
    return best.name
}

/// The known column a header of a master data file was probably meant to be, among `absent` (the
/// columns the kind reads that the header lacks), or nil: the same name written another way (case,
/// spaces, hyphens or underscores: `Bonus Threshold`, `new-customer-commission`), a plural or
/// singular (`tier`), a typo (edit distance 1 for names of 4 to 6 letters, 2 from 7: `bonus_treshold`;
/// shorter names only another way or plural, so that `x` is not taken for `id`), or a name that
/// holds it as whole words (`retainer_fee`, `monthly_bonus`, for names of 4 letters or more).
public func nearMissColumn(_ header: String, among absent: [String]) -> String? {
    let name = normalizedColumnName(header)
    guard !name.isEmpty else { return nil }
    let words = name.split(separator: "_").map(String.init)
    func plural(_ a: String, _ b: String) -> Bool { a == b + "s" || a == b + "es" }
    var best: (column: String, rank: Int)?
    for column in absent {
        let rank: Int?
        if name == column || plural(name, column) || plural(column, name) {
            rank = 0
        } else if editDistance(name, column) <= (column.count >= 7 ? 2 : column.count >= 4 ? 1 : 0) {
            rank = 1 + editDistance(name, column)
        } else if column.count >= 4, containsWords(words, column.split(separator: "_").map(String.init)) {
            rank = 10 - min(column.count, 9) / 3  // the longer name held wins
        } else {
            rank = nil
        }
        if let rank, best == nil || rank < best!.rank { best = (column, rank) }
    }
    return best?.column
}

/// Lower-case, every run of spaces, hyphens, underscores and dots one underscore, none at the ends.
func normalizedColumnName(_ header: String) -> String {
    var result = ""
    var gap = false
    for c in header.lowercased() {
        if c == " " || c == "-" || c == "_" || c == "." || c == "\t" {
            gap = true
        } else {
            if gap && !result.isEmpty { result.append("_") }
            gap = false
            result.append(c)
        }
    }
    return result
}

private func containsWords(_ words: [String], _ part: [String]) -> Bool {
    guard !part.isEmpty, part.count < words.count else { return false }
    return (0...(words.count - part.count)).contains { Array(words[$0..<($0 + part.count)]) == part }
}
