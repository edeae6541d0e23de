import XCTest
@testable import AstrolabeKernel

/// The provenance each verb declares (`Verb.provenance`) is true: verbs that say they only read or
/// only write files leave the session as it was, and everything the stateful verbs do comes back
/// from `save session` (and, for one dataset, `save config`).
final class ProvenanceTests: IrisSessionTestCase {
    /// One representative invocation per verb declared `readsOnly` or `writesFiles`, run in the
    /// session `prepared()` makes. A verb declared so without an entry here fails the walk.
    static let examples: [String: String] = [
        "columns": "columns", "head": "head 3", "describe": "describe", "help": "help load", "tables": "tables",
        "query": "query m 2", "labels": "labels", "score": "score m", "history": "history m", "stopping": "stopping m",
        "simulate": "simulate m budget=10 repeats=1", "show": "show plot",
        "plot": "plot scatter sl pw to=out/p.png", "replot": "replot to=out/r.png",
        "overlay": "overlay curve y = 0.5 * x", "figure": "figure 1x2 to=out/f.png",
        "save": "save session out/s.alab", "record": "record out/rec.alab", "export": "export out/t.csv",
        "checkpoint": "checkpoint m to=out/ck", "predict": "predict m to=out/pred.csv",
        "agreement": "agreement to=out/kappa.png", "rules": "rules",
        "match": "match iris self radius=1arcsec ra=sl dec=pw",
        // Offline (see setUp): the survey cutout is the grey placeholder, with a warning.
        "image": "image 7 survey=CDS/P/DSS2/red ra=sl dec=pw to=out/c.png",
    ]

    // No test reaches the network: a survey cutout not in the cache is a placeholder here.
    override func setUp() { super.setUp(); setenv("ASTROLABE_OFFLINE", "1", 1) }
    override func tearDown() { unsetenv("ASTROLABE_OFFLINE"); super.tearDown() }

    /// iris with features, classes, a model that has answers, a view and a plot.
    func prepared() throws -> Session {
        let s = try session()
        ok(s, "feature sl = `sepal length (cm)`")
        ok(s, "feature pw = `petal width (cm)`")
        ok(s, "classes setosa versicolor virginica")
        ok(s, "model m features=sl,pw")
        ok(s, "teach 7 setosa")
        ok(s, "unsure 120")
        ok(s, "annotator bob")
        ok(s, "teach 7 versicolor")
        ok(s, "teach 8 setosa")
        ok(s, "annotator user")
        ok(s, "teach 8 setosa")
        ok(s, "where pw > 1 as wide")
        ok(s, "use iris")
        ok(s, "plot scatter sl pw to=out/first.png")
        return s
    }

    func testVerbsDeclaredReadOnlyOrWritingFilesLeaveTheSessionAsItWas() throws {
        for verb in VerbCatalog.all {
            switch verb.provenance {
            case .noted, .keptInState:
                continue
            case .readsOnly, .writesFiles:
                guard let example = Self.examples[verb.name] else {
                    XCTFail("`\(verb.name)` declares it changes nothing, but ProvenanceTests.examples has no invocation to check it")
                    continue
                }
                XCTAssertEqual(verb.name, example.split(separator: " ").first.map(String.init), "example of `\(verb.name)`")
                let s = try prepared()
                let before = SessionFingerprint(s).text
                ok(s, example)
                XCTAssertEqual(SessionFingerprint(s).text, before, "`\(example)` changed the session, but `\(verb.name)` is not declared as changing it")
            }
        }
    }

    /// The verbs the round trip must use: every one that changes state.
    static var statefulVerbs: Set<String> {
        Set(VerbCatalog.all.filter {
            switch $0.provenance {
            case .noted, .keptInState: return true
            case .readsOnly, .writesFiles: return false
            }
        }.map(\.name))
    }

    /// A session using every state-changing verb and sub-form: two tables joined, features and
    /// combinations, views made by `where` and `sample` with models on them, answers given,
    /// retracted and skipped, retraining on a cadence, a curated test set and a model from a file.
    func everyStatefulVerb() throws -> (session: Session, lines: [String]) {
        let s = try session()
        var lines: [String] = []
        @discardableResult func run(_ line: String) -> String {
            lines.append(line)
            return ok(s, line)
        }
        run("feature sl = `sepal length (cm)`")
        run("feature sw = `sepal width (cm)`")
        run("feature pl = `petal length (cm)`")
        run("feature pw = `petal width (cm)`")
        run("features combine subtract sl sw pl")
        run("load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as extra id=id")
        run("feature area = `petal length (cm)` * `petal width (cm)`")
        run("use iris")
        run("join extra on=id")
        run("classes setosa versicolor virginica")
        run("model base features=sl-sw,pw,area")
        run("rule small: setosa when pw < 0.8")
        run("rule big: virginica when pw > 1.7")
        run("rule mid: versicolor when pw > 1 and pw < 1.6")
        run("rule odd: setosa when sl > 7")
        run("rule drop odd")
        run("labelmodel fit method=majority")
        run("model weak features=sl-sw,pw weak=labelmodel weak_min=0.9")
        run("teach 7 setosa")
        run("unsure 120")
        run("import labelstudio \(Self.root.appendingPathComponent("Tests/AstrolabeKernelTests/Fixtures/labelstudio/export.json").path)")
        Session.labelStudioServer = OneWebhook()
        defer { Session.labelStudioServer = nil }
        run("serve labelstudio base")
        run("where pw > 1 as wide")
        run("feature ratio = pl / pw")
        run("model onwide features=sl-pl,ratio strategy=entropy")
        run("teach 88 virginica")
        run("skip 63")
        run("teach 61 versicolor")
        run("undo")
        run("use iris")
        run("sample 60 seed=3 as=few")
        run("model onfew features=sw-pl,pw")
        run("use iris")
        run("retrain every=2")
        run("teach 140 virginica")
        run("teach 141 virginica")
        run("annotator bob")
        run("teach 140 versicolor confidence=0.6 note=\"looks odd\"")
        run("gold policy=majority adjudicator=bob")
        run("annotator user")
        run("retrain base")
        run("audit base folds=3")
        run("retrain every=1")
        let drawn = run("find where pw > 2")
        let id = try XCTUnwrap(drawn.split(separator: " ").dropFirst().first.map(String.init))
        run("teach \(id) virginica")
        run("testset use base")
        let written = ok(s, "checkpoint onwide to=ck")
        let path = try XCTUnwrap(written.split(separator: " ").dropFirst().first.map(String.init))
        run("load model \(path)")
        run("teach 100 versicolor")
        run("set plot.size=3")
        run("sed bands=sl:400nm,sw:500nm unit=Jy")
        run("use wide")
        return (s, lines)
    }

    func testSavedSessionReplaysToTheSameState() throws {
        let (original, lines) = try everyStatefulVerb()
        let used = Set(lines.compactMap { $0.split(separator: " ").first.map(String.init) })
        XCTAssertEqual(Self.statefulVerbs.subtracting(used), [], "state-changing verbs the round trip does not exercise")
        XCTAssertEqual(original.models.count, 4)
        ok(original, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        let replayed = try Session(options: SessionOptions(workingDirectory: directory.path))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNil(replayed.execute(String(line)).error, "replaying `\(line)` failed; the script:\n\(script)")
        }
        XCTAssertEqual(SessionFingerprint(replayed).text, SessionFingerprint(original).text, "the script:\n\(script)")
    }

    /// A view of a table loaded again since cannot be made again: saving says so instead of dropping it silently.
    func testSavingAViewOfAReloadedTableSaysItIsNotSaved() throws {
        let s = try session()
        ok(s, "where `petal width (cm)` > 1 as wide")
        ok(s, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as iris id=id label=label")
        ok(s, "use wide")
        let result = s.execute("save session lost.alab")
        XCTAssertNil(result.error)
        XCTAssertTrue(result.outputs.contains { if case .warning(let text) = $0 { text.contains("not saved: wide") } else { false } },
                      "\(result.outputs)")
        let script = try String(contentsOf: directory.appendingPathComponent("lost.alab"), encoding: .utf8)
        XCTAssertFalse(script.contains("use wide"), script)
    }

    /// What one JSON dataset cannot hold is refused with the way out, never left out.
    func testConfigurationRefusesJoinsAndColumnsOfAView() throws {
        let joined = try session()
        ok(joined, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as extra id=id")
        ok(joined, "use iris")
        ok(joined, "join extra on=id")
        let refused = try XCTUnwrap(joined.execute("save config j.json").error)
        XCTAssertTrue(refused.message.contains("joined with `extra`") && refused.message.contains("save session"), refused.message)

        let viewed = try session()
        ok(viewed, "where `petal width (cm)` > 1 as wide")
        ok(viewed, "feature pw = `petal width (cm)`")
        let refusedView = try XCTUnwrap(viewed.execute("save config v.json").error)
        XCTAssertTrue(refusedView.message.contains("view `wide` has columns of its own"), refusedView.message)
    }

    func testSavedConfigurationReloadsTheSameDatasetViewsAndModels() throws {
        let original = try session()
        for line in ["feature sl = `sepal length (cm)`", "feature pw = `petal width (cm)`", "feature pl = `petal length (cm)`",
                     "features combine subtract sl pl pw", "classes setosa versicolor virginica",
                     "rule small: setosa when pw < 0.8", "rule big: virginica when pw > 1.7",
                     "rule mid: versicolor when pw > 1 and pw < 1.6", "labelmodel fit balance=1,1,1",
                     "model base features=sl-pl,pw weak=labelmodel", "teach 7 setosa", "unsure 120",
                     "where pw > 1 as wide", "model onwide features=pl-pw,sl", "teach 88 virginica",
                     "sample 50 seed=9 as=few", "model onfew features=sl-pw,pl", "set plot.size=3", "use wide"] {
            ok(original, line)
        }
        XCTAssertEqual(original.models.count, 3)
        ok(original, "save config c.json")
        let loaded = try Session(options: SessionOptions(workingDirectory: directory.path))
        let outputs = loaded.execute("load config c.json")
        XCTAssertNil(outputs.error)
        // A warning here means a model's labelled rows did not come back (e.g. read as rows of the wrong table).
        XCTAssertEqual(outputs.outputs.filter { if case .warning = $0 { true } else { false } }.count, 0, "\(outputs.outputs)")
        // A configuration rebuilds the models from the final answers: each fits once.
        XCTAssertEqual(SessionFingerprint(loaded, fits: false).text, SessionFingerprint(original, fits: false).text)
    }
}

/// What a replay must rebuild, as text (so a difference shows where): every table with its
/// columns, a checksum of their values, rows, roles and base; the current table; classes, answers,
/// skips and draws; models with their table, features, training rows and (optionally) fit count;
/// the retraining cadence and plot defaults.
struct SessionFingerprint {
    var text: String

    init(_ session: Session, fits: Bool = true) {
        var lines = ["current: \(session.currentTableName ?? "-")", "retrain every: \(session.learning.retrainEvery)",
                     "annotator: \(session.annotator), \(session.goldLine)",
                     "plot: \(session.plotSettings.defaults.sorted { $0.key < $1.key })",
                     "seds: \(session.cutouts.seds.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.line)" })"]
        for name in session.tables.keys.sorted() {
            guard let table = session.tables[name] else { continue }
            lines.append("table \(name): \(table.rowCount) rows, id=\(table.idColumn ?? "-"), label=\(table.labelColumn ?? "-"), "
                         + "view of \(session.viewBases[name] ?? "-"), classes \(session.declaredClasses[name].map(Session.classesLine) ?? "-")")
            for column in table.columns {
                let sum = (column.numbers ?? []).filter { !$0.isNaN }.reduce(0, +)
                lines.append("  column \(column.name) \(column.kind.rawValue) \(sum)")
            }
            let given = (session.answers[name] ?? [:]).sorted { $0.key < $1.key }
            lines.append("  answers " + given.map { "\($0.key):\($0.value.label ?? "unsure")" }.joined(separator: " "))
            lines.append("  skipped \((session.learning.skipped[name] ?? []).sorted()) found \(session.learning.found[name] ?? [])")
            lines.append("  rules \((session.ruleState.rules[name] ?? []).map(\.line))")
            if let fit = session.ruleState.fits[name] {
                lines.append("  label model \(fit.method.rawValue) \(fit.ruleNames) \(fit.model.labels.map(String.init).joined(separator: ","))")
            }
            let team = (session.team.answers[name] ?? [:]).sorted { $0.key < $1.key }
            lines.append("  team " + team.map { id, records in
                id + ":" + records.map { "\($0.annotator)=\($0.label ?? "unsure")/\($0.confidence ?? -1)/\($0.note ?? "")" }.joined(separator: ",")
            }.joined(separator: " "))
        }
        for name in session.models.keys.sorted() {
            guard let model = session.models[name] else { continue }
            lines.append("model \(name) on \(model.tableName): \(model.features) \(model.strategyName) trained on \(model.trainingRows.sorted()) "
                         + "test \(model.testRows.count)" + (fits ? " fits \(model.fits)" : "")
                         + " audit " + SessionFingerprint.auditLine(model.audit))
        }
        text = lines.joined(separator: "\n")
    }

    /// The audit's folds and flagged rows, or "-".
    static func auditLine(_ audit: ModelAudit?) -> String {
        guard let audit else { return "-" }
        let flagged: [Int] = audit.issues.flagged.indices.filter { audit.issues.flagged[$0] }
        return "\(audit.folds) folds, flagged \(flagged)"
    }
}

/// `serve` for the round trip: one annotation arrives (straight to the protocol, no HTTP), then it stops.
struct OneWebhook: LabelStudioServing {
    func serve(_ backend: LabelStudioBackend) throws -> String {
        let body = #"{"action": "ANNOTATION_CREATED", "task": {"id": 1, "data": {"id": "57"}}, "annotation": {"id": 5, "#
            + #""completed_by": {"id": 3, "email": "carol@x.org"}, "result": [{"from_name": "label", "to_name": "id", "#
            + #""type": "choices", "value": {"choices": ["versicolor"]}}]}}"#
        let reply = backend.handle(method: "POST", path: "/webhook", body: Array(body.utf8))
        return "stopped (\(reply.status))"
    }
}
