import XCTest
@testable import AstrolabeKernel

/// A curated test set drawn (`find`) and labelled inside a view of the model's table: `testset use`
/// must give the model the base table's rows with those ids, scored against the hand labels.
/// (View rows are numbered anew; before, the view's row numbers were used as the base's.)
final class ViewTestSetTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    func testCuratedRowsFromAViewBecomeTheSameRowsOfTheModelsTable() throws {
        let s = try session()
        ok(s, "classes setosa versicolor virginica")  // a view's classes are otherwise those its rows have
        ok(s, "model m classifier=logistic \(features)")
        ok(s, "where `petal length (cm)` > 5 as big")
        var ids: [String] = []
        for _ in 0..<3 {
            let found = ok(s, "find where `sepal length (cm)` > 6")
            ids.append(try XCTUnwrap(found.split(separator: " ").dropFirst().first.map(String.init)))
        }
        // Hand labels that differ from the catalogue's (these rows are virginica or versicolor there).
        for id in ids { ok(s, "teach \(id) setosa") }
        XCTAssertTrue(ok(s, "testset use m").contains("test set is now the 3 rows labelled"))
        let iris = try XCTUnwrap(s.tables["iris"])
        let baseIDs = iris.rowIdentifiers()
        let model = try XCTUnwrap(s.models["m"])
        XCTAssertEqual(Set(model.testRows.map { baseIDs[$0] }), Set(ids), "the same rows, by id, in the model's table")
        XCTAssertEqual(s.testTruth(model, table: iris), [0, 0, 0], "scored against the hand labels (setosa)")
        let score = ok(s, "score m")
        XCTAssertTrue(score.contains("test set (3 rows)"), score)
        XCTAssertTrue(score.split(separator: "\n").contains { $0.hasPrefix("setosa") && $0.hasSuffix(" 3") }, score)
    }

    func testAViewOfAnotherCatalogueIsRefused() throws {
        let s = try session()
        ok(s, "model m classifier=logistic \(features)")
        ok(s, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as other id=id label=label")
        let found = ok(s, "find where `sepal length (cm)` > 6")
        let id = try XCTUnwrap(found.split(separator: " ").dropFirst().first.map(String.init))
        ok(s, "teach \(id) setosa")
        let error = try XCTUnwrap(s.execute("testset use m").error)
        XCTAssertTrue(error.message.contains("model `m` is on table `iris`"), error.message)
    }
}
