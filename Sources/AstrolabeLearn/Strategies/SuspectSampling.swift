/// The rows whose given label an audit flagged (confident learning, `findLabelIssues`), asked
/// lowest label quality first: a human confirms or corrects the labels that look wrong. The pool is
/// the flagged rows, not the model's unlabelled pool; `labelQuality` is each one's self-confidence
/// (the out-of-fold probability of its given label), and the score is `1 − quality`.
public struct SuspectSampling: PoolStrategy {
    public init() {}

    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        guard let quality = pool.labelQuality else {
            throw LearnError("strategy `suspect` asks about the rows an audit flagged: run `audit MODEL` first")
        }
        let rows = pool.probabilities.count / max(pool.classCount, 1)
        guard quality.count == rows else {
            throw LearnError("expected \(rows) label-quality scores, got \(quality.count)")
        }
        return try pool.ranked(by: quality.map { $0.isNaN ? 1 : 1 - $0 }, count: count)
    }
}
