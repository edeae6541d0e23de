import AstrolabeData

/// A random forest of CART classification trees, with scikit-learn's semantics.
///
/// Each tree is grown on a bootstrap sample (drawn with replacement, as many draws as rows) and
/// picks the best Gini split among a random subset of features at every node; the forest's class
/// probabilities are the mean over trees of the class frequencies in the leaf a row reaches
/// (scikit-learn's `predict_proba`, not a majority vote).
///
/// Missing values (NaN) are replaced by the median of that feature over the training rows; the
/// medians are stored in the model and applied again at prediction, so a hole means the same thing
/// both times. ±∞ are kept and compared like any other value.
///
/// Reproducibility: tree `i` draws all its randomness from `SeededGenerator(seed:, stream: i)`, and
/// each tree and each block of predicted rows is computed independently, so the model and its
/// probabilities are bit-for-bit the same for a seed whatever the number of threads.
public struct RandomForest: Classifier, Sendable {
    /// Number of trees.
    public var trees: Int
    /// Deepest a tree may grow (root = depth 0); nil grows until leaves are pure or too small.
    public var maxDepth: Int?
    /// Fewest distinct training samples a leaf may hold.
    public var minSamplesLeaf: Int
    /// How many features each split considers.
    public var maxFeatures: MaxFeatures
    /// Whether each tree sees a bootstrap sample (true) or every row once (false).
    public var bootstrap: Bool
    /// Whether splits use one random threshold per feature (extra trees) instead of the best one.
    public var randomSplits = false
    /// How much each class's rows weigh (scikit-learn's `class_weight`, `balanced_subsample` per
    /// bootstrap); only fitting reads it.
    public var classWeighting = ClassWeighting.none

    public private(set) var classCount: Int = 0
    /// Number of features the model was fitted on (0 before `fit`).
    public private(set) var featureCount: Int = 0

    private(set) var forest: [DecisionTree] = []
    private(set) var imputer = MedianImputer()

    /// Threads used for fitting and prediction. Internal so tests can show that one thread and
    /// many give identical results.
    var workerCount: Int = defaultWorkerCount
    /// How prediction walks the trees; internal so tests can compare the three (same bits).
    enum PredictionPath {
        /// Eight rows down each tree in lockstep (`DecisionTree.accumulate`).
        case lockstep
        /// Rows split node by node on column-major blocks of doubles (`accumulatePartitioned`).
        case partitioned
        /// Rows split node by node as packed bins (`BinnedForest`), or `partitioned` when the
        /// forest cannot be binned.
        case binned
    }
    var predictionPath = PredictionPath.binned

    /// The forest rewritten for binned prediction (nil when it does not fit in 64-bit rows).
    private(set) var binned: BinnedForest?

    public init(trees: Int = 100, maxDepth: Int? = nil, minSamplesLeaf: Int = 1,
                maxFeatures: MaxFeatures = .sqrt, bootstrap: Bool = true) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.minSamplesLeaf = minSamplesLeaf
        self.maxFeatures = maxFeatures
        self.bootstrap = bootstrap
    }

    /// Most trees a forest may have.
    public static let maxTrees = 100_000

    /// Whether `fit` has succeeded at least once.
    public var isFitted: Bool { !forest.isEmpty }

    /// Total number of nodes over all trees (a size measure for reports and tests).
    public var nodeCount: Int { forest.reduce(0) { $0 + $1.nodeCount } }

    /// Puts back a forest as it was fitted, read from a model file (`ClassifierArchive`): the
    /// trees, the imputer's medians and the shape, with whatever `fit` derives from them for
    /// prediction, so the restored forest predicts exactly as the saved one.
    mutating func restoreFitted(trees: [DecisionTree], imputer: MedianImputer, classCount: Int, featureCount: Int) {
        self.forest = trees
        self.binned = BinnedForest(trees: trees, featureCount: featureCount, workers: workerCount)
        self.imputer = imputer
        self.classCount = classCount
        self.featureCount = featureCount
    }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        guard trees >= 1 else { throw LearnError("a forest needs at least 1 tree, got \(trees)") }
        // A typo such as trees=1e9 should be an error message, not an out-of-memory crash.
        guard trees <= RandomForest.maxTrees else {
            throw LearnError("a forest can have at most \(RandomForest.maxTrees) trees, got \(trees)")
        }
        guard minSamplesLeaf >= 1 else {
            throw LearnError("minSamplesLeaf must be at least 1, got \(minSamplesLeaf)")
        }
        if let maxDepth, maxDepth < 1 { throw LearnError("maxDepth must be at least 1, got \(maxDepth)") }
        try validateTrainingSet(x, labels: labels, classCount: classCount)
        let featuresPerSplit = try maxFeatures.resolved(features: x.columns)

        // Node and leaf indices are 32-bit (a tree has fewer than 2 × rows nodes), which keeps
        // nodes at 16 bytes; ranks and sample indices share one 64-bit sort key.
        let maxRows = Int(Int32.max) / 2
        guard x.rows <= maxRows else {
            throw LearnError("a forest can be trained on at most \(maxRows) rows, got \(x.rows)")
        }
        let imputer = MedianImputer(fitting: x)
        let builder = TreeBuilder(features: RankedFeatures(x, imputer: imputer),
                                  labels: labels, classCount: classCount,
                                  maxDepth: maxDepth ?? Int.max, minSamplesLeaf: minSamplesLeaf,
                                  maxFeatures: featuresPerSplit, randomSplits: randomSplits,
                                  recomputeSquares: !classWeighting.isNone)
        let rows = x.rows
        let bootstrap = self.bootstrap
        let perBootstrap = bootstrap && classWeighting == .balancedSubsample
        let weighting = classWeighting == .balancedSubsample ? ClassWeighting.balanced : classWeighting
        let rowWeights = weighting.isNone || perBootstrap ? nil : weighting.sampleWeights(labels: labels, classCount: classCount)
        let built = ConcurrentSlots<DecisionTree?>(count: trees, initialValue: nil)
        let failures = ConcurrentSlots<(any Error)?>(count: trees, initialValue: nil)
        performConcurrently(count: trees, workers: workerCount) { index in
            var generator = SeededGenerator(seed: seed, stream: UInt64(index))
            var weights = [Double](repeating: bootstrap ? 0 : 1, count: rows)
            if bootstrap {
                for _ in 0..<rows { weights[generator.nextInt(below: rows)] += 1 }
            }
            if perBootstrap {
                let classWeights = ClassWeighting.balanced.classWeights(labels: labels, classCount: classCount, counts: weights)
                for r in 0..<rows where weights[r] > 0 { weights[r] *= classWeights[labels[r]] }
            } else if let rowWeights {
                for r in 0..<rows { weights[r] *= rowWeights[r] }
            }
            do {
                try Cancellation.check()
                built.buffer[index] = try builder.build(weights: weights, generator: &generator)
            } catch {
                failures.buffer[index] = error
            }
        }
        if let error = failures.buffer.lazy.compactMap({ $0 }).first { throw error }

        self.forest = built.buffer.compactMap { $0 }
        self.binned = BinnedForest(trees: forest, featureCount: x.columns, workers: workerCount)
        self.imputer = imputer
        self.classCount = classCount
        self.featureCount = x.columns
    }

    /// How much each feature contributed to the forest's decisions, one value per feature, summing
    /// to 1 (all zeros when no tree could split; empty before `fit`).
    ///
    /// scikit-learn's `feature_importances_` (mean decrease in impurity): each tree's total Gini
    /// decrease per feature, normalised to sum to 1, averaged over the trees that split at all, and
    /// normalised again. It is computed on training data, so it favours features with many distinct
    /// values; it answers "what did the model use", not "what is causally related to the class".
    public var featureImportances: [Double] {
        var mean = [Double](repeating: 0, count: featureCount)
        var contributing = 0
        for tree in forest {
            let total = tree.impurityDecrease.reduce(0, +)
            guard total > 0, tree.impurityDecrease.count == featureCount else { continue }
            contributing += 1
            for f in 0..<featureCount { mean[f] += tree.impurityDecrease[f] / total }
        }
        let sum = mean.reduce(0, +)
        guard contributing > 0, sum > 0 else { return mean.map { _ in 0 } }
        return mean.map { $0 / sum }
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        guard isFitted else { throw LearnError("the forest has not been trained yet") }
        guard x.columns == featureCount else {
            throw LearnError("the forest was trained on \(featureCount) features but got \(x.columns)")
        }
        guard x.rows > 0 else { return [] }
        if predictionPath == .binned, let binned {
            return predictBinned(x, binned)
        }
        let usePartitioned = predictionPath != .lockstep
        // Node-by-node splitting pays its per-node costs once per block, so it wants big blocks
        // (4,096 rows: the block, its sums and row lists stay in L2); the lockstep walk wants
        // its rows in L1.
        let blockRows = usePartitioned ? 4096 : 256
        let blocks = (x.rows + blockRows - 1) / blockRows
        let forest = self.forest
        let imputer = self.imputer
        let classCount = self.classCount
        let columns = x.columns
        let scale = 1 / Double(forest.count)
        let total = x.rows * classCount
        // Written in place (no intermediate copy): a pool of millions of rows is predicted after
        // every answer in a query loop.
        return [Double](unsafeUninitializedCapacity: total) { buffer, initialized in
            buffer.initialize(repeating: 0)
            let sums = SharedOutput(buffer: buffer)
            performConcurrently(count: blocks, workers: workerCount) { block in
                let start = block * blockRows
                let end = min(start + blockRows, x.rows)
                let n = end - start
                var rows = [Double](repeating: 0, count: n * columns)
                // Row-major for the lockstep walk, column-major for the node-by-node split.
                for r in start..<end {
                    for c in 0..<columns {
                        rows[usePartitioned ? c * n + (r - start) : (r - start) * columns + c] =
                            imputer.fill(x.values[r * columns + c], column: c)
                    }
                }
                let out = UnsafeMutableBufferPointer(
                    rebasing: sums.buffer[(start * classCount)..<(end * classCount)])
                rows.withUnsafeBufferPointer { rows in
                    // Trees in order for every row, so each row's sum is the same whatever the blocks.
                    if usePartitioned, let rowBase = rows.baseAddress, let outBase = out.baseAddress {
                        var order = (0..<Int32(end - start)).map { $0 }
                        var spare = order
                        order.withUnsafeMutableBufferPointer { order in
                        spare.withUnsafeMutableBufferPointer { spare in
                            guard let o = order.baseAddress, let sp = spare.baseAddress else { return }
                            for tree in forest {
                                for i in 0..<(end - start) { o[i] = Int32(truncatingIfNeeded: i) }
                                tree.accumulatePartitioned(values: rowBase, stride: n, order: o, spare: sp,
                                                           count: end - start, into: outBase)
                            }
                        }}
                    } else {
                        for tree in forest {
                            tree.accumulate(rows: rows, rowCount: end - start, columns: columns, into: out)
                        }
                    }
                }
                for i in out.indices { out[i] *= scale }
            }
            initialized = total
        }
    }

    /// `predictProbabilities` through `BinnedForest`: blocks of at most `BinnedForest.blockRows`
    /// rows binned (and packed), then split node by node or looked up; each row's sums are its own
    /// (its trees' leaves added in tree order), so the bits depend neither on the blocks nor on the
    /// threads.
    private func predictBinned(_ x: FeatureMatrix, _ binned: BinnedForest) -> [Double] {
        let blockRows = BinnedForest.blockSize(rows: x.rows, workers: workerCount)
        let blocks = (x.rows + blockRows - 1) / blockRows
        let imputer = self.imputer
        let classCount = self.classCount
        let columns = x.columns
        let scale = 1 / Double(forest.count)
        let total = x.rows * classCount
        // Packed words and the two buffers the splits move them between, only when there are splits.
        let words = binned.packsRows ? 3 * blockRows : 1
        // Not zeroed first: each block's task writes its own rows' sums (`accumulate` starts them
        // from 0), so the pages of a fresh multi-megabyte output are first touched in parallel.
        return [Double](unsafeUninitializedCapacity: total) { buffer, initialized in
            let sums = SharedOutput(buffer: buffer)
            performConcurrently(count: blocks, workers: workerCount) { block in
                let start = block * blockRows
                let n = min(blockRows, x.rows - start)
                guard let outBase = sums.buffer.baseAddress?.advanced(by: start * classCount) else { return }
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { words in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: BinnedForest.treesPerPass * blockRows) { offsets in
                withUnsafeTemporaryAllocation(of: UInt16.self, capacity: columns * BinnedForest.blockRows) { bins in
                    guard let packed = words.baseAddress, let offsetBase = offsets.baseAddress,
                          let binBase = bins.baseAddress else { return }
                    x.values.withUnsafeBufferPointer { values in
                        guard let valueBase = values.baseAddress else { return }
                        binned.pack(valueBase, columns: columns, start: start, count: n,
                                    fill: { imputer.fill($0, column: $1) }, into: packed, bins: binBase)
                    }
                    binned.accumulate(packed: packed, bins: binBase, count: n, spare: binned.packsRows ? packed + n : packed,
                                      offsets: offsetBase, scale: scale, into: outBase)
                }}}
            }
            initialized = total
        }
    }
}

extension RandomForest: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive { archive(kind: randomSplits ? "extra-trees" : "forest") }

    /// The fitted state tagged `kind`: extra trees and single trees are forests inside.
    func archive(kind: String) -> ClassifierArchive {
        var a = ClassifierArchive(kind: kind, classCount: classCount, columns: featureCount)
        a.trees = trees; a.maxDepth = maxDepth; a.minSamplesLeaf = minSamplesLeaf
        a.maxFeatures = maxFeatures.archiveText; a.bootstrap = bootstrap
        a.medians = imputer.medians; a.forest = forest.map(\.archive)
        return a
    }

    /// The forest of a `forest`, `extra-trees` or `tree` archive (random splits for extra trees).
    init(archive a: ClassifierArchive) throws {
        self.init(trees: try a.need(a.trees), maxDepth: a.maxDepth, minSamplesLeaf: try a.need(a.minSamplesLeaf),
                  maxFeatures: try MaxFeatures(archiveText: try a.need(a.maxFeatures)), bootstrap: try a.need(a.bootstrap))
        randomSplits = a.kind == "extra-trees"
        let list = try a.decisionTrees()
        guard !list.isEmpty, list.allSatisfy({ $0.classCount == a.classCount }) else { throw a.damaged }
        restoreFitted(trees: list, imputer: try a.imputer(), classCount: a.classCount, featureCount: a.columns)
    }
}
