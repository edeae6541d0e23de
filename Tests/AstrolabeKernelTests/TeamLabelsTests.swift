import AstrolabeData
import CSQLite
import Foundation
import XCTest
@testable import AstrolabeKernel

/// Several annotators: answers side by side, gold policies, agreement, labels out, replays.
final class TeamLabelsTests: IrisSessionTestCase {
    func teamSession(store: String? = nil) throws -> Session {
        let s = try session(store: store)
        ok(s, "feature sl = `sepal length (cm)`")
        ok(s, "feature pw = `petal width (cm)`")
        ok(s, "classes setosa versicolor virginica")
        return s
    }

    func error(_ s: Session, _ line: String) throws -> Diagnostic {
        try XCTUnwrap(s.execute(line).error, "`\(line)` should fail")
    }

    func testASecondAnnotatorDoesNotReplaceTheFirst() throws {
        let s = try teamSession()
        ok(s, "annotator alice")
        ok(s, "teach 119 setosa")
        let bob = ok(s, "annotator bob")
        XCTAssertEqual(bob, "annotator is now bob (was alice)")
        let said = ok(s, "teach 119 virginica")
        XCTAssertTrue(said.contains("alice answered setosa") && !said.contains("relabelled"), said)
        XCTAssertEqual(s.team.answers["iris"]?["119"]?.map { "\($0.annotator)=\($0.label ?? "")" }, ["alice=setosa", "bob=virginica"])
        XCTAssertEqual(s.answers["iris"]?[119]?.label, "virginica", "latest policy: bob's answer is the gold label")
        let table = ok(s, "labels by=annotator")
        XCTAssertTrue(table.contains("alice") && table.contains("bob") && table.contains("setosa") && table.contains("virginica"), table)
        let changed = ok(s, "gold policy=annotator:alice")
        XCTAssertTrue(changed.contains("1 gold label changed"), changed)
        XCTAssertEqual(s.answers["iris"]?[119]?.label, "setosa")
    }

    func testCorrectingOwnAnswerReplacesItKeepsHistoryAndUndoIsPerAnnotator() throws {
        let s = try teamSession()
        ok(s, "annotator alice")
        ok(s, "teach 5 setosa")
        ok(s, "teach 5 versicolor")
        ok(s, "annotator bob")
        ok(s, "teach 5 virginica")
        XCTAssertEqual(s.team.answers["iris"]?["5"]?.map { "\($0.annotator)=\($0.label ?? "")" }, ["alice=versicolor", "bob=virginica"])
        XCTAssertEqual(try s.store.history(dataset: "iris").count, 3, "nothing replaced in the store")
        ok(s, "annotator alice")
        let undone = ok(s, "undo 5")
        XCTAssertTrue(undone.contains("undid 5 = versicolor"), undone)
        XCTAssertEqual(s.team.answers["iris"]?["5"]?.map { "\($0.annotator)=\($0.label ?? "")" }, ["alice=setosa", "bob=virginica"])
        XCTAssertEqual(try s.store.history(dataset: "iris").count, 4, "undo is a tombstone")
        ok(s, "undo 5")
        let refused = try error(s, "undo 5")
        XCTAssertTrue(refused.message.contains("no answer by alice") && refused.message.contains("bob"), refused.message)
        XCTAssertEqual(s.team.answers["iris"]?["5"]?.map(\.annotator), ["bob"])
    }

    func testConfidenceAndNoteAreStoredShownAndChecked() throws {
        let path = directory.appendingPathComponent("labels.sqlite").path
        let s = try teamSession(store: path)
        ok(s, "teach 7 setosa confidence=0.7 note=\"faint, check spectrum\"")
        let shown = ok(s, "labels")
        XCTAssertTrue(shown.contains("0.70") && shown.contains("faint, check spectrum"), shown)
        let bad = try error(s, "teach 8 setosa confidence=1.5")
        XCTAssertTrue(bad.message.contains("confidence="), bad.message)
        s.close()
        let record = try XCTUnwrap(try LabelStore(path: path).answers(dataset: "iris").first)
        XCTAssertEqual(record.confidence, 0.7)
        XCTAssertEqual(record.note, "faint, check spectrum")
        XCTAssertEqual(try LabelStore(path: path).answers(dataset: "iris").count, 1, "the refused answer was not stored")
    }

    func testPoliciesAndAdjudication() throws {
        let s = try teamSession()
        for (who, answers) in [("alice", ["1 setosa", "2 setosa", "3 versicolor"]),
                               ("bob", ["1 setosa", "2 versicolor", "3 virginica"]),
                               ("carol", ["1 setosa", "2 versicolor"])] {
            ok(s, "annotator \(who)")
            for answer in answers { ok(s, "teach \(answer)") }
        }
        ok(s, "gold policy=majority")
        XCTAssertEqual(s.answers["iris"]?[2]?.label, "versicolor", "2 of 3 said versicolor")
        XCTAssertNil(s.answers["iris"]?[3], "a tie (versicolor against virginica) has no gold label")
        let open = ok(s, "labels disagreements=yes")
        XCTAssertTrue(open.contains("2 rows of iris with disagreeing answers"), open)
        ok(s, "gold policy=strict")
        XCTAssertEqual(s.answers["iris"]?[1]?.label, "setosa")
        XCTAssertNil(s.answers["iris"]?[2])
        ok(s, "gold adjudicator=carol")
        XCTAssertEqual(s.answers["iris"]?[2]?.label, "versicolor", "carol settles row 2")
        XCTAssertNil(s.answers["iris"]?[3], "carol did not answer row 3")
        ok(s, "annotator carol")
        ok(s, "teach 3 virginica")
        XCTAssertEqual(s.answers["iris"]?[3]?.label, "virginica", "the adjudicator's answer settles it at once")
        ok(s, "gold policy=weighted adjudicator=none")
        XCTAssertEqual(s.answers["iris"]?[1]?.label, "setosa")
    }

    func testChangingThePolicyRetrainsAndCountsChangedLabels() throws {
        let s = try teamSession()
        ok(s, "model m features=sl,pw initial=0 test=0")
        ok(s, "annotator alice")
        ok(s, "teach 1 setosa")
        ok(s, "teach 51 versicolor")
        ok(s, "annotator bob")
        ok(s, "teach 51 virginica")
        ok(s, "teach 101 virginica")
        let fits = try XCTUnwrap(s.models["m"]).fits
        let text = ok(s, "gold policy=annotator:alice")
        XCTAssertTrue(text.contains("m retrained on 2 labels: 2 training labels changed"), text)
        XCTAssertEqual(s.models["m"]?.fits, fits + 1)
        let same = ok(s, "gold policy=annotator:alice")
        XCTAssertFalse(same.contains("retrained"), "no label changed, so no model retrains: \(same)")
    }

    func testBadInputIsAClearErrorAndChangesNothing() throws {
        let path = directory.appendingPathComponent("labels.sqlite").path
        let s = try teamSession(store: path)
        ok(s, "annotator alice")
        ok(s, "teach 1 setosa")
        let one = try error(s, "agreement")
        XCTAssertTrue(one.message.contains("at least two annotators"), one.message)
        ok(s, "annotator bob")
        ok(s, "teach 2 setosa")
        let none = try error(s, "agreement")
        XCTAssertTrue(none.message.contains("no row was answered by two"), none.message)
        let unknown = try error(s, "agreement annotators=alice,bobb")
        XCTAssertEqual(unknown.suggestion, "bob")
        let typo = try error(s, "gold policy=majorty")
        XCTAssertEqual(typo.suggestion, "majority")
        let who = try error(s, "gold policy=annotator:alcie")
        XCTAssertEqual(who.suggestion, "annotator:alice")
        XCTAssertEqual(s.team.policy, .latest)
        let badName = try error(s, "annotator a,b")
        XCTAssertTrue(badName.message.contains("annotator"), badName.message)
        XCTAssertEqual(s.annotator, "bob")
        XCTAssertEqual(try s.store.history(dataset: "iris").count, 2, "nothing stored by the failed commands")
    }

    /// Krippendorff's documented reliability data (3 coders × 15 units, values 1–4; the
    /// `krippendorff` package gives nominal alpha 0.691358) answered through the session.
    func testAgreementOnKrippendorffsExample() throws {
        let s = try teamSession()
        ok(s, "classes c1 c2 c3 c4")
        let coders: [[Int?]] = [
            [nil, nil, nil, nil, nil, 3, 4, 1, 2, 1, 1, 3, 3, nil, 3],
            [1, nil, 2, 1, 3, 3, 4, 3, nil, nil, nil, nil, nil, nil, nil],
            [nil, nil, 2, 1, 3, 4, 4, nil, 2, 1, 1, 3, 3, nil, 4],
        ]
        for (coder, values) in coders.enumerated() {
            ok(s, "annotator coder\(coder + 1)")
            for (unit, value) in values.enumerated() { if let value { ok(s, "teach \(unit + 1) c\(value)") } }
        }
        let report = ok(s, "agreement to=kappa.png")
        XCTAssertTrue(report.contains("Krippendorff's alpha (nominal): 0.691"), report)
        XCTAssertTrue(report.contains("12 pairable"), report)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("kappa.png").path))
        let two = ok(s, "agreement annotators=coder1,coder3")
        XCTAssertTrue(two.contains("agreement of 2 annotators"), two)
        let some = ok(s, "agreement classes=c1,c3")
        XCTAssertFalse(some.contains("12 pairable"), "answers of c2 and c4 count as missing: \(some)")
        XCTAssertEqual(try error(s, "agreement classes=c1,c5").suggestion, "c1")
    }

    /// Accuracy per annotator against the gold labels, the curated test set (rows drawn by `find`)
    /// and the catalogue's label column.
    func testAccuracyAgainstGoldCuratedTestAndCatalogue() throws {
        let s = try teamSession()
        let drawn = ok(s, "find where pw > 2")
        let id = try XCTUnwrap(drawn.split(separator: " ").dropFirst().first.map(String.init))
        ok(s, "annotator alice")
        ok(s, "teach \(id) virginica")
        ok(s, "teach 1 setosa")
        ok(s, "annotator bob")
        ok(s, "teach \(id) versicolor")
        ok(s, "teach 1 setosa")
        ok(s, "gold policy=annotator:alice")
        let report = ok(s, "agreement")
        let rows = report.split(separator: "\n").map(String.init)
        let alice = try XCTUnwrap(rows.last { $0.hasPrefix("alice ") }), bob = try XCTUnwrap(rows.last { $0.hasPrefix("bob ") })
        // alice: gold is hers (2 of 2), the curated row right (1 of 1), the catalogue right (2 of 2);
        // bob: 1 of 2 with gold, 0 of 1 on the curated row, 1 of 2 with the catalogue.
        XCTAssertEqual(alice.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(separator: " "),
                       "2 1.000 (2) 1.000 (1) 1.000 (2)", report)
        XCTAssertEqual(bob.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(separator: " "),
                       "2 0.500 (2) 0.000 (1) 0.500 (2)", report)
    }

    /// Alice's two answers (one corrected) and Bob's unsure, exported to FITS and CSV.
    func exportedAnswers() throws -> Session {
        let s = try teamSession()
        ok(s, "annotator alice")
        ok(s, "teach 7 setosa confidence=0.7 note=\"faint, check spectrum\"")
        ok(s, "teach 8 versicolor")
        ok(s, "teach 8 virginica")
        ok(s, "annotator bob")
        ok(s, "unsure 7")
        ok(s, "export answers to=answers.fits")
        ok(s, "export answers to=answers.csv")
        return s
    }

    func testExportedAnswersReadBackEqualTheStore() throws {
        let s = try exportedAnswers()
        ok(s, "export answers to=all.json all=yes")
        let fits = try FITSReader().read(path: directory.appendingPathComponent("answers.fits").path, tableName: "a")
        let csv = try CSVReader().read(path: directory.appendingPathComponent("answers.csv").path, tableName: "b")
        for table in [fits, csv] {
            XCTAssertEqual(table.rowCount, 3, "standing answers: alice 7, alice 8 (latest), bob 7")
            XCTAssertEqual((0..<3).map { table.column(named: "id")?.displayText(row: $0) ?? "" }, ["7", "8", "7"])
            XCTAssertEqual((0..<3).map { table.column(named: "annotator")?.displayText(row: $0) ?? "" }, ["alice", "alice", "bob"])
            XCTAssertEqual((0..<3).map { table.column(named: "kind")?.displayText(row: $0) ?? "" }, ["label", "label", "unsure"])
            XCTAssertEqual(table.column(named: "answer")?.displayText(row: 1), "virginica")
            XCTAssertEqual(table.column(named: "note")?.displayText(row: 0), "faint, check spectrum")
            XCTAssertEqual(table.column(named: "confidence")?.numbers?[0], 0.7)
            XCTAssertTrue(table.column(named: "time")?.displayText(row: 0).hasSuffix("Z") == true)
        }
        let json = try String(contentsOf: directory.appendingPathComponent("all.json"), encoding: .utf8)
        XCTAssertEqual(json.components(separatedBy: "\"status\"").count - 1, 4, json)
        XCTAssertTrue(json.contains("\"superseded\""), json)
        let bad = try error(s, "export answers to=answers.xlsx")
        XCTAssertTrue(bad.message.contains(".csv, .fits or .json"), bad.message)
    }

    /// The exported files read by astropy and pandas equal the store's rows. Needs ASTROLABE_PYTHON:
    /// `make test` sets it to its venv, which has both (Makefile PYDEPS); a Python without them fails.
    func testExportedAnswersReadByAstropyAndPandasEqualTheStore() throws {
        let python = try referencePython(needing: "astropy and pandas")
        let s = try exportedAnswers()
        let code = """
            import json, sys
            from astropy.table import Table
            import pandas
            t = Table.read(sys.argv[1])
            f = pandas.read_csv(sys.argv[2], keep_default_na=False, dtype=str)
            cols = {c: (t[c].filled("") if hasattr(t[c], "filled") else t[c]) for c in ("id", "answer", "kind", "annotator", "note")}
            print(json.dumps({"fits": [[str(cols[c][i]) for c in cols] for i in range(len(t))],
                              "csv": [[f[c][i] for c in ("id", "answer", "kind", "annotator", "note")] for i in range(len(f))]}))
            """
        let (status, data, problem) = try runPython(python, ["-c", code, directory.appendingPathComponent("answers.fits").path,
                                                             directory.appendingPathComponent("answers.csv").path])
        let output = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(status, 0, "\(python) could not read the exports (astropy and pandas come with `make venv`):\n\(problem)")
        let read = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [[String]]], output)
        let standing = try s.answerRows(dataset: "iris", all: false).map(\.record)
        let expected = standing.map { [$0.rowID, $0.label ?? "", $0.kind.rawValue, $0.annotator, $0.note ?? ""] }
        XCTAssertEqual(read["csv"], expected, "pandas")
        // astropy reads a missing string as masked: filled with "" above, as the store's nil.
        XCTAssertEqual(read["fits"], expected, "astropy")
    }

    func testExportCatalogueWithGoldAnswersAndPredictions() throws {
        let s = try teamSession()
        ok(s, "model m features=sl,pw")
        ok(s, "annotator alice")
        ok(s, "teach 7 setosa")
        ok(s, "annotator bob")
        ok(s, "teach 7 versicolor")
        ok(s, "export iris.csv with=gold,answers,predict:m")
        let table = try CSVReader().read(path: directory.appendingPathComponent("iris.csv").path, tableName: "back")
        XCTAssertEqual(table.rowCount, 150, "every row, not only the pool")
        for name in ["gold", "answer_alice", "answer_bob", "m_predicted", "m_p_setosa", "m_uncertainty", "m_set", "m_version"] {
            XCTAssertNotNil(table.column(named: name), name)
        }
        let row = try XCTUnwrap((0..<table.rowCount).first { table.column(named: "id")?.displayText(row: $0) == "7" })
        XCTAssertEqual(table.column(named: "gold")?.displayText(row: row), "versicolor")
        XCTAssertEqual(table.column(named: "answer_alice")?.displayText(row: row), "setosa")
        let sets = Set((0..<150).compactMap { table.column(named: "m_set")?.displayText(row: $0) })
        XCTAssertEqual(sets, ["train", "test", "pool"])
        let model = try XCTUnwrap(s.models["m"])
        XCTAssertEqual(table.column(named: "m_version")?.displayText(row: 0), "m@\(model.fits):\(model.trainingRows.count)")
        // Reloading the export with gold as the label column gives the same gold labels.
        ok(s, "load iris.csv as back id=id label=gold")
        let reloaded = try XCTUnwrap(s.tables["back"])
        let ids = reloaded.rowIdentifiers()
        for (answered, record) in s.answers["iris"] ?? [:] {
            let back = try XCTUnwrap(ids.firstIndex(of: String(answered)))
            XCTAssertEqual(reloaded.column(named: "gold")?.displayText(row: back), record.label, "row \(answered)")
        }
        XCTAssertEqual((0..<reloaded.rowCount).filter { !(reloaded.column(named: "gold")?.displayText(row: $0) ?? "").isEmpty }.count,
                       s.answers["iris"]?.count, "no other row has a gold label")
        let bad = try error(s, "export iris again.csv with=gold,predcit:m")
        XCTAssertEqual(bad.suggestion, "predict:")
        ok(s, "load \(Self.root.appendingPathComponent("Samples/penguins.csv").path) as penguins id=island")
        let elsewhere = try error(s, "export penguins p.csv with=predict:m")
        XCTAssertTrue(elsewhere.message.contains("no row of this table"), elsewhere.message)
    }

    func testSavedSessionReplaysAnnotatorsAnswersAndGoldByteForByte() throws {
        let s = try teamSession()
        ok(s, "annotator alice")
        ok(s, "teach 1 setosa confidence=0.9")
        ok(s, "teach 51 versicolor")
        ok(s, "annotator bob")
        ok(s, "teach 51 virginica note=\"odd one\"")
        ok(s, "model m features=sl,pw")
        ok(s, "teach 101 virginica")
        ok(s, "annotator carol")
        ok(s, "teach 101 virginica")
        ok(s, "teach 51 versicolor")
        ok(s, "gold policy=weighted")
        ok(s, "annotator alice")
        ok(s, "undo 51")
        ok(s, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        let replayed = try Session(options: SessionOptions(workingDirectory: directory.path))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNil(replayed.execute(String(line)).error, "replaying `\(line)` failed; the script:\n\(script)")
        }
        for command in ["labels by=annotator", "agreement", "gold", "annotator", "score m"] {
            XCTAssertEqual(ok(replayed, command), ok(s, command), "`\(command)` after replaying:\n\(script)")
        }
        XCTAssertEqual(replayed.models["m"]?.fits, s.models["m"]?.fits, script)
    }

    /// A switch is logged with the table current when it is made; answers then given in another
    /// table (whose script the replay writes separately) must still replay under the person who gave them.
    func testInterleavedTablesReplayEachAnswerUnderItsAnnotator() throws {
        let s = try teamSession()
        // Models on both tables, so each table's script is its log of commands (not its standing answers).
        ok(s, "model m features=sl,pw")
        ok(s, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as second id=id label=label")
        ok(s, "feature sl = `sepal length (cm)`")
        ok(s, "feature pw = `petal width (cm)`")
        ok(s, "classes setosa versicolor virginica")
        ok(s, "model n features=sl,pw")
        ok(s, "teach 2 setosa")
        ok(s, "use iris")
        ok(s, "annotator alice")
        ok(s, "teach 1 setosa")
        ok(s, "use second")
        ok(s, "teach 3 setosa")
        ok(s, "annotator bob")
        ok(s, "teach 3 versicolor")
        ok(s, "use iris")
        ok(s, "teach 1 virginica")
        ok(s, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        let replayed = try Session(options: SessionOptions(workingDirectory: directory.path))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNil(replayed.execute(String(line)).error, "replaying `\(line)` failed; the script:\n\(script)")
        }
        for table in ["iris", "second"] {
            ok(s, "use \(table)")
            ok(replayed, "use \(table)")
            XCTAssertEqual(ok(replayed, "labels by=annotator"), ok(s, "labels by=annotator"), "\(table) after replaying:\n\(script)")
        }
    }

    /// `save config` keeps every annotator's standing answer (with confidence and note), the active
    /// annotator and the gold policy: loaded into a fresh session it gives the same agreement and labels.
    func testSavedConfigKeepsAnnotatorsAnswersAndGoldPolicy() throws {
        let s = try teamSession()
        ok(s, "annotator alice")
        ok(s, "teach 1 setosa confidence=0.9")
        ok(s, "teach 51 versicolor")
        ok(s, "teach 101 virginica")
        ok(s, "annotator bob")
        ok(s, "teach 51 virginica note=\"odd one\"")
        ok(s, "teach 101 virginica")
        ok(s, "unsure 1")
        ok(s, "annotator carol")
        ok(s, "teach 51 virginica")
        ok(s, "teach 1 setosa")
        ok(s, "gold policy=majority adjudicator=alice")
        ok(s, "annotator bob")
        ok(s, "model m features=sl,pw")
        ok(s, "save config team.json")
        let saved = try String(contentsOf: directory.appendingPathComponent("team.json"), encoding: .utf8)
        let loaded = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(loaded, "load config team.json")
        for command in ["labels by=annotator", "agreement", "gold", "annotator", "labels disagreements=yes"] {
            XCTAssertEqual(ok(loaded, command), ok(s, command), "`\(command)` after loading:\n\(saved)")
        }
        XCTAssertEqual(loaded.team.answers["iris"]?["1"]?.first?.confidence, 0.9, saved)
        XCTAssertEqual(loaded.team.answers["iris"]?["51"]?.first { $0.annotator == "bob" }?.note, "odd one", saved)
        XCTAssertEqual(loaded.models["m"]?.trainingRows, s.models["m"]?.trainingRows, saved)
    }

    /// Answers either all name their annotator or none do: an unnamed one would go silently to
    /// whoever answered before it.
    func testConfigAnswerWithoutItsAnnotatorAmongNamedOnesIsAnError() throws {
        let s = try teamSession()
        ok(s, "annotator alice")
        ok(s, "teach 1 setosa")
        ok(s, "save config team.json")
        let url = directory.appendingPathComponent("team.json")
        var document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let answers = try XCTUnwrap(document["answers"] as? [[String: Any]])
        XCTAssertEqual(answers.map { $0["annotator"] as? String }, ["alice"])
        document["answers"] = answers + [["id": "2", "label": "setosa"]]
        try JSONSerialization.data(withJSONObject: document).write(to: url)
        let fresh = try Session(options: SessionOptions(workingDirectory: directory.path))
        let bad = try error(fresh, "load config team.json")
        XCTAssertTrue(bad.message.contains("answers[1].annotator: missing"), bad.message)
        XCTAssertNil(fresh.tables["iris"], "load config runs all or nothing")
    }

    /// A store written before answers were kept per annotator (no confidence, note or undoes
    /// columns; an undo took back the row's latest answer) opens, keeps every row and reads the same.
    func testOldStoreIsMigratedInPlace() throws {
        let path = directory.appendingPathComponent("old.sqlite").path
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
        let sql = """
            CREATE TABLE answers (seq INTEGER PRIMARY KEY AUTOINCREMENT, dataset TEXT NOT NULL, row_id TEXT NOT NULL,
                kind TEXT NOT NULL, label TEXT, annotator TEXT NOT NULL, time REAL NOT NULL, model TEXT, strategy TEXT, score REAL);
            INSERT INTO answers (dataset, row_id, kind, label, annotator, time) VALUES ('iris', '7', 'label', 'setosa', 'u', 1);
            INSERT INTO answers (dataset, row_id, kind, label, annotator, time) VALUES ('iris', '7', 'label', 'virginica', 'u', 2);
            INSERT INTO answers (dataset, row_id, kind, label, annotator, time) VALUES ('iris', '7', 'undo', NULL, 'someone', 3);
            INSERT INTO answers (dataset, row_id, kind, label, annotator, time) VALUES ('iris', '9', 'label', 'versicolor', 'u', 4);
            """
        XCTAssertEqual(sqlite3_exec(db, sql, nil, nil, nil), SQLITE_OK)
        sqlite3_close(db)
        let store = try LabelStore(path: path)
        XCTAssertEqual(try store.history(dataset: "iris").count, 4)
        XCTAssertEqual(try store.answers(dataset: "iris").map { "\($0.rowID)=\($0.label ?? "")" }, ["7=setosa", "9=versicolor"],
                       "the old undo took back the row's latest answer, whoever gave it")
        try store.append(LabelRecord(dataset: "iris", rowID: "9", kind: .label, label: "setosa", annotator: "u", time: 5,
                                     confidence: 0.5, note: "new column"))
        XCTAssertEqual(try store.answers(dataset: "iris").last?.note, "new column")
        store.close()
        let again = try LabelStore(path: path)
        XCTAssertEqual(try again.history(dataset: "iris").count, 5, "opening again migrates nothing twice and loses nothing")
        let s = try teamSession(store: path)
        XCTAssertEqual(s.answers["iris"]?[7]?.label, "setosa")
        XCTAssertEqual(s.answers["iris"]?[9]?.label, "setosa")
    }
}
