import XCTest
@testable import AstrolabeLearn

/// Node-by-node (partitioned) forest prediction must give the very bits of the lockstep walk.
final class PartitionedPredictionTests: XCTestCase {
    func testSameProbabilitiesAsTheLockstepWalk() throws {
        // 5,000 rows of 3 overlapping Gaussian classes in 4 features (some NaN), trained on 300:
        // deep, lopsided trees, several prediction blocks, and a partial last block.
        var generator = SeededGenerator(seed: 42)
        func normal() -> Double {
            let u = max(generator.nextDouble(), 1e-12), v = generator.nextDouble()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        var values: [Double] = [], labels: [Int] = []
        for i in 0..<5_003 {
            let c = i % 3
            for f in 0..<4 { values.append(i % 97 == f ? .nan : normal() + Double(c) * (f == 0 ? 1.5 : 0.6)) }
            labels.append(c)
        }
        let all = try FeatureMatrix(rows: 5_003, columns: 4, values: values)
        let train = Array(stride(from: 0, to: 5_003, by: 17))
        for trees in [1, 30] {
            var forest = RandomForest(trees: trees)
            try forest.fit(all.selecting(rows: train), labels: train.map { labels[$0] }, classCount: 3, seed: 5)
            forest.predictionPath = .lockstep
            let lockstep = try forest.predictProbabilities(all)
            forest.predictionPath = .partitioned
            for workers in [1, 2] {
                forest.workerCount = workers
                let partitioned = try forest.predictProbabilities(all)
                XCTAssertEqual(partitioned.count, lockstep.count)
                let differing = zip(partitioned, lockstep).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                XCTAssertEqual(differing, 0, "\(trees) trees, \(workers) workers")
            }
        }
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
