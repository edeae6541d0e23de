import XCTest
import AstrolabeData
@testable import AstrolabeKernel

/// A row is the same row in a view (`where`, `sample`) as in the table it was made from: it shows the
/// base table's id (the id column, else its row number in the base, from 1), and every answer,
/// skip, undo and curated test row given in the view lands on that base row and is stored under
/// that id. Before, a table loaded without id= had its view rows numbered afresh, so `teach 1 …`
/// in a view labelled the base's first row instead of the view's.
///
/// The oracle is iris's own `id` column (0…149, the row index in the file), kept by every view.
/// Each test runs on iris loaded without id= and with id=id.
final class ViewRowIdentityTests: IrisSessionTestCase {
    static let variants = ["", " id=id"]
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    func load(_ idOption: String, store: String) throws -> Session {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: store))
        ok(s, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as t label=label\(idOption)")
        return s
    }

    func store(_ idOption: String) -> String {
        directory.appendingPathComponent("labels\(idOption.isEmpty ? "" : "-id").sqlite").path
    }

    /// The id a row of the base table has: its `id` value with id=id, else its row number from 1.
    func baseID(_ row: Int, _ idOption: String) -> String { idOption.isEmpty ? String(row + 1) : String(row) }

    /// The base row of row `row` of a view, read from iris's own id column.
    func baseRow(_ row: Int, of view: String, in s: Session) throws -> Int {
        let column = try XCTUnwrap(s.tables[view]?.column(named: "id"))
        return try XCTUnwrap(Int(column.displayText(row: row)))
    }

    /// A view whose rows are not the base's first rows (its row 0 is base row 83 or later).
    func makeView(_ s: Session) { ok(s, "where `petal length (cm)` > 5 as big") }

    func stored(_ s: Session) throws -> [String: LabelRecord] {
        Dictionary(try s.store.currentAnswers(dataset: "t").map { ($0.rowID, $0) }, uniquingKeysWith: { $1 })
    }

    func testTeachAndUnsureInAViewLandOnTheBaseRowsWithTheBaseIDs() throws {
        for idOption in Self.variants {
            let s = try load(idOption, store: store(idOption))
            makeView(s)
            let first = try baseRow(0, of: "big", in: s), second = try baseRow(1, of: "big", in: s)
            XCTAssertGreaterThan(first, 0)
            let view = try XCTUnwrap(s.tables["big"])
            XCTAssertEqual(Array(view.rowIdentifiers().prefix(2)), [baseID(first, idOption), baseID(second, idOption)],
                           "a view shows the base's ids (\(idOption))")
            ok(s, "teach \(baseID(first, idOption)) versicolor")
            ok(s, "unsure \(baseID(second, idOption))")
            XCTAssertEqual(s.answers["t"]?[first]?.label, "versicolor", idOption)
            XCTAssertEqual(s.answers["t"]?[second]?.kind, .unsure, idOption)
            XCTAssertEqual(s.answers["big"]?[0]?.label, "versicolor", idOption)
            XCTAssertEqual(s.answers["big"]?[1]?.kind, .unsure, idOption)
            XCTAssertNil(s.answers["t"]?[0], "nothing lands on the base's first row (\(idOption))")
            let records = try stored(s)
            XCTAssertEqual(Set(records.keys), [baseID(first, idOption), baseID(second, idOption)], idOption)
            XCTAssertEqual(records[baseID(first, idOption)]?.label, "versicolor", idOption)
            ok(s, "use t")
            XCTAssertTrue(ok(s, "labels").contains("\(baseID(first, idOption)) ") , idOption)
        }
    }

    func testTeachInASampleLandsOnTheBaseRow() throws {
        for idOption in Self.variants {
            let s = try load(idOption, store: store(idOption))
            ok(s, "sample 10 seed=3 as few")
            let row = try baseRow(4, of: "few", in: s)
            let id = try XCTUnwrap(s.tables["few"]?.rowIdentifiers()[4])
            XCTAssertEqual(id, baseID(row, idOption), idOption)
            ok(s, "teach \(id) versicolor")
            XCTAssertEqual(s.answers["t"]?[row]?.label, "versicolor", idOption)
            XCTAssertEqual(try stored(s)[baseID(row, idOption)]?.label, "versicolor", idOption)
        }
    }

    /// `undo ID` in a view takes back that row's answer, not the answer of the base row whose
    /// number the view row had.
    func testUndoInAViewTakesBackTheSameBaseRow() throws {
        for idOption in Self.variants {
            let s = try load(idOption, store: store(idOption))
            ok(s, "teach \(baseID(0, idOption)) setosa")       // base row 0, in the base
            makeView(s)
            let first = try baseRow(0, of: "big", in: s)
            ok(s, "teach \(baseID(first, idOption)) virginica")
            ok(s, "undo \(baseID(first, idOption))")
            XCTAssertNil(s.answers["t"]?[first], idOption)
            XCTAssertNil(s.answers["big"]?[0], idOption)
            XCTAssertEqual(s.answers["t"]?[0]?.label, "setosa", "the base's first row keeps its answer (\(idOption))")
            XCTAssertEqual(Set(try stored(s).keys), [baseID(0, idOption)], idOption)
            // `undo` without an id takes back the latest answer given in this view: none is left.
            XCTAssertNotNil(s.execute("undo").error, idOption)
        }
    }

    /// `skip` in a view leaves the row out of the queries of a model of the base table too.
    func testSkipInAViewSkipsTheSameBaseRow() throws {
        for idOption in Self.variants {
            let s = try load(idOption, store: store(idOption))
            ok(s, "model m classifier=logistic \(features)")
            makeView(s)
            let first = try baseRow(0, of: "big", in: s)
            ok(s, "skip \(baseID(first, idOption))")
            XCTAssertEqual(s.learning.skipped["t"], [first], idOption)
            XCTAssertEqual(s.learning.skipped["big"], [0], idOption)
            let asked = ok(s, "query m 150")
            let ids = asked.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
            XCTAssertFalse(ids.isEmpty, asked)
            XCTAssertFalse(ids.contains(baseID(first, idOption)), idOption)
        }
    }

    /// A model of the base table queried while a view is current: the id it shows, taught in the
    /// view, is the row it asked about (and the model is recorded as the one that asked).
    func testQueryOfTheBaseThenTeachInAView() throws {
        for idOption in Self.variants {
            let s = try load(idOption, store: store(idOption))
            ok(s, "model m classifier=logistic \(features)")
            ok(s, "where id > 0 as rest")                      // every view row is one past its base row
            ok(s, "query m 1")
            let (row, score) = try XCTUnwrap(s.models["m"]?.lastQuery.first)
            XCTAssertGreaterThan(row, 0, "the asked row is in the view")
            ok(s, "teach \(baseID(row, idOption)) virginica")
            XCTAssertEqual(s.answers["t"]?[row]?.label, "virginica", idOption)
            XCTAssertEqual(s.answers["rest"]?[row - 1]?.label, "virginica", idOption)
            let record = try XCTUnwrap(try stored(s)[baseID(row, idOption)], idOption)
            XCTAssertEqual(record.model, "m", idOption)
            XCTAssertEqual(record.score, score, idOption)
            // A row of the base that the view leaves out is named as such, not taken for another row.
            let error = try XCTUnwrap(s.execute("teach \(baseID(0, idOption)) setosa").error, idOption)
            XCTAssertTrue(error.message.contains("is a row of t but not of the view rest"), error.message)
            XCTAssertNil(s.answers["t"]?[0], idOption)
        }
    }

    /// `testset use` from a view of the model's table works without id= too: the curated rows are
    /// the same base rows.
    func testCuratedTestSetFromAViewWithoutAnIDColumn() throws {
        for idOption in Self.variants {
            let s = try load(idOption, store: store(idOption))
            ok(s, "classes setosa versicolor virginica")
            ok(s, "model m classifier=logistic \(features)")
            makeView(s)
            var rows: [Int] = []
            for _ in 0..<3 {
                let found = ok(s, "find where `sepal length (cm)` > 6")
                let id = try XCTUnwrap(found.split(separator: " ").dropFirst().first.map(String.init))
                let viewRow = try XCTUnwrap(s.learning.found["big"]?.last)
                rows.append(try baseRow(viewRow, of: "big", in: s))
                XCTAssertEqual(id, baseID(rows.last ?? -1, idOption), idOption)
                ok(s, "teach \(id) setosa")
            }
            ok(s, "testset use m")
            XCTAssertEqual(s.models["m"]?.testRows, rows.sorted(), idOption)
            XCTAssertEqual(Set(try stored(s).keys), Set(rows.map { baseID($0, idOption) }), idOption)
        }
    }
    /// `save session` writes the ids typed in a view under the base table: replayed, they label the
    /// same base rows (before, a view's own row numbers were replayed as the base's).
    func testSavedSessionReplaysAnswersGivenInAViewOnTheSameRows() throws {
        for idOption in Self.variants {
            let s = try load(idOption, store: store(idOption))
            ok(s, "model m classifier=logistic \(features)")
            makeView(s)
            let first = try baseRow(0, of: "big", in: s)
            ok(s, "teach \(baseID(first, idOption)) versicolor")
            ok(s, "skip \(baseID(try baseRow(1, of: "big", in: s), idOption))")
            ok(s, "save session saved\(idOption.isEmpty ? "" : "-id").alab")
            let saved = try String(contentsOf: directory.appendingPathComponent("saved\(idOption.isEmpty ? "" : "-id").alab"), encoding: .utf8)
            let replayed = try Session(options: SessionOptions(workingDirectory: directory.path,
                                                               storePath: directory.appendingPathComponent("replay.sqlite").path))
            let result = Replay.run(script: Script(text: saved, file: "saved.alab"), session: replayed)
            XCTAssertTrue(result.succeeded, "\(result.errors.map(\.rendered))")
            XCTAssertEqual(replayed.answers["t"]?.mapValues { $0.label }, [first: "versicolor"], idOption)
            XCTAssertEqual(replayed.learning.skipped["t"], s.learning.skipped["t"], idOption)
            try FileManager.default.removeItem(atPath: directory.appendingPathComponent("replay.sqlite").path)
        }
    }
}
