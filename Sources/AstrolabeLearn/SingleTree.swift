/// One CART classification tree, scikit-learn's `DecisionTreeClassifier` (Gini, best split, every
/// feature considered): a forest of one unbootstrapped tree, so it shares the forest's builder,
/// median imputation and flat storage. Easy to read off, prone to overfit; a baseline and a
/// committee member.
public struct DecisionTreeClassifier: Classifier, Sendable {
    private var tree: RandomForest

    public init(maxDepth: Int? = nil, minSamplesLeaf: Int = 1) {
        tree = RandomForest(trees: 1, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf,
                            maxFeatures: .all, bootstrap: false)
    }

    public var classCount: Int { tree.classCount }
    public var nodeCount: Int { tree.nodeCount }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        try tree.fit(x, labels: labels, classCount: classCount, seed: seed)
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        try tree.predictProbabilities(x)
    }
}

/// Extremely randomised trees, scikit-learn's `ExtraTreesClassifier`: every tree sees all training
/// rows (no bootstrap) and each split tries one random threshold per candidate feature. Faster to
/// grow than a random forest and smoother in its probabilities, which helps uncertainty sampling
/// break fewer ties.
public struct ExtraTrees: Classifier, Sendable {
    private var forest: RandomForest

    public init(trees: Int = 100, maxDepth: Int? = nil, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .sqrt) {
        forest = RandomForest(trees: trees, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf,
                              maxFeatures: maxFeatures, bootstrap: false)
        forest.randomSplits = true
    }

    public var classCount: Int { forest.classCount }
    public var featureImportances: [Double] { forest.featureImportances }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        try forest.fit(x, labels: labels, classCount: classCount, seed: seed)
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        try forest.predictProbabilities(x)
    }
}

extension DecisionTree {
    /// The value block (class frequencies, or one regression value) of the leaf each of `rowCount`
    /// rows reaches, summed into `out` (`rowCount × classCount`); a thin wrapper over `accumulate`
    /// for callers holding a whole matrix.
    func addLeafValues(_ x: FeatureMatrix, into out: inout [Double]) {
        x.values.withUnsafeBufferPointer { rows in
            out.withUnsafeMutableBufferPointer { sums in
                accumulate(rows: rows, rowCount: x.rows, columns: x.columns, into: sums)
            }
        }
    }
}
