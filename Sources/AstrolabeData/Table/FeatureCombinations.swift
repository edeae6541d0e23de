/// Colour-style features in bulk: every combination of K columns joined by one operation
/// (`u-g`, `u-r`, ... for subtract with K = 2), the way AstronomicAL builds colour features.
public enum CombineOperation: String, Sendable, CaseIterable {
    case subtract, add, multiply, divide

    public var symbol: String {
        switch self {
        case .subtract: return "-"
        case .add: return "+"
        case .multiply: return "*"
        case .divide: return "/"
        }
    }

    @inline(__always)
    func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .subtract: return a - b
        case .add: return a + b
        case .multiply: return a * b
        case .divide: return a / b
        }
    }
}

public enum FeatureCombinations {
    /// n choose k, or nil if it does not fit in an Int.
    public static func count(_ n: Int, choose k: Int) -> Int? {
        guard k >= 0, n >= 0 else { return 0 }
        guard k <= n else { return 0 }
        var result = 1
        for i in 0 ..< min(k, n - k) {
            let (m, o) = result.multipliedReportingOverflow(by: n - i)
            if o { return nil }
            result = m / (i + 1)
        }
        return result
    }

    /// Every k-subset of 0..<n, in lexicographic order of positions (the order the columns were given).
    public static func subsets(_ n: Int, _ k: Int) -> [[Int]] {
        guard k > 0, k <= n else { return [] }
        var out: [[Int]] = []
        var current = Array(0 ..< k)
        while true {
            out.append(current)
            var i = k - 1
            while i >= 0, current[i] == n - k + i { i -= 1 }
            if i < 0 { break }
            current[i] += 1
            for j in i + 1 ..< k { current[j] = current[j - 1] + 1 }
        }
        return out
    }

    /// The name of a combined feature: column names joined by the operator, as `g-r` or `u-g-r`.
    public static func name(_ names: [String], _ op: CombineOperation) -> String {
        names.joined(separator: op.symbol)
    }

    /// Values of one combination, folded left to right: `a-b-c` is (a - b) - c.
    public static func values(_ columns: [[Double]], _ op: CombineOperation) -> [Double] {
        guard var result = columns.first else { return [] }
        for other in columns.dropFirst() {
            let n = min(result.count, other.count)
            result.withUnsafeMutableBufferPointer { r in
                other.withUnsafeBufferPointer { o in
                    for i in 0 ..< n { r[i] = op.apply(r[i], o[i]) }
                }
            }
        }
        return result
    }
}
