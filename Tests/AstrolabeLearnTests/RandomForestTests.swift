import AstrolabeData
import XCTest
@testable import AstrolabeLearn

final class RandomForestTests: XCTestCase {
    private func iris() throws -> LabelledDataset { try LabelledDataset.load("iris") }

    func testProbabilitiesAreRowsThatSumToOne() throws {
        let data = try iris()
        var forest = RandomForest(trees: 30)
        try forest.fit(data.features, labels: data.labels, classCount: 3, seed: 1)
        let p = try forest.predictProbabilities(data.features)
        XCTAssertEqual(p.count, 150 * 3)
        for r in 0..<150 {
            let row = p[(r * 3)..<(r * 3 + 3)]
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12)
            XCTAssertTrue(row.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        XCTAssertEqual(try forest.predict(data.features).count, 150)
    }

    func testSameSeedSameModelDifferentSeedDifferentModel() throws {
        let data = try iris()
        var a = RandomForest(trees: 20), b = RandomForest(trees: 20), c = RandomForest(trees: 20)
        try a.fit(data.features, labels: data.labels, classCount: 3, seed: 11)
        try b.fit(data.features, labels: data.labels, classCount: 3, seed: 11)
        try c.fit(data.features, labels: data.labels, classCount: 3, seed: 12)
        let pa = try a.predictProbabilities(data.features)
        XCTAssertEqual(pa, try b.predictProbabilities(data.features))
        XCTAssertNotEqual(pa, try c.predictProbabilities(data.features))
    }

    /// Fitting and predicting on one thread or several gives bit-identical probabilities: each tree
    /// has its own seed stream and each row sums its trees in the same order.
    func testResultsDoNotDependOnThreadCount() throws {
        let data = try LabelledDataset.load("breast_cancer")
        var results = [[Double]]()
        for workers in [1, 2, 5] {
            var forest = RandomForest(trees: 25)
            forest.workerCount = workers
            try forest.fit(data.features, labels: data.labels, classCount: 2, seed: 99)
            results.append(try forest.predictProbabilities(data.features))
        }
        XCTAssertEqual(results[0], results[1])
        XCTAssertEqual(results[0], results[2])
        // A model fitted on one thread predicts the same on many (prediction blocks of 256 rows).
        var serial = RandomForest(trees: 25)
        serial.workerCount = 1
        try serial.fit(data.features, labels: data.labels, classCount: 2, seed: 99)
        serial.workerCount = 4
        XCTAssertEqual(try serial.predictProbabilities(data.features), results[0])
    }

    func testClassesNeverSeenGetProbabilityZero() throws {
        let x = try FeatureMatrix(rows: [[0], [1], [2], [10], [11], [12]])
        var forest = RandomForest(trees: 10)
        try forest.fit(x, labels: [0, 0, 0, 3, 3, 3], classCount: 4, seed: 3)
        let p = try forest.predictProbabilities(x)
        for r in 0..<6 {
            XCTAssertEqual(p[r * 4 + 1], 0)
            XCTAssertEqual(p[r * 4 + 2], 0)
        }
        XCTAssertEqual(try forest.predict(x), [0, 0, 0, 3, 3, 3])
    }

    func testSingleClassPredictsItWithCertainty() throws {
        let x = try FeatureMatrix(rows: [[1, 2], [3, 4], [5, 6]])
        var forest = RandomForest(trees: 5)
        try forest.fit(x, labels: [2, 2, 2], classCount: 3, seed: 0)
        XCTAssertEqual(try forest.predictProbabilities(x), [0, 0, 1, 0, 0, 1, 0, 0, 1])
        XCTAssertEqual(forest.nodeCount, 5)  // one leaf per tree
    }

    func testBadInputThrowsInsteadOfCrashing() throws {
        var forest = RandomForest(trees: 3)
        let empty = try FeatureMatrix(rows: 0, columns: 2, values: [])
        XCTAssertThrowsError(try forest.fit(empty, labels: [], classCount: 2, seed: 0))
        let x = try FeatureMatrix(rows: [[1], [2]])
        XCTAssertThrowsError(try forest.predictProbabilities(x))  // not fitted
        XCTAssertThrowsError(try forest.fit(x, labels: [0], classCount: 2, seed: 0))
        XCTAssertThrowsError(try forest.fit(x, labels: [0, 2], classCount: 2, seed: 0))
        XCTAssertThrowsError(try forest.fit(x, labels: [0, -1], classCount: 2, seed: 0))
        XCTAssertThrowsError(try forest.fit(x, labels: [0, 0], classCount: 0, seed: 0))
        let badSettings = [
            RandomForest(trees: 0), RandomForest(trees: RandomForest.maxTrees + 1), RandomForest(maxDepth: 0), RandomForest(minSamplesLeaf: 0),
            RandomForest(maxFeatures: .count(0)), RandomForest(maxFeatures: .fraction(1.5)),
        ]
        for var bad in badSettings {
            XCTAssertThrowsError(try bad.fit(x, labels: [0, 1], classCount: 2, seed: 0))
        }
        XCTAssertFalse(forest.isFitted)

        // Extreme but legal settings must not overflow: a leaf that needs Int.max samples means
        // every tree is a single leaf giving the class shares.
        var prior = RandomForest(trees: 1, minSamplesLeaf: Int.max, maxFeatures: .count(Int.max),
                                 bootstrap: false)
        try prior.fit(x, labels: [0, 1], classCount: 2, seed: 0)
        XCTAssertEqual(try prior.predictProbabilities(x), [0.5, 0.5, 0.5, 0.5])

        try forest.fit(x, labels: [0, 1], classCount: 2, seed: 0)
        XCTAssertThrowsError(try forest.predictProbabilities(try FeatureMatrix(rows: [[1, 2]])))
        XCTAssertEqual(try forest.predictProbabilities(try FeatureMatrix(rows: 0, columns: 1, values: [])), [])
        // A failed refit leaves the fitted model as it was.
        XCTAssertThrowsError(try forest.fit(x, labels: [0, 5], classCount: 2, seed: 0))
        XCTAssertEqual(forest.featureCount, 1)
        XCTAssertTrue(forest.isFitted)
    }

    /// Missing values take the training median. Hand check with one unbootstrapped tree: the
    /// non-missing values 0 1 2 10 11 12 have median (2 + 10) / 2 = 6, so the NaN row (class 1)
    /// sits at 6 and the best split is the midpoint of 2 and 6, i.e. x ≤ 4 → class 0.
    func testMissingValuesAreImputedWithTheTrainingMedian() throws {
        let x = try FeatureMatrix(rows: [[0], [1], [2], [.nan], [10], [11], [12]])
        var tree = RandomForest(trees: 1, maxFeatures: .all, bootstrap: false)
        try tree.fit(x, labels: [0, 0, 0, 1, 1, 1, 1], classCount: 2, seed: 0)
        let probe = try FeatureMatrix(rows: [[.nan], [3.99], [4], [4.01], [5]])
        XCTAssertEqual(try tree.predict(probe), [1, 0, 0, 1, 1])

        // A feature missing everywhere is imputed with 0 and simply never splits.
        let holes = try FeatureMatrix(rows: [[.nan, 0], [.nan, 1], [.nan, 2], [.nan, 3]])
        var forest = RandomForest(trees: 10)
        try forest.fit(holes, labels: [0, 0, 1, 1], classCount: 2, seed: 4)
        XCTAssertEqual(try forest.predict(holes), [0, 0, 1, 1])
    }

    func testMedianMatchesNumpy() {
        var odd = [3.0, 1, 2], even = [4.0, 1, 3, 2], none = [Double]()
        XCTAssertEqual(MedianImputer.median(of: &odd), 2)
        XCTAssertEqual(MedianImputer.median(of: &even), 2.5)  // numpy.median([4, 1, 3, 2])
        XCTAssertEqual(MedianImputer.median(of: &none), 0)
    }

    func testInfinitiesAndTinyScalesSplitCorrectly() throws {
        let infinite = try FeatureMatrix(rows: [[-.infinity], [0], [1], [.infinity]])
        var tree = RandomForest(trees: 1, maxFeatures: .all, bootstrap: false)
        try tree.fit(infinite, labels: [0, 1, 0, 1], classCount: 2, seed: 0)
        XCTAssertEqual(try tree.predict(infinite), [0, 1, 0, 1])

        // Gamma-ray fluxes are ~1e-12; scikit-learn would treat these as equal (1e-7 tolerance).
        let tiny = try FeatureMatrix(rows: [[1e-12], [2e-12], [3e-12], [4e-12]])
        try tree.fit(tiny, labels: [0, 0, 1, 1], classCount: 2, seed: 0)
        XCTAssertEqual(try tree.predict(tiny), [0, 0, 1, 1])
        XCTAssertEqual(try tree.predict(try FeatureMatrix(rows: [[2.4e-12], [2.6e-12]])), [0, 1])
    }

    func testDepthAndLeafSizeLimits() throws {
        let data = try iris()
        var stumps = RandomForest(trees: 10, maxDepth: 1)
        try stumps.fit(data.features, labels: data.labels, classCount: 3, seed: 5)
        XCTAssertLessThanOrEqual(stumps.nodeCount, 30)

        var coarse = RandomForest(trees: 1, minSamplesLeaf: 40, maxFeatures: .all, bootstrap: false)
        try coarse.fit(data.features, labels: data.labels, classCount: 3, seed: 5)
        // 150 rows with ≥ 40 per leaf: at most 3 leaves, so at most 5 nodes.
        XCTAssertLessThanOrEqual(coarse.nodeCount, 5)
        XCTAssertGreaterThan(coarse.nodeCount, 1)
    }

    func testFittingCanBeInterrupted() throws {
        let data = try iris()
        Cancellation.request()
        defer { Cancellation.reset() }
        var forest = RandomForest(trees: 10)
        XCTAssertThrowsError(try forest.fit(data.features, labels: data.labels, classCount: 3, seed: 0)) {
            XCTAssertTrue($0 is Cancelled)
        }
        XCTAssertFalse(forest.isFitted)
    }

    func testMaxFeaturesResolvesLikeScikitLearn() throws {
        XCTAssertEqual(try MaxFeatures.sqrt.resolved(features: 30), 5)   // int(sqrt(30))
        XCTAssertEqual(try MaxFeatures.log2.resolved(features: 30), 4)   // int(log2(30))
        XCTAssertEqual(try MaxFeatures.sqrt.resolved(features: 1), 1)
        XCTAssertEqual(try MaxFeatures.all.resolved(features: 7), 7)
        XCTAssertEqual(try MaxFeatures.count(50).resolved(features: 7), 7)
        XCTAssertEqual(try MaxFeatures.fraction(0.5).resolved(features: 7), 3)
    }

    func testPredictBreaksTiesTowardsLowerClass() {
        XCTAssertEqual(argmaxRows([0.5, 0.5, 0.2, 0.2, 0.4, 0.4, 0.1, 0.3, 0.3], classCount: 3), [0, 1, 1])
    }
}
