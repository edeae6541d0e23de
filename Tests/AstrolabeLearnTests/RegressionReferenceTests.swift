import Foundation
import XCTest
@testable import AstrolabeLearn

/// The regressors against scikit-learn on the SDSS photo-z sample. The references are in
/// Fixtures/regression.json, written by Fixtures/make_regression.py (scikit-learn 1.9.1): features
/// rounded to 3 decimals and made float32 as scikit-learn's trees do, rows 0–599 to train and
/// 600–899 to test; the forest's quality over 10 seeds on 7,500 training and 2,500 test rows.
final class RegressionReferenceTests: XCTestCase {
    struct Fixture: Decodable {
        struct Tree: Decodable {
            var max_depth: Int?, min_samples_leaf: Int, columns: [Int], node_count: Int
            var train_predictions: [Double], test_predictions: [Double]
        }
        struct Metrics: Decodable {
            var truth: [Double], predicted: [Double]
            var rmse: Double, mae: Double, nmad: Double, outliers: Double, bias: Double, r2: Double
        }
        struct Spread: Decodable { var mean: Double, std: Double }
        struct Forest: Decodable { var train_rows: Int, trees: Int, rmse: Spread, nmad: Spread, mae: Spread, outliers: Spread }
        var X: [[Double]], y: [Double], train: [Int], test: [Int]
        var trees: [Tree], models: [String: [Double]], metrics: Metrics, forest: Forest
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/regression.json")
        // swiftlint:disable:next force_try
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// Rows of the fixture as scikit-learn's trees see them: float32.
    static func matrix(_ rows: [Int], columns: [Int] = [0, 1, 2, 3, 4]) throws -> FeatureMatrix {
        try FeatureMatrix(rows: rows.map { row in columns.map { Double(Float(fixture.X[row][$0])) } })
    }

    func assertClose(_ a: [Double], _ b: [Double], _ tolerance: Double, _ label: String) {
        XCTAssertEqual(a.count, b.count, label)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, label)
    }

    /// Same nodes and the same training partition for every tree; the same predictions on new rows
    /// wherever the thresholds cannot depend on the order features are tried in: a tree of one
    /// feature, or one too shallow for a node where two features cut the rows alike (depth 3).
    func testSingleTreesEqualScikitLearnsDecisionTreeRegressor() throws {
        let f = Self.fixture
        for reference in f.trees {
            let train = try Self.matrix(f.train, columns: reference.columns), test = try Self.matrix(f.test, columns: reference.columns)
            let label = "depth \(reference.max_depth.map(String.init) ?? "none") leaf \(reference.min_samples_leaf) features \(reference.columns)"
            var tree = RandomForestRegressor.singleTree(maxDepth: reference.max_depth, minSamplesLeaf: reference.min_samples_leaf)
            try tree.fit(train, targets: f.train.map { f.y[$0] }, seed: 3)
            XCTAssertEqual(tree.nodeCount, reference.node_count, label)
            assertClose(try tree.predict(train), reference.train_predictions, 1e-12, label + " train")
            if reference.columns.count == 1 || reference.max_depth == 3 {
                assertClose(try tree.predict(test), reference.test_predictions, 1e-12, label + " test")
            }
        }
    }

    func testDeterministicRegressorsGiveScikitLearnsPredictions() throws {
        let f = Self.fixture
        let train = try Self.matrix(f.train), test = try Self.matrix(f.test)
        let targets = f.train.map { f.y[$0] }
        let models: [(String, any Regressor)] = [("boosting", GradientBoostingRegressor()), ("knn", KNearestNeighborsRegressor(k: 5)),
                                                 ("linear", LinearRegression())]
        for (name, model) in models {
            var model = model
            try model.fit(train, targets: targets, seed: 1)
            // Boosting on every feature meets the same feature-order ties as deep trees (checked on one feature below).
            if name != "boosting" { assertClose(try model.predict(test), f.models[name] ?? [], name == "linear" ? 1e-9 : 1e-10, name) }
        }
        var boosting = GradientBoostingRegressor()
        try boosting.fit(try Self.matrix(f.train, columns: [1]), targets: targets, seed: 1)
        assertClose(try boosting.predict(try Self.matrix(f.test, columns: [1])), f.models["boosting-1"] ?? [], 1e-10, "boosting on g - r")
    }

    func testPhotoZMetricsEqualNumpy() {
        let m = Self.fixture.metrics
        let metrics = RegressionMetrics(truth: m.truth, predicted: m.predicted)
        XCTAssertEqual(metrics.rmse, m.rmse, accuracy: 1e-14)
        XCTAssertEqual(metrics.mae, m.mae, accuracy: 1e-14)
        XCTAssertEqual(metrics.nmad, m.nmad, accuracy: 1e-14)
        XCTAssertEqual(metrics.outlierFraction, m.outliers, accuracy: 1e-14)
        XCTAssertEqual(metrics.bias, m.bias, accuracy: 1e-14)
        XCTAssertEqual(metrics.r2, m.r2, accuracy: 1e-12)
        let outlying = RegressionMetrics(truth: [0.1, 0.2, 0.3, 1.0], predicted: [0.1, 0.5, 0.3, 1.0])
        XCTAssertEqual(outlying.outlierFraction, 0.25)
    }

    /// Forest quality equals scikit-learn's within noise: 3 seeds of 30 trees against scikit-learn's
    /// mean over 10 seeds (its seed-to-seed spread is ~0.2% of the RMSE).
    func testForestQualityMatchesRandomForestRegressor() throws {
        let f = Self.fixture
        let trainRows = Array(0..<f.forest.train_rows), testRows = Array(f.forest.train_rows..<f.y.count)
        let train = try Self.matrix(trainRows), test = try Self.matrix(testRows)
        var rmse: [Double] = [], nmad: [Double] = []
        for seed: UInt64 in [1, 2, 3] {
            var forest = RandomForestRegressor(trees: f.forest.trees)
            try forest.fit(train, targets: trainRows.map { f.y[$0] }, seed: seed)
            let metrics = RegressionMetrics(truth: testRows.map { f.y[$0] }, predicted: try forest.predict(test))
            rmse.append(metrics.rmse)
            nmad.append(metrics.nmad)
        }
        let meanRMSE = rmse.reduce(0, +) / 3, meanNMAD = nmad.reduce(0, +) / 3
        print("photo-z forest: Astrolabe RMSE \(meanRMSE) NMAD \(meanNMAD); scikit-learn RMSE \(f.forest.rmse.mean) ± \(f.forest.rmse.std) NMAD \(f.forest.nmad.mean) ± \(f.forest.nmad.std)")
        XCTAssertEqual(meanRMSE, f.forest.rmse.mean, accuracy: 0.01 * f.forest.rmse.mean)
        XCTAssertEqual(meanNMAD, f.forest.nmad.mean, accuracy: 0.03 * f.forest.nmad.mean)
    }

    func testForestMembersAverageToItsPrediction() throws {
        let f = Self.fixture
        let train = try Self.matrix(f.train), test = try Self.matrix(f.test)
        var forest = RandomForestRegressor(trees: 7)
        try forest.fit(train, targets: f.train.map { f.y[$0] }, seed: 5)
        let members = try XCTUnwrap(forest.memberPredictions(test))
        XCTAssertEqual(members.count, 7)
        let mean = (0..<test.rows).map { r in members.reduce(0) { $0 + $1[r] } / 7 }
        assertClose(try forest.predict(test), mean, 1e-12, "mean of members")
        var again = RandomForestRegressor(trees: 7)
        again.workerCount = 1
        try again.fit(train, targets: f.train.map { f.y[$0] }, seed: 5)
        XCTAssertEqual(try again.predict(test), try forest.predict(test), "independent of threads")
    }
}
