/// A model that learns classes from features: the one shape every Astrolabe classifier has, in the
/// spirit of scikit-learn's estimator API, so the kernel, committees and query strategies can treat
/// them all alike.
///
/// Classes are the integers `0..<classCount`; the kernel maps names to indices. `classCount` is
/// given to `fit` rather than inferred from the labels because an active-learning session starts
/// with only a few labels and must still report a probability (zero) for classes nobody has taught
/// yet.
public protocol Classifier {
    /// Number of classes the fitted model gives probabilities for (0 before `fit`).
    var classCount: Int { get }

    /// Learns from `x` (one row per sample) and `labels` (one class index per row, each in
    /// `0..<classCount`). The same inputs and `seed` always give the same model.
    mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws

    /// Class probabilities for each row of `x`: `x.rows × classCount` values, row-major; each row
    /// sums to 1.
    func predictProbabilities(_ x: FeatureMatrix) throws -> [Double]
}

extension Classifier {
    /// The most probable class of each row of `x`; ties go to the lowest class index.
    public func predict(_ x: FeatureMatrix) throws -> [Int] {
        let probabilities = try predictProbabilities(x)
        return argmaxRows(probabilities, classCount: classCount)
    }
}

/// Index of the largest value in each row of a row-major matrix; ties (and rows of NaN) go to the
/// lowest index.
public func argmaxRows(_ values: [Double], classCount: Int) -> [Int] {
    guard classCount > 0 else { return [] }
    let rows = values.count / classCount
    var result = [Int](repeating: 0, count: rows)
    values.withUnsafeBufferPointer { values in
        guard let base = values.baseAddress else { return }
        for r in 0..<rows { result[r] = argmaxRow(base + r * classCount, classCount: classCount) }
    }
    return result
}

/// `argmaxRows` for one row of `classCount` (≥ 1) values at `row`: the first largest, NaN losing
/// to any number.
@inline(__always)
func argmaxRow(_ row: UnsafePointer<Double>, classCount: Int) -> Int {
    var best = 0
    var bestValue = row[0]
    for c in 1..<max(classCount, 1) {
        let value = row[c]
        if value > bestValue || (bestValue.isNaN && !value.isNaN) {
            best = c
            bestValue = value
        }
    }
    return best
}
