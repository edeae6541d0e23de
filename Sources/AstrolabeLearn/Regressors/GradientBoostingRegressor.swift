/// Gradient-boosted trees for regression, scikit-learn's `GradientBoostingRegressor`
/// (`loss="squared_error"`, exact splits): starts from the mean target; each of `estimators` rounds
/// fits a depth-`maxDepth` least-squares tree to the residuals y − F (leaves hold the mean residual)
/// and adds `learningRate` times it to F. Missing values are training medians.
public struct GradientBoostingRegressor: Regressor, Sendable {
    public var estimators: Int
    public var learningRate: Double
    public var maxDepth: Int

    var trees: [DecisionTree] = []
    var initial = 0.0
    var imputer = MedianImputer()
    var columns = 0

    public init(estimators: Int = 100, learningRate: Double = 0.1, maxDepth: Int = 3) {
        self.estimators = estimators
        self.learningRate = learningRate
        self.maxDepth = maxDepth
    }

    public mutating func fit(_ x: FeatureMatrix, targets: [Double], seed: UInt64) throws {
        try validateRegressionSet(x, targets: targets)
        guard estimators >= 1, estimators <= 100_000 else {
            throw LearnError("gradient boosting needs 1 to 100000 estimators, got \(estimators)")
        }
        guard learningRate > 0, learningRate.isFinite else { throw LearnError("the learning rate must be positive, got \(learningRate)") }
        guard maxDepth >= 1 else { throw LearnError("maxDepth must be at least 1, got \(maxDepth)") }
        imputer = MedianImputer(fitting: x)
        let x = try imputer.filled(x)
        columns = x.columns
        let n = x.rows
        initial = targets.reduce(0, +) / Double(n)
        var raw = [Double](repeating: initial, count: n)
        var residuals = [Double](repeating: 0, count: n)
        var update = [Double](repeating: 0, count: n)
        let builder = RegressionTreeBuilder(features: RankedFeatures(x, imputer: imputer), maxDepth: maxDepth, minSamplesLeaf: 1)
        var generator = SeededGenerator(seed: seed)
        trees = []
        for _ in 0..<estimators {
            for r in 0..<n { residuals[r] = targets[r] - raw[r] }
            let tree = try builder.build(targets: residuals, generator: &generator) { leaf in
                RegressionTreeBuilder.weightedMean(leaf, targets: residuals, weights: nil)
            }
            for r in 0..<n { update[r] = 0 }
            tree.addLeafValues(x, into: &update)
            for r in 0..<n { raw[r] += learningRate * update[r] }
            trees.append(tree)
        }
    }

    public func predict(_ x: FeatureMatrix) throws -> [Double] {
        guard !trees.isEmpty else { throw LearnError("the gradient-boosting model has not been trained yet") }
        guard x.columns == columns else { throw LearnError("the model was trained on \(columns) features but got \(x.columns)") }
        let x = try imputer.filled(x)
        var out = [Double](repeating: initial, count: x.rows)
        var update = [Double](repeating: 0, count: x.rows)
        // Round by round, as fitting added them: the same sums in the same order.
        for tree in trees {
            for r in 0..<x.rows { update[r] = 0 }
            tree.addLeafValues(x, into: &update)
            for r in 0..<x.rows { out[r] += learningRate * update[r] }
        }
        return out
    }
}
