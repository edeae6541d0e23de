/// The classes that actually occur in a training set, and the way back to all declared classes.
///
/// An active-learning session declares its classes up front but may have taught only some of them
/// (digits starts with 5 of 10). scikit-learn estimators know only the classes they have seen and
/// give probability 0 to the rest; the models that are not naturally like that (logistic regression,
/// naive Bayes, boosting) fit on the compacted classes and expand their probabilities through this.
struct ClassSubset: Sendable, Equatable {
    /// Declared class index of each compact class, ascending.
    let present: [Int]
    let classCount: Int

    init(labels: [Int], classCount: Int) {
        var seen = [Bool](repeating: false, count: classCount)
        for label in labels where label >= 0 && label < classCount { seen[label] = true }
        present = seen.indices.filter { seen[$0] }
        self.classCount = classCount
    }

    /// Labels renumbered `0..<present.count`.
    func compact(_ labels: [Int]) -> [Int] {
        var map = [Int](repeating: 0, count: classCount)
        for (i, c) in present.enumerated() { map[c] = i }
        return labels.map { map[$0] }
    }

    /// Row-major probabilities over the present classes widened to all `classCount` classes.
    func expand(_ probabilities: [Double]) -> [Double] {
        let k = present.count
        guard k > 0 else { return [] }
        if k == classCount { return probabilities }
        let rows = probabilities.count / k
        var out = [Double](repeating: 0, count: rows * classCount)
        for r in 0..<rows {
            for (i, c) in present.enumerated() { out[r * classCount + c] = probabilities[r * k + i] }
        }
        return out
    }
}

/// The checks every `fit` makes on its arguments, with messages for the person at the prompt.
func validateTrainingSet(_ x: FeatureMatrix, labels: [Int], classCount: Int) throws {
    guard x.rows > 0 else { throw LearnError("cannot train on 0 labelled rows") }
    guard x.columns > 0 else { throw LearnError("cannot train without any feature") }
    guard labels.count == x.rows else {
        throw LearnError("\(x.rows) rows of features but \(labels.count) labels")
    }
    guard classCount >= 1 else { throw LearnError("classCount must be at least 1, got \(classCount)") }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classCount }) {
        throw LearnError("label \(bad) is outside the \(classCount) classes 0..<\(classCount)")
    }
}

extension MedianImputer {
    /// `x` with every NaN replaced by its feature's median.
    func filled(_ x: FeatureMatrix) throws -> FeatureMatrix {
        guard x.values.contains(where: \.isNaN) else { return x }
        var values = x.values
        for i in values.indices where values[i].isNaN { values[i] = medians[i % x.columns] }
        return try FeatureMatrix(rows: x.rows, columns: x.columns, values: values)
    }
}
