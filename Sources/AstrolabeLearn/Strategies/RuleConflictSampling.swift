import Foundation

/// What the labelling rules say about each pool row: the label model's class probabilities
/// (rows × classes, in the model's classes), and per row whether any rule votes and whether two
/// rules vote different classes.
public struct WeakSignal: Sendable {
    public var probabilities: [Double]
    public var covered: [Bool]
    public var conflicting: [Bool]
    public init(probabilities: [Double], covered: [Bool], conflicting: [Bool]) {
        self.probabilities = probabilities
        self.covered = covered
        self.conflicting = conflicting
    }
}

/// `strategy=conflict`: rows where the rules disagree first, then rows the rules cover, each
/// band ordered by how unsure the label model is (1 − its top probability); rows no rule votes
/// on come last, ordered by how unsure the classifier is (least-confident). Score = band + unsureness.
public struct RuleConflictSampling: PoolStrategy {
    public init() {}

    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        guard let weak = try pool.weak() else {
            throw LearnError("strategy `conflict` needs a label model on the table: `rule …` then `labelmodel fit`")
        }
        let k = pool.classCount, n = pool.probabilities.count / max(1, k)
        guard weak.covered.count == n, weak.conflicting.count == n, weak.probabilities.count == n * k else {
            throw LearnError("the label model's rows do not match the pool")
        }
        let model = LeastConfidentSampling().scores(probabilities: pool.probabilities, classCount: k, seed: pool.seed)
        var scores = [Double](repeating: 0, count: n)
        for row in 0..<n {
            guard weak.covered[row] else { scores[row] = model[row]; continue }
            var top = 0.0
            for c in 0..<k { top = max(top, weak.probabilities[row * k + c]) }
            scores[row] = (weak.conflicting[row] ? 2 : 1) + (1 - top)
        }
        return try pool.ranked(by: scores, count: count)
    }
}
