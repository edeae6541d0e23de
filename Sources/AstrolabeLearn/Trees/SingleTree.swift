/// One CART classification tree, scikit-learn's `DecisionTreeClassifier` (Gini, best split, every
/// feature considered): a forest of one unbootstrapped tree, so it shares the forest's builder,
/// median imputation and flat storage. Easy to read off, prone to overfit; a baseline and a
/// committee member.
public struct DecisionTreeClassifier: Classifier, Sendable {
    var tree: RandomForest

    public init(maxDepth: Int? = nil, minSamplesLeaf: Int = 1, classWeighting: ClassWeighting = .none) {
        tree = RandomForest(trees: 1, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf,
                            maxFeatures: .all, bootstrap: false)
        tree.classWeighting = classWeighting
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
    var forest: RandomForest

    public init(trees: Int = 100, maxDepth: Int? = nil, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .sqrt, classWeighting: ClassWeighting = .none) {
        forest = RandomForest(trees: trees, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf,
                              maxFeatures: maxFeatures, bootstrap: false)
        forest.randomSplits = true
        forest.classWeighting = classWeighting
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

extension DecisionTreeClassifier: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive { tree.archive(kind: "tree") }

    init(archive a: ClassifierArchive) throws {
        self.init()
        tree = try RandomForest(archive: a)
    }
}

extension ExtraTrees: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive { forest.archive(kind: "extra-trees") }

    init(archive a: ClassifierArchive) throws {
        self.init()
        forest = try RandomForest(archive: a)
    }
}

extension DecisionTree {
    /// The value block (class frequencies, or one regression value) of the leaf each row of `x`
    /// reaches, summed into `out` (`x.rows × classCount`), for callers holding a whole matrix
    /// (boosting). Rows go node by node (`accumulatePartitioned`) in column-major blocks of 4,096;
    /// NaN must already be imputed.
    func addLeafValues(_ x: FeatureMatrix, into out: inout [Double]) {
        let blockRows = 4096, columns = x.columns
        guard x.rows > 0, columns > 0, out.count >= x.rows * classCount else { return }
        var block = [Double](repeating: 0, count: min(blockRows, x.rows) * columns)
        var order = [Int32](repeating: 0, count: min(blockRows, x.rows))
        var spare = order
        x.values.withUnsafeBufferPointer { values in
        out.withUnsafeMutableBufferPointer { sums in
        block.withUnsafeMutableBufferPointer { block in
        order.withUnsafeMutableBufferPointer { order in
        spare.withUnsafeMutableBufferPointer { spare in
            guard let blockBase = block.baseAddress, let orderBase = order.baseAddress,
                  let spareBase = spare.baseAddress, let sumBase = sums.baseAddress else { return }
            var start = 0
            while start < x.rows {
                let n = min(blockRows, x.rows - start)
                for r in 0..<n {
                    for c in 0..<columns { blockBase[c * n + r] = values[(start + r) * columns + c] }
                    orderBase[r] = Int32(truncatingIfNeeded: r)
                }
                accumulatePartitioned(values: blockBase, stride: n, order: orderBase, spare: spareBase, count: n,
                                      into: sumBase + start * classCount)
                start += n
            }
        }}}}}
    }
}
