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
