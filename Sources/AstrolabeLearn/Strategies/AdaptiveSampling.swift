import Foundation

/// Active Learning By Learning (Hsu & Lin, AAAI 2015), as libact's `ActiveLearningByLearning`:
/// an EXP4.P bandit whose arms are query strategies (margin, entropy, density, k-center and a
/// uniform random sampler). Each round every arm advises its best pool row; the bandit mixes the
/// arms' probabilities `p = (1 − K·pmin)·w/Σw + pmin` into a distribution `q` over the pool (the
/// random arm spreading its share evenly), draws the row to ask from `q`, and after the next fit
/// rewards each arm that advised it with the importance-weighted accuracy (IW-ACC) of the new
/// model on every row asked so far, each weighted by 1/q at the time it was asked, divided by the
/// number of rows and the budget T; libact's update `w ← w·exp(pmin/2·(r̂ + (1/p)·√(ln(N/δ)/(K·T))))`
/// with δ = 0.1 and pmin = √(ln N/(K·T)).
///
/// Differences from libact: `q` spans the current pool (libact keeps the first pool and skips
/// draws of rows labelled since, counting them as free queries), and a batch of `count` > 1 draws
/// `count` arms, each giving its best row not yet taken (the bandit learns from the first).
/// A reference type: the bandit's state lives across queries (the caller keeps it per loop).
public final class AdaptiveBandit: @unchecked Sendable {
    /// The arms, in order; `random` is libact's uniform sampler.
    public static let arms = ["margin", "entropy", "density", "k-center", "random"]
    public let budget: Int
    public let delta = 0.1
    public let pmin: Double
    public private(set) var weights: [Double]
    private var generator: SeededGenerator
    /// Rows asked so far (caller's row numbers) and their importance weights 1/q.
    private var asked: [Int] = []
    private var importance: [Double] = []
    /// The last round, waiting for its reward: the arms' probabilities, which arms advised the
    /// asked row (the random arm's share 1/pool), and that row's q.
    private var pending: (p: [Double], advice: [Double], q: Double)?
    /// The arm that chose each asked row, with the number of labels when it was chosen.
    public private(set) var choices: [(labels: Int, arm: Int)] = []

    public init(budget: Int, seed: UInt64) {
        self.budget = max(1, budget)
        let n = Double(Self.arms.count)
        pmin = (Foundation.log(n) / n / Double(self.budget)).squareRoot()
        weights = [Double](repeating: 1, count: Self.arms.count)
        generator = SeededGenerator(seed: seed ^ 0xA1B1_A1B1)
    }

    /// A copy with the same state (models are values: a copied model must not share its bandit).
    public func copy() -> AdaptiveBandit {
        let other = AdaptiveBandit(budget: budget, seed: 0)
        other.weights = weights; other.generator = generator; other.asked = asked; other.importance = importance
        other.pending = pending; other.choices = choices
        return other
    }

    /// The arms' current probabilities.
    public var armProbabilities: [Double] {
        let k = Double(weights.count)
        let total = weights.reduce(0, +)
        return weights.map { (1 - k * pmin) * $0 / total + pmin }
    }

    /// Rewards the last round's arms: `correct` says, for the rows asked so far, whether the model
    /// fitted since predicts each one's label; `rows` is the size of the whole set (labelled + pool).
    func reward(correct: [Bool], rows: Int) {
        guard let last = pending, correct.count == asked.count else { return }
        var iwacc = 0.0
        for (w, ok) in zip(importance, correct) where ok { iwacc += w }
        iwacc /= Double(max(rows, 1)) * Double(budget)
        let k = Double(weights.count)
        let bonus = (Foundation.log(k / delta) / k / Double(budget)).squareRoot()
        for i in weights.indices {
            let rhat = iwacc * last.advice[i] / last.q
            weights[i] *= Foundation.exp(pmin / 2 * (rhat + bonus / last.p[i]))
        }
        // Keep the weights in range (only their ratios matter).
        if let top = weights.max(), top > 1e100 { weights = weights.map { $0 / top } }
        pending = nil
    }

    /// One round: `advice[i]` is arm i's ranking of the pool positions (nil for the random arm);
    /// draws `count` distinct positions, records the first for the next reward, and returns the
    /// positions, the arm of each and every position's probability q of being asked.
    func draw(advice: [[Int]?], poolRows: [Int], count: Int, labels: Int) -> (positions: [Int], arms: [Int], q: [Double]) {
        let m = poolRows.count
        guard m > 0 else { return ([], [], []) }
        let p = armProbabilities
        var q = [Double](repeating: 0, count: m)
        for (i, ranking) in advice.enumerated() {
            if let best = ranking?.first { q[best] += p[i] } else { for j in 0..<m { q[j] += p[i] / Double(m) } }
        }
        var positions: [Int] = [], arms: [Int] = []
        var taken = Set<Int>()
        while positions.count < min(count, m) {
            let u = generator.nextDouble()
            var arm = p.count - 1, acc = 0.0
            for i in p.indices { acc += p[i]; if u < acc { arm = i; break } }
            var position: Int?
            if let ranking = advice[arm] {
                position = ranking.first { !taken.contains($0) }
            }
            if position == nil {
                let free = (0..<m).filter { !taken.contains($0) }
                position = free[generator.nextInt(below: free.count)]
            }
            guard let chosen = position else { break }
            if positions.isEmpty {
                let adviceVector = advice.map { ranking -> Double in
                    guard let ranking else { return 1 / Double(m) }
                    return ranking.first == chosen ? 1 : 0
                }
                pending = (p, adviceVector, q[chosen])
            }
            taken.insert(chosen)
            positions.append(chosen)
            arms.append(arm)
            asked.append(poolRows[chosen])
            importance.append(1 / max(q[chosen], 1e-300))
            choices.append((labels, arm))
        }
        return (positions, arms, q)
    }

    /// The rows asked so far, in order (what `reward`'s `correct` must follow).
    public var askedRows: [Int] { asked }
}

/// What the adaptive strategy needs besides the pool: the loop's bandit, the pool positions' row
/// numbers, and whether the current fit predicts the asked rows' labels.
public struct AdaptiveContext {
    public var bandit: AdaptiveBandit
    public var poolRows: [Int]
    public var labels: Int
    /// The number of rows labelled and unlabelled (IW-ACC's n).
    public var rows: Int
    public var correct: ([Int]) throws -> [Bool]
    public init(bandit: AdaptiveBandit, poolRows: [Int], labels: Int, rows: Int, correct: @escaping ([Int]) throws -> [Bool]) {
        self.bandit = bandit
        self.poolRows = poolRows
        self.labels = labels
        self.rows = rows
        self.correct = correct
    }
}

/// `strategy=adaptive`: one round of the `AdaptiveBandit` the pool carries (a fresh one with a
/// budget of 100 when it carries none).
public struct AdaptiveSampling: PoolStrategy {
    public init() {}

    public func select(_ pool: QueryPool, count: Int) throws -> QuerySelection {
        let rows = pool.probabilities.count / max(pool.classCount, 1)
        let context = pool.adaptive ?? AdaptiveContext(bandit: AdaptiveBandit(budget: 100, seed: pool.seed), poolRows: Array(0..<rows),
                                                       labels: 0, rows: rows, correct: { $0.map { _ in false } })
        let bandit = context.bandit
        if !bandit.askedRows.isEmpty {
            bandit.reward(correct: try context.correct(bandit.askedRows), rows: context.rows)
        }
        var advice: [[Int]?] = []
        for name in AdaptiveBandit.arms {
            guard name != "random", let kind = StrategyKind.named(name) else { advice.append(nil); continue }
            advice.append(try kind.select(pool, count: count).ranked)
        }
        let round = bandit.draw(advice: advice, poolRows: context.poolRows, count: count, labels: context.labels)
        return QuerySelection(probabilities: pool.probabilities, scores: round.q, ranked: round.positions, byScore: false)
    }
}
