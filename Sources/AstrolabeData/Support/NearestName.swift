/// Did-you-mean suggestions: the candidate closest to `name` by edit distance, if it is close enough
/// to be a plausible typo (at most a third of the name's length, and at least one edit allowed).
public func nearestName(to name: String, in candidates: [String]) -> String? {
    let lowered = Array(name.lowercased())
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let d = editDistance(lowered, Array(candidate.lowercased()))
        // Strictly smaller: ties go to the earliest candidate, so suggestions are deterministic.
        if let current = best, current.distance <= d { continue }
        best = (candidate, d)
    }
    guard let best else { return nil }
    let allowed = max(1, (name.count + 2) / 3)
    if best.distance <= allowed { return best.name }
    // Not a typo, but perhaps the same words spelled another way: `sepal_length` for a catalogue's
    // `sepal length (cm)`. Suggested only when exactly one candidate has those words.
    let key = nameWords(name)
    guard !key.isEmpty else { return nil }
    let same = candidates.filter { nameWords($0) == key }
    return same.count == 1 ? same[0] : nil
}

/// A name reduced to its words: lower case, units in parentheses or brackets dropped, and every run
/// of other characters (spaces, `_`, `-`, `.`) made one `_`.
func nameWords(_ name: String) -> String {
    var words: [String] = [], word = "", depth = 0
    for c in name.lowercased() {
        if c == "(" || c == "[" { depth += 1; continue }
        if c == ")" || c == "]" { depth = max(0, depth - 1); continue }
        if depth > 0 { continue }
        if c.isLetter || c.isNumber { word.append(c) } else if !word.isEmpty { words.append(word); word = "" }
    }
    if !word.isEmpty { words.append(word) }
    return words.joined(separator: "_")
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                value = min(value, previous2[j - 2] + 1)
            }
            current[j] = value
        }
        (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[b.count]
}
