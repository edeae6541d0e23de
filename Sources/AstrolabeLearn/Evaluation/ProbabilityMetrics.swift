import Foundation

/// Scores for unbalanced classes and for probabilities, each equal to its `sklearn.metrics`
/// namesake: balanced accuracy, Matthews correlation (from a `ConfusionMatrix`), per-class average
/// precision (the area under the precision–recall curve), the Brier score, the reliability curve
/// (`sklearn.calibration.calibration_curve`) and the expected calibration error (Guo et al. 2017;
/// scikit-learn has none, the fixture computes it with numpy).
///
/// Probabilities are row-major, `truth.count × classCount`; classes are `0..<classCount`.
public enum ProbabilityMetrics {
    /// `balanced_accuracy_score`: the mean recall over the classes that occur in the truth.
    public static func balancedAccuracy(_ matrix: ConfusionMatrix) -> Double {
        let classes = (0..<matrix.classCount).filter { matrix.support($0) > 0 }
        guard !classes.isEmpty else { return 0 }
        return classes.reduce(0.0) { $0 + matrix.recall($1) } / Double(classes.count)
    }

    /// `matthews_corrcoef` (multiclass, Gorodkin's R_K); 0 when either marginal is constant.
    public static func matthews(_ matrix: ConfusionMatrix) -> Double {
        let k = matrix.classCount
        var t = [Double](repeating: 0, count: k), p = [Double](repeating: 0, count: k)
        var correct = 0.0, n = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let c = Double(matrix.counts[i][j])
                t[i] += c; p[j] += c; n += c
                if i == j { correct += c }
            }
        }
        var tp = 0.0, pp = 0.0, tt = 0.0
        for i in 0..<k { tp += t[i] * p[i]; pp += p[i] * p[i]; tt += t[i] * t[i] }
        let covYtYp = correct * n - tp, covYpYp = n * n - pp, covYtYt = n * n - tt
        guard covYtYt * covYpYp != 0 else { return 0 }
        return covYtYp / (covYtYt * covYpYp).squareRoot()
    }

    /// `average_precision_score(truth == c, p[:, c])`: Σ (Rₙ − Rₙ₋₁) Pₙ over the distinct scores,
    /// highest first; nil when the class has no positive row.
    public static func averagePrecision(truth: [Int], probabilities: [Double], classCount: Int, of c: Int) -> Double? {
        let n = truth.count
        guard n > 0, probabilities.count == n * classCount, c >= 0, c < classCount else { return nil }
        let positives = truth.filter { $0 == c }.count
        guard positives > 0 else { return nil }
        let order = (0..<n).sorted { probabilities[$0 * classCount + c] > probabilities[$1 * classCount + c] || 
            (probabilities[$0 * classCount + c] == probabilities[$1 * classCount + c] && $0 < $1) }
        var tps = 0.0, fps = 0.0, previousRecall = 0.0, sum = 0.0
        for (i, row) in order.enumerated() {
            if truth[row] == c { tps += 1 } else { fps += 1 }
            let score = probabilities[row * classCount + c]
            // A threshold is the last row of a run of equal scores.
            if i + 1 < n && probabilities[order[i + 1] * classCount + c] == score { continue }
            let recall = tps / Double(positives)
            sum += (recall - previousRecall) * (tps / (tps + fps))
            previousRecall = recall
        }
        return sum
    }

    /// `brier_score_loss` as scikit-learn gives it for the natural input: for two classes the mean
    /// squared error of the second class's probability (`y_proba` 1-D), for more the mean over rows
    /// of Σ_c (p_c − [y = c])² (2-D, not halved).
    public static func brier(truth: [Int], probabilities: [Double], classCount: Int) -> Double {
        let n = truth.count
        guard n > 0, probabilities.count == n * classCount else { return .nan }
        var sum = 0.0
        for (r, y) in truth.enumerated() {
            if classCount == 2 {
                let d = probabilities[r * 2 + 1] - (y == 1 ? 1 : 0)
                sum += d * d
            } else {
                for c in 0..<classCount {
                    let d = probabilities[r * classCount + c] - (y == c ? 1 : 0)
                    sum += d * d
                }
            }
        }
        return sum / Double(n)
    }

    /// One bin of a reliability curve: its mean predicted probability, the observed fraction of
    /// positives and the number of rows.
    public struct ReliabilityBin: Equatable, Sendable {
        /// Which of the equal-width bins (0 from probability 0).
        public var bin: Int
        public var meanPredicted: Double
        public var fractionPositive: Double
        public var count: Int
    }

    /// `calibration_curve(positive, predicted, n_bins=bins, strategy="uniform")`, with each
    /// non-empty bin's count: equal-width bins on [0, 1], a value on an inner edge in the lower bin.
    public static func reliabilityCurve(positive: [Bool], predicted: [Double], bins: Int) -> [ReliabilityBin] {
        guard bins >= 1 else { return [] }
        var sums = [Double](repeating: 0, count: bins), hits = [Double](repeating: 0, count: bins)
        var counts = [Int](repeating: 0, count: bins)
        for (p, y) in zip(predicted, positive) where p.isFinite {
            let b = binIndex(p, bins: bins)
            sums[b] += p; counts[b] += 1
            if y { hits[b] += 1 }
        }
        return (0..<bins).filter { counts[$0] > 0 }.map {
            ReliabilityBin(bin: $0, meanPredicted: sums[$0] / Double(counts[$0]), fractionPositive: hits[$0] / Double(counts[$0]), count: counts[$0])
        }
    }

    /// The bin of `p` among `bins` equal-width bins: numpy's `searchsorted(inner edges, p)` (left).
    static func binIndex(_ p: Double, bins: Int) -> Int {
        var b = 0
        while b < bins - 1 && Double(b + 1) / Double(bins) < p { b += 1 }
        return b
    }

    /// Expected calibration error of the top-label confidence: Σ_b (n_b / n) |accuracy_b −
    /// confidence_b| over `bins` equal-width bins of the highest probability (binned as
    /// `reliabilityCurve`), a row correct when its most probable class (lowest index on ties) is its class.
    public static func expectedCalibrationError(truth: [Int], probabilities: [Double], classCount: Int, bins: Int = 10) -> Double {
        let n = truth.count
        guard n > 0, probabilities.count == n * classCount, classCount > 0 else { return .nan }
        let predicted = argmaxRows(probabilities, classCount: classCount)
        let confidence = (0..<n).map { probabilities[$0 * classCount + predicted[$0]] }
        let curve = reliabilityCurve(positive: (0..<n).map { predicted[$0] == truth[$0] }, predicted: confidence, bins: bins)
        return curve.reduce(0.0) { $0 + Double($1.count) / Double(n) * abs($1.fractionPositive - $1.meanPredicted) }
    }
}
