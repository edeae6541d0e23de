/// The strategies built on `Diversity`: each reads the rows' positions from the `QueryPool`.

/// Information density: margin × the row's mean similarity to the pool (a seeded sample of 2,000
/// rows of it for large pools), so outliers are asked less.
public struct InformationDensity: PoolStrategy {
    public init() {}

    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        let space = try pool.poolSpace()
        let margin = MarginSampling().scores(probabilities: pool.probabilities, classCount: pool.classCount, seed: pool.seed)
        let reference = try Diversity.sample(space, limit: 2000, seed: pool.seed)
        return try pool.ranked(by: Diversity.densityWeighted(scores: margin, density: Diversity.density(space, reference: reference)),
                           count: count)
    }
}

/// Ranked batch-mode sampling over least-confident uncertainty (modAL's `uncertainty_batch_sampling`).
public struct RankedBatchSampling: PoolStrategy {
    public init() {}

    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        let uncertainty = LeastConfidentSampling().scores(probabilities: pool.probabilities, classCount: pool.classCount, seed: pool.seed)
        let ranked = Diversity.rankedBatch(uncertainty: uncertainty, pool: try pool.poolSpace(),
                                           labelled: try pool.labelledSpace(), count: count)
        return QuerySelection(probabilities: pool.probabilities, scores: uncertainty, ranked: ranked, byScore: false)
    }
}

/// k-center greedy core-set selection, ties to the most (least-confident) uncertain row.
public struct KCenterSampling: PoolStrategy {
    public init() {}

    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        let uncertainty = LeastConfidentSampling().scores(probabilities: pool.probabilities, classCount: pool.classCount, seed: pool.seed)
        let ranked = Diversity.kCenterGreedy(pool: try pool.poolSpace(), labelled: try pool.labelledSpace(),
                                             count: count, uncertainty: uncertainty)
        return QuerySelection(probabilities: pool.probabilities, scores: uncertainty, ranked: ranked, byScore: false)
    }
}
