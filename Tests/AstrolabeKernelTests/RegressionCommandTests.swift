import Foundation
import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// Regression models as a user drives them (`model M regressor=KIND target=COLUMN`): every
/// regressor of the catalogue, queries answered with numbers, scores, simulation, `initial=all`,
/// and the classifier verbs refusing a regression model. Iris's petal width is the target.
final class RegressionCommandTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`sepal length (cm)`,`sepal width (cm)` target=`petal width (cm)`"

    func testEveryRegressorTrainsQueriesAndScores() throws {
        let s = try session()
        for kind in RegressorKind.allNames {
            let name = "r_" + kind.replacingOccurrences(of: "-", with: "_")
            let out = ok(s, "model \(name) regressor=\(kind) \(features) trees=10 initial=30")
            XCTAssertTrue(out.contains("training labels: 30 (30 initial)"), out)
            XCTAssertTrue(out.contains("strategy: " + (RegressorKind.named(kind)?.isEnsemble == true ? "variance" : "random")), out)
            XCTAssertTrue(ok(s, "query \(name) 2").contains("rank"))
            let score = ok(s, "score \(name)")
            XCTAssertTrue(score.contains("RMSE") && score.contains("NMAD") && score.contains("outliers"), score)
        }
    }

    func testNumbersAnswerAndRetrain() throws {
        let s = try session()
        ok(s, "model r regressor=forest trees=10 \(features) initial=10 strategy=expected-change")
        let query = ok(s, "query r 1")
        XCTAssertTrue(query.contains("spread") && query.contains("teach ID NUMBER"), query)
        let row = try XCTUnwrap(s.models["r"]?.lastQuery.keys.first)
        let id = s.tables["iris"]?.rowIdentifiers()[row] ?? ""
        XCTAssertTrue(ok(s, "teach \(id) 9.5").contains("r retrained on 11 labels"))
        let model = try XCTUnwrap(s.models["r"])
        let position = try XCTUnwrap(model.trainingRows.firstIndex(of: row))
        XCTAssertEqual(model.regression?.trainingTargets[position], 9.5, "the answer, not the catalogue's value, trains the model")
        // Not a number, and no classes for it: an error, not an answer.
        XCTAssertNotNil(s.execute("teach \(id) wide").error)
    }

    func testBadRegressionRequestsAreRefused() throws {
        let s = try session()
        let variance = try XCTUnwrap(s.execute("model k regressor=knn strategy=variance \(features)").error)
        XCTAssertTrue(variance.message.contains("ensemble"), variance.message)
        XCTAssertEqual(s.execute("model k regressor=forst \(features)").error?.suggestion, "forest")
        XCTAssertTrue(s.execute("model k regressor=forest features=`sepal length (cm)` target=label").error?.message.contains("text column") == true)
        XCTAssertNotNil(s.execute("model k regressor=forest features=`sepal length (cm)`").error, "target= is required")
        XCTAssertTrue(s.execute("model k regressor=forest classifier=knn \(features)").error?.message.contains("for classifiers") == true)
        ok(s, "model r regressor=tree \(features)")
        let history = try XCTUnwrap(s.execute("history r").error)
        XCTAssertTrue(history.message.contains("regression model"), history.message)
        XCTAssertNotNil(s.execute("plot confusion r").error)
    }

    func testInitialAllStartsFromEveryLabelledRowOutsideTheTestSet() throws {
        let s = try session()
        let regression = ok(s, "model r regressor=linear \(features) initial=all test=0.2")
        XCTAssertTrue(regression.contains("training labels: 120 (120 initial); test set: 30 rows; pool: 0 rows"), regression)
        let classifier = ok(s, "model c features=`petal length (cm)`,`sepal length (cm)` initial=all test=0.2 trees=5")
        XCTAssertTrue(classifier.contains("training labels: 120 (120 initial); test set: 30 rows"), classifier)
        XCTAssertNotNil(s.execute("model c features=`petal length (cm)` initial=most").error)
    }

    func testSimulateAndPlotPredicted() throws {
        let s = try session()
        ok(s, "model r regressor=forest trees=5 \(features) initial=10")
        let out = ok(s, "simulate r budget=20 batch=5 repeats=2 strategies=random,variance,expected-change")
        for name in ["random", "variance", "expected-change"] { XCTAssertTrue(out.contains(name), out) }
        XCTAssertTrue(out.contains("mean RMSE"), out)
        ok(s, "plot predicted r to=\(directory.appendingPathComponent("p.png").path)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("p.png").path))
    }

    func testSavedSessionReplaysTheRegressionModel() throws {
        let s = try session()
        ok(s, "model r regressor=forest trees=5 \(features) initial=10")
        ok(s, "teach 7 0.25")
        let path = directory.appendingPathComponent("saved.alab").path
        ok(s, "save session \(path)")
        let script = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(script.contains("regressor=forest") && script.contains("teach 7 0.25"), script)
    }
}

extension RegressionCommandTests {
    func testReadmeNamesEveryRegressorAndRegressionStrategy() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "Regression: "))
        let paragraph = readme[start.upperBound...].prefix { $0 != "\n" || true }.prefix(1200)
        for name in RegressorKind.allNames + RegressionStrategyKind.allNames {
            XCTAssertTrue(paragraph.contains(name), "README's regression paragraph does not name \(name)")
        }
    }
}
