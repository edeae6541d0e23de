/// How a strategy's tied scores are broken (`ties=`): by the seeded draw by row id alone
/// (`random`), or first by a secondary criterion — the row's information density (its mean
/// similarity to the pool: typical rows before outliers) or its distance to the nearest labelled
/// row (`diverse`: the least-explored region first) — and then by the draw.
public enum TieBreak: String, CaseIterable, Sendable {
    case random, density, diverse

    /// One secondary score per pool row, higher preferred; nil for `random`.
    func secondary(_ pool: QueryPool) throws -> [Double]? {
        switch self {
        case .random: return nil
        case .density:
            let space = try pool.poolSpace()
            return Diversity.density(space, reference: try Diversity.sample(space, limit: 2000, seed: pool.seed))
        case .diverse:
            return Diversity.distanceToNearest(pool: try pool.poolSpace(), labelled: try pool.labelledSpace())
        }
    }
}
