import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// The active-learning commands as a user drives them: classifiers and strategies, the teach loop
/// (undo, unsure, skip, relabel, retrain cadence, keyboard loop), labelling mode, simulation,
/// predictions and checkpoints. Iris (Samples/iris.csv) keeps every case small.
final class LearnCommandTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`,`sepal length (cm)`"

    func testEveryClassifierTrainsAndQueries() throws {
        let s = try session()
        for kind in ClassifierKind.memberNames {
            let out = ok(s, "model m_\(kind.replacingOccurrences(of: "-", with: "_")) classifier=\(kind) \(features) trees=10")
            XCTAssertTrue(out.contains("training labels: 6"), out)
            XCTAssertTrue(ok(s, "query m_\(kind.replacingOccurrences(of: "-", with: "_")) 2").contains("rank"))
        }
        XCTAssertTrue(ok(s, "model l classifier=logistic \(features)").contains("logistic regression, standard scaling"))
        XCTAssertTrue(ok(s, "model r classifier=knn scaling=robust \(features)").contains("robust scaling"))
        let error = try XCTUnwrap(s.execute("model x classifier=logistc \(features)").error)
        XCTAssertEqual(error.suggestion, "logistic")
        let scaling = try XCTUnwrap(s.execute("model x classifier=knn scaling=standart \(features)").error)
        XCTAssertEqual(scaling.suggestion, "standard")
    }

    func testCommitteeStrategiesNeedACommittee() throws {
        let s = try session()
        let out = ok(s, "model c committee=3 trees=10 \(features)")
        XCTAssertTrue(out.contains("committee of 3 (forest, forest, forest)"), out)
        XCTAssertTrue(out.contains("strategy: vote-entropy"), out)
        for strategy in ["consensus-entropy", "max-disagreement"] {
            ok(s, "model c2 classifier=committee members=forest,logistic,knn strategy=\(strategy) trees=10 \(features)")
            XCTAssertTrue(ok(s, "query c2 3").contains("c2 asks (\(strategy)"))
        }
        let error = try XCTUnwrap(s.execute("model x strategy=vote-entropy \(features)").error)
        XCTAssertTrue(error.message.contains("needs a committee"), error.message)
        for strategy in StrategyKind.all.filter({ $0.family == .diversity }).map(\.name) {
            ok(s, "model b strategy=\(strategy) trees=10 \(features)")
            let query = ok(s, "query b 4")
            XCTAssertEqual(query.split(separator: "\n").count, 7, query)  // head, header, rule, 4 rows
        }
    }

    /// Ids (iris ids are row numbers) of pool rows of model `m`, from the given class range.
    func poolIDs(_ s: Session, in range: Range<Int>) throws -> [Int] {
        s.poolRows(try XCTUnwrap(s.models["m"])).filter(range.contains)
    }

    func testUndoRelabelAndUnsure() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let ids = try poolIDs(s, in: 50..<100)
        let (a, b) = (ids[0], ids[1])
        XCTAssertTrue(ok(s, "teach \(a) versicolor").contains("m retrained on 7 labels"))
        let relabel = ok(s, "teach \(a) virginica")
        XCTAssertTrue(relabel.contains("relabelled, was versicolor"), relabel)
        XCTAssertTrue(ok(s, "undo").contains("undid \(a) = virginica; now versicolor"))
        XCTAssertTrue(ok(s, "undo").contains("undid \(a) = versicolor; now unlabelled"))
        XCTAssertNotNil(s.execute("undo").error, "nothing left to undo")
        XCTAssertNotNil(s.execute("undo \(a)").error, "no answer left for the row")
        // Unsure: kept out of training, still in the pool (may be asked again).
        let unsure = ok(s, "unsure \(b)")
        XCTAssertTrue(unsure.contains("m retrained on 6 labels"), unsure)
        XCTAssertFalse(try XCTUnwrap(s.models["m"]).trainingRows.contains(b))
        XCTAssertTrue(s.poolRows(try XCTUnwrap(s.models["m"])).contains(b))
    }

    func testSkipLeavesRowOutOfQueries() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let first = try XCTUnwrap(s.models["m"]).lastQuery
        XCTAssertTrue(first.isEmpty)
        ok(s, "query m 1")
        let asked = try XCTUnwrap(s.models["m"]?.lastQuery.keys.first)
        ok(s, "skip \(asked)")
        ok(s, "query m 1")
        XCTAssertNotEqual(s.models["m"]?.lastQuery.keys.first, asked)
    }

    func testRetrainEveryN() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let ids = try poolIDs(s, in: 50..<150)
        XCTAssertTrue(ok(s, "retrain every=3").contains("after every 3 answers"))
        XCTAssertTrue(ok(s, "teach \(ids[0]) versicolor").contains("m retrains after 2 more"))
        XCTAssertTrue(ok(s, "teach \(ids[1]) versicolor").contains("m retrains after 1 more"))
        XCTAssertTrue(ok(s, "query m 1").contains("2 answers not yet trained on"))
        XCTAssertTrue(ok(s, "teach \(ids[2]) virginica").contains("m retrained on 9 labels"))
        XCTAssertTrue(ok(s, "retrain m").contains("m retrained on 9 labels"))
    }

    final class Keys: KeyInput {
        var keys: [Character]
        var shown = 0
        init(_ keys: String) { self.keys = Array(keys) }
        func show(_ outputs: [Output]) { shown += outputs.count }
        func readKey(prompt: String) -> Character? { keys.isEmpty ? nil : keys.removeFirst() }
    }

    func testKeyboardLoopRecordsExplicitAnswers() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        XCTAssertNotNil(s.execute("teach m loop").error, "no keyboard outside the REPL")
        let keys = Keys("2uxzq")
        s.setKeyInput(keys)
        XCTAssertTrue(ok(s, "teach m loop").contains("left the loop after 2 answers"))
        // Each shown row is recorded as the query that showed it, each answer as an explicit line.
        let lines = s.transcript.filter { !$0.hasPrefix("load") && !$0.hasPrefix("model") && !$0.hasPrefix("query") }
        XCTAssertEqual(lines.count, 3, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("teach ") && lines[0].hasSuffix(" versicolor"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("unsure "), lines[1])
        XCTAssertEqual(lines[2], "undo")
        XCTAssertFalse(s.transcript.contains("teach m loop"))
        XCTAssertGreaterThan(keys.shown, 0)
    }

    /// `u` in the keyboard loop: the row is not shown again straight away (the model has learnt nothing
    /// new, so it would come back first); the next row is the one ranked second. Once a label is given,
    /// the unsure row may be asked again.
    func testUnsureRowIsNotAskedAgainUntilTheNextLabel() throws {
        let s = try session()
        ok(s, "model m classifier=logistic \(features)")
        let ranking = ok(s, "query m 2").split(separator: "\n").dropFirst(3).map { String($0.split(separator: " ")[1]) }
        XCTAssertEqual(ranking.count, 2)
        ok(s, "unsure \(ranking[0])")
        let next = ok(s, "query m 1")
        XCTAssertEqual(next.split(separator: "\n").dropFirst(3).first?.split(separator: " ")[1].description, ranking[1], next)
        XCTAssertTrue(next.contains("1 marked unsure held back until the next label"), next)
        let keys = Keys("u")
        s.setKeyInput(keys)
        ok(s, "teach m loop")
        // The loop showed ranking[1] (query), took `u`, then showed a third row: two unsure lines, no repeat.
        let unsure = s.transcript.filter { $0.hasPrefix("unsure ") }
        XCTAssertEqual(unsure, ["unsure \(ranking[0])", "unsure \(ranking[1])"])
        let label = try poolIDs(s, in: 0..<50).first { !ranking.contains(String($0)) }
        ok(s, "teach \(try XCTUnwrap(label)) setosa")
        XCTAssertFalse(ok(s, "query m 1").contains("held back"))
    }

    /// `query M N show=COLUMNS`: the user's extra columns after the catalogue's label, the values of
    /// the file's row with that id; kept for later queries, cleared by show=none, misspelt names suggested.
    func testQueryShowsExtraColumns() throws {
        let s = try session()
        ok(s, "model m classifier=logistic \(features)")
        let out = ok(s, "query m 3 show=`sepal width (cm)`")
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[1].contains("catalogue") && lines[1].hasSuffix("sepal width (cm)"), lines[1])
        let csv = try String(contentsOf: Self.root.appendingPathComponent("Samples/iris.csv"), encoding: .utf8)
        var sepalWidth: [String: String] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            sepalWidth[fields[0]] = fields[2]
        }
        for line in lines.dropFirst(3) {
            let cells = line.split(separator: " ").map(String.init)
            XCTAssertEqual(cells.last.flatMap(Double.init), sepalWidth[cells[1]].flatMap(Double.init), line)
        }
        XCTAssertTrue(ok(s, "query m 1").split(separator: "\n")[1].hasSuffix("sepal width (cm)"), "kept for the model")
        XCTAssertTrue(ok(s, "query m 1 show=none").split(separator: "\n")[1].hasSuffix("catalogue"))
        XCTAssertEqual(s.execute("query m 1 show=`sepal widht (cm)`").error?.suggestion, "sepal width (cm)")
    }

    /// `target=each`: one one-vs-rest model per class, sharing one split and one start (a row is in
    /// training, or held out, for all of them), each labelling its rows class-vs-other (iris: rows 0-49
    /// setosa, 50-99 versicolor, 100-149 virginica), each with its own metrics; a saved session
    /// rebuilds the three.
    func testOneVsRestModelPerClass() throws {
        let s = try session()
        let out = ok(s, "model m target=each classifier=logistic split=0.6:0.2:0.2 \(features)")
        XCTAssertTrue(out.contains("one-vs-rest: 3 models, m-setosa, m-versicolor, m-virginica"), out)
        let names = ["setosa", "versicolor", "virginica"]
        let models = try names.map { try XCTUnwrap(s.models["m-\($0)"]) }
        for (c, model) in models.enumerated() {
            XCTAssertEqual(model.classes, [names[c], "other"])
            XCTAssertEqual(model.testRows, models[0].testRows)
            XCTAssertEqual(model.validationRows, models[0].validationRows)
            XCTAssertEqual(model.trainingRows, models[0].trainingRows)
            XCTAssertEqual(model.trainingLabels, model.trainingRows.map { $0 / 50 == c ? 0 : 1 })
        }
        XCTAssertEqual(Set(models[0].trainingRows.map { $0 / 50 }), [0, 1, 2], "every class in the start")
        let row = try XCTUnwrap(s.poolRows(models[0]).first { $0 >= 100 })
        let taught = ok(s, "teach \(row) virginica")
        XCTAssertTrue(taught.contains("m-setosa retrained") && taught.contains("m-versicolor retrained") && taught.contains("m-virginica retrained"), taught)
        XCTAssertTrue(ok(s, "score m-virginica on=validation").contains("virginica"))
        // `score m`: one row per label, the row of each model's own class in its full score; the
        // 30-row iris test set of split=0.6:0.2:0.2 holds 10 of each class.
        let summary = ok(s, "score m").split(separator: "\n").map(String.init)
        XCTAssertEqual(summary.count, 6, summary.joined(separator: "\n"))
        for (c, name) in names.enumerated() {
            let row = summary[3 + c].split(separator: " ").map(String.init)
            XCTAssertEqual(Array(row.prefix(3)), ["m-\(name)", name, "test"])
            XCTAssertEqual(row.last, "10")
            let own = try XCTUnwrap(ok(s, "score m-\(name)").split(separator: "\n").first { $0.hasPrefix(name + " ") })
            // The full score's row: precision, recall, f1, AP, support; the summary has no AP.
            let cells = own.split(separator: " ").dropFirst().map(String.init)
            XCTAssertEqual(cells.count, 5, String(own))
            XCTAssertEqual(Array(row.suffix(4)), Array(cells.prefix(3)) + cells.suffix(1))
        }
        XCTAssertEqual(s.execute("model z target=eech \(features)").error?.suggestion, "each")
        ok(s, "save session \(directory.path)/ovr.alab")
        let script = try String(contentsOfFile: directory.path + "/ovr.alab", encoding: .utf8)
        let replayed = try Session(options: SessionOptions(workingDirectory: directory.path))
        XCTAssertTrue(Replay.run(script: Script(text: script, file: "ovr.alab"), session: replayed).succeeded)
        for name in names {
            XCTAssertEqual(replayed.models["m-\(name)"]?.trainingRows, s.models["m-\(name)"]?.trainingRows)
            XCTAssertEqual(replayed.models["m-\(name)"]?.testRows, s.models["m-\(name)"]?.testRows)
        }
    }

    /// Three copies of logistic regression are one model three times: vote entropy is 0 everywhere,
    /// which the model command says; forests with different seeds are a real committee.
    func testCommitteeOfIdenticalMembersIsWarnedAbout() throws {
        let s = try session()
        let same = s.execute("model c committee=3 classifier=logistic strategy=vote-entropy \(features)")
        XCTAssertNil(same.error)
        let warnings = same.outputs.compactMap { if case .warning(let w) = $0 { return w } else { return nil } }
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings.first?.contains("members of `c` are identical") == true, "\(warnings)")
        let query = ok(s, "query c 3")
        let scores = query.split(separator: "\n").dropFirst(3).compactMap { $0.split(separator: " ").map(String.init).dropLast().last.flatMap(Double.init) }
        XCTAssertEqual(scores, [0, 0, 0], query)
        let forests = s.execute("model f committee=3 trees=10 strategy=vote-entropy \(features)")
        XCTAssertFalse(forests.outputs.contains { if case .warning = $0 { return true } else { return false } })
    }

    /// Under `retrain every=N`, a row answered since the last fit is not asked again (the keyboard
    /// loop showed the row just answered straight back); the keyboard loop of a one-vs-rest model
    /// answers with the table's classes (key 2 was `other`, which is no class).
    func testPendingAnswersAreNotAskedAgainAndOneVsRestLoopKeys() throws {
        let s = try session()
        ok(s, "model m classifier=logistic \(features)")
        ok(s, "retrain every=3")
        let first = ok(s, "query m 2").split(separator: "\n").dropFirst(3).map { String($0.split(separator: " ")[1]) }
        let row = try XCTUnwrap(Int(first[0]))
        ok(s, "teach \(row) \(["setosa", "versicolor", "virginica"][row / 50])")
        XCTAssertEqual(s.models["m"]?.pendingAnswers, 1)
        let next = ok(s, "query m 1")
        XCTAssertEqual(next.split(separator: "\n").dropFirst(3).first?.split(separator: " ")[1].description, first[1], next)
        XCTAssertTrue(next.contains("1 answer not yet trained on"), next)

        ok(s, "model v target=virginica classifier=logistic \(features)")
        ok(s, "retrain every=1")
        s.setKeyInput(Keys("3q"))
        ok(s, "teach v loop")
        let last = try XCTUnwrap(s.transcript.last { $0.hasPrefix("teach ") })
        XCTAssertTrue(last.hasSuffix(" virginica"), last)
    }

    /// Inputs that were taken silently (an empty strategy list gave an empty table, a budget below the
    /// starting labels a one-point curve, a stray query argument was ignored, `load model` alone read
    /// a file called `model`): each an error naming the option.
    func testSimulateQueryAndLoadModelRefuseBadInput() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let budget = try XCTUnwrap(s.execute("simulate m budget=5").error)
        XCTAssertTrue(budget.message.contains("budget=5 is not above the 6 starting labels"), budget.message)
        XCTAssertTrue(try XCTUnwrap(s.execute("simulate m budget=10 strategies=,").error).message.hasPrefix("strategies= names no strategy"))
        XCTAssertTrue(try XCTUnwrap(s.execute("query m 1 2").error).message.hasPrefix("unexpected `2`"))
        XCTAssertEqual(s.execute("load model").error?.message, "expected a file path: load model PATH")
    }

    /// When the pool runs out (every row skipped), the keyboard loop stops instead of asking about the
    /// last row again: four pool rows, four skips, and the remaining keys are not used.
    func testKeyboardLoopEndsWhenThePoolRunsOut() throws {
        let csv = "id,a,label\n0,0.1,x\n1,0.2,y\n2,0.3,?\n3,0.4,?\n4,0.5,?\n5,0.6,?\n"
        let path = directory.appendingPathComponent("tiny.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(path) as tiny id=id label=label")
        ok(s, "classes x y unknown=?")
        ok(s, "model m features=a initial=2 test=0 trees=5")
        let keys = Keys("ssssssss")
        s.setKeyInput(keys)
        ok(s, "teach m loop")
        XCTAssertEqual(Set(s.transcript.filter { $0.hasPrefix("skip ") }), ["skip 2", "skip 3", "skip 4", "skip 5"])
        XCTAssertEqual(s.transcript.filter { $0.hasPrefix("skip ") }.count, 4)
        XCTAssertEqual(keys.keys.count, 4, "the loop stopped after the fourth skip")
    }

    func testLabellingModeBuildsACuratedTestSet() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let found = ok(s, "find where `petal length (cm)` > 5")
        let id = try XCTUnwrap(found.split(separator: " ").dropFirst().first.map(String.init))
        XCTAssertFalse(found.contains("virginica"), "the label column is not shown")
        let again = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(again, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as iris id=id label=label")
        XCTAssertEqual(ok(again, "find where `petal length (cm)` > 5"), found, "seeded draw")
        // A table's draws do not depend on draws in other tables (saved sessions group lines by table).
        let other = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(other, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as first id=id label=label")
        ok(other, "find where `petal length (cm)` > 5")
        ok(other, "find where `petal length (cm)` > 5")
        ok(other, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as iris id=id label=label")
        XCTAssertEqual(ok(other, "find where `petal length (cm)` > 5"), found, "draws in `first` changed iris's draw")
        ok(s, "teach \(id) virginica")
        XCTAssertTrue(ok(s, "testset use").contains("test set is now the 1 row labelled"))
        XCTAssertEqual(s.models["m"]?.testRows.count, 1)
        XCTAssertTrue(ok(s, "score m").contains("test set (1 row)"))
        XCTAssertNotNil(s.execute("find petal").error)
    }

    func testSimulationIsDeterministicAndPlots() throws {
        let line = "simulate m budget=20 repeats=2 strategies=random,margin,entropy to=curves.png"
        var outputs: [String] = []
        for _ in 0..<2 {
            let s = try session()
            ok(s, "model m classifier=logistic \(features)")
            outputs.append(ok(s, line))
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertTrue(outputs[0].contains("6 → 20 labels"), outputs[0])
        for strategy in ["random", "margin", "entropy"] { XCTAssertTrue(outputs[0].contains(strategy)) }
        let png = try Data(contentsOf: directory.appendingPathComponent("curves.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let s = try session()
        ok(s, "model m \(features)")
        XCTAssertNotNil(s.execute("simulate m strategies=margn").error)
        XCTAssertNotNil(s.execute("simulate m oracle=nope").error)
    }

    func testPredictWritesEveryPoolRow() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        XCTAssertTrue(ok(s, "predict m to=out/pred.csv").contains("version m@1:6"))
        let lines = try String(contentsOf: directory.appendingPathComponent("out/pred.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "id,predicted,p_setosa,p_versicolor,p_virginica,uncertainty,model")
        XCTAssertEqual(lines.count - 1, s.poolRows(try XCTUnwrap(s.models["m"])).count)
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",")
            let p = cells[2...4].compactMap { Double($0) }
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-9)
        }
    }

    func testCheckpointReloadsTheSameModel() throws {
        let s = try session()
        ok(s, "model m classifier=boosting estimators=20 \(features)")
        ok(s, "teach \(try poolIDs(s, in: 50..<100)[0]) versicolor")
        let written = ok(s, "checkpoint m to=models")
        XCTAssertTrue(written.contains("models/m-label-boosting-margin-7labels-f1_"), written)
        let path = try XCTUnwrap(written.split(separator: " ").dropFirst().first.map(String.init))
        ok(s, "predict m to=a.csv")
        let other = try session()
        let loaded = ok(other, "load model \(path)")
        XCTAssertTrue(loaded.contains("loaded model m: gradient boosting") && loaded.contains("no refit"), loaded)
        ok(other, "predict m to=b.csv")
        // The whole training history comes back, scored as it was.
        XCTAssertEqual(other.models["m"]?.history.count, 2)
        XCTAssertEqual(ok(other, "history m on=test"), ok(s, "history m on=test"))
        let a = try Data(contentsOf: directory.appendingPathComponent("a.csv"))
        let b = try Data(contentsOf: directory.appendingPathComponent("b.csv"))
        XCTAssertEqual(a, b)
        XCTAssertNotNil(other.execute("load model nothing.json").error)
        // Answers after loading retrain it exactly as the original session would.
        let next = try poolIDs(s, in: 100..<150)[0]
        ok(s, "teach \(next) virginica"); ok(other, "teach \(next) virginica")
        ok(s, "predict m to=c.csv"); ok(other, "predict m to=d.csv")
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("c.csv")),
                       try Data(contentsOf: directory.appendingPathComponent("d.csv")))
        XCTAssertEqual(ok(other, "history m"), ok(s, "history m"))
    }

    /// Every classifier kind, and a committee, comes back from its file with the same
    /// probabilities bit for bit, without a refit: the fitted model in the file is what predicts
    /// (a file whose labels were changed still predicts as saved).
    func testEveryKindRestoresTheFittedModelWithoutRefitting() throws {
        let s = try session()
        let kinds = ClassifierKind.memberNames
        var models: [(name: String, spec: String)] = kinds.map { ("m_" + $0.replacingOccurrences(of: "-", with: "_"), "classifier=\($0)") }
        models.append(("c", "committee=3"))
        models.append(("cm", "classifier=committee members=forest,logistic,knn strategy=consensus-entropy"))
        models.append(("ovr", "classifier=boosting target=versicolor scaling=robust"))
        for (name, spec) in models {
            ok(s, "model \(name) \(spec) trees=7 estimators=10 split=0.5:0.25:0.25 \(features)")
            let written = ok(s, "checkpoint \(name) to=models")
            XCTAssertTrue(written.contains("validation macro F1"), written)
            let path = try XCTUnwrap(written.split(separator: " ").dropFirst().first.map(String.init))
            ok(s, "predict \(name) to=\(name)-a.csv")
            // Relabel every training row in the file: a refit would now give another model.
            let url = directory.appendingPathComponent(path)
            var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            XCTAssertEqual(json["format"] as? String, "astrolabe-model-2")
            let labels = try XCTUnwrap(json["trainingLabels"] as? [String])
            let first = try XCTUnwrap((json["classes"] as? [String])?.first)
            json["trainingLabels"] = labels.map { _ in first }
            try JSONSerialization.data(withJSONObject: json).write(to: url)
            let other = try session()
            XCTAssertTrue(ok(other, "load model \(path)").contains("no refit"))
            ok(other, "predict \(name) to=\(name)-b.csv")
            XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("\(name)-a.csv")),
                           try Data(contentsOf: directory.appendingPathComponent("\(name)-b.csv")), name)
            XCTAssertEqual(other.models[name]?.validationRows, s.models[name]?.validationRows)
        }
    }

    func testFormatOneFilesRefitAndDamagedFilesAreNamed() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        ok(s, "teach \(try poolIDs(s, in: 50..<100)[0]) versicolor")
        let path = try XCTUnwrap(ok(s, "checkpoint m to=models").split(separator: " ").dropFirst().first.map(String.init))
        ok(s, "predict m to=a.csv")
        let url = directory.appendingPathComponent(path)
        let bytes = try Data(contentsOf: url)
        // Format 1: the spec and labels only (what earlier versions wrote); refitted on load.
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        for key in ["fitted", "history", "validationIDs", "initialIDs", "askedIDs"] { json[key] = nil }
        json["format"] = "astrolabe-model-1"
        try JSONSerialization.data(withJSONObject: json).write(to: directory.appendingPathComponent("old.json"))
        let other = try session()
        XCTAssertTrue(ok(other, "load model old.json").contains("refitted from a format-1 file"))
        ok(other, "predict m to=b.csv")
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("a.csv")),
                       try Data(contentsOf: directory.appendingPathComponent("b.csv")))
        // Truncated, damaged inside, or of an unknown format: an error naming the file.
        try bytes.prefix(bytes.count / 2).write(to: directory.appendingPathComponent("cut.json"))
        let cut = try XCTUnwrap(other.execute("load model cut.json").error)
        XCTAssertTrue(cut.message.contains("cut.json") && cut.message.contains("not complete JSON"), cut.message)
        var damaged = try XCTUnwrap(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        var fitted = try XCTUnwrap(damaged["fitted"] as? [String: Any])
        var model = try XCTUnwrap(fitted["model"] as? [String: Any])
        model["medians"] = [1.0]
        fitted["model"] = model
        damaged["fitted"] = fitted
        try JSONSerialization.data(withJSONObject: damaged).write(to: directory.appendingPathComponent("bad.json"))
        let bad = try XCTUnwrap(other.execute("load model bad.json").error)
        XCTAssertTrue(bad.message.contains("bad.json is damaged"), bad.message)
        json["format"] = "astrolabe-model-9"
        try JSONSerialization.data(withJSONObject: json).write(to: directory.appendingPathComponent("new.json"))
        let future = try XCTUnwrap(other.execute("load model new.json").error)
        XCTAssertTrue(future.message.contains("new.json has format `astrolabe-model-9`"), future.message)
    }

    /// Answers are in the store before the command returns: a session that vanishes without
    /// closing anything (as in a crash) loses none of them.
    func testAnswersSurviveAnAbandonedSession() throws {
        let store = directory.appendingPathComponent("labels.sqlite").path
        do {
            let s = try session(store: store)
            ok(s, "teach 60 versicolor")
            ok(s, "unsure 61")
            ok(s, "teach 62 versicolor")
            ok(s, "undo")
        }
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: store))
        let restored = ok(s, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as iris id=id label=label")
        XCTAssertTrue(restored.contains("restored 2 answers"), restored)
    }
}

extension LearnCommandTests {
    func testColdStartsAndOneVsRest() throws {
        let s = try session()
        ok(s, "model a start=random initial=5 trees=10 \(features)")
        XCTAssertEqual(s.models["a"]?.initialRows.count, 5)
        ok(s, "model b start=k-center initial=4 trees=10 \(features)")
        let b = try XCTUnwrap(s.models["b"])
        // Four spread-out rows, plus one per class the spread missed: every class is present.
        let classes = Set(b.trainingLabels)
        XCTAssertEqual(classes, [0, 1, 2])
        XCTAssertGreaterThanOrEqual(b.initialRows.count, 4)
        XCTAssertEqual(try XCTUnwrap(s.execute("model c start=kcenter \(features)").error).suggestion, "k-center")
        // A stratified start smaller than the number of classes still has one row of each (iris: rows
        // 0-49 setosa, 50-99 versicolor, 100-149 virginica); initial=0 stays empty.
        let raised = ok(s, "model d initial=1 trees=10 \(features)")
        XCTAssertTrue(raised.contains("initial=1 raised to 3"), raised)
        XCTAssertEqual(try XCTUnwrap(s.models["d"]).initialRows.map { $0 / 50 }.sorted(), [0, 1, 2])
        ok(s, "model e initial=0 trees=10 \(features)")
        XCTAssertEqual(s.models["e"]?.initialRows, [])
        let ovr = ok(s, "model v target=virginica trees=10 \(features)")
        XCTAssertTrue(ovr.contains("one-vs-rest for virginica"), ovr)
        XCTAssertTrue(ovr.contains("classes: virginica, other"), ovr)
        XCTAssertTrue(ok(s, "score v").contains("other"))
        XCTAssertTrue(ok(s, "simulate v budget=12 repeats=1").contains("margin"))
    }
}
