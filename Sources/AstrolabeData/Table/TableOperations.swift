/// Whole-table operations the commands `join`, `where`, `sample` and `features combine` build on.
extension Table {
    /// The rows `rows` of every column, in that order, keeping the id and label roles and which row
    /// of the loaded table each row is (`baseRows`, composed through views of views).
    public func selecting(rows: [Int], name: String? = nil) throws -> Table {
        var selected = try Table(name: name ?? self.name, columns: columns.map { $0.selecting(rows: rows) },
                                 idColumn: idColumn, labelColumn: labelColumn)
        selected.baseRows = rows.map { baseRows?[$0] ?? $0 }
        return selected
    }

    /// `count` distinct rows drawn uniformly without replacement, returned in table order, from a
    /// seeded SplitMix64 stream (same seed, same rows, on every machine).
    public func sampleRows(_ count: Int, seed: UInt64) -> [Int] {
        let n = rowCount
        guard count < n else { return Array(0 ..< n) }
        // Partial Fisher–Yates over a virtual permutation (dictionary of swapped slots).
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var swapped: [Int: Int] = [:]
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        for i in 0 ..< max(0, count) {
            let span = UInt64(n - i)
            // Rejection sampling: no modulo bias.
            let limit = UInt64.max - UInt64.max % span
            var r = next()
            while r >= limit { r = next() }
            let j = i + Int(r % span)
            let vj = swapped[j] ?? j
            let vi = swapped[i] ?? i
            swapped[j] = vi
            chosen.append(vj)
        }
        return chosen.sorted()
    }
}

/// The outcome of a left join: the fused table and how well the keys matched.
public struct JoinResult: Sendable {
    public var table: Table
    /// Rows of the left table with no partner on the right (their new columns are missing).
    public var unmatchedLeft: Int
    /// Rows of the right table no left row asked for.
    public var unusedRight: Int
    /// Left rows whose key occurs more than once on the right (the first occurrence is used).
    public var ambiguousLeft: Int
    /// Right columns renamed because the left table already had the name.
    public var renamed: [(from: String, to: String)]
}

extension Table {
    /// Left join by key: every row of `self`, in order, with the columns of `other` from the first
    /// row of `other` whose key equals it. Keys compare as displayed text, so `42` in a numeric
    /// column matches `42` in a text column; a missing key never matches. Right columns whose
    /// names clash get the suffix `_<other name>`. The key column of `other` is not repeated.
    public func leftJoin(_ other: Table, on leftKey: String, rightKey: String? = nil) throws -> JoinResult {
        let rightKey = rightKey ?? leftKey
        guard let leftColumn = column(named: leftKey) else { throw unknownColumnError(leftKey) }
        guard let rightColumn = other.column(named: rightKey) else { throw other.unknownColumnError(rightKey) }
        var index: [String: Int] = [:]
        index.reserveCapacity(other.rowCount)
        var duplicated = Set<String>()
        for r in 0 ..< other.rowCount {
            try Cancellation.checkEvery(r)
            guard let key = Self.key(rightColumn, r) else { continue }
            if index[key] == nil { index[key] = r } else { duplicated.insert(key) }
        }
        var rows = [Int](repeating: -1, count: rowCount)
        var used = [Bool](repeating: false, count: other.rowCount)
        var unmatched = 0, ambiguous = 0
        for r in 0 ..< rowCount {
            try Cancellation.checkEvery(r)
            if let key = Self.key(leftColumn, r), let match = index[key] {
                rows[r] = match
                used[match] = true
                if duplicated.contains(key) { ambiguous += 1 }
            } else {
                unmatched += 1
            }
        }
        var result = self
        let renamed = try result.addPartnerColumns(of: other, rows: rows, excluding: rightKey).renamed
        return JoinResult(table: result, unmatchedLeft: unmatched, unusedRight: used.reduce(0) { $0 + ($1 ? 0 : 1) },
                          ambiguousLeft: ambiguous, renamed: renamed)
    }

    /// Adds the columns of `other` (but `excluding`), row `rows[r]` of it beside row r (-1: missing).
    /// A name this table already has gets the suffix `_OTHER` (then `_OTHER2`, ...).
    public mutating func addPartnerColumns(of other: Table, rows: [Int], excluding: String? = nil) throws
        -> (count: Int, renamed: [(from: String, to: String)]) {
        var renamed: [(from: String, to: String)] = []
        var count = 0
        for column in other.columns where column.name != excluding {
            var added = column.selecting(rows: rows)
            if self.column(named: added.name) != nil {
                var candidate = "\(column.name)_\(other.name)"
                var k = 2
                while self.column(named: candidate) != nil || other.column(named: candidate) != nil {
                    candidate = "\(column.name)_\(other.name)\(k)"
                    k += 1
                }
                renamed.append((column.name, candidate))
                added.name = candidate
            }
            try setColumn(added)
            count += 1
        }
        return (count, renamed)
    }

    private static func key(_ column: Column, _ row: Int) -> String? {
        switch column.values {
        case .text(let v): return v[row]
        case .numeric, .float32:
            // Full precision: two different numbers must never share a key.
            let x = column.number(row: row)
            if x.isNaN { return nil }
            if x == x.rounded(), Swift.abs(x) < 9_007_199_254_740_992 { return String(Int64(x)) }
            return "\(x)"
        }
    }
}

extension Cancellation {
    /// `check()` every 65,536 iterations: cheap enough for the tightest loops that call it.
    @inline(__always)
    public static func checkEvery(_ i: Int) throws {
        if i & 0xFFFF == 0 { try check() }
    }
}
