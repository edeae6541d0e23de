import XCTest
@testable import AstrolabeKernel

/// Checks on the learning commands: the label is never a feature, classes declared mid-session
/// reach the models, simulate refuses before it simulates, the keyboard loop's keys and undo, and
/// the full text of query's show= columns.
final class LearningCommandChecksTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    /// A CSV in the test folder: `rows` rows of `classes` classes, numeric label codes 1…classes,
    /// two features and a long description.
    func writeCatalogue(rows: Int, classes: Int, name: String = "cat.csv") throws -> String {
        var text = "id,x,y,code,note\n"
        for i in 0..<rows {
            let c = i % classes
            let note = "row \(i) " + String(repeating: "long description of the object ", count: 4) + "end \(i)"
            text += "r\(i),\(Double(c) + Double(i % 7) * 0.05),\(Double(c * c % 5) + Double(i % 3) * 0.1),\(c + 1),\(note)\n"
        }
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTheLabelColumnIsNoFeature() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(try writeCatalogue(rows: 60, classes: 3)) as cat id=id label=code")
        let direct = try XCTUnwrap(s.execute("model m features=x,code").error)
        XCTAssertTrue(direct.message.contains("`code` is the label column"), direct.message)
        ok(s, "feature leak = code * 2 + x")
        ok(s, "feature deeper = leak - 1")
        let derived = try XCTUnwrap(s.execute("model m features=x,deeper").error)
        XCTAssertTrue(derived.message.contains("feature `deeper` is computed from the label column `code`"), derived.message)
        ok(s, "model m features=x,y")
    }

    func testClassesDeclaredLaterReachTheModels() throws {
        let s = try session()
        ok(s, "classes setosa versicolor")
        ok(s, "model m classifier=logistic \(features)")
        XCTAssertEqual(s.models["m"]?.classes, ["setosa", "versicolor"])
        let out = ok(s, "classes setosa versicolor virginica")
        XCTAssertTrue(out.contains("m now learns setosa, versicolor, virginica"), out)
        XCTAssertEqual(s.models["m"]?.classes, ["setosa", "versicolor", "virginica"])
        // An answer of the new class is learnt from.
        let row = try XCTUnwrap(s.poolRows(try XCTUnwrap(s.models["m"])).first { $0 >= 100 })
        ok(s, "teach \(s.tables["iris"]!.rowIdentifiers()[row]) virginica")
        let model = try XCTUnwrap(s.models["m"])
        XCTAssertTrue(zip(model.trainingRows, model.trainingLabels).contains { $0 == row && $1 == 2 })
        XCTAssertTrue(ok(s, "query m 1").contains("p(virginica)"))
        XCTAssertTrue(ok(s, "help classes").contains("existing models"))
    }

    /// A loaded model keeps the labels its file brought as class indices: reordering the classes
    /// must carry each label over by name.
    func testReorderedClassesKeepALoadedModelsLabels() throws {
        let s = try session()
        ok(s, "model m classifier=logistic \(features)")
        let written = ok(s, "checkpoint m to=models")
        let path = try XCTUnwrap(written.split(separator: " ").dropFirst().first.map(String.init))
        let other = try session()
        ok(other, "load model \(path)")
        XCTAssertTrue(ok(other, "classes virginica setosa versicolor").contains("m now learns virginica, setosa, versicolor"))
        let model = try XCTUnwrap(other.models["m"])
        let label = try XCTUnwrap(other.tables["iris"]?.column(named: "label"))
        XCTAssertFalse(model.trainingRows.isEmpty)
        for (row, index) in zip(model.trainingRows, model.trainingLabels) {
            XCTAssertEqual(model.classes[index], label.displayText(row: row), "row \(row)")
        }
    }

    /// expected-error is refused for a large pool before any strategy is simulated (before, the
    /// simulation ran random to the end, then failed in the middle with the query's own message).
    func testSimulateRefusesBeforeSimulating() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(try writeCatalogue(rows: 1800, classes: 3)) as cat id=id label=code")
        ok(s, "model m classifier=logistic features=x,y")
        let error = try XCTUnwrap(s.execute("simulate m budget=8 repeats=1 strategies=random,expected-error").error)
        XCTAssertTrue(error.message.contains("this simulation's pool has"), error.message)
        let png = try XCTUnwrap(s.execute("simulate m budget=8 repeats=1 strategies=random to=curves.txt").error)
        XCTAssertTrue(png.message.contains("use a path ending in .png"), png.message)
    }

    final class Keys: KeyInput {
        var keys: [Character]
        var prompts: [String] = []
        var texts: [String] = []
        init(_ keys: String) { self.keys = Array(keys) }
        func show(_ outputs: [Output]) {
            texts += outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }
        }
        func readKey(prompt: String) -> Character? {
            prompts.append(prompt)
            return keys.isEmpty ? nil : keys.removeFirst()
        }
    }

    func testKeyboardLoopTakesTenClassesAndMore() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(try writeCatalogue(rows: 240, classes: 12)) as cat id=id label=code")
        ok(s, "model m classifier=logistic features=x,y")
        let keys = Keys("0bq")
        s.setKeyInput(keys)
        XCTAssertTrue(ok(s, "teach m loop").contains("after 2 answers"))
        // Classes are the label codes in sorted text order: 1, 10, 11, 12, 2, …, 9; key 0 is the tenth (7), b the twelfth (9).
        let prompt = keys.prompts.first ?? ""
        XCTAssertTrue(prompt.contains("9 6  0 7  a 8  b 9  u unsure"), prompt)
        let answers = s.transcript.filter { $0.hasPrefix("teach ") }
        XCTAssertEqual(answers.map { $0.split(separator: " ").last.map(String.init) }, ["7", "9"], "\(answers)")
    }

    /// `z` takes back the previous answer and asks that row again next, whatever the model would
    /// now ask first (a forest's ties are drawn anew after every fit).
    func testUndoKeyAsksTheUndoneRowAgain() throws {
        let s = try session()
        ok(s, "model m trees=5 \(features)")
        let keys = Keys("1z1q")
        s.setKeyInput(keys)
        ok(s, "teach m loop")
        let lines = s.transcript.filter { $0.hasPrefix("teach ") || $0 == "undo" }
        XCTAssertEqual(lines.count, 3, "\(lines)")
        XCTAssertEqual(lines[1], "undo")
        XCTAssertEqual(lines[2], lines[0], "the undone row is asked again")
        XCTAssertTrue(keys.texts.contains { $0.hasPrefix("asked again (its answer was undone)") }, "\(keys.texts)")
        // The re-answer is credited to the model that asked.
        let id = String(lines[0].split(separator: " ")[1])
        let record = try XCTUnwrap(s.answers["iris"]?.values.first { $0.rowID == id })
        XCTAssertEqual(record.model, "m")
    }

    func testQueryShowsTheFullTextOfShownColumns() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(try writeCatalogue(rows: 60, classes: 3)) as cat id=id label=code")
        ok(s, "model m classifier=logistic features=x,y")
        let out = ok(s, "query m 2 show=note")
        let ids = out.split(separator: "\n").dropFirst(3).prefix(2).map { String($0.split(separator: " ")[1]) }
        for id in ids {
            let n = id.dropFirst()
            XCTAssertTrue(out.contains("\(id) note: row \(n) " + String(repeating: "long description of the object ", count: 4) + "end \(n)"), out)
        }
    }
}
