import Foundation

/// Query selection that looks at where rows are, not only at how unsure the model is about them:
/// information density and the two batch-diversity methods.
///
/// Uncertainty alone picks outliers and near-duplicates; a batch of ten rows from the same corner
/// of colour space teaches little more than one. All distances are Euclidean over the features the
/// caller passes (scale them first), and similarity is 1 / (1 + distance), as in modAL.
public enum Diversity {
    /// Information density of each row of `pool`: its mean similarity to the rows of `reference`
    /// (the pool itself for small pools; a seeded sample of it for large ones, since the exact
    /// measure is quadratic in the pool size).
    public static func density(_ pool: FeatureMatrix, reference: FeatureMatrix) -> [Double] {
        let d = pool.columns
        let m = reference.rows
        guard m > 0 else { return [Double](repeating: 0, count: pool.rows) }
        var out = [Double](repeating: 0, count: pool.rows)
        out.withUnsafeMutableBufferPointer { result in
            let shared = SharedOutput(buffer: result)
            let blockRows = 256
            let blocks = (pool.rows + blockRows - 1) / blockRows
            performConcurrently(count: blocks, workers: defaultWorkerCount) { block in
                pool.values.withUnsafeBufferPointer { p in
                reference.values.withUnsafeBufferPointer { q in
                    for r in (block * blockRows)..<min((block + 1) * blockRows, pool.rows) {
                        var sum = 0.0
                        for j in 0..<m {
                            var s = 0.0
                            for c in 0..<d { let diff = p[r * d + c] - q[j * d + c]; s += diff * diff }
                            sum += 1 / (1 + s.squareRoot())
                        }
                        shared.buffer[r] = sum / Double(m)
                    }
                }}
            }
        }
        return out
    }

    /// Up to `limit` rows of `x` drawn without replacement (all rows when there are fewer).
    public static func sample(_ x: FeatureMatrix, limit: Int, seed: UInt64) throws -> FeatureMatrix {
        guard x.rows > limit else { return x }
        var rows = Array(0..<x.rows)
        var generator = SeededGenerator(seed: seed)
        rows.seededShuffle(using: &generator)
        return try x.selecting(rows: Array(rows.prefix(limit)).sorted())
    }

    /// Information-density weighting (Settles & Craven): uncertainty × density^beta.
    public static func densityWeighted(scores: [Double], density: [Double], beta: Double = 1) -> [Double] {
        zip(scores, density).map { $0 * pow($1, beta) }
    }

    /// Ranked batch-mode sampling (Cardoso et al. 2017; modAL's `uncertainty_batch_sampling`):
    /// picks `count` pool rows one at a time, each maximising
    /// α (1 − max similarity to the labelled and already-picked rows) + (1 − α) uncertainty, with
    /// α = pool / (pool + labelled). Returns pool row indices in the order picked; ties go to the
    /// lower index.
    public static func rankedBatch(uncertainty: [Double], pool: FeatureMatrix, labelled: FeatureMatrix,
                                   count: Int) -> [Int] {
        let n = pool.rows, d = pool.columns
        let k = min(max(count, 0), n)
        guard k > 0 else { return [] }
        let alpha = Double(n) / Double(n + labelled.rows)
        var maxSimilarity = [Double](repeating: 0, count: n)
        for j in 0..<labelled.rows {
            update(&maxSimilarity, pool: pool, point: Array(labelled.values[(j * d)..<((j + 1) * d)]), similarity: true)
        }
        var taken = [Bool](repeating: false, count: n)
        var picked: [Int] = []
        for _ in 0..<k {
            var best = -1, bestScore = -Double.infinity
            for i in 0..<n where !taken[i] {
                let u = uncertainty[i].isNaN ? -Double.infinity : uncertainty[i]
                let s = alpha * (1 - maxSimilarity[i]) + (1 - alpha) * u
                if s > bestScore || best < 0 { best = i; bestScore = s }
            }
            taken[best] = true
            picked.append(best)
            update(&maxSimilarity, pool: pool, point: Array(pool.values[(best * d)..<((best + 1) * d)]), similarity: true)
        }
        return picked
    }

    /// k-center greedy (Sener & Savarese 2018, core-set selection): picks `count` pool rows one at a
    /// time, each the row farthest from its nearest labelled or already-picked row, so the batch
    /// covers the pool. With no labelled rows the first pick is the row with the highest
    /// `uncertainty` (or row 0 without). Ties go to the lower index.
    public static func kCenterGreedy(pool: FeatureMatrix, labelled: FeatureMatrix, count: Int,
                                     uncertainty: [Double]? = nil) -> [Int] {
        let n = pool.rows, d = pool.columns
        let k = min(max(count, 0), n)
        guard k > 0 else { return [] }
        var minDistance = [Double](repeating: .infinity, count: n)
        for j in 0..<labelled.rows {
            update(&minDistance, pool: pool, point: Array(labelled.values[(j * d)..<((j + 1) * d)]), similarity: false)
        }
        var picked: [Int] = []
        var taken = [Bool](repeating: false, count: n)
        for _ in 0..<k {
            var best = -1
            for i in 0..<n where !taken[i] {
                if best < 0 { best = i; continue }
                let a = minDistance[i], b = minDistance[best]
                if a > b || (a == b && (uncertainty?[i] ?? 0) > (uncertainty?[best] ?? 0)) { best = i }
            }
            taken[best] = true
            picked.append(best)
            update(&minDistance, pool: pool, point: Array(pool.values[(best * d)..<((best + 1) * d)]), similarity: false)
        }
        return picked
    }

    /// Each pool row's distance to its nearest labelled row (infinity when none is labelled).
    public static func distanceToNearest(pool: FeatureMatrix, labelled: FeatureMatrix) -> [Double] {
        var distance = [Double](repeating: .infinity, count: pool.rows)
        let d = labelled.columns
        for r in 0..<labelled.rows {
            update(&distance, pool: pool, point: Array(labelled.values[(r * d)..<((r + 1) * d)]), similarity: false)
        }
        return distance
    }

    /// Folds one point into each pool row's running max similarity (or min distance).
    private static func update(_ running: inout [Double], pool: FeatureMatrix, point: [Double], similarity: Bool) {
        let d = pool.columns
        pool.values.withUnsafeBufferPointer { p in
            for i in 0..<pool.rows {
                var s = 0.0
                for c in 0..<d { let diff = p[i * d + c] - point[c]; s += diff * diff }
                let distance = s.squareRoot()
                if similarity {
                    running[i] = max(running[i], 1 / (1 + distance))
                } else {
                    running[i] = min(running[i], distance)
                }
            }
        }
    }
}
