/// Queries the rows whose most probable class is least probable: score = 1 − max p.
///
/// The classic "uncertainty sampling" (modAL's `uncertainty_sampling`): ask where the model's best
/// guess is weakest.
public struct LeastConfidentSampling: QueryStrategy {
    public init() {}
    public var name: String { "least-confident" }

    public func scores(probabilities: [Double], classCount: Int, seed: UInt64) -> [Double] {
        scoreRows(probabilities, classCount: classCount) { row in
            var best = -Double.infinity
            for p in row where p > best { best = p }
            return row.contains(where: \.isNaN) ? .nan : 1 - best
        }
    }
}
