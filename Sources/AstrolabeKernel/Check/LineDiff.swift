/// A readable line diff of two texts, for `astrolabe check`: changed lines with one line of
/// context, `-` for what the notebook holds and `+` for what the replay produced.
enum LineDiff {
    enum Edit: Equatable {
        case same(String), removed(String), added(String)
    }

    /// Longest-common-subsequence edit script. Outputs are small (tables, summaries); above
    /// `limit` cells the middle is shown as one replacement rather than spending quadratic memory.
    static func edits(_ a: [String], _ b: [String], limit: Int = 4_000_000) -> [Edit] {
        // Common prefix and suffix first: most changes touch a few lines of a long output.
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
        var result = a[..<prefix].map { Edit.same($0) }
        if midA.count * midB.count > limit || midA.isEmpty || midB.isEmpty {
            result += midA.map { .removed($0) } + midB.map { .added($0) }
        } else {
            let n = midA.count, m = midB.count
            // lcs[i][j]: LCS length of midA[i...] and midB[j...], flattened.
            var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i * (m + 1) + j] = midA[i] == midB[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                        : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, midA[i] == midB[j] { result.append(.same(midA[i])); i += 1; j += 1 }
                else if i < n, j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1] { result.append(.removed(midA[i])); i += 1 }
                else { result.append(.added(midB[j])); j += 1 }
            }
        }
        result += a[(a.count - suffix)...].map { Edit.same($0) }
        return result
    }

    /// Hunks of changed lines with `context` unchanged lines around them; `…` marks skipped lines.
    static func render(expected: String, actual: String, context: Int = 1, indent: String = "    ") -> String {
        let edits = edits(lines(expected), lines(actual))
        var keep = [Bool](repeating: false, count: edits.count)
        for (index, edit) in edits.enumerated() {
            if case .same = edit { continue }
            for k in max(0, index - context)...min(edits.count - 1, index + context) { keep[k] = true }
        }
        var out: [String] = []
        var skipped = false
        for (index, edit) in edits.enumerated() {
            guard keep[index] else { skipped = true; continue }
            if skipped, !out.isEmpty { out.append(indent + "  …") }
            skipped = false
            switch edit {
            case .same(let line): out.append(indent + "  " + line)
            case .removed(let line): out.append(indent + "- " + line)
            case .added(let line): out.append(indent + "+ " + line)
            }
        }
        return out.joined(separator: "\n")
    }

    /// Lines without their newlines; a missing final newline is shown, since it is a difference too.
    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() } else if !text.isEmpty { result[result.count - 1] += " ⟨no newline at end⟩" }
        return result
    }
}
