import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// Watching training: three-way splits, `score on=`, `history` and its stopping signals.
final class TrainingHistoryTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`,`sepal length (cm)`"

    func error(_ session: Session, _ line: String) throws -> Diagnostic {
        try XCTUnwrap(session.execute(line).error, "`\(line)` should fail")
    }

    /// Iris: 50 rows per class. split=0.6:0.2:0.2 → 10 test rows per class, then a quarter of the
    /// remaining 40 → 10 validation rows per class; initial=6 (2 per class) from the other 90.
    func testThreeWaySplit() throws {
        let s = try session()
        let out = ok(s, "model m trees=10 split=0.6:0.2:0.2 \(features)")
        XCTAssertTrue(out.contains("validation set: 30 rows; test set: 30 rows; pool: 84 rows"), out)
        let model = try XCTUnwrap(s.models["m"])
        XCTAssertTrue(Set(model.validationRows).isDisjoint(with: model.testRows))
        XCTAssertTrue(Set(model.validationRows).isDisjoint(with: model.trainingRows))
        XCTAssertTrue(Set(model.validationRows).isDisjoint(with: s.poolRows(model)))
        for c in 0..<3 {  // rows are ordered by class in iris.csv: 0-49, 50-99, 100-149
            XCTAssertEqual(model.validationRows.filter { $0 / 50 == c }.count, 10)
            XCTAssertEqual(model.testRows.filter { $0 / 50 == c }.count, 10)
        }
        // A validation row's answer is kept out of training like a test row's.
        let row = model.validationRows[0]
        XCTAssertTrue(ok(s, "teach \(row) setosa").contains("row is in its validation set, kept out of training"))
        XCTAssertEqual(s.models["m"]?.trainingRows.count, 6)
        // test= still works and gives no validation set.
        let plain = ok(s, "model p trees=10 test=0.2 \(features)")
        XCTAssertFalse(plain.contains("validation"), plain)
    }

    func testSplitErrors() throws {
        let s = try session()
        XCTAssertTrue(try error(s, "model m split=0.6:0.2 \(features)").message.contains("three ratios"))
        XCTAssertTrue(try error(s, "model m split=0.6:x:0.2 \(features)").message.contains("three ratios"))
        XCTAssertTrue(try error(s, "model m split=0.6:0.2:0.2 test=0.3 \(features)").message.contains("either test= or split="))
        XCTAssertTrue(try error(s, "model m split=0.05:0.5:0.5 \(features)").message.contains("at most 90%"))
        ok(s, "model m trees=10 \(features)")
        let noValidation = try error(s, "score m on=validation")
        XCTAssertTrue(noValidation.message.contains("has no validation set"), noValidation.message)
        XCTAssertEqual(try error(s, "history m on=valdation").suggestion, "validation")
        XCTAssertEqual(try error(s, "history m average=wieghted").suggestion, "weighted")
    }

    /// The history's last row is the current fit: it must agree with `score`, which predicts afresh.
    func testHistoryAgreesWithScoreAndGrowsPerFit() throws {
        let s = try session()
        ok(s, "model m trees=10 split=0.6:0.2:0.2 \(features)")
        var model = try XCTUnwrap(s.models["m"])
        let pool = s.poolRows(model)
        // Teach three pool rows, their catalogue class (iris rows are ordered by class).
        let names = ["setosa", "versicolor", "virginica"]
        for row in [pool[10], pool[40], pool[70]] { ok(s, "teach \(row) \(names[row / 50])") }
        model = try XCTUnwrap(s.models["m"])
        XCTAssertEqual(model.history.map(\.labels), [6, 7, 8, 9])
        let history = ok(s, "history m")
        XCTAssertTrue(history.contains("scored on its validation set (30 rows)"), history)
        let lines = history.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 + 1 + 4 + 1, history)  // title, header, rule, 4 fits, recommendation
        XCTAssertTrue(lines.last?.hasPrefix("recommendation: ") == true, history)
        let score = ok(s, "score m on=validation")
        XCTAssertTrue(score.contains("m on its validation set (30 rows), trained on 9 labels"), score)
        // score's "accuracy A  macro F1 F" against the history's last row: labels, accuracy, P, R, F1.
        let last = lines.dropLast().last.map { $0.split(separator: " ").map(String.init) } ?? []
        let scoreWords = score.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        let accuracy = scoreWords[(scoreWords.firstIndex(of: "accuracy") ?? 0) + 1]
        let macroF1 = scoreWords[(scoreWords.firstIndex(of: "F1") ?? 0) + 1]
        XCTAssertEqual(last[0], "9")
        XCTAssertEqual(last[1], accuracy)
        XCTAssertEqual(last[4], macroF1)
        // Per-class scores of the training set against an independent count on the model's own predictions.
        let perClass = ok(s, "history m on=train average=virginica")
        XCTAssertTrue(perClass.contains("precision, recall and F1 of class virginica"), perClass)
        let predicted = try model.classifier.predict(model.x.selecting(rows: model.trainingRows))
        let tp = zip(predicted, model.trainingLabels).filter { $0 == 2 && $1 == 2 }.count
        let recall = Double(tp) / Double(model.trainingLabels.filter { $0 == 2 }.count)
        let row = perClass.split(separator: "\n").dropLast().last?.split(separator: " ").map(String.init) ?? []
        XCTAssertEqual(row[3], fixed(recall))
        XCTAssertTrue(ok(s, "history m on=test").contains("its test set (30 rows)"))
    }

    /// Stopping signals from the pool predictions the fits kept: kappa against the previous fit,
    /// the mean and the largest margin uncertainty 1 - (p1 - p2), computed here by hand.
    func testStoppingSignals() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let before = try XCTUnwrap(s.models["m"]?.poolPrediction)
        ok(s, "teach \(before.rows[60]) virginica")
        let model = try XCTUnwrap(s.models["m"])
        let after = try XCTUnwrap(model.poolPrediction)
        let record = try XCTUnwrap(model.history.last)
        XCTAssertNil(model.history.first?.kappa)
        // Kappa by hand over the rows both pools share.
        let shared = after.rows.filter(Set(before.rows).contains)
        let a = shared.map { before.predicted[before.rows.firstIndex(of: $0) ?? 0] }
        let b = shared.map { after.predicted[after.rows.firstIndex(of: $0) ?? 0] }
        let n = Double(shared.count)
        let observed = Double(zip(a, b).filter { $0 == $1 }.count) / n
        let expected = (0..<3).reduce(0.0) { sum, c in
            sum + Double(a.filter { $0 == c }.count) * Double(b.filter { $0 == c }.count) / (n * n)
        }
        XCTAssertEqual(try XCTUnwrap(record.kappa), expected < 1 ? (observed - expected) / (1 - expected) : 1, accuracy: 1e-12)
        var margins: [Double] = []
        for i in after.rows.indices {
            let p = after.probabilities[(3 * i)..<(3 * i + 3)].sorted(by: >)
            margins.append(1 - (p[0] - p[1]))
        }
        XCTAssertEqual(try XCTUnwrap(record.poolUncertainty), margins.reduce(0, +) / Double(margins.count), accuracy: 1e-12)
        XCTAssertEqual(record.maxUncertainty, margins.max())
        // The query's top score is the max uncertainty (query reuses the fit's pool prediction).
        let query = ok(s, "query m 1")
        XCTAssertTrue(query.contains(fixed(try XCTUnwrap(record.maxUncertainty))), query)
    }

    /// Queries reuse the fit's pool prediction; a fresh prediction gives the same table.
    func testCachedPoolPredictionGivesTheSameQueries() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        ok(s, "skip 119")
        let cached = ok(s, "query m 6")
        try s.workspace.updateModel(named: "m") { $0.poolPrediction = nil }
        XCTAssertEqual(ok(s, "query m 6"), cached)
    }

    func testHistoryPlot() throws {
        let s = try session()
        ok(s, "model m trees=10 split=0.6:0.2:0.2 \(features)")
        let pool = s.poolRows(try XCTUnwrap(s.models["m"]))
        ok(s, "teach \(pool[5]) setosa")
        let result = s.execute("history m to=curve.png")
        XCTAssertNil(result.error)
        let images = result.outputs.filter { if case .image = $0 { return true } else { return false } }
        XCTAssertEqual(images.count, 1)
        let bytes = try Data(contentsOf: directory.appendingPathComponent("curve.png"))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testScoreAxesStopJustAbovePerfect() throws {
        // A flat perfect score: the axis ends just above 1 (not at 1.05) and shows a tenth below it.
        let flat = try XCTUnwrap(Session.scoreAxisLimits([1, 1, 1], halfWidths: nil))
        XCTAssertEqual(flat.lowerBound, 0.9)
        XCTAssertEqual(flat.upperBound, 1.003, accuracy: 1e-12)
        // Scores near 1: the axis starts below the lowest value (5% of the spread under it).
        let near = try XCTUnwrap(Session.scoreAxisLimits([0.6, 0.8, 1.0], halfWidths: nil))
        XCTAssertEqual(near.lowerBound, 0.58, accuracy: 1e-12)
        XCTAssertGreaterThan(near.upperBound, 1)
        XCTAssertLessThan(near.upperBound, 1.02)
        // Band edges count: 0.7 ± 0.05 and 0.9 ± 0.09 reach 0.65 and 0.99, so the axis is capped.
        let banded = try XCTUnwrap(Session.scoreAxisLimits([0.7, 0.9], halfWidths: [0.05, 0.09]))
        XCTAssertEqual(banded.lowerBound, 0.65 - 0.34 * 0.05, accuracy: 1e-12)
        // Far from 1, or not scores at all: the usual range.
        XCTAssertNil(Session.scoreAxisLimits([0.5, 0.6], halfWidths: nil))
        XCTAssertNil(Session.scoreAxisLimits([0.5, 1.2], halfWidths: nil))
        XCTAssertNil(Session.scoreAxisLimits([], halfWidths: nil))
    }
}
