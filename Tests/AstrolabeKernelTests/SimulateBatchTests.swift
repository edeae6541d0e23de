import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// `simulate ... batch=N`: N queries per iteration before refitting, curves over the number of labels.
final class SimulateBatchTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`,`sepal length (cm)`"

    /// The rows of the result table: strategy → cells.
    func rows(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("stopping rules") { break }  // the strategies' table ends there
            let cells = line.split(separator: " ").map(String.init)
            if let name = cells.first, StrategyKind.named(name) != nil {
                result[name] = cells
            }
        }
        return result
    }

    func testBatchOfOneIsTheDefaultAndBatchesAreDeterministic() throws {
        let s = try session()
        ok(s, "model m classifier=logistic \(features)")
        let plain = ok(s, "simulate m budget=20 repeats=2 strategies=random,margin")
        XCTAssertEqual(ok(s, "simulate m budget=20 repeats=2 batch=1 strategies=random,margin"), plain)
        let line = "simulate m budget=26 repeats=2 batch=5 strategies=random,margin,entropy,ranked-batch,k-center to=batch.png"
        let first = ok(s, line)
        XCTAssertTrue(first.contains("6 → 26 labels in batches of 5"), first)
        let other = try session()
        ok(other, "model m classifier=logistic \(features)")
        XCTAssertEqual(ok(other, line), first)
        XCTAssertEqual(rows(first).count, 5, first)
        // Curves end at the budget: acc@end is the accuracy after the last batch, a fraction of the test rows.
        for (_, cells) in rows(first) { XCTAssertNotNil(Double(cells[4]), "\(cells)") }
        let png = try Data(contentsOf: directory.appendingPathComponent("batch.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertNotNil(s.execute("simulate m batch=0").error)
        let error = try XCTUnwrap(s.execute("simulate m batchs=2").error)
        XCTAssertEqual(error.suggestion, "batch")
    }

    /// One batch from 6 to 10 labels: a curve of two points, whose area (trapezoid over the label
    /// counts, divided by the width) is the mean of its ends. (Which rows a batch takes is checked
    /// against a hand-written loop in LearningCurveBatchTests.)
    func testOneBatchGivesATwoPointCurve() throws {
        let s = try session()
        ok(s, "model m classifier=logistic test=0.25 \(features)")
        let text = ok(s, "simulate m budget=10 batch=4 repeats=1 strategies=margin")
        XCTAssertTrue(text.contains("6 → 10 labels in batches of 4"), text)
        let cells = try XCTUnwrap(rows(text)["margin"])
        // Two points (6 and 10 labels): AUBC is their mean.
        let start = try XCTUnwrap(Double(cells[3])), end = try XCTUnwrap(Double(cells[4])), aubc = try XCTUnwrap(Double(cells[1]))
        XCTAssertEqual(aubc, (start + end) / 2, accuracy: 0.0011)
    }
}
