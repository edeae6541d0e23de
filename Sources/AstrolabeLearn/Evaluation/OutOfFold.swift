/// Stratified k-fold assignment: each class shuffled on its own (seeded) and dealt round-robin
/// into `folds` folds, continuing where the previous class stopped, so every fold holds
/// ⌊n_c/folds⌋ or ⌈n_c/folds⌉ rows of each class and the fold sizes differ by at most one.
/// Returns each row's fold; depends only on the labels, `folds` and the seed.
public func stratifiedFolds(labels: [Int], folds: Int, seed: UInt64) -> [Int] {
    var byClass = [Int: [Int]]()
    for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
    var generator = SeededGenerator(seed: seed)
    var fold = [Int](repeating: 0, count: labels.count)
    var next = 0
    for label in byClass.keys.sorted() {
        guard var members = byClass[label] else { continue }
        members.seededShuffle(using: &generator)
        for row in members {
            fold[row] = next
            next = (next + 1) % max(folds, 1)
        }
    }
    return fold
}

/// Out-of-fold class probabilities (scikit-learn's `cross_val_predict(method="predict_proba")`):
/// for each fold, a fresh classifier from `make` fitted on the other folds' rows (seed `seed + fold`)
/// predicts the fold's rows. Returns `x.rows × classCount` probabilities, row-major, in row order.
public func outOfFoldProbabilities(x: FeatureMatrix, labels: [Int], classCount: Int, folds: Int, seed: UInt64,
                                   make: () -> any Classifier) throws -> [Double] {
    guard labels.count == x.rows else { throw LearnError("expected \(x.rows) labels, got \(labels.count)") }
    guard folds >= 2 else { throw LearnError("out-of-fold probabilities need at least two folds") }
    let assignment = stratifiedFolds(labels: labels, folds: folds, seed: seed)
    var probabilities = [Double](repeating: 0, count: x.rows * classCount)
    for f in 0..<folds {
        let test = assignment.indices.filter { assignment[$0] == f }
        guard !test.isEmpty else { continue }
        let train = assignment.indices.filter { assignment[$0] != f }
        var classifier = make()
        try classifier.fit(x.selecting(rows: train), labels: train.map { labels[$0] }, classCount: classCount, seed: seed &+ UInt64(f))
        let predicted = try classifier.predictProbabilities(x.selecting(rows: test))
        guard predicted.count == test.count * classCount else {
            throw LearnError("fold \(f + 1) gave \(predicted.count) probabilities for \(test.count) rows")
        }
        predicted.withUnsafeBufferPointer { p in
            probabilities.withUnsafeMutableBufferPointer { out in
                for (position, row) in test.enumerated() {
                    for c in 0..<classCount { out[row * classCount + c] = p[position * classCount + c] }
                }
            }
        }
    }
    return probabilities
}
