import Foundation
import XCTest
@testable import AstrolabeLearn

/// Confident learning against cleanlab 2.9.0 on the same out-of-fold probabilities
/// (Fixtures/make_label_issues.py): four seeded synthetic sets of 2 to 5 classes with 8–30% of
/// labels flipped, probabilities from scikit-learn's cross_val_predict.
final class LabelIssuesTests: XCTestCase {
    struct Case: Decodable {
        var name: String
        var classes: Int
        var labels: [Int]
        var probabilities: [Double]
        var flagged: [Int]
        var quality: [Double]
        var thresholds: [Double]
        var confident_joint: [[Int]]
        var flipped: [Int]
    }

    struct Fixture: Decodable { var cases: [Case] }

    static let cases = Result { try AgreementTests.fixture("label_issues.json", as: Fixture.self).cases }

    func testFlaggedRowsEqualFindLabelIssues() throws {
        for c in try Self.cases.get() {
            let issues = try findLabelIssues(labels: c.labels, probabilities: c.probabilities, classCount: c.classes)
            let flagged = issues.flagged.indices.filter { issues.flagged[$0] }
            XCTAssertEqual(flagged, c.flagged, c.name)
            XCTAssertFalse(flagged.isEmpty, c.name)
        }
    }

    func testQualityEqualsSelfConfidence() throws {
        for c in try Self.cases.get() {
            let issues = try findLabelIssues(labels: c.labels, probabilities: c.probabilities, classCount: c.classes)
            XCTAssertEqual(issues.quality.count, c.quality.count)
            let worst = zip(issues.quality, c.quality).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-12, c.name)
        }
    }

    func testThresholdsAndConfidentJointEqualCleanlab() throws {
        for c in try Self.cases.get() {
            let issues = try findLabelIssues(labels: c.labels, probabilities: c.probabilities, classCount: c.classes)
            XCTAssertEqual(issues.confidentJoint, c.confident_joint, c.name)
            for (mine, theirs) in zip(issues.thresholds, c.thresholds) { XCTAssertEqual(mine, theirs, accuracy: 1e-12, c.name) }
        }
    }

    /// The suggested label of a flagged row is its most probable class, never the given one.
    func testSuggestionIsTheArgmax() throws {
        for c in try Self.cases.get() {
            let issues = try findLabelIssues(labels: c.labels, probabilities: c.probabilities, classCount: c.classes)
            let k = c.classes
            for i in c.labels.indices {
                let row = Array(c.probabilities[(i * k)..<(i * k + k)])
                XCTAssertEqual(issues.suggested[i], row.firstIndex(of: row.max() ?? 0))
                if issues.flagged[i] { XCTAssertNotEqual(issues.suggested[i], c.labels[i], c.name) }
            }
        }
    }

    func testNumpyPairwiseSumMatchesPlainSumOnSmallArrays() {
        let values = (0..<5).map { Double($0) * 0.1 }
        XCTAssertEqual(values.withUnsafeBufferPointer { numpySum($0) }, values.reduce(0, +))
        let many = (0..<1000).map { 1.0 / Double($0 + 1) }
        XCTAssertEqual(many.withUnsafeBufferPointer { numpySum($0) }, many.reduce(0, +), accuracy: 1e-12)
    }

    func testRoundPreservingSumKeepsTheTotal() {
        // cleanlab.internal.util.round_preserving_sum gives [0, 0, 1, 2] and [2, 3].
        XCTAssertEqual(roundPreservingSum([0.4, 0.4, 0.4, 1.8]), [0, 0, 1, 2])
        XCTAssertEqual(roundPreservingSum([2.5, 2.5]), [2, 3])
    }

    /// The selection picks the same set as a full stable sort, ties included.
    func testLargestEqualsAStableSortsPrefix() {
        var generator = SeededGenerator(seed: 5)
        for n in [1, 2, 3, 10, 100, 1000] {
            let values = (0..<n).map { _ in Double(generator.nextInt(below: 7)) / 7 }
            let sorted = values.indices.sorted { (-values[$0], $0) < (-values[$1], $1) }
            for count in [0, 1, n / 3, n / 2, n - 1, n] where count >= 0 {
                XCTAssertEqual(Set(largest(values, count: count)), Set(sorted.prefix(count)), "n \(n) count \(count)")
            }
        }
    }

    func testBadInputIsAnError() {
        XCTAssertThrowsError(try findLabelIssues(labels: [0, 1], probabilities: [1, 0, 0], classCount: 2))
        XCTAssertThrowsError(try findLabelIssues(labels: [0, 2], probabilities: [1, 0, 0, 1], classCount: 2))
        XCTAssertThrowsError(try findLabelIssues(labels: [0], probabilities: [1], classCount: 1))
        XCTAssertThrowsError(try findLabelIssues(labels: [0, 1], probabilities: [1, 0, .nan, 1], classCount: 2))
    }
}

/// Stratified folds and out-of-fold probabilities.
final class OutOfFoldTests: XCTestCase {
    func testFoldsAreStratifiedBalancedAndSeeded() {
        let labels = (0..<103).map { $0 % 3 == 0 ? 1 : 0 } + [2, 2, 2, 2, 2]
        let folds = stratifiedFolds(labels: labels, folds: 5, seed: 7)
        XCTAssertEqual(folds, stratifiedFolds(labels: labels, folds: 5, seed: 7))
        XCTAssertNotEqual(folds, stratifiedFolds(labels: labels, folds: 5, seed: 8))
        let sizes = (0..<5).map { f in folds.filter { $0 == f }.count }
        XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1)
        for c in 0..<3 {
            let perFold = (0..<5).map { f in labels.indices.filter { labels[$0] == c && folds[$0] == f }.count }
            XCTAssertLessThanOrEqual((perFold.max() ?? 0) - (perFold.min() ?? 0), 1, "class \(c)")
        }
    }

    /// No row is predicted by a model that saw it: a 1-nearest-neighbour model would otherwise give
    /// every row its own label with probability 1.
    func testEveryRowIsPredictedOutOfFold() throws {
        let iris = try LabelledDataset.load("iris")
        let p = try outOfFoldProbabilities(x: iris.features, labels: iris.labels, classCount: 3, folds: 5, seed: 3) {
            KNearestNeighbors(k: 1)
        }
        XCTAssertEqual(p.count, iris.features.rows * 3)
        let wrong = iris.labels.indices.filter { p[$0 * 3 + iris.labels[$0]] < 0.5 }.count
        XCTAssertGreaterThan(wrong, 0, "some iris rows are misclassified out of fold")
        XCTAssertLessThan(wrong, 20)
    }
}
