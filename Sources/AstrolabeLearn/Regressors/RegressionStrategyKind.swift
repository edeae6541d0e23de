/// The query strategies of a regression model (`strategy=` when the model has `regressor=`): one
/// entry per strategy, scoring pool rows from the ensemble members' predictions, as `StrategyKind`
/// does for classifiers from probabilities. Rows are ranked by `rankQueries` (ties by row-id keys).
public struct RegressionStrategyKind: Sendable {
    public let name: String
    public let description: String
    /// Whether it reads the members' spread (a single tree, boosting, kNN or linear model has none).
    public let needsEnsemble: Bool
    let score: @Sendable (RegressionPool) -> [Double]

    init(_ name: String, _ description: String, needsEnsemble: Bool, score: @escaping @Sendable (RegressionPool) -> [Double]) {
        self.name = name
        self.description = description
        self.needsEnsemble = needsEnsemble
        self.score = score
    }

    /// One score per pool row (higher: asked first) and the `count` best rows.
    public func select(_ pool: RegressionPool, count: Int) -> (scores: [Double], ranked: [Int]) {
        let scores = score(pool)
        return (scores, rankQueries(scores: scores, count: count, tieBreakKeys: pool.tieBreakKeys))
    }
}

/// What a regression strategy may look at: the predictions over the pool, each ensemble member's
/// (`members[m][row]`, empty for a single model), the rows in a standardised feature space, and
/// the seed and tie-break keys.
public struct RegressionPool: Sendable {
    public var predictions: [Double]
    public var members: [[Double]]
    /// Row-major, `columns` wide: the pool's features standardised (expected model change).
    public var space: [Double]
    public var columns: Int
    public var seed: UInt64
    public var tieBreakKeys: [UInt64]?

    public init(predictions: [Double], members: [[Double]], space: [Double], columns: Int, seed: UInt64, tieBreakKeys: [UInt64]?) {
        self.predictions = predictions
        self.members = members
        self.space = space
        self.columns = columns
        self.seed = seed
        self.tieBreakKeys = tieBreakKeys
    }

    /// The population standard deviation of the members' predictions of each row (numpy's `std`):
    /// modAL's `max_std` over a committee of regressors.
    public var memberSpread: [Double] {
        let m = Double(members.count)
        return predictions.indices.map { r in
            guard !members.isEmpty else { return 0 }
            var mean = 0.0
            for member in members { mean += member[r] }
            mean /= m
            var sum = 0.0
            for member in members { sum += (member[r] - mean) * (member[r] - mean) }
            return (sum / m).squareRoot()
        }
    }

    /// Expected model change (Cai, Zhang & Zhou 2013, EMCM): the mean over members of
    /// |f(x) − f_m(x)|·‖(x, 1)‖ — the size of the gradient step a label at x would make, with each
    /// member's prediction standing in for the unknown answer.
    public var expectedChange: [Double] {
        predictions.indices.map { r in
            guard !members.isEmpty else { return 0 }
            var deviation = 0.0
            for member in members { deviation += abs(predictions[r] - member[r]) }
            var norm = 1.0
            for c in 0..<columns { norm += space[r * columns + c] * space[r * columns + c] }
            return deviation / Double(members.count) * norm.squareRoot()
        }
    }
}

extension RegressionStrategyKind {
    /// Every strategy, in the order they are listed to users.
    public static let all: [RegressionStrategyKind] = [
        RegressionStrategyKind("variance", "the spread (standard deviation) of the ensemble's members: modAL's max_std",
                               needsEnsemble: true, score: { $0.memberSpread }),
        RegressionStrategyKind("expected-change", "expected model change (EMCM): member deviation times the row's norm",
                               needsEnsemble: true, score: { $0.expectedChange }),
        RegressionStrategyKind("random", "uniformly at random (the baseline)", needsEnsemble: false, score: { pool in
            var generator = SeededGenerator(seed: pool.seed)
            return pool.predictions.map { _ in generator.nextDouble() }
        }),
    ]

    public static var allNames: [String] { all.map(\.name) }

    public static func named(_ name: String) -> RegressionStrategyKind? { all.first { $0.name == name } }

    public static func resolve(_ name: String) throws -> RegressionStrategyKind {
        guard let kind = named(name) else { throw UnknownName(what: "regression strategy", name: name, available: allNames) }
        return kind
    }
}
