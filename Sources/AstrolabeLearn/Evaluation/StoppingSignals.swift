import Foundation

/// Signals that say when more labels stop paying off, computed from what a query loop already has
/// (the predictions over the pool after each fit), so watching them costs no extra model work.
///
/// - `agreement`: Cohen's kappa between the pool predictions of two successive fits (Bloodgood &
///   Vijay-Shanker 2009, "stabilizing predictions"): near 1 when a new label no longer changes
///   what the model says about the unlabelled rows.
/// - `overallUncertainty`: the mean of the strategy's uncertainty over the pool (Zhu, Wang & Hovy
///   2008, "overall uncertainty").
/// - `maxUncertainty`: the uncertainty of the pool row the model most wants labelled (Zhu et al.'s
///   "max-confidence" criterion: stop once even the best question is one the model is sure of).
public enum StoppingSignals {
    /// Cohen's kappa of two labelings of the same items, classes `0..<classCount`:
    /// `(p_o - p_e) / (1 - p_e)` with `p_o` the observed agreement and `p_e` the agreement expected
    /// from the two marginal distributions (scikit-learn's `cohen_kappa_score`). When both
    /// labelings put every item in one and the same class (`p_e = 1`), the predictions are stable
    /// and the result is 1 (scikit-learn would give NaN). Returns nil for no items or mismatched
    /// lengths; labels outside `0..<classCount` are ignored, pairwise.
    public static func kappa(_ a: [Int], _ b: [Int], classCount: Int) -> Double? {
        guard a.count == b.count, classCount >= 1 else { return nil }
        var rowTotals = [Int](repeating: 0, count: classCount)
        var columnTotals = [Int](repeating: 0, count: classCount)
        var agree = 0, n = 0
        for (x, y) in zip(a, b) where x >= 0 && x < classCount && y >= 0 && y < classCount {
            rowTotals[x] += 1
            columnTotals[y] += 1
            if x == y { agree += 1 }
            n += 1
        }
        guard n > 0 else { return nil }
        let total = Double(n)
        let observed = Double(agree) / total
        var expected = 0.0
        for c in 0..<classCount { expected += Double(rowTotals[c]) * Double(columnTotals[c]) }
        expected /= total * total
        guard expected < 1 else { return 1 }
        return (observed - expected) / (1 - expected)
    }

    /// Kappa between two fits' predictions over pools given as ascending row lists: compares the
    /// rows present in both (a labelled row leaves the pool between fits). Nil if none are shared.
    public static func kappa(rows previousRows: [Int], previous: [Int], rows currentRows: [Int], current: [Int],
                             classCount: Int) -> Double? {
        var a: [Int] = [], b: [Int] = []
        a.reserveCapacity(min(previousRows.count, currentRows.count))
        b.reserveCapacity(a.capacity)
        var i = 0, j = 0
        while i < previousRows.count, j < currentRows.count, i < previous.count, j < current.count {
            if previousRows[i] == currentRows[j] {
                a.append(previous[i]); b.append(current[j]); i += 1; j += 1
            } else if previousRows[i] < currentRows[j] { i += 1 } else { j += 1 }
        }
        return kappa(a, b, classCount: classCount)
    }

    /// How many of the rows present in both fits' pools (ascending row lists) kept their predicted
    /// class, and how many were compared: the signal of small-text's `ClassificationChange`.
    public static func unchanged(rows previousRows: [Int], previous: [Int], rows currentRows: [Int],
                                 current: [Int]) -> (unchanged: Int, compared: Int) {
        var same = 0, n = 0, i = 0, j = 0
        while i < previousRows.count, j < currentRows.count, i < previous.count, j < current.count {
            if previousRows[i] == currentRows[j] {
                if previous[i] == current[j] { same += 1 }
                n += 1; i += 1; j += 1
            } else if previousRows[i] < currentRows[j] { i += 1 } else { j += 1 }
        }
        return (same, n)
    }

    /// The mean over rows of the entropy of each row's probabilities (normalised to sum 1, natural
    /// log, 0·log 0 = 0) divided by log(classCount): 0 when every row is certain, 1 when every row
    /// is uniform. Small-text's `OverallUncertainty` measure (Zhu, Wang & Hovy 2008). Nil for no
    /// rows or fewer than two classes.
    public static func meanNormalizedEntropy(probabilities: [Double], classCount k: Int) -> Double? {
        guard k >= 2 else { return nil }
        let rows = probabilities.count / k
        guard rows > 0 else { return nil }
        let norm = Foundation.log(Double(k))
        var total = 0.0
        probabilities.withUnsafeBufferPointer { p in
            for r in 0..<rows {
                var sum = 0.0
                for c in 0..<k { sum += p[r * k + c] }
                var h = 0.0
                if sum > 0 {
                    for c in 0..<k {
                        let q = p[r * k + c] / sum
                        if q > 0 { h -= q * Foundation.log(q) }
                    }
                }
                total += h / norm
            }
        }
        return total / Double(rows)
    }
}
