/// Counts of (true class, predicted class) pairs, and the scores derived from them.
///
/// Definitions follow scikit-learn with `zero_division=0`: a precision, recall or F1 whose
/// denominator is zero is 0, not NaN, so a report on a small, early labelled set never shows NaN.
/// Macro averages, like scikit-learn's default, are taken over the classes that occur in the truth
/// or in the predictions (a declared class nobody has used yet does not drag them down); weighted
/// averages weight each class by its support.
public struct ConfusionMatrix: Equatable, Sendable {
    public let classCount: Int
    /// `counts[t][p]`: rows of true class `t` predicted as `p`.
    public let counts: [[Int]]

    public init(truth: [Int], predicted: [Int], classCount: Int) throws {
        guard classCount >= 1 else { throw LearnError("classCount must be at least 1, got \(classCount)") }
        guard truth.count == predicted.count else {
            throw LearnError("\(truth.count) true labels but \(predicted.count) predictions")
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (t, p) in zip(truth, predicted) {
            guard t >= 0, t < classCount, p >= 0, p < classCount else {
                throw LearnError("class \(t < 0 || t >= classCount ? t : p) is outside 0..<\(classCount)")
            }
            counts[t][p] += 1
        }
        self.classCount = classCount
        self.counts = counts
    }

    /// A matrix from its counts (`counts[t][p]`), e.g. read back from a model file: square,
    /// at least 1 × 1, no negative count.
    public init(counts: [[Int]]) throws {
        guard !counts.isEmpty, counts.allSatisfy({ $0.count == counts.count }) else {
            throw LearnError("a confusion matrix needs square counts, got \(counts.count) rows of \(counts.map(\.count))")
        }
        guard counts.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            throw LearnError("a confusion matrix cannot have negative counts")
        }
        // Every score sums counts; a total that fits means no partial sum can overflow (trap).
        var total = 0
        for count in counts.joined() {
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { throw LearnError("a confusion matrix's counts add up to more than \(Int.max)") }
            total = sum
        }
        self.classCount = counts.count
        self.counts = counts
    }

    /// Number of rows counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    private func valid(_ c: Int) -> Bool { c >= 0 && c < classCount }
    private func truePositives(_ c: Int) -> Int { valid(c) ? counts[c][c] : 0 }
    private func predictedCount(_ c: Int) -> Int { valid(c) ? counts.reduce(0) { $0 + $1[c] } : 0 }
    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    /// Fraction of rows predicted correctly (0 when there are none).
    public var accuracy: Double { ratio((0..<classCount).reduce(0) { $0 + counts[$1][$1] }, total) }

    /// Rows whose true class is `c`.
    public func support(_ c: Int) -> Int { valid(c) ? counts[c].reduce(0, +) : 0 }

    /// Of the rows predicted as `c`, the fraction that are `c`.
    public func precision(_ c: Int) -> Double { ratio(truePositives(c), predictedCount(c)) }

    /// Of the rows that are `c`, the fraction predicted as `c`.
    public func recall(_ c: Int) -> Double { ratio(truePositives(c), support(c)) }

    /// Harmonic mean of precision and recall, computed as 2·TP / (2·TP + FP + FN).
    public func f1(_ c: Int) -> Double {
        let tp = truePositives(c)
        return ratio(2 * tp, support(c) + predictedCount(c))
    }

    /// Classes that occur in the truth or the predictions: the ones macro averages run over.
    public var classesPresent: [Int] {
        (0..<classCount).filter { support($0) > 0 || predictedCount($0) > 0 }
    }

    private func macro(_ metric: (Int) -> Double) -> Double {
        let present = classesPresent
        return present.isEmpty ? 0 : present.reduce(0) { $0 + metric($1) } / Double(present.count)
    }

    private func weighted(_ metric: (Int) -> Double) -> Double {
        let all = total
        guard all > 0 else { return 0 }
        return (0..<classCount).reduce(0) { $0 + metric($1) * Double(support($1)) } / Double(all)
    }

    public var macroPrecision: Double { macro(precision) }
    public var macroRecall: Double { macro(recall) }
    public var macroF1: Double { macro(f1) }
    public var weightedPrecision: Double { weighted(precision) }
    public var weightedRecall: Double { weighted(recall) }
    public var weightedF1: Double { weighted(f1) }
}
