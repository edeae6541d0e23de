import Foundation
import XCTest
@testable import AstrolabeLearn

/// Stopping rules against small-text 1.4.1: Fixtures/stopping.json is written by
/// Fixtures/make_stopping.py, which feeds `KappaAverage`, `OverallUncertainty` and
/// `ClassificationChange` converging prediction sequences over a fixed stopping set and records
/// each criterion's decision after every fit.
final class StoppingRuleTests: XCTestCase {
    struct Fixture: Decodable {
        struct Decision: Decodable { var rule: String; var threshold: Double; var window: Int; var stop: [Bool] }
        struct Case: Decodable {
            var classes: Int
            var predictions: [[Int]]
            var probabilities: [[Double]]
            var decisions: [Decision]
        }
        var cases: [Case]
    }

    func testDecisionsEqualSmallText() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/stopping.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertEqual(fixture.cases.count, 8)
        var stops = 0, continues = 0
        for (n, case_) in fixture.cases.enumerated() {
            let steps = stoppingSteps(labels: Array(case_.predictions.indices), predictions: case_.predictions,
                                      probabilities: case_.probabilities, classCount: case_.classes)
            for decision in case_.decisions {
                let rule: StoppingRule = switch decision.rule {
                case "kappa": .kappa(threshold: decision.threshold, window: decision.window)
                case "uncertainty": .uncertainty(threshold: decision.threshold)
                default: .change(threshold: decision.threshold)
                }
                XCTAssertEqual(rule.decisions(steps), decision.stop, "case \(n), \(rule.summary)")
                stops += decision.stop.filter { $0 }.count
                continues += decision.stop.filter { !$0 }.count
            }
        }
        // The fixture exercises both answers of every rule.
        XCTAssertGreaterThan(stops, 100)
        XCTAssertGreaterThan(continues, 100)
    }

    func testBudgetAndFirstStop() {
        let steps = [10, 20, 30, 40].map { StoppingStep(labels: $0) }
        XCTAssertEqual(StoppingRule.budget(labels: 30).decisions(steps), [false, false, true, true])
        XCTAssertEqual(StoppingRule.budget(labels: 30).firstStop(steps), 2)
        XCTAssertNil(StoppingRule.budget(labels: 50).firstStop(steps))
    }

    func testNormalizedEntropy() throws {
        // Uniform rows are 1, certain rows 0; unnormalised rows are normalised first (as scipy's entropy).
        XCTAssertEqual(try XCTUnwrap(StoppingSignals.meanNormalizedEntropy(probabilities: [0.5, 0.5, 1, 0], classCount: 2)),
                       0.5, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(StoppingSignals.meanNormalizedEntropy(probabilities: [2, 2, 2], classCount: 3)),
                       1, accuracy: 1e-15)
        XCTAssertNil(StoppingSignals.meanNormalizedEntropy(probabilities: [], classCount: 3))
    }
}
