import Foundation
import XCTest
@testable import AstrolabeLearn

/// Scores and calibration against scikit-learn: Fixtures/probability_metrics.json is written by
/// Fixtures/make_probability_metrics.py (scikit-learn 1.9.1) from a scikit-learn forest's held-out
/// probabilities on three bundled data sets, which the fixture carries as inputs.
final class ProbabilityMetricsTests: XCTestCase {
    struct Case: Decodable {
        var dataset: String
        var classes: Int
        var calibration_probabilities: [Double], calibration_truth: [Int]
        var test_probabilities: [Double], test_truth: [Int]
        var balanced_accuracy: Double, macro_recall: Double, matthews: Double
        var average_precision: [Double]
        var brier: Double
        var curve_true: [Double], curve_predicted: [Double]
        var ece: Double
        var isotonic_test: [Double], sigmoid_test: [Double]
        var platt_exact: [[Double]]
        var isotonic_first_column: [Double]
    }
    struct Fixture: Decodable { var cases: [Case] }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/probability_metrics.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).cases
    }

    func testScoresEqualSklearnMetrics() throws {
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 3)
        for c in cases {
            let predicted = argmaxRows(c.test_probabilities, classCount: c.classes)
            let matrix = try ConfusionMatrix(truth: c.test_truth, predicted: predicted, classCount: c.classes)
            XCTAssertEqual(ProbabilityMetrics.balancedAccuracy(matrix), c.balanced_accuracy, accuracy: 1e-12, c.dataset)
            XCTAssertEqual(matrix.macroRecall, c.macro_recall, accuracy: 1e-12, c.dataset)
            XCTAssertEqual(ProbabilityMetrics.matthews(matrix), c.matthews, accuracy: 1e-12, c.dataset)
            for k in 0..<c.classes {
                let ap = ProbabilityMetrics.averagePrecision(truth: c.test_truth, probabilities: c.test_probabilities, classCount: c.classes, of: k)
                XCTAssertEqual(ap ?? .nan, c.average_precision[k], accuracy: 1e-12, "\(c.dataset) class \(k)")
            }
            XCTAssertEqual(ProbabilityMetrics.brier(truth: c.test_truth, probabilities: c.test_probabilities, classCount: c.classes),
                           c.brier, accuracy: 1e-12, c.dataset)
            XCTAssertEqual(ProbabilityMetrics.expectedCalibrationError(truth: c.test_truth, probabilities: c.test_probabilities,
                                                                       classCount: c.classes), c.ece, accuracy: 1e-12, c.dataset)
        }
    }

    func testReliabilityCurveEqualsCalibrationCurve() throws {
        for c in try Self.cases() {
            let predicted = argmaxRows(c.test_probabilities, classCount: c.classes)
            let confidence = predicted.indices.map { c.test_probabilities[$0 * c.classes + predicted[$0]] }
            let curve = ProbabilityMetrics.reliabilityCurve(positive: predicted.indices.map { predicted[$0] == c.test_truth[$0] },
                                                            predicted: confidence, bins: 10)
            XCTAssertEqual(curve.map(\.fractionPositive).count, c.curve_true.count, c.dataset)
            for (bin, (t, p)) in zip(curve, zip(c.curve_true, c.curve_predicted)) {
                XCTAssertEqual(bin.fractionPositive, t, accuracy: 1e-12, c.dataset)
                XCTAssertEqual(bin.meanPredicted, p, accuracy: 1e-12, c.dataset)
            }
            XCTAssertEqual(curve.reduce(0) { $0 + $1.count }, c.test_truth.count)
        }
    }

    func testIsotonicCalibrationEqualsCalibratedClassifierCV() throws {
        for c in try Self.cases() {
            let calibrator = try ProbabilityCalibrator(method: .isotonic, probabilities: c.calibration_probabilities,
                                                       truth: c.calibration_truth, classCount: c.classes)
            let ours = calibrator.calibrate(c.test_probabilities)
            XCTAssertEqual(ours.count, c.isotonic_test.count)
            for (a, b) in zip(ours, c.isotonic_test) { XCTAssertEqual(a, b, accuracy: 1e-9, c.dataset) }
            let first = c.classes == 2 ? 1 : 0
            let iso = IsotonicRegression(x: c.calibration_truth.indices.map { c.calibration_probabilities[$0 * c.classes + first] },
                                         y: c.calibration_truth.map { $0 == first ? 1 : 0 })
            for (r, expected) in c.isotonic_first_column.enumerated() {
                XCTAssertEqual(iso.predict(c.test_probabilities[r * c.classes + first]), expected, accuracy: 1e-12, c.dataset)
            }
        }
    }

    func testSigmoidCalibrationEqualsPlattAndCalibratedClassifierCV() throws {
        for c in try Self.cases() {
            let calibrator = try ProbabilityCalibrator(method: .sigmoid, probabilities: c.calibration_probabilities,
                                                       truth: c.calibration_truth, classCount: c.classes)
            XCTAssertEqual(calibrator.sigmoid.count, c.platt_exact.count)
            for (map, exact) in zip(calibrator.sigmoid, c.platt_exact) {
                XCTAssertEqual(map.a, exact[0], accuracy: 1e-9 * max(1, abs(exact[0])), c.dataset)
                XCTAssertEqual(map.b, exact[1], accuracy: 1e-9 * max(1, abs(exact[1])), c.dataset)
            }
            // scikit-learn stops its optimiser at a gradient of 1e-6: equal to that precision.
            let ours = calibrator.calibrate(c.test_probabilities)
            for (a, b) in zip(ours, c.sigmoid_test) { XCTAssertEqual(a, b, accuracy: 1e-4, c.dataset) }
        }
    }
}
