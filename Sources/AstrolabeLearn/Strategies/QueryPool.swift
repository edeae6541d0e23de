/// What a strategy may look at when it picks a batch of pool rows to ask about: the model's
/// probabilities for every pool row, and, computed only for the strategies that ask for them, the
/// committee members' probabilities, the rows in the space distances are measured in, and what a
/// refit needs.
public struct QueryPool {
    /// The model's probabilities, `rows × classCount`, row-major.
    public var probabilities: [Double]
    public var classCount: Int
    /// This query's seed: random strategies and density's reference sample draw from it.
    public var seed: UInt64
    /// One key per pool row (see `tieBreakKeys(ids:seed:)`): ties among scores go to the lower key.
    public var tieBreakKeys: [UInt64]?
    /// Each committee member's probabilities for the pool rows; nil when the model is no committee.
    public var memberProbabilities: () throws -> [[Double]]?
    /// The pool rows and the labelled rows in the space distances are measured in (scaled, no NaN).
    public var poolSpace: () throws -> FeatureMatrix
    public var labelledSpace: () throws -> FeatureMatrix
    /// What a strategy that refits the model (expected-error) needs.
    public var refitting: () throws -> Refitting
    /// The labelling rules' view of the pool rows (`RuleConflictSampling`); nil when there is no label model.
    public var weak: () throws -> WeakSignal? = { nil }
    /// For `suspect`: the self-confidence of each pool row's given label from an audit, or nil
    /// when the model has not been audited.
    public var labelQuality: [Double]?
    /// The loop's bandit and what it reads, for `strategy=adaptive` (nil: a fresh bandit each query).
    public var adaptive: AdaptiveContext?
    /// How tied scores are broken before the draw by row id (`ties=`).
    public var ties: TieBreak = .random

    public init(probabilities: [Double], classCount: Int, seed: UInt64, tieBreakKeys: [UInt64]?,
                memberProbabilities: @escaping () throws -> [[Double]]?,
                poolSpace: @escaping () throws -> FeatureMatrix, labelledSpace: @escaping () throws -> FeatureMatrix,
                refitting: @escaping () throws -> Refitting, labelQuality: [Double]? = nil) {
        self.probabilities = probabilities
        self.classCount = classCount
        self.seed = seed
        self.tieBreakKeys = tieBreakKeys
        self.memberProbabilities = memberProbabilities
        self.poolSpace = poolSpace
        self.labelledSpace = labelledSpace
        self.refitting = refitting
        self.labelQuality = labelQuality
    }

    /// The unfitted classifier, the training rows and labels, the pool rows, and the model's seed.
    public struct Refitting {
        public var classifier: any Classifier
        public var training: FeatureMatrix
        public var labels: [Int]
        public var pool: FeatureMatrix
        public var seed: UInt64
        public init(classifier: any Classifier, training: FeatureMatrix, labels: [Int], pool: FeatureMatrix, seed: UInt64) {
            self.classifier = classifier
            self.training = training
            self.labels = labels
            self.pool = pool
            self.seed = seed
        }
    }

    /// The best `count` rows by `scores`, ties by the tie-break keys.
    func ranked(by scores: [Double], count: Int) throws -> QuerySelection {
        var ranked = rankQueries(scores: scores, count: count, tieBreakKeys: tieBreakKeys)
        // The secondary criterion is computed only when the batch ends inside a tie.
        if ties != .random, let last = ranked.last, tieCount(scores, at: scores[last]) > 1, let secondary = try ties.secondary(self) {
            ranked = rankQueries(scores: scores, count: count, tieBreakKeys: tieBreakKeys, secondary: secondary)
        }
        return QuerySelection(probabilities: probabilities, scores: scores, ranked: ranked)
    }
}

/// What a query chose: the probabilities and scores of every pool row, and the chosen rows'
/// positions in the pool, best first.
public struct QuerySelection: Sendable {
    public var probabilities: [Double]
    public var scores: [Double]
    public var ranked: [Int]
    /// Whether `ranked` is the best scores in order (ties drawn by row id), rather than a diverse
    /// batch (ranked-batch, k-center) chosen by distances.
    public var byScore = true

    public init(probabilities: [Double], scores: [Double], ranked: [Int], byScore: Bool = true) {
        self.probabilities = probabilities
        self.scores = scores
        self.ranked = ranked
        self.byScore = byScore
    }
}

/// A strategy that needs more than the probabilities to choose: where the rows are (density and
/// the batch-diversity methods) or refits of the model (expected error reduction).
public protocol PoolStrategy: Sendable {
    /// The `count` pool rows to ask about, best first, with one score per pool row.
    func select(_ pool: QueryPool, count: Int) throws -> QuerySelection
}
