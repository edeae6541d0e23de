import XCTest
@testable import AstrolabeLearn

/// A confusion matrix worked by hand (and checked with scikit-learn 1.9.1's
/// `precision_recall_fscore_support(zero_division=0)` on the same lists):
///
///     truth     0 0 0 0 1 1 2 2 2 2
///     predicted 0 0 0 1 1 2 2 2 0 1
///
///     counts[t][p]   p=0 p=1 p=2 p=3        precision      recall        F1 = 2TP/(2TP+FP+FN)
///       t=0           3   1   0   0         3/4            3/4           6/8  = 0.75
///       t=1           0   1   1   0         1/3            1/2           2/5  = 0.4
///       t=2           1   1   2   0         2/3            2/4           4/7
///       t=3           0   0   0   0         0 (undefined)  0             0
///
/// accuracy = 6/10. Class 3 is declared but never used, so macro averages run over classes 0–2:
/// macro P = (3/4 + 1/3 + 2/3)/3 = 0.58333, macro R = (3/4 + 1/2 + 1/2)/3 = 0.58333,
/// macro F1 = (0.75 + 0.4 + 4/7)/3 = 0.5738095; weighted by support (4, 2, 4):
/// P = (3 + 2/3 + 8/3)/10 = 0.63333, R = 0.6, F1 = (3 + 0.8 + 16/7)/10 = 0.6085714.
final class ConfusionMatrixTests: XCTestCase {
    let truth = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2]
    let predicted = [0, 0, 0, 1, 1, 2, 2, 2, 0, 1]

    func testHandComputedMatrix() throws {
        let m = try ConfusionMatrix(truth: truth, predicted: predicted, classCount: 4)
        XCTAssertEqual(m.counts, [[3, 1, 0, 0], [0, 1, 1, 0], [1, 1, 2, 0], [0, 0, 0, 0]])
        XCTAssertEqual(m.total, 10)
        XCTAssertEqual(m.accuracy, 0.6, accuracy: 1e-12)
        XCTAssertEqual((0..<4).map(m.support), [4, 2, 4, 0])
        let expectedPrecision = [0.75, 1.0 / 3, 2.0 / 3, 0]
        let expectedRecall = [0.75, 0.5, 0.5, 0]
        let expectedF1 = [0.75, 0.4, 4.0 / 7, 0]
        for c in 0..<4 {
            XCTAssertEqual(m.precision(c), expectedPrecision[c], accuracy: 1e-12)
            XCTAssertEqual(m.recall(c), expectedRecall[c], accuracy: 1e-12)
            XCTAssertEqual(m.f1(c), expectedF1[c], accuracy: 1e-12)
        }
        XCTAssertEqual(m.classesPresent, [0, 1, 2])
        XCTAssertEqual(m.macroPrecision, 0.5833333333333334, accuracy: 1e-12)
        XCTAssertEqual(m.macroRecall, 0.5833333333333334, accuracy: 1e-12)
        XCTAssertEqual(m.macroF1, 0.5738095238095238, accuracy: 1e-12)
        XCTAssertEqual(m.weightedPrecision, 0.6333333333333333, accuracy: 1e-12)
        XCTAssertEqual(m.weightedRecall, 0.6, accuracy: 1e-12)
        XCTAssertEqual(m.weightedF1, 0.6085714285714285, accuracy: 1e-12)
    }

    func testBadInputThrowsAndEmptyInputIsZero() throws {
        XCTAssertThrowsError(try ConfusionMatrix(truth: [0, 1], predicted: [0], classCount: 2))
        XCTAssertThrowsError(try ConfusionMatrix(truth: [0, 2], predicted: [0, 1], classCount: 2))
        XCTAssertThrowsError(try ConfusionMatrix(truth: [0, 1], predicted: [0, -1], classCount: 2))
        XCTAssertThrowsError(try ConfusionMatrix(truth: [], predicted: [], classCount: 0))
        let empty = try ConfusionMatrix(truth: [], predicted: [], classCount: 2)
        XCTAssertEqual(empty.accuracy, 0)
        XCTAssertEqual(empty.macroF1, 0)
        XCTAssertEqual(empty.weightedF1, 0)
        XCTAssertEqual(empty.precision(5), 0)  // out-of-range class: 0, not a crash
    }

    func testFromCountsEqualsFromPairs() throws {
        // truth 0,0,1,1,1 predicted 0,1,1,1,0 → [[1, 1], [1, 2]]
        let fromPairs = try ConfusionMatrix(truth: [0, 0, 1, 1, 1], predicted: [0, 1, 1, 1, 0], classCount: 2)
        XCTAssertEqual(try ConfusionMatrix(counts: [[1, 1], [1, 2]]), fromPairs)
        XCTAssertThrowsError(try ConfusionMatrix(counts: [[1, 1], [1]]))
        XCTAssertThrowsError(try ConfusionMatrix(counts: [[1, -1], [1, 2]]))
        XCTAssertThrowsError(try ConfusionMatrix(counts: []))
    }
}
