import Dispatch

/// `describe`-style statistics of a numeric column, as pandas' `Series.describe()` reports them.
///
/// - `count` is the number of non-missing values and `missing` the number of NaNs; NaNs are
///   excluded from every statistic.
/// - `std` is the sample standard deviation (ddof = 1, like pandas); NaN with fewer than two values.
/// - Quartiles use linear interpolation between the two nearest ranks (numpy's default
///   `method="linear"`, including its `lerp` formula), so finite data gives the same numbers as
///   pandas and numpy. One deliberate difference: a quantile that falls exactly on a value returns
///   that value, so `[1, 2, inf]` has median 2 where numpy says NaN (it computes `2 + (inf-2)*0`),
///   and a quantile between a finite value and an infinity is that infinity (numpy: NaN).
/// - Infinities are values: they are counted, `min`/`max` may be ±inf, `mean` may be ±inf (or NaN
///   when both signs occur) and `std` is then NaN, as in pandas.
/// - With no values at all, every statistic is NaN and `count` is 0.
public struct ColumnSummary: Equatable, Sendable {
    public var count: Int
    public var missing: Int
    public var mean: Double
    public var std: Double
    public var min: Double
    public var q25: Double
    public var median: Double
    public var q75: Double
    public var max: Double

    public init(count: Int, missing: Int, mean: Double, std: Double, min: Double,
                q25: Double, median: Double, q75: Double, max: Double) {
        self.count = count
        self.missing = missing
        self.mean = mean
        self.std = std
        self.min = min
        self.q25 = q25
        self.median = median
        self.q75 = q75
        self.max = max
    }

    /// Equality that treats NaN as equal to NaN, which is what comparing two summaries means.
    public static func == (a: ColumnSummary, b: ColumnSummary) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.count == b.count && a.missing == b.missing && same(a.mean, b.mean) && same(a.std, b.std)
            && same(a.min, b.min) && same(a.q25, b.q25) && same(a.median, b.median)
            && same(a.q75, b.q75) && same(a.max, b.max)
    }

    /// The summary of a column's values (NaN is missing).
    ///
    /// Quartiles are found by selection (`OrderStatistics`), not by sorting: each needs only the
    /// values at two adjacent ranks of a sort, so a copy of the present values is partitioned
    /// around the median's rank, then each half around its quartile's; the value at the next rank
    /// is the smallest of what lies above. The numbers are exactly those of a sort. Sums run in
    /// row order with compensation (Kahan–Babuška), so they are deterministic and accurate for
    /// long columns. Memory: one copy of the present values.
    public static func of(_ values: [Double]) -> ColumnSummary { summary(values) }

    /// The summary of float32 values, taken as the doubles they are exactly: the same numbers as
    /// converting the column first, without that copy.
    public static func of(float32 values: [Float]) -> ColumnSummary { summary(values) }

    static func summary<Values: Collection & Sendable>(_ values: Values) -> ColumnSummary
        where Values.Element: BinaryFloatingPoint {
        var missing = 0
        var sum = 0.0, compensation = 0.0
        var low = Double.infinity, high = -Double.infinity
        var infinite = false
        var present = [Double](unsafeUninitializedCapacity: values.count) { buffer, initialized in
            var n = 0
            for x in values {
                let v = Double(x)
                if v.isNaN {
                    missing += 1
                    continue
                }
                buffer[n] = v
                n += 1
                if v < low { low = v }
                if v > high { high = v }
                if v.isInfinite { infinite = true }
                let t = sum + v
                if Swift.abs(sum) >= Swift.abs(v) { compensation += (sum - t) + v } else { compensation += (v - t) + sum }
                sum = t
            }
            initialized = n
        }
        let n = present.count
        guard n > 0 else {
            return ColumnSummary(count: 0, missing: missing, mean: .nan, std: .nan, min: .nan,
                                 q25: .nan, median: .nan, q75: .nan, max: .nan)
        }
        let mean = infinite ? sum / Double(n) : (sum + compensation) / Double(n)

        // The spread (from the column itself, in row order) and the quartiles (rearranging the
        // copy) are independent: on long columns they run side by side.
        var std = Double.nan
        var quartiles = (Double.nan, Double.nan, Double.nan)
        let parallel = n >= Self.parallelThreshold
        present.withUnsafeMutableBufferPointer { v in
            let results = SummaryParts()
            quartiles = Self.quartiles(v, parallel: parallel) {
                results.std = n > 1 ? Self.standardDeviation(values, mean: mean, count: n) : .nan
            }
            std = results.std
        }
        return ColumnSummary(count: n, missing: missing, mean: mean, std: std, min: low,
                             q25: quartiles.0, median: quartiles.1, q75: quartiles.2, max: high)
    }

    /// Columns at least this long are summarised on two threads (the results are the same).
    static let parallelThreshold = 1 << 16

    /// The sample standard deviation (ddof = 1) of the non-NaN `values` around `mean`, the
    /// squared deviations summed in row order with compensation.
    static func standardDeviation<Values: Collection>(_ values: Values, mean: Double, count: Int) -> Double
        where Values.Element: BinaryFloatingPoint {
        var squares = 0.0, compensation = 0.0
        for x in values where !x.isNaN {
            let d = Double(x) - mean
            let x = d * d
            let t = squares + x
            if squares >= x { compensation += (squares - t) + x } else { compensation += (x - t) + squares }
            squares = t
        }
        return ((squares + compensation) / Double(count - 1)).squareRoot()
    }

    /// numpy's linear 25%, 50% and 75% quantiles of non-empty values without NaN, which are
    /// rearranged. For rank position p = q·(n - 1) the quantile interpolates between the values at
    /// ranks floor(p) and floor(p) + 1 of a sort (`interpolate`). After the median's rank is
    /// selected, the quartiles' ranks lie on either side of it, in disjoint parts of the buffer,
    /// which `parallel` selects at the same time; `alongside` runs beside the median's selection
    /// (one level of threads each time: dispatch runs a nested `concurrentPerform` serially).
    static func quartiles(_ v: UnsafeMutableBufferPointer<Double>, parallel: Bool = false,
                          alongside: @escaping @Sendable () -> Void = {}) -> (Double, Double, Double) {
        let n = v.count
        func ranks(_ q: Double) -> (lower: Int, upper: Int, t: Double) {
            let position = q * Double(n - 1)
            let lower = Swift.max(0, Swift.min(n - 1, Int(position.rounded(.down))))
            return (lower, Swift.min(n - 1, lower + 1), position - Double(lower))
        }
        let r25 = ranks(0.25), r50 = ranks(0.5), r75 = ranks(0.75)
        // Partitioned around the median's rank: ranks below it lie below, ranks above it above.
        let shared = SharedValues(buffer: v)
        let middle: @Sendable (Int) -> Void = { part in
            if part == 0 { alongside() } else { OrderStatistics.select(shared.buffer, r50.lower, in: 0 ..< n) }
        }
        if parallel { DispatchQueue.concurrentPerform(iterations: 2, execute: middle) } else { middle(0); middle(1) }
        let median50 = v[r50.lower]
        let above50 = r50.upper > r50.lower ? OrderStatistics.minimum(v, in: r50.lower + 1 ..< n) : median50
        let sides = SummaryParts()
        let side: @Sendable (Int) -> Void = { part in
            let v = shared.buffer
            if part == 0 {
                // The lower quartile's ranks are at most the median's.
                guard r25.lower < r50.lower else {
                    sides.lower = (median50, r25.upper > r25.lower ? above50 : median50)
                    return
                }
                OrderStatistics.select(v, r25.lower, in: 0 ..< r50.lower)
                // The next rank is in the lower part, up to the median's (which is its largest).
                sides.lower = (v[r25.lower], r25.upper > r25.lower
                                   ? OrderStatistics.minimum(v, in: r25.lower + 1 ..< r50.lower + 1) : v[r25.lower])
            } else {
                // The upper quartile's ranks are at least the median's.
                guard r75.lower > r50.lower else {
                    sides.upper = (median50, r75.upper > r75.lower ? above50 : median50)
                    return
                }
                OrderStatistics.select(v, r75.lower, in: r50.lower + 1 ..< n)
                sides.upper = (v[r75.lower], r75.upper > r75.lower
                                   ? OrderStatistics.minimum(v, in: r75.lower + 1 ..< n) : v[r75.lower])
            }
        }
        if parallel { DispatchQueue.concurrentPerform(iterations: 2, execute: side) } else { side(0); side(1) }
        return (interpolate(sides.lower.0, sides.lower.1, r25.t), interpolate(median50, above50, r50.t),
                interpolate(sides.upper.0, sides.upper.1, r75.t))
    }

    /// numpy's linear quantile of non-empty sorted values: the definition the selection above
    /// reproduces (and the reference its tests compare with).
    static func quantile(sorted v: [Double], _ q: Double) -> Double {
        guard !v.isEmpty else { return .nan }
        let position = q * Double(v.count - 1)
        let lowerIndex = Swift.max(0, Swift.min(v.count - 1, Int(position.rounded(.down))))
        let upperIndex = Swift.min(v.count - 1, lowerIndex + 1)
        return interpolate(v[lowerIndex], v[upperIndex], position - Double(lowerIndex))
    }

    /// The value a fraction `t` of the way from `a` to `b` (a <= b), numpy's way.
    static func interpolate(_ a: Double, _ b: Double, _ t: Double) -> Double {
        if t == 0 || a == b { return a }
        // Between an infinity and anything else the interpolated value is that infinity (numpy says
        // NaN here, from inf - inf); between -inf and +inf it is genuinely undefined.
        if a.isInfinite || b.isInfinite {
            if a == -.infinity && b == .infinity { return .nan }
            return a.isInfinite ? a : b
        }
        // numpy's _lerp: interpolate from whichever end is nearer, for symmetry and monotonicity.
        let difference = b - a
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t
    }
}

/// A column's values shared with the two threads of a summary, each touching its own part.
private struct SharedValues: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Double>
}

/// Where the two threads of a summary leave their results (each writes its own fields, and the
/// caller reads them after both are done).
private final class SummaryParts: @unchecked Sendable {
    var std = Double.nan
    var lower = (Double.nan, Double.nan)
    var upper = (Double.nan, Double.nan)
}

/// `describe`-style statistics of a text column.
///
/// `top` is the most frequent value; ties go to the lexicographically smallest (by Unicode scalar
/// values), so the answer does not depend on row order or hashing. `top` is nil when there are no
/// values.
public struct TextSummary: Equatable, Sendable {
    public var count: Int
    public var missing: Int
    public var unique: Int
    public var top: String?
    public var topCount: Int

    public init(count: Int, missing: Int, unique: Int, top: String?, topCount: Int) {
        self.count = count
        self.missing = missing
        self.unique = unique
        self.top = top
        self.topCount = topCount
    }

    public static func of(_ values: [String?]) -> TextSummary {
        var counts: [String: Int] = [:]
        var missing = 0
        for value in values {
            if let value { counts[value, default: 0] += 1 } else { missing += 1 }
        }
        var top: String? = nil
        var topCount = 0
        for (value, count) in counts {
            if count > topCount || (count == topCount && Self.precedes(value, top)) {
                top = value
                topCount = count
            }
        }
        return TextSummary(count: values.count - missing, missing: missing, unique: counts.count,
                           top: top, topCount: topCount)
    }

    /// Code-point order, independent of locale and of Unicode normalisation choices.
    private static func precedes(_ a: String, _ b: String?) -> Bool {
        guard let b else { return true }
        return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
}

extension Column {
    /// The numeric summary of a numeric column, or nil for text.
    public var numericSummary: ColumnSummary? {
        switch values {
        case .numeric(let v): return ColumnSummary.of(v)
        case .float32(let v): return ColumnSummary.of(float32: v)
        case .text: return nil
        }
    }
    /// The text summary of a text column, or nil for numbers.
    public var textSummary: TextSummary? { strings.map(TextSummary.of) }
}
