import AstrolabeData

/// A random forest of least-squares regression trees, scikit-learn's `RandomForestRegressor`
/// (and, with `randomSplits` and no bootstrap, `ExtraTreesRegressor`; with one unbootstrapped tree
/// of every feature, `DecisionTreeRegressor`).
///
/// Each tree is grown by `RegressionTreeBuilder` on a bootstrap sample (weights are draw counts)
/// and its leaves hold the weighted mean target; the forest predicts the mean over trees. The
/// fitted trees live in a `RandomForest` of one "class", whose prediction (binned, node by node,
/// on both cores) is exactly that mean. Missing values are training medians, as in the classifier.
/// Tree `i` draws from `SeededGenerator(seed:, stream: i)`: the same forest whatever the threads.
public struct RandomForestRegressor: Regressor, Sendable {
    public var trees: Int
    public var maxDepth: Int?
    public var minSamplesLeaf: Int
    /// Features per split; scikit-learn's regressors default to all of them (`max_features=1.0`).
    public var maxFeatures: MaxFeatures
    public var bootstrap: Bool
    public var randomSplits = false

    /// The fitted trees, predicting through the classifier forest's machinery.
    private(set) var forest = RandomForest(trees: 1)
    var workerCount: Int = defaultWorkerCount

    public init(trees: Int = 100, maxDepth: Int? = nil, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .all, bootstrap: Bool = true, randomSplits: Bool = false) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.minSamplesLeaf = minSamplesLeaf
        self.maxFeatures = maxFeatures
        self.bootstrap = bootstrap
        self.randomSplits = randomSplits
    }

    /// scikit-learn's `DecisionTreeRegressor`: one tree on every row, every feature at each split.
    public static func singleTree(maxDepth: Int? = nil, minSamplesLeaf: Int = 1) -> RandomForestRegressor {
        RandomForestRegressor(trees: 1, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf, maxFeatures: .all, bootstrap: false)
    }

    public var isFitted: Bool { forest.isFitted }
    public var nodeCount: Int { forest.nodeCount }
    public var featureImportances: [Double] { forest.featureImportances }

    public mutating func fit(_ x: FeatureMatrix, targets: [Double], seed: UInt64) throws {
        guard trees >= 1, trees <= RandomForest.maxTrees else {
            throw LearnError("a forest needs 1 to \(RandomForest.maxTrees) trees, got \(trees)")
        }
        guard minSamplesLeaf >= 1 else { throw LearnError("minSamplesLeaf must be at least 1, got \(minSamplesLeaf)") }
        if let maxDepth, maxDepth < 1 { throw LearnError("maxDepth must be at least 1, got \(maxDepth)") }
        try validateRegressionSet(x, targets: targets)
        guard x.rows <= Int(Int32.max) / 2 else { throw LearnError("a forest can be trained on at most \(Int(Int32.max) / 2) rows") }
        let imputer = MedianImputer(fitting: x)
        let builder = RegressionTreeBuilder(features: RankedFeatures(x, imputer: imputer), maxDepth: maxDepth ?? Int.max,
                                            minSamplesLeaf: minSamplesLeaf,
                                            maxFeatures: try maxFeatures.resolved(features: x.columns), randomSplits: randomSplits)
        let rows = x.rows, bootstrap = self.bootstrap
        let built = ConcurrentSlots<DecisionTree?>(count: trees, initialValue: nil)
        let failures = ConcurrentSlots<(any Error)?>(count: trees, initialValue: nil)
        performConcurrently(count: trees, workers: workerCount) { index in
            var generator = SeededGenerator(seed: seed, stream: UInt64(index))
            var weights: [Double]?
            if bootstrap {
                var counts = [Double](repeating: 0, count: rows)
                for _ in 0..<rows { counts[generator.nextInt(below: rows)] += 1 }
                weights = counts
            }
            do {
                try Cancellation.check()
                built.buffer[index] = try builder.build(targets: targets, weights: weights, generator: &generator) { leaf in
                    RegressionTreeBuilder.weightedMean(leaf, targets: targets, weights: weights)
                }
            } catch {
                failures.buffer[index] = error
            }
        }
        if let error = failures.buffer.lazy.compactMap({ $0 }).first { throw error }
        var forest = RandomForest(trees: trees, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf,
                                  maxFeatures: maxFeatures, bootstrap: bootstrap)
        forest.workerCount = workerCount
        forest.restoreFitted(trees: built.buffer.compactMap { $0 }, imputer: imputer, classCount: 1, featureCount: x.columns)
        self.forest = forest
    }

    public func predict(_ x: FeatureMatrix) throws -> [Double] {
        guard isFitted else { throw LearnError("the forest has not been trained yet") }
        return try forest.predictProbabilities(x)
    }

    /// Each tree's prediction for every row of `x`.
    public func memberPredictions(_ x: FeatureMatrix) throws -> [[Double]]? {
        guard isFitted else { throw LearnError("the forest has not been trained yet") }
        guard x.columns == forest.featureCount else {
            throw LearnError("the forest was trained on \(forest.featureCount) features but got \(x.columns)")
        }
        let filled = try forest.imputer.filled(x)
        return forest.forest.map { tree in
            var out = [Double](repeating: 0, count: x.rows)
            tree.addLeafValues(filled, into: &out)
            return out
        }
    }
}
