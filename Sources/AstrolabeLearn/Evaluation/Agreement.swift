/// Agreement between annotators who labelled the same rows: Krippendorff's alpha (nominal),
/// Cohen's kappa for a pair, Fleiss' kappa, and the observed agreement.
///
/// Answers are class indices per row and annotator, `nil` where an annotator did not answer.
/// Definitions follow the reference implementations the tests compare against: the `krippendorff`
/// package (coincidence matrix over rows with at least two answers), scikit-learn's
/// `cohen_kappa_score` and statsmodels' `fleiss_kappa`. An undefined statistic (every answer the
/// same class, so no disagreement is expected) is NaN, as in those libraries, never a trap.
public enum Agreement {
    /// Krippendorff's alpha for nominal data, with the counts it rests on.
    public struct Alpha: Equatable, Sendable {
        public var alpha: Double
        /// Rows with at least two answers (the only rows that say anything about agreement).
        public var pairableRows: Int
        /// Answers in those rows (n in Krippendorff's notation).
        public var pairableValues: Int
        /// Observed agreement: the fraction of answer pairs within a row that agree (1 − D_o).
        public var observed: Double
    }

    /// `rows[u][a]`: annotator `a`'s class for row `u`, or nil. Classes are `0..<classCount`.
    public static func krippendorffAlpha(_ rows: [[Int?]], classCount: Int) throws -> Alpha {
        guard classCount >= 1 else { throw LearnError("agreement needs at least one class") }
        // Coincidence matrix: each ordered pair of answers within a row counts 1/(m − 1).
        var coincidence = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: classCount)
        var pairable = 0
        for row in rows {
            let values = try row.compactMap { value in try value.map { try checked($0, classCount) } }
            guard values.count >= 2 else { continue }
            pairable += 1
            let weight = 1 / Double(values.count - 1)
            for i in values.indices { for j in values.indices where i != j { coincidence[values[i]][values[j]] += weight } }
        }
        let margins = coincidence.map { $0.reduce(0, +) }
        let n = margins.reduce(0, +)
        let agreeing = (0..<classCount).reduce(0.0) { $0 + coincidence[$1][$1] }
        let expectedPairs = n * n - margins.reduce(0) { $0 + $1 * $1 }
        let alpha = expectedPairs == 0 ? Double.nan : 1 - (n - 1) * (n - agreeing) / expectedPairs
        return Alpha(alpha: alpha, pairableRows: pairable, pairableValues: Int(n.rounded()),
                     observed: n == 0 ? .nan : agreeing / n)
    }

    /// Cohen's kappa of two annotators over the rows both answered: (p_o − p_e) / (1 − p_e).
    public static func cohenKappa(_ a: [Int], _ b: [Int], classCount: Int) throws -> Double {
        guard a.count == b.count else { throw LearnError("\(a.count) answers against \(b.count)") }
        guard !a.isEmpty else { return .nan }
        var counts = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: classCount)
        for (x, y) in zip(a, b) { counts[try checked(x, classCount)][try checked(y, classCount)] += 1 }
        let n = Double(a.count)
        let rowSums = counts.map { $0.reduce(0, +) }
        let columnSums = (0..<classCount).map { c in counts.reduce(0) { $0 + $1[c] } }
        let observed = (0..<classCount).reduce(0.0) { $0 + counts[$1][$1] } / n
        let expected = (0..<classCount).reduce(0.0) { $0 + rowSums[$1] * columnSums[$1] } / (n * n)
        return expected == 1 ? .nan : (observed - expected) / (1 - expected)
    }

    /// Fleiss' kappa over rows every annotator answered: `counts[u][c]` annotators put row `u` in
    /// class `c`, the same number of annotators per row.
    public static func fleissKappa(counts: [[Int]]) throws -> Double {
        guard let raters = counts.first.map({ $0.reduce(0, +) }), raters >= 2 else {
            throw LearnError("Fleiss' kappa needs rows answered by at least two annotators")
        }
        guard counts.allSatisfy({ $0.reduce(0, +) == raters && $0.count == counts[0].count }) else {
            throw LearnError("Fleiss' kappa needs every row answered by the same \(raters) annotators")
        }
        let rows = Double(counts.count), m = Double(raters)
        let perRow = counts.map { row in (row.reduce(0.0) { $0 + Double($1 * $1) } - m) / (m * (m - 1)) }
        let meanAgreement = perRow.reduce(0, +) / rows
        let shares = (0..<counts[0].count).map { c in counts.reduce(0.0) { $0 + Double($1[c]) } / (rows * m) }
        let expected = shares.reduce(0) { $0 + $1 * $1 }
        return expected == 1 ? .nan : (meanAgreement - expected) / (1 - expected)
    }

    /// Fleiss' kappa straight from answers: the rows where every annotator answered.
    public static func fleissKappa(_ rows: [[Int?]], classCount: Int) throws -> (kappa: Double, rows: Int) {
        var counts: [[Int]] = []
        for row in rows where !row.contains(where: { $0 == nil }) {
            var tally = [Int](repeating: 0, count: classCount)
            for value in row { tally[try checked(value!, classCount)] += 1 }
            counts.append(tally)
        }
        guard !counts.isEmpty else { return (.nan, 0) }
        return (try fleissKappa(counts: counts), counts.count)
    }

    private static func checked(_ value: Int, _ classCount: Int) throws -> Int {
        guard value >= 0, value < classCount else { throw LearnError("class \(value) is outside 0..<\(classCount)") }
        return value
    }
}
