import Foundation
import XCTest
@testable import AstrolabeLearn

/// Class weights against scikit-learn: Fixtures/class_weights.json is written by
/// Fixtures/make_class_weights.py (scikit-learn 1.9.1) — `compute_class_weight`,
/// `compute_sample_weight(indices=)` for balanced_subsample, and the test-row probabilities of
/// `DecisionTreeClassifier(class_weight=)` (exact) and `LogisticRegression(class_weight=)`.
final class ClassWeightingTests: XCTestCase {
    struct Case: Decodable {
        var dataset: String
        var train_rows: [Int]
        var weighting: Weighting
        var class_weights: [Double]
        var tree_probabilities: [Double]
        var tree_depth: Int
        var logistic_probabilities: [Double]
        var bootstrap_indices: [Int]
        var subsample_weights: [Double]
    }
    enum Weighting: Decodable {
        case named(String), table([String: Double])
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let name = try? container.decode(String.self) { self = .named(name) } else { self = .table(try container.decode([String: Double].self)) }
        }
        var value: ClassWeighting {
            switch self {
            case .named: return .balanced
            case .table(let table): return .explicit(Dictionary(uniqueKeysWithValues: table.map { (Int($0.key) ?? -1, $0.value) }))
            }
        }
    }
    struct Fixture: Decodable { var cases: [Case] }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/class_weights.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
    }

    struct Split { var train: FeatureMatrix, labels: [Int], test: FeatureMatrix, classCount: Int }

    static func split(_ c: Case) throws -> Split {
        let data = try LabelledDataset.load(c.dataset)
        let testRows = data.labels.indices.filter { $0 % 4 == 1 }
        return Split(train: try data.features.selecting(rows: c.train_rows), labels: c.train_rows.map { data.labels[$0] },
                     test: try data.features.selecting(rows: testRows), classCount: data.classNames.count)
    }

    func testClassWeightsEqualComputeClassWeight() throws {
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 6)
        for c in cases {
            let data = try Self.split(c)
            let ours = c.weighting.value.classWeights(labels: data.labels, classCount: data.classCount)
            XCTAssertEqual(ours.count, c.class_weights.count, c.dataset)
            for (a, b) in zip(ours, c.class_weights) { XCTAssertEqual(a, b, accuracy: 1e-15 * max(1, b), c.dataset) }
        }
    }

    func testBalancedSubsampleEqualsComputeSampleWeightWithIndices() throws {
        for c in try Self.cases() {
            let data = try Self.split(c)
            var counts = [Double](repeating: 0, count: data.labels.count)
            for i in c.bootstrap_indices { counts[i] += 1 }
            let weights = ClassWeighting.balanced.classWeights(labels: data.labels, classCount: data.classCount, counts: counts)
            let drawn = Set(c.bootstrap_indices.map { data.labels[$0] })
            for (row, label) in data.labels.enumerated() {
                // scikit-learn gives every row its class's weight in the bootstrap, 0 for a class it never drew.
                let expected = c.subsample_weights[row]
                if drawn.contains(label) { XCTAssertEqual(weights[label], expected, accuracy: 1e-15 * max(1, expected), c.dataset) }
                else { XCTAssertEqual(expected, 0, c.dataset) }
            }
        }
    }

    func testWeightedSingleTreesEqualScikitLearn() throws {
        for c in try Self.cases() {
            let data = try Self.split(c)
            XCTAssertGreaterThanOrEqual(c.tree_depth, 1, c.dataset)
            var tree = DecisionTreeClassifier(maxDepth: c.tree_depth, classWeighting: c.weighting.value)
            try tree.fit(data.train, labels: data.labels, classCount: data.classCount, seed: 1)
            let p = try tree.predictProbabilities(data.test)
            XCTAssertEqual(p.count, c.tree_probabilities.count)
            for (a, b) in zip(p, c.tree_probabilities) { XCTAssertEqual(a, b, accuracy: 1e-12, "\(c.dataset) \(c.weighting)") }
        }
    }

    func testWeightedLogisticRegressionEqualsScikitLearn() throws {
        for c in try Self.cases() {
            let data = try Self.split(c)
            let scaler = FeatureScaler(.standard, fitting: data.train)
            var model = LogisticRegression(c: 1)
            model.classWeighting = c.weighting.value
            try model.fit(try scaler.transform(data.train), labels: data.labels, classCount: data.classCount, seed: 1)
            let p = try model.predictProbabilities(try scaler.transform(data.test))
            XCTAssertEqual(p.count, c.logistic_probabilities.count)
            for (a, b) in zip(p, c.logistic_probabilities) { XCTAssertEqual(a, b, accuracy: 1e-5, "\(c.dataset) \(c.weighting)") }
        }
    }

    func testBalancedSubsampleWeighsEachBootstrapAndBalancedWithoutOne() throws {
        let data = try LabelledDataset.load("breast_cancer")
        func fitted(_ weighting: ClassWeighting, bootstrap: Bool) throws -> [Double] {
            var forest = RandomForest(trees: 5, bootstrap: bootstrap)
            forest.classWeighting = weighting
            try forest.fit(data.features, labels: data.labels, classCount: 2, seed: 3)
            return try forest.predictProbabilities(data.features)
        }
        XCTAssertNotEqual(try fitted(.balancedSubsample, bootstrap: true), try fitted(.balanced, bootstrap: true))
        XCTAssertEqual(try fitted(.balancedSubsample, bootstrap: false), try fitted(.balanced, bootstrap: false))
        XCTAssertNotEqual(try fitted(.balanced, bootstrap: true), try fitted(.none, bootstrap: true))
    }
}
