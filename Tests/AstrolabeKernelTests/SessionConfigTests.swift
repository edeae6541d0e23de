import XCTest
@testable import AstrolabeKernel

/// `save session`, `save config` and `load config`: what a colleague receives rebuilds the same
/// state — the same answers, the same models, the same scores.
final class SessionConfigTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent("Samples"),
                                                   withDestinationURL: Self.root.appendingPathComponent("Samples"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func makeSession() throws -> Session {
        try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
    }

    func text(_ execution: Execution) -> String {
        execution.outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
    }

    @discardableResult
    func ok(_ session: Session, _ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> String {
        let result = session.execute(line)
        XCTAssertNil(result.error, "`\(line)` failed: \(result.error?.rendered ?? "")", file: file, line: lineNumber)
        return text(result)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// A session built in an awkward order: a model before the classes it will learn are final,
    /// answers changed and retracted, a feature redefined, queries in between.
    func messySession() throws -> Session {
        let session = try makeSession()
        ok(session, "load Samples/iris.csv as flowers id=id label=label")
        ok(session, "feature sepal_length = `sepal length (cm)`")
        ok(session, "feature sepal_width = `sepal width (cm)`")
        ok(session, "feature petal_width = `petal width (cm)`")
        ok(session, "feature ratio = `petal length (cm)` / petal_width")
        ok(session, "classes setosa versicolor virginica")
        ok(session, "model m features=ratio,sepal_length strategy=entropy trees=30 test=0.3")
        ok(session, "query m 3")
        ok(session, "teach 7 versicolor")
        ok(session, "teach 7 setosa")          // changed mind: the latest answer counts
        ok(session, "unsure 120")
        ok(session, "feature ratio = `petal length (cm)` / (petal_width + 0.1)")
        ok(session, "teach 88 virginica")
        ok(session, "model m2 features=sepal_width,petal_width")
        ok(session, "teach 140 versicolor")
        ok(session, "query m2 2")
        return session
    }

    func testSavedSessionKeepsAnswersAfterTheModelsTheyRetrained() throws {
        let original = try messySession()
        ok(original, "save session out/saved.alab")
        let saved = try read("out/saved.alab")
        let commands = saved.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        XCTAssertEqual(commands, [
            "load Samples/iris.csv as flowers id=id label=label",
            "feature sepal_length = `sepal length (cm)`",
            "feature sepal_width = `sepal width (cm)`",
            "feature petal_width = `petal width (cm)`",
            "feature ratio = `petal length (cm)` / petal_width",
            "classes setosa versicolor virginica",
            "model m features=ratio,sepal_length strategy=entropy test=0.3 trees=30",
            "teach 7 versicolor",
            "teach 7 setosa",
            "unsure 120",
            "feature ratio = `petal length (cm)` / (petal_width + 0.1)",
            "teach 88 virginica",
            "model m2 features=sepal_width,petal_width",
            "teach 140 versicolor",
        ])
        // The first model was made on the first definition of `ratio`, the second after its redefinition:
        // both replay to the same scores.
        let replayed = try makeSession()
        let result = Replay.run(script: Script(text: saved, file: "saved.alab"), session: replayed)
        XCTAssertTrue(result.succeeded, "\(result.errors.map(\.rendered))")
        XCTAssertEqual(ok(replayed, "score m2"), ok(original, "score m2"))
        XCTAssertEqual(ok(replayed, "score m"), ok(original, "score m"))
        XCTAssertEqual(replayed.answers["flowers"]?.mapValues { $0.label }, original.answers["flowers"]?.mapValues { $0.label })
        XCTAssertEqual(replayed.answers["flowers"]?.mapValues { $0.kind }, original.answers["flowers"]?.mapValues { $0.kind })
        XCTAssertEqual(replayed.models["m2"]?.trainingRows, original.models["m2"]?.trainingRows)
        XCTAssertEqual(replayed.models["m2"]?.fits, 2)   // made, then retrained by the one answer after it
        XCTAssertEqual(replayed.models["m"]?.fits, original.models["m"]?.fits)
        // Saving the replayed session writes the same script: the form is a fixed point.
        ok(replayed, "save session out/again.alab")
        XCTAssertEqual(try read("out/again.alab"), saved)
    }

    func testSavedSessionOfTheQuickstartGivesTheSameScore() throws {
        let original = try makeSession()
        let script = Script(text: try String(contentsOf: Self.root.appendingPathComponent("Notebooks/quickstart.alab"), encoding: .utf8),
                            file: "quickstart.alab")
        XCTAssertTrue(Replay.run(script: script, session: original).succeeded)
        ok(original, "save session quick.alab")
        let replayed = try makeSession()
        XCTAssertTrue(Replay.run(script: Script(text: try read("quick.alab"), file: "quick.alab"), session: replayed).succeeded)
        let score = ok(replayed, "score m")
        XCTAssertEqual(score, ok(original, "score m"))
        XCTAssertTrue(score.contains("trained on 13 labels"), score)   // 4 initial + 9 of the 15 answers (6 unsure)
    }

    /// A model restored by `load model` survives `save session` and `record`: the saved script loads
    /// it after the answer given before it and before the two taught since (which retrain it), so the
    /// replay asks the same questions and predicts the same.
    func testSavedSessionAndRecordingKeepALoadedModel() throws {
        let maker = try makeSession()
        ok(maker, "load Samples/iris.csv as flowers id=id label=label")
        ok(maker, "model m features=`petal width (cm)`,`sepal length (cm)` strategy=entropy trees=20 test=0.3")
        let written = ok(maker, "checkpoint m to=models")
        let path = try XCTUnwrap(written.split(separator: " ").dropFirst().first.map(String.init))
        XCTAssertTrue(path.hasPrefix("models/"), path)
        let saved = try XCTUnwrap(maker.models["m"])
        // Rows (id = row number in iris.csv) the saved model neither trained on nor holds out.
        let pool = maker.poolRows(saved)
        let before = try XCTUnwrap(pool.first { $0 < 50 }), versicolor = try XCTUnwrap(pool.first { (50..<100).contains($0) })
        let virginica = try XCTUnwrap(pool.first { $0 >= 100 })

        let original = try makeSession()
        ok(original, "record out/recorded.alab")
        ok(original, "load Samples/iris.csv as flowers id=id label=label")
        ok(original, "teach \(before) setosa")
        ok(original, "load model \(path)")
        // Loaded as saved: the answer given before it is not in it yet.
        XCTAssertEqual(original.models["m"]?.trainingRows, saved.trainingRows)
        ok(original, "teach \(versicolor) versicolor")
        ok(original, "teach \(virginica) virginica")
        // Retrained on the file's labels and all three answers.
        XCTAssertEqual(original.models["m"]?.trainingRows, (saved.trainingRows + [before, versicolor, virginica]).sorted())
        let recorded = try read("out/recorded.alab")
        let query = ok(original, "query m 3")
        ok(original, "predict m to=out/original.csv")
        ok(original, "save session out/saved.alab")
        let script = try read("out/saved.alab")
        XCTAssertEqual(script.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }, [
            "load Samples/iris.csv as flowers id=id label=label",
            "teach \(before) setosa",
            "load model \(path)",
            "teach \(versicolor) versicolor",
            "teach \(virginica) virginica",
        ])
        XCTAssertTrue(recorded.contains("\nload model \(path)\n"), recorded)
        for (name, text) in [("saved", script), ("recorded", recorded)] {
            let replayed = try makeSession()
            let result = Replay.run(script: Script(text: text, file: "\(name).alab"), session: replayed)
            XCTAssertTrue(result.succeeded, "\(name): \(result.errors.map(\.rendered))")
            XCTAssertEqual(replayed.models["m"]?.trainingRows, original.models["m"]?.trainingRows, name)
            XCTAssertEqual(replayed.models["m"]?.fits, original.models["m"]?.fits, name)
            XCTAssertEqual(ok(replayed, "query m 3"), query, name)
            ok(replayed, "predict m to=out/\(name).csv")
            XCTAssertEqual(try read("out/\(name).csv"), try read("out/original.csv"), name)
            if name == "saved" {
                // The form is a fixed point.
                ok(replayed, "save session out/again.alab")
                XCTAssertEqual(try read("out/again.alab"), script)
            }
        }
        // A configuration has no place for a model file: said, not written as another model.
        let config = try XCTUnwrap(original.execute("save config out/c.json").error)
        XCTAssertTrue(config.message.contains("model `m` was loaded from \(path)") && config.message.contains("save session"), config.message)
    }

    /// A loaded model retrained by an answer that was then taken back is not the model in its file:
    /// the saved script retrains it after loading, so the replay predicts as the session did.
    func testSavedSessionRetrainsALoadedModelWhoseAnswerWasUndone() throws {
        let maker = try makeSession()
        ok(maker, "load Samples/iris.csv as flowers id=id label=label")
        ok(maker, "model m features=`petal width (cm)`,`sepal length (cm)` trees=20 test=0.3")
        let path = try XCTUnwrap(ok(maker, "checkpoint m to=models").split(separator: " ").dropFirst().first.map(String.init))
        let pool = maker.poolRows(try XCTUnwrap(maker.models["m"]))
        let early = try XCTUnwrap(pool.first { $0 < 50 }), late = try XCTUnwrap(pool.first { (50..<100).contains($0) })

        let original = try makeSession()
        ok(original, "load Samples/iris.csv as flowers id=id label=label")
        ok(original, "teach \(early) setosa")
        ok(original, "load model \(path)")
        ok(original, "teach \(late) versicolor")
        ok(original, "undo")
        // Retrained twice since loading; it now trains on the file's labels and the first answer.
        XCTAssertEqual(original.models["m"]?.trainingRows, ((maker.models["m"]?.trainingRows ?? []) + [early]).sorted())
        ok(original, "predict m to=out/original.csv")
        ok(original, "save session out/saved.alab")
        let script = try read("out/saved.alab")
        XCTAssertEqual(script.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }, [
            "load Samples/iris.csv as flowers id=id label=label",
            "teach \(early) setosa",
            "load model \(path)",
            "teach \(late) versicolor",
            "undo \(late)",
        ])
        let replayed = try makeSession()
        XCTAssertTrue(Replay.run(script: Script(text: script, file: "saved.alab"), session: replayed).succeeded)
        XCTAssertEqual(replayed.models["m"]?.trainingRows, original.models["m"]?.trainingRows)
        XCTAssertEqual(replayed.models["m"]?.fits, original.models["m"]?.fits)
        ok(replayed, "predict m to=out/replayed.csv")
        // Byte for byte, the version column (m@FITS:LABELS) included.
        XCTAssertEqual(try read("out/replayed.csv"), try read("out/original.csv"))
    }

    /// `retrain every=N` and answers after the model: the saved script sets the cadence where it was
    /// set and gives the answers after the model, so the replay fits as often on the same labels —
    /// the predict file (version column m@FITS:LABELS included) and the history come out the same.
    /// Every model option is written back too (scaling, split, start, target).
    func testSavedSessionReplaysTheSameFitsUnderRetrainEvery() throws {
        let original = try makeSession()
        ok(original, "load Samples/iris.csv as flowers id=id label=label")
        ok(original, "model m classifier=logistic features=`sepal length (cm)`,`petal width (cm)` scaling=robust split=0.6:0.2:0.2 start=random initial=4")
        ok(original, "model v features=`sepal length (cm)`,`petal width (cm)` target=virginica trees=10 start=k-center")
        ok(original, "retrain every=3")
        // Rows neither model holds out or starts from, three of each class, classes interleaved.
        let free = original.poolRows(try XCTUnwrap(original.models["m"]))
            .filter { !(original.models["v"]?.heldOut.contains($0) ?? true) && !(original.models["v"]?.trainingRows.contains($0) ?? true) }
        let byClass = (0..<3).map { c in free.filter { $0 / 50 == c } }
        XCTAssertTrue(byClass.allSatisfy { $0.count >= 3 })
        let pool = (0..<3).flatMap { i in (0..<3).compactMap { byClass[$0].dropFirst(i).first } }
        XCTAssertEqual(pool.count, 9)
        let classes = ["setosa", "versicolor", "virginica"]
        for row in pool.prefix(7) { ok(original, "teach \(row) \(classes[row / 50])") }
        ok(original, "undo")
        ok(original, "teach \(pool[0]) versicolor")      // relabel
        ok(original, "unsure \(pool[7])")
        ok(original, "retrain every=2")
        ok(original, "teach \(pool[8]) \(classes[pool[8] / 50])")
        // Fits in the session: m made (1); answers 1-3 (2), 4-6 (3), 7 + undo + relabel (4), unsure and
        // the last answer under every=2 (5).
        XCTAssertEqual(original.models["m"]?.fits, 5)
        XCTAssertEqual(original.models["v"]?.fits, 5)
        ok(original, "predict m to=out/original-m.csv")
        ok(original, "predict v to=out/original-v.csv")
        let history = ok(original, "history m")
        ok(original, "save session out/saved.alab")
        let script = try read("out/saved.alab")
        XCTAssertTrue(script.contains("split=0.6:0.2:0.2 scaling=robust start=random"), script)
        XCTAssertTrue(script.contains("trees=10 target=virginica start=k-center"), script)

        let replayed = try makeSession()
        let result = Replay.run(script: Script(text: script, file: "saved.alab"), session: replayed)
        XCTAssertTrue(result.succeeded, "\(result.errors.map(\.rendered))")
        XCTAssertEqual(replayed.learning.retrainEvery, 2)
        XCTAssertEqual(replayed.models["m"]?.pendingAnswers, original.models["m"]?.pendingAnswers)
        ok(replayed, "predict m to=out/replayed-m.csv")
        ok(replayed, "predict v to=out/replayed-v.csv")
        XCTAssertEqual(try read("out/replayed-m.csv"), try read("out/original-m.csv"))
        XCTAssertEqual(try read("out/replayed-v.csv"), try read("out/original-v.csv"))
        XCTAssertEqual(ok(replayed, "history m"), history)
        ok(replayed, "save session out/again.alab")
        XCTAssertEqual(try read("out/again.alab"), script)
    }

    /// A row relabelled before the first model and undone after it goes back to its first answer;
    /// the saved script keeps both answers before the model, so the replay undoes to the same.
    func testSavedSessionKeepsARelabelMadeBeforeTheModel() throws {
        let original = try makeSession()
        ok(original, "load Samples/iris.csv as flowers id=id label=label")
        ok(original, "teach 70 virginica")
        ok(original, "teach 70 versicolor")
        ok(original, "teach 71 versicolor")
        ok(original, "model m features=`petal width (cm)`,`sepal length (cm)` trees=20 test=0")
        ok(original, "undo 70")
        XCTAssertEqual(original.answers["flowers"]?[70]?.label, "virginica")
        ok(original, "predict m to=out/original.csv")
        ok(original, "save session out/saved.alab")
        let script = try read("out/saved.alab")
        XCTAssertEqual(script.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }, [
            "load Samples/iris.csv as flowers id=id label=label",
            "teach 70 virginica",
            "teach 70 versicolor",
            "teach 71 versicolor",
            "model m features=\"`petal width (cm)`,`sepal length (cm)`\" test=0 trees=20",
            "undo 70",
        ])
        let replayed = try makeSession()
        XCTAssertTrue(Replay.run(script: Script(text: script, file: "saved.alab"), session: replayed).succeeded)
        XCTAssertEqual(replayed.answers["flowers"]?[70]?.label, "virginica")
        ok(replayed, "predict m to=out/replayed.csv")
        XCTAssertEqual(try read("out/replayed.csv"), try read("out/original.csv"))
        ok(replayed, "save session out/again.alab")
        XCTAssertEqual(try read("out/again.alab"), script)
    }

    func testConfigRoundTripRebuildsAndRetrains() throws {
        let original = try messySession()
        ok(original, "save config out/flowers.json")
        let json = try read("out/flowers.json")
        let document = try JSONReader.parse(json)
        XCTAssertEqual(document["dataset"]?["path"]?.stringValue, "Samples/iris.csv")
        XCTAssertEqual(document["dataset"]?["label"]?.stringValue, "label")
        XCTAssertEqual(document["classes"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["setosa", "versicolor", "virginica"])
        // The plots' Okabe–Ito colours (Okabe & Ito 2008), in class order: blue, orange, bluish green.
        XCTAssertEqual(document["classes"]?.arrayValue?.compactMap { $0["colour"]?.stringValue }, ["#0072B2", "#E69F00", "#009E73"])
        XCTAssertEqual(document["models"]?.arrayValue?.count, 2)
        XCTAssertEqual(document["models"]?.arrayValue?.first?["strategy"]?.stringValue, "entropy")
        XCTAssertEqual(document["answers"]?.arrayValue?.count, 4)

        let loaded = try makeSession()
        ok(loaded, "load config out/flowers.json")
        XCTAssertEqual(ok(loaded, "score m2"), ok(original, "score m2"))
        XCTAssertEqual(loaded.models["m"]?.strategyName, "entropy")
        XCTAssertEqual(loaded.models["m"]?.trees, 30)
        ok(loaded, "save config out/again.json")
        XCTAssertEqual(try read("out/again.json"), json, "saving a loaded configuration gives the same file")
    }

    func testConfigKeepsPlotDefaultsAndEveryModelOption() throws {
        let original = try makeSession()
        ok(original, "load Samples/iris.csv as flowers id=id label=label")
        ok(original, "set plot.cmap=magma plot.style=publication")
        ok(original, "model k classifier=knn k=7 scaling=robust features=`sepal length (cm)`,`petal width (cm)` initial=6")
        ok(original, "save config out/options.json")
        let document = try JSONReader.parse(try read("out/options.json"))
        XCTAssertEqual(document["plot"]?["cmap"]?.stringValue, "magma")
        XCTAssertEqual(document["plot"]?["style"]?.stringValue, "publication")
        let model = try XCTUnwrap(document["models"]?.arrayValue?.first)
        XCTAssertEqual(model["classifier"]?.stringValue, "knn")
        XCTAssertEqual(model["options"]?["k"]?.stringValue, "7")
        XCTAssertEqual(model["options"]?["scaling"]?.stringValue, "robust")

        let loaded = try makeSession()
        ok(loaded, "load config out/options.json")
        XCTAssertEqual(loaded.plotSettings.defaults, original.plotSettings.defaults)
        XCTAssertEqual(ok(loaded, "score k"), ok(original, "score k"))
        ok(loaded, "save config out/options-again.json")
        XCTAssertEqual(try read("out/options-again.json"), try read("out/options.json"))
    }

    func testClassColoursBecomePlotColours() throws {
        let original = try makeSession()
        ok(original, "load Samples/iris.csv as flowers id=id label=label")
        ok(original, "classes setosa versicolor virginica")
        ok(original, "set plot.colors=virginica:#cc79a7")
        ok(original, "save config out/colours.json")
        let document = try JSONReader.parse(try read("out/colours.json"))
        // The chosen colour for virginica; the palette's for the others.
        XCTAssertEqual(document["classes"]?.arrayValue?.compactMap { $0["colour"]?.stringValue }, ["#0072B2", "#E69F00", "#CC79A7"])

        // A hand-edited configuration: a colour in the class list alone reaches the plots.
        guard case .object(var top) = document, case .array(var classes)? = top["classes"],
              case .object(var second) = classes[1] else { return XCTFail("unexpected document shape") }
        second["colour"] = .string("#D55E00")
        classes[1] = .object(second)
        top["classes"] = .array(classes)
        top["plot"] = nil
        try JSONWriter.write(.object(top)).write(to: directory.appendingPathComponent("out/edited.json"),
                                                 atomically: true, encoding: .utf8)
        let loaded = try makeSession()
        ok(loaded, "load config out/edited.json")
        XCTAssertEqual(loaded.plotSettings.defaults["colors"], "versicolor:#D55E00,virginica:#CC79A7")
    }

    func configError(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> Diagnostic {
        try json.write(to: directory.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let session = try makeSession()
        let result = session.execute("load config bad.json")
        let error = try XCTUnwrap(result.error, "expected an error", file: file, line: line)
        XCTAssertNil(session.currentTableName, "a bad configuration changes nothing", file: file, line: line)
        return error
    }

    func testConfigErrorsAreClear() throws {
        var error = try configError(#"{"dataset": {"path": "Samples/iris.csv"}, "modles": []}"#)
        XCTAssertTrue(error.message.contains("bad.json: unknown key \"modles\""), error.message)
        XCTAssertEqual(error.suggestion, "models")

        error = try configError(#"{"dataset": {"path": "Samples/iris.csv"}, "models": [{"name": "m", "features": ["sepal_length"], "strategie": "margin"}]}"#)
        XCTAssertTrue(error.message.contains("models[0]: unknown key \"strategie\""), error.message)
        XCTAssertEqual(error.suggestion, "strategy")

        error = try configError(#"{"dataset": {"path": "Samples/no-such.csv"}}"#)
        XCTAssertTrue(error.message.contains("dataset.path: the dataset Samples/no-such.csv does not exist"), error.message)

        error = try configError(#"{"dataset": {}}"#)
        XCTAssertTrue(error.message.contains("dataset.path: missing"), error.message)

        error = try configError("{\n  \"dataset\": {\"path\": \"Samples/iris.csv\",}\n}")
        XCTAssertTrue(error.message.contains("bad.json:2:"), error.message)

        error = try configError(#"{"dataset": {"path": "Samples/iris.csv"}, "classes": [{"name": "setosa", "colour": "red"}]}"#)
        XCTAssertTrue(error.message.contains("classes[0].colour: expected a colour as #RRGGBB"), error.message)

        error = try configError(#"{"dataset": {"path": "Samples/iris.csv"}, "models": [{"name": "m", "features": ["sepal_length"], "trees": "many"}]}"#)
        XCTAssertTrue(error.message.contains("models[0].trees: expected a whole number"), error.message)
    }

    func testConfigNamingAnUnknownColumnSaysWhere() throws {
        try #"{"dataset": {"path": "Samples/iris.csv", "label": "label"}, "features": [{"name": "ratio", "expression": "`petal length (cm)` / `petal width (cm)`"}], "models": [{"name": "m", "features": ["ratoi"]}]}"#
            .write(to: directory.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let session = try makeSession()
        let error = try XCTUnwrap(session.execute("load config bad.json").error)
        XCTAssertTrue(error.message.contains("bad.json: models[0]: unknown column `ratoi`"), error.message)
        XCTAssertEqual(error.suggestion, "ratio")
        XCTAssertEqual(error.location.column, 13, "the caret points at the file name")
    }

    func testSaveErrors() throws {
        let session = try makeSession()
        XCTAssertTrue(session.execute("save session x.alab").error?.message.contains("nothing to save") == true)
        XCTAssertEqual(session.execute("save sesion x.alab").error?.suggestion, "session")
        XCTAssertTrue(session.execute("save config x.json").error?.message.contains("no table loaded") == true)
    }
}

extension SessionConfigTests {
    /// A configuration that passes the document checks but fails at its model: before anything is
    /// kept it has replaced the table, dropped a feature and stored two answers. All of it is undone.
    func testFailingConfigLeavesTheSessionAndTheStoreAsTheyWere() throws {
        let storePath = directory.appendingPathComponent("labels.sqlite").path
        let session = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: storePath))
        ok(session, "load Samples/iris.csv as flowers id=id label=label")
        ok(session, "feature ratio = `petal length (cm)` / `petal width (cm)`")
        ok(session, "classes setosa versicolor virginica")
        ok(session, "model m features=ratio trees=10")
        ok(session, "teach 7 setosa")
        let columns = session.tables["flowers"]?.columns.map(\.name)
        let answers = session.answers
        let fits = session.models["m"]?.fits
        let history = try session.store.history(dataset: "flowers")
        try #"""
        {"dataset": {"path": "Samples/iris.csv", "name": "flowers", "id": "id", "label": "label"},
         "classes": [{"name": "setosa"}, {"name": "versicolor"}],
         "answers": [{"id": "9", "label": "versicolor"}, {"id": "11", "label": "setosa"}],
         "models": [{"name": "m", "features": ["no_such_feature"]}]}
        """#.write(to: directory.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let error = try XCTUnwrap(session.execute("load config bad.json").error)
        XCTAssertTrue(error.message.contains("bad.json: models[0]"), error.message)

        XCTAssertEqual(session.tableOrder, ["flowers"])
        XCTAssertEqual(session.tables["flowers"]?.columns.map(\.name), columns, "the feature is still there")
        XCTAssertEqual(session.declaredClasses["flowers"]?.names, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(session.answers, answers)
        XCTAssertEqual(session.models["m"]?.features, ["ratio"])
        XCTAssertEqual(session.models["m"]?.fits, fits)
        XCTAssertEqual(try session.store.history(dataset: "flowers"), history, "the store holds none of the config's answers")
        // And the session goes on as before.
        XCTAssertTrue(ok(session, "teach 9 virginica").hasPrefix("9 = virginica (stored"))
    }
}
