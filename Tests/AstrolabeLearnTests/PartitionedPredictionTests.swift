import XCTest
@testable import AstrolabeLearn

/// Every forest prediction path (lockstep walk, node-by-node split on doubles, binned rows with
/// lookup tables) must give the very bits of the plainest possible reference: each row walked down
/// each tree one comparison at a time on the doubles, leaf values added tree after tree, times
/// 1 / trees — written here from the tree's nodes, independently of the prediction code.
final class PartitionedPredictionTests: XCTestCase {
    /// The reference walk.
    private func walked(_ forest: RandomForest, _ x: FeatureMatrix) -> [Double] {
        let k = forest.classCount
        var out = [Double](repeating: 0, count: x.rows * k)
        for r in 0..<x.rows {
            for tree in forest.forest {
                var i = 0
                while tree.nodes[i].feature >= 0 {
                    let node = tree.nodes[i]
                    let f = Int(node.feature)
                    let value = forest.imputer.fill(x.values[r * x.columns + f], column: f)
                    i = Int(node.next) + (value <= node.threshold ? 0 : 1)
                }
                let leaf = Int(tree.nodes[i].next)
                for c in 0..<k { out[r * k + c] += tree.leafValues[leaf * k + c] }
            }
        }
        let scale = 1 / Double(forest.forest.count)
        return out.map { $0 * scale }
    }

    /// All three paths, with one worker and two, against the reference; returns whether the
    /// forest could be binned.
    @discardableResult
    private func checkAllPaths(_ forest: RandomForest, _ x: FeatureMatrix, _ context: String,
                               file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        let reference = walked(forest, x)
        var forest = forest
        for path in [RandomForest.PredictionPath.lockstep, .partitioned, .binned] {
            forest.predictionPath = path
            for workers in [1, 2] {
                forest.workerCount = workers
                let p = try forest.predictProbabilities(x)
                XCTAssertEqual(p.count, reference.count, file: file, line: line)
                let differing = zip(p, reference).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                XCTAssertEqual(differing, 0, "\(context), \(path), \(workers) workers", file: file, line: line)
            }
        }
        return BinnedForest(trees: forest.forest, featureCount: forest.featureCount) != nil
    }

    private func gaussianClasses(rows: Int, features: Int, classes: Int, seed: UInt64,
                                 value: (Int, Int, Double) -> Double = { _, _, v in v }) throws -> (FeatureMatrix, [Int]) {
        var generator = SeededGenerator(seed: seed)
        func normal() -> Double {
            let u = max(generator.nextDouble(), 1e-12), v = generator.nextDouble()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        var values: [Double] = [], labels: [Int] = []
        for i in 0..<rows {
            let c = i % classes
            for f in 0..<features { values.append(value(i, f, normal() + Double(c) * (f == 0 ? 1.5 : 0.6))) }
            labels.append(c)
        }
        return (try FeatureMatrix(rows: rows, columns: features, values: values), labels)
    }

    /// Rows exactly on every threshold of the forest, and one ulp either side of it (other
    /// features at the threshold of the next node, so the rows go everywhere), plus ±∞, ±0, NaN.
    private func rowsOnThresholds(_ forest: RandomForest) throws -> FeatureMatrix {
        let columns = forest.featureCount
        let thresholds = forest.forest.flatMap { $0.nodes.filter { $0.feature >= 0 }.map(\.threshold) }
        var values: [Double] = []
        for (i, t) in thresholds.enumerated() {
            for value in [t, t.nextDown, t.nextUp] {
                for f in 0..<columns { values.append(f == i % columns ? value : thresholds[(i + f) % thresholds.count]) }
            }
        }
        for special in [Double.infinity, -.infinity, 0.0, -0.0, .nan, .greatestFiniteMagnitude] {
            values += [Double](repeating: special, count: columns)
        }
        return try FeatureMatrix(rows: values.count / columns, columns: columns, values: values)
    }

    func testEveryPathGivesTheBitsOfAPlainWalk() throws {
        // 5,003 rows of 3 overlapping Gaussian classes in 4 features (some NaN), trained on 300:
        // deep, lopsided trees, several prediction blocks, and a partial last block.
        let (all, labels) = try gaussianClasses(rows: 5_003, features: 4, classes: 3, seed: 42) { i, f, v in
            i % 97 == f ? .nan : v
        }
        let train = Array(stride(from: 0, to: 5_003, by: 17))
        for trees in [1, 30] {
            var forest = RandomForest(trees: trees)
            try forest.fit(all.selecting(rows: train), labels: train.map { labels[$0] }, classCount: 3, seed: 5)
            XCTAssertTrue(try checkAllPaths(forest, all, "\(trees) trees"))
            // Trees of ≈ 300 rows fit in one table each (read in block order, rows not packed).
            let binned = try XCTUnwrap(BinnedForest(trees: forest.forest, featureCount: 4))
            XCTAssertTrue(binned.roots.allSatisfy { binned.nodes[$0].kind == .table })
            XCTAssertFalse(binned.packsRows)
            // Four trees at a time, the rest (30 = 7 × 4 + 2) one by one.
            XCTAssertEqual(binned.quadLeaves.count, trees / 4)
        }
        // Trained on 2,000 rows: trees too big for one table, so splits above tables.
        var big = RandomForest(trees: 5)
        let many = Array(stride(from: 0, to: 5_003, by: 2))
        try big.fit(all.selecting(rows: many), labels: many.map { labels[$0] }, classCount: 3, seed: 1)
        XCTAssertGreaterThan(big.nodeCount / 5, 300)
        XCTAssertTrue(try checkAllPaths(big, all, "big trees"))
        let binned = try XCTUnwrap(BinnedForest(trees: big.forest, featureCount: 4))
        XCTAssertGreaterThan(binned.tables.count, 5)
        XCTAssertTrue(binned.nodes.contains { $0.kind == .split })
        // Finite thresholds, hundreds per feature: binning goes through the guides.
        XCTAssertEqual(binned.guides.filter { $0 != nil }.count, 4)
        XCTAssertTrue(try checkAllPaths(big, try rowsOnThresholds(big), "big trees, rows on thresholds"))
    }

    /// Whole-tree tables of more than 65,536 cells (32-bit map entries), subtrees of more than
    /// 256 leaves kept as splits (a cell's leaf index is one byte), and a forest mixing trees that
    /// are one table, trees split at the top and one-leaf trees, over 40,001 rows: 2 blocks on one
    /// thread or two, the last one partial.
    func testBigTablesAndMixedForests() throws {
        let rows = 40_001
        let (all, labels) = try gaussianClasses(rows: rows, features: 4, classes: 3, seed: 11) { i, f, v in
            i % 89 == f ? .nan : v
        }
        // 400 training rows: trees of ≈ 150 nodes over 4 features (as B2's), each one table of
        // 100,000 cells or so.
        let train = Array(stride(from: 0, to: rows, by: 100))
        var forest = RandomForest(trees: 6)
        try forest.fit(all.selecting(rows: train), labels: train.map { labels[$0] }, classCount: 3, seed: 3)
        let binned = try XCTUnwrap(BinnedForest(trees: forest.forest, featureCount: 4))
        XCTAssertTrue(binned.roots.allSatisfy { binned.nodes[$0].kind == .table })
        XCTAssertTrue(binned.tables.contains { table in
            let next = binned.tables.filter { $0.firstCell > table.firstCell }.map(\.firstCell).min() ?? binned.cells.count
            return next - table.firstCell > 65_536
        })
        XCTAssertTrue(try checkAllPaths(forest, all, "1,000 labels, one table a tree"))

        // 6,000 training rows: trees of more than 256 leaves, split at the top (subtrees of
        // more than 256 leaves are not tables).
        let many = Array(stride(from: 0, to: rows, by: 2)).prefix(6_000)
        var deep = RandomForest(trees: 2)
        try deep.fit(all.selecting(rows: Array(many)), labels: many.map { labels[$0] }, classCount: 3, seed: 4)
        let deepBinned = try XCTUnwrap(BinnedForest(trees: deep.forest, featureCount: 4))
        XCTAssertTrue(deepBinned.packsRows)
        XCTAssertGreaterThan(deep.nodeCount / 2, 2 * 256)
        XCTAssertTrue(try checkAllPaths(deep, all, "20,000 labels"))

        // Trees of one leaf (one class), read in block order.
        var single = RandomForest(trees: 2)
        try single.fit(all.selecting(rows: [0, 3, 6, 9]), labels: [0, 0, 0, 0], classCount: 3, seed: 1)
        XCTAssertEqual(single.nodeCount, 2)
        XCTAssertTrue(try checkAllPaths(single, all, "one-leaf trees"))

        // All kinds in one forest (the deep trees' thresholds change every tree's bins).
        var mixed = forest
        mixed.restoreFitted(trees: single.forest + forest.forest + deep.forest, imputer: forest.imputer,
                            classCount: 3, featureCount: 4)
        let mixedBinned = try XCTUnwrap(mixed.binned)
        XCTAssertTrue(mixedBinned.roots.contains { mixedBinned.nodes[$0].kind == .table })
        XCTAssertTrue(mixedBinned.roots.contains { mixedBinned.nodes[$0].kind == .split })
        XCTAssertTrue(try checkAllPaths(mixed, all, "mixed forest"))
    }

    /// Forests whose bins need more than 64 bits in all but whose trees are each one table need no
    /// packed words: they are binned anyway, and exact.
    func testWideForestOfSmallTrees() throws {
        let (forty, labels) = try gaussianClasses(rows: 6_000, features: 40, classes: 3, seed: 12)
        var forest = RandomForest(trees: 30, maxDepth: 3)
        try forest.fit(forty, labels: labels, classCount: 3, seed: 2)
        let binned = try XCTUnwrap(BinnedForest(trees: forest.forest, featureCount: 40))
        XCTAssertFalse(binned.packsRows)
        // More than 8 features: no quads.
        XCTAssertTrue(binned.quadLeaves.isEmpty)
        // Fields of all the tested features: more than the 49 bits a packed word has for them.
        let bits = binned.thresholds.filter { !$0.isEmpty }.map { Int.bitWidth - $0.count.leadingZeroBitCount }.reduce(0, +)
        XCTAssertGreaterThan(bits, 64 - BinnedForest.rowBits)
        XCTAssertTrue(try checkAllPaths(forest, forty, "forty features, depth 3"))
    }

    /// Quads of trees (every tree one table) with 2 and 5 classes, 1 to 3 features, 9 trees: two
    /// quads and a tree on its own, in one pass of 8 and one of 1.
    func testQuadsOfTablesForTwoAndFiveClasses() throws {
        for (classes, features) in [(2, 1), (5, 3), (3, 2)] {
            let (x, labels) = try gaussianClasses(rows: 9_001, features: features, classes: classes, seed: UInt64(classes)) { i, f, v in
                i % 101 == f ? .nan : v
            }
            let train = Array(stride(from: 0, to: 9_001, by: 47))
            var forest = RandomForest(trees: 9, maxFeatures: .all)
            try forest.fit(x.selecting(rows: train), labels: train.map { labels[$0] }, classCount: classes, seed: 7)
            let binned = try XCTUnwrap(forest.binned)
            XCTAssertEqual(binned.quadLeaves.count, 2, "\(classes) classes")
            XCTAssertEqual(binned.dense.count, features)
            XCTAssertTrue(try checkAllPaths(forest, x, "\(classes) classes, \(features) features"))
            XCTAssertTrue(try checkAllPaths(forest, try rowsOnThresholds(forest), "\(classes) classes, on thresholds"))
        }
    }

    /// Block sizes, against hand-computed cuts.
    func testBlockSizes() {
        // 1M rows on 2 threads: 31 blocks of 32,768 would do; 32 of 31,250 share evenly.
        XCTAssertEqual(BinnedForest.blockSize(rows: 1_000_000, workers: 2), 31_250)
        // B3's 80,000-row pool: 3 blocks → 4 of 20,000.
        XCTAssertEqual(BinnedForest.blockSize(rows: 80_000, workers: 2), 20_000)
        XCTAssertEqual(BinnedForest.blockSize(rows: 80_000, workers: 1), 26_667)
        // Small pools: one block under 2 × 4,096 rows, never below 4,096 rows a block otherwise.
        XCTAssertEqual(BinnedForest.blockSize(rows: 8_000, workers: 2), 8_000)
        XCTAssertEqual(BinnedForest.blockSize(rows: 9_000, workers: 8), 4_500)
        XCTAssertEqual(BinnedForest.blockSize(rows: 17, workers: 2), 17)
        XCTAssertEqual(BinnedForest.blockSize(rows: 32_768, workers: 1), 32_768)
        XCTAssertEqual(BinnedForest.blockSize(rows: 32_769, workers: 1), 16_385)
    }

    func testTwoAndFiveClassesAndManyFeatures() throws {
        // Two classes, then five classes over seven features (tables over more than four features).
        let (two, twoLabels) = try gaussianClasses(rows: 3_000, features: 3, classes: 2, seed: 3)
        var forest = RandomForest(trees: 10)
        try forest.fit(two, labels: twoLabels, classCount: 2, seed: 2)
        XCTAssertTrue(try checkAllPaths(forest, two, "two classes"))

        let (five, fiveLabels) = try gaussianClasses(rows: 3_000, features: 7, classes: 5, seed: 4)
        let train = Array(stride(from: 0, to: 3_000, by: 5))
        var wide = RandomForest(trees: 10, maxFeatures: .all)
        try wide.fit(five.selecting(rows: train), labels: train.map { fiveLabels[$0] }, classCount: 5, seed: 3)
        XCTAssertTrue(try checkAllPaths(wide, five, "five classes, seven features"))

        // Seven 0/1 features, class = their sum mod 3: every tree splits on all seven, once each,
        // so a table spans more than four features.
        var generator = SeededGenerator(seed: 6)
        var bits: [Double] = [], parity: [Int] = []
        for _ in 0..<2_000 {
            let row = (0..<7).map { _ in Double(generator.nextInt(below: 2)) }
            bits += row
            parity.append(Int(row.reduce(0, +)) % 3)
        }
        let binary = try FeatureMatrix(rows: 2_000, columns: 7, values: bits)
        var parityForest = RandomForest(trees: 5, maxFeatures: .all)
        try parityForest.fit(binary, labels: parity, classCount: 3, seed: 1)
        XCTAssertTrue(try checkAllPaths(parityForest, binary, "seven binary features"))
        let tables = try XCTUnwrap(BinnedForest(trees: parityForest.forest, featureCount: 7)).tables
        XCTAssertTrue(tables.contains { $0.featureCount > 4 })

        // 40 features of 1,000 distinct values each cannot be binned into 64 bits: the forest
        // falls back to the split on doubles, still exact.
        let (forty, fortyLabels) = try gaussianClasses(rows: 1_000, features: 40, classes: 3, seed: 5)
        var fallback = RandomForest(trees: 20)
        try fallback.fit(forty, labels: fortyLabels, classCount: 3, seed: 4)
        XCTAssertFalse(try checkAllPaths(fallback, forty, "forty features"))
    }

    func testInfinitiesSignedZerosAndTies() throws {
        // Values on a coarse grid (many ties, thresholds between neighbours), ±0.0, ±∞ in training
        // and in prediction: thresholds can be ±∞ and rows can sit exactly on a threshold.
        let (grid, labels) = try gaussianClasses(rows: 4_100, features: 4, classes: 3, seed: 9) { i, f, v in
            switch (i + f) % 53 {
            case 0: return .infinity
            case 1: return -.infinity
            case 2: return -0.0
            case 3: return 0.0
            case 4: return .nan
            default: return (v * 4).rounded() / 4
            }
        }
        var forest = RandomForest(trees: 25)
        let train = Array(stride(from: 0, to: 4_100, by: 3))
        try forest.fit(grid.selecting(rows: train), labels: train.map { labels[$0] }, classCount: 3, seed: 8)
        XCTAssertTrue(try checkAllPaths(forest, grid, "grid with infinities"))
        XCTAssertTrue(try checkAllPaths(forest, try rowsOnThresholds(forest), "rows on thresholds"))
    }

    /// Boosting's whole-matrix helper goes node by node too: same sums as the lockstep walk,
    /// over several blocks and a partial one.
    func testAddLeafValuesMatchesTheLockstepWalk() throws {
        var generator = SeededGenerator(seed: 7)
        let rows = 9_000
        let values = (0..<(rows * 3)).map { _ in generator.nextDouble() * 10 - 5 }
        var labels: [Int] = []
        for r in 0..<rows {
            let sum: Double = values[r * 3] + values[r * 3 + 1]
            labels.append(sum > 0 ? (values[r * 3 + 2] > 1 ? 2 : 1) : 0)
        }
        let x = try FeatureMatrix(rows: rows, columns: 3, values: values)
        let builder = TreeBuilder(features: RankedFeatures(x, imputer: MedianImputer(fitting: x)), labels: labels, classCount: 3,
                                  maxDepth: 12, minSamplesLeaf: 1, maxFeatures: 3)
        var treeGenerator = SeededGenerator(seed: 1)
        let tree = try builder.build(weights: [Double](repeating: 1, count: rows), generator: &treeGenerator)
        var partitioned = [Double](repeating: 0.5, count: rows * 3)
        tree.addLeafValues(x, into: &partitioned)
        var lockstep = [Double](repeating: 0.5, count: rows * 3)
        x.values.withUnsafeBufferPointer { v in
            lockstep.withUnsafeMutableBufferPointer { tree.accumulate(rows: v, rowCount: rows, columns: 3, into: $0) }
        }
        XCTAssertEqual(partitioned, lockstep)
        XCTAssertGreaterThan(tree.nodeCount, 50)
    }
}
