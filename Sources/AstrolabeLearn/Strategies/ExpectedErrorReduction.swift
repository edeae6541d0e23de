import AstrolabeData
import Foundation

/// Expected error reduction (Roy & McCallum 2001), with modAL's semantics
/// (`modAL.expected_error.expected_error_reduction`, p_subsample = 1).
///
/// For each pool row x and each class y seen in the training labels, the classifier is refitted
/// on the training rows plus (x, y) and predicts the rest of the pool; the loss summed over those
/// rows — 1 − max p (`binary`) or the entropy −Σ p ln p (`log`) — is weighted by the current
/// model's P(y | x). The row whose expected loss is lowest is the best question. That is
/// `pool × classes` refits and as many pool predictions, so it is only for small pools: callers
/// refuse pools above `maxPool`.
///
/// Scores are the negated expected loss (higher = more wanted), the shape every strategy has.
/// One difference from modAL: P(y | x) is read at class y's own column, where modAL reads the
/// column at y's position among the classes present in the training labels (the same whenever
/// every class has been taught).
public struct ExpectedErrorReduction: PoolStrategy {
    public enum Loss: String, Sendable { case binary, log }

    /// The largest pool `expected-error` accepts (pool × classes refits).
    public static let maxPool = 1_000

    public var loss: Loss

    public init(loss: Loss = .binary) { self.loss = loss }

    /// One score per pool row: −(expected loss over the rest of the pool after labelling it).
    /// `classifier` is an unfitted template (copied for every refit); `probabilities` are the
    /// current model's for the pool (`pool.rows × classCount`).
    public func scores(classifier: any Classifier, training: FeatureMatrix, labels: [Int], pool: FeatureMatrix,
                       probabilities: [Double], classCount: Int, seed: UInt64) throws -> [Double] {
        guard pool.rows <= Self.maxPool else {
            throw LearnError("expected error reduction refits the model for every pool row and class; "
                             + "the pool has \(pool.rows) rows, the limit is \(Self.maxPool)")
        }
        guard labels.count == training.rows, probabilities.count == pool.rows * classCount, training.columns == pool.columns else {
            throw LearnError("expected error reduction: inconsistent training rows, labels, pool or probabilities")
        }
        let present = Array(Set(labels)).sorted()
        let columns = pool.columns
        var result = [Double](repeating: 0, count: pool.rows)
        for i in 0..<pool.rows {
            try Cancellation.check()
            let row = Array(pool.values[(i * columns)..<((i + 1) * columns)])
            var rest = pool.values
            rest.removeSubrange((i * columns)..<((i + 1) * columns))
            let others = try FeatureMatrix(rows: pool.rows - 1, columns: columns, values: rest)
            let extended = try FeatureMatrix(rows: training.rows + 1, columns: columns, values: training.values + row)
            var expected = 0.0
            for y in present {
                var model = classifier
                try model.fit(extended, labels: labels + [y], classCount: classCount, seed: seed)
                let p = others.rows > 0 ? try model.predictProbabilities(others) : []
                expected += totalLoss(p, classCount: classCount) * probabilities[i * classCount + y]
            }
            result[i] = -expected
        }
        return result
    }

    /// The best `count` rows of a pool of at most `maxPool` rows (a larger pool is refused before
    /// any refit, with what to do instead).
    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        let rows = pool.probabilities.count / max(pool.classCount, 1)
        guard rows <= Self.maxPool else {
            throw LearnError("strategy expected-error refits the model once per pool row and class, so it is limited to pools of "
                             + "\(Self.maxPool) rows; this pool has \(rows). Use margin or entropy, "
                             + "or a smaller table (`where EXPRESSION as NAME`, `sample N as=NAME`)")
        }
        let scores: [Double]
        do {
            let r = try pool.refitting()
            scores = try self.scores(classifier: r.classifier, training: r.training, labels: r.labels, pool: r.pool,
                                     probabilities: pool.probabilities, classCount: pool.classCount, seed: r.seed)
        } catch let error as LearnError {
            throw LearnError("expected-error failed: \(error.message)")
        }
        return try pool.ranked(by: scores, count: count)
    }

    /// The loss summed over rows of a probability matrix.
    func totalLoss(_ p: [Double], classCount: Int) -> Double {
        guard classCount > 0 else { return 0 }
        var total = 0.0
        for r in 0..<(p.count / classCount) {
            let row = p[(r * classCount)..<((r + 1) * classCount)]
            switch loss {
            case .binary: total += 1 - (row.max() ?? 0)
            case .log: total -= row.reduce(0) { $0 + ($1 > 0 ? $1 * Foundation.log($1) : 0) }
            }
        }
        return total
    }
}
