import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// Issue 19's commands for rare classes and probabilities, as a user drives them: the held-out
/// split a table's models share, `class_weight=`, the scores `score` adds, `calibrate=` with
/// `plot reliability`, and `query … balance=predicted`. The numbers themselves are checked against
/// scikit-learn in AstrolabeLearnTests (ClassWeightingTests, ProbabilityMetricsTests).
final class RareClassCommandTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`,`sepal length (cm)`"

    func testModelsOfATableShareTheirHeldOutRowsUnlessSplitOwn() throws {
        let s = try session()
        ok(s, "model a trees=10 \(features)")
        ok(s, "model b classifier=logistic \(features)")
        ok(s, "model c trees=10 \(features) split=own")
        ok(s, "model v1 trees=10 \(features) split=0.6:0.2:0.2")
        ok(s, "model v2 classifier=knn \(features) split=0.6:0.2:0.2")
        let models = s.models
        XCTAssertEqual(models["a"]?.testRows, models["b"]?.testRows)
        XCTAssertNotEqual(models["a"]?.testRows, models["c"]?.testRows)
        XCTAssertEqual(models["v1"]?.testRows, models["v2"]?.testRows)
        XCTAssertEqual(models["v1"]?.validationRows, models["v2"]?.validationRows)
        XCTAssertFalse(models["v1"]?.validationRows.isEmpty ?? true)
    }

    func testClassWeightParsesAndIsRefusedWhereItCannotApply() throws {
        let s = try session()
        ok(s, "model w trees=10 \(features) class_weight=balanced")
        XCTAssertEqual(s.models["w"]?.settings.classWeighting, .balanced)
        ok(s, "model x trees=10 \(features) class_weight=balanced_subsample")
        XCTAssertEqual(s.models["x"]?.settings.classWeighting, .balancedSubsample)
        ok(s, "model y classifier=logistic \(features) class_weight=setosa:2.5")
        XCTAssertEqual(s.models["y"]?.settings.classWeighting, .explicit([0: 2.5]))
        let knn = try XCTUnwrap(s.execute("model z classifier=knn \(features) class_weight=balanced").error)
        XCTAssertTrue(knn.message.contains("cannot weigh classes"), knn.message)
        let typo = try XCTUnwrap(s.execute("model z \(features) class_weight=balansed").error)
        XCTAssertEqual(typo.suggestion, "balanced")
        let unknown = try XCTUnwrap(s.execute("model z \(features) class_weight=setos:2").error)
        XCTAssertEqual(unknown.suggestion, "setosa")
        XCTAssertNotNil(s.execute("model z \(features) class_weight=setosa:0").error)
    }

    func testScoreAddsRareClassAndProbabilityMetrics() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let out = ok(s, "score m")
        for phrase in ["balanced accuracy", "macro recall", "Matthews correlation", "Brier score", "expected calibration error", "AP"] {
            XCTAssertTrue(out.contains(phrase), out)
        }
    }

    func testCalibrationFitsOnValidationOrFoldsAndReliabilityPlots() throws {
        let s = try session()
        ok(s, "model v trees=10 \(features) split=0.5:0.25:0.25 initial=30 calibrate=isotonic")
        XCTAssertNotNil(s.models["v"]?.classifier.calibrator)
        XCTAssertEqual(s.models["v"]?.calibration, ModelCalibration(method: .isotonic, folds: nil))
        let out = ok(s, "model f trees=10 \(features) initial=30 calibrate=sigmoid calibration=cv:3")
        XCTAssertTrue(out.contains("sigmoid calibration (cv:3)"), out)
        XCTAssertEqual(s.models["f"]?.classifier.calibrator?.method, .sigmoid)
        let needs = try XCTUnwrap(s.execute("model x \(features) calibrate=isotonic calibration=validation").error)
        XCTAssertTrue(needs.message.contains("validation set"), needs.message)
        XCTAssertNotNil(s.execute("model x \(features) calibration=cv:5").error)
        XCTAssertNotNil(s.execute("model x \(features) calibrate=isotonic calibration=cv:1").error)
        let plot = s.execute("plot reliability f to=\(directory.appendingPathComponent("r.png").path)")
        XCTAssertNil(plot.error, plot.error?.rendered ?? "")
        XCTAssertTrue(text(plot).contains("expected calibration error"), text(plot))
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("r.png").path))
        ok(s, "plot reliability v class=setosa bins=5 to=\(directory.appendingPathComponent("c.png").path)")
        XCTAssertEqual(try XCTUnwrap(s.execute("plot reliability v class=setos").error).suggestion, "setosa")
    }

    func testCalibrationAndClassWeightsSurviveSaveSession() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features) initial=30 class_weight=balanced calibrate=sigmoid calibration=cv:3")
        let path = directory.appendingPathComponent("saved.alab").path
        ok(s, "save session \(path)")
        let script = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(script.contains("class_weight=balanced"), script)
        XCTAssertTrue(script.contains("calibrate=sigmoid calibration=cv:3"), script)
        let again = try Session(options: SessionOptions(workingDirectory: directory.path))
        XCTAssertTrue(Replay.run(script: Script(text: script, file: "saved.alab"), session: again).succeeded)
        let x = try XCTUnwrap(s.models["m"]).x
        XCTAssertEqual(try again.models["m"]?.classifier.predictProbabilities(x), try s.models["m"]?.classifier.predictProbabilities(x))
    }

    func testBalancedQueriesSpreadOverPredictedClasses() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let balanced = ok(s, "query m 3 balance=predicted")
        let predicted = balanced.split(separator: "\n").dropFirst(3).compactMap { line in
            line.split(separator: " ").dropFirst(2).first.map(String.init)
        }
        XCTAssertEqual(Set(predicted).count, 3, balanced)
        XCTAssertNotNil(s.execute("query m 3 balance=predictd").error)
    }
}
