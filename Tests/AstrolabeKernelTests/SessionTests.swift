import XCTest
@testable import AstrolabeKernel

/// Behaviour of the command language through `Session.execute`, as a user sees it.
final class SessionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func makeSession(store: String? = nil) throws -> Session {
        try Session(options: SessionOptions(workingDirectory: directory.path, storePath: store))
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return name
    }

    func text(_ execution: Execution) -> String {
        execution.outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
    }

    @discardableResult
    func ok(_ session: Session, _ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> Execution {
        let result = session.execute(line)
        XCTAssertNil(result.error, "`\(line)` failed: \(result.error?.rendered ?? "")", file: file, line: lineNumber)
        return result
    }

    var irisPath: String { Self.root.appendingPathComponent("Samples/iris.csv").path }

    func testUnknownVerbPointsAtItAndSuggests() throws {
        let session = try makeSession()
        let error = try XCTUnwrap(session.execute("  lod data.csv", location: SourceLocation(file: "s.alab", line: 4, column: 1)).error)
        XCTAssertEqual(error.location, SourceLocation(file: "s.alab", line: 4, column: 3))
        XCTAssertEqual(error.length, 3)
        XCTAssertEqual(error.suggestion, "load")
        XCTAssertEqual(error.description, "s.alab:4:3: unknown command `lod`; did you mean `load`?")
        XCTAssertTrue(error.rendered.hasSuffix("\n    lod data.csv\n    ^^^"), error.rendered)
    }

    func testUnknownOptionAndColumnSuggestNearestNames() throws {
        let session = try makeSession()
        ok(session, "load \(irisPath) as iris id=id label=label")
        let option = try XCTUnwrap(session.execute("head 3 colums=label").error)
        XCTAssertEqual(option.suggestion, "columns")
        XCTAssertEqual(option.location.column, 8)
        let column = try XCTUnwrap(session.execute("feature x = `sepal lenght (cm)` * 2").error)
        XCTAssertEqual(column.suggestion, "sepal length (cm)")
        XCTAssertEqual(column.location.column, 13)
        XCTAssertEqual(column.length, 19)
    }

    func testFeaturesPropagateMissingValuesAndNeverTrap() throws {
        let session = try makeSession()
        _ = try write("t.csv", "id,a,b,label\nx,1,2,p\ny,,0,q\nz,-4,0,p\n")
        ok(session, "load t.csv id=id label=label")
        ok(session, "feature r = a / b")
        ok(session, "feature l = log10(a)")
        let table = try XCTUnwrap(session.tables["t"])
        let r = try XCTUnwrap(table.column(named: "r")?.numbers)
        XCTAssertEqual(r[0], 0.5)
        XCTAssertTrue(r[1].isNaN)
        XCTAssertEqual(r[2], -.infinity)
        let l = try XCTUnwrap(table.column(named: "l")?.numbers)
        XCTAssertEqual(l[0], 0)
        XCTAssertTrue(l[1].isNaN && l[2].isNaN)
        XCTAssertTrue(text(ok(session, "feature r2 = a / b")).contains("1 missing, 1 infinite"))
    }

    func testErrorsLeaveStateIntact() throws {
        let session = try makeSession()
        ok(session, "load \(irisPath) as iris id=id label=label")
        XCTAssertNotNil(session.execute("load missing.csv").error)
        XCTAssertNotNil(session.execute("feature y = (`sepal length (cm)`").error)
        XCTAssertNotNil(session.execute("teach 9999 setosa").error)
        XCTAssertNotNil(session.execute("teach 3 rose").error)
        XCTAssertEqual(session.currentTableName, "iris")
        XCTAssertEqual(session.tables["iris"]?.rowCount, 150)
        XCTAssertNil(session.tables["iris"]?.column(named: "y"))
        XCTAssertTrue(session.answers["iris", default: [:]].isEmpty)
        XCTAssertTrue(text(ok(session, "columns")).contains("sepal length (cm)"))
    }

    func testMissingFileAndBadCSVNameTheFileAndLine() throws {
        let session = try makeSession()
        let missing = try XCTUnwrap(session.execute("load nowhere.csv").error)
        XCTAssertTrue(missing.message.contains("nowhere.csv"), missing.message)
        XCTAssertEqual(missing.location.column, 6)
        _ = try write("ragged.csv", "a,b\n1,2\n3\n")
        let ragged = try XCTUnwrap(session.execute("load ragged.csv").error)
        XCTAssertTrue(ragged.message.hasPrefix("ragged.csv:3"), ragged.message)
    }

    func testModelQueryTeachScoreOnIris() throws {
        let session = try makeSession()
        ok(session, "load \(irisPath) as iris id=id label=label")
        let model = text(ok(session, "model m features=`sepal length (cm)`,`sepal width (cm)`,`petal length (cm)`,`petal width (cm)` initial=6 test=0.3"))
        XCTAssertTrue(model.contains("training labels: 6"), model)
        let m = try XCTUnwrap(session.models["m"])
        XCTAssertEqual(m.testRows.count, 45)  // 30% of 150, stratified: 15 per class
        XCTAssertTrue(Set(m.trainingRows).isDisjoint(with: m.testRows))
        ok(session, "query m 4")
        let asked = try XCTUnwrap(session.models["m"]?.lastQuery)
        XCTAssertEqual(asked.count, 4)
        XCTAssertTrue(Set(asked.keys).isDisjoint(with: m.testRows))
        XCTAssertTrue(Set(asked.keys).isDisjoint(with: m.trainingRows))
        // Teach the queried rows their true class (iris ids are row numbers from 0).
        let labels = session.tables["iris"]?.column(named: "label")?.strings ?? []
        for row in asked.keys.sorted() { ok(session, "teach \(row) \(labels[row] ?? "")") }
        XCTAssertEqual(session.models["m"]?.trainingRows.count, 10)
        let score = text(ok(session, "score m"))
        XCTAssertTrue(score.contains("test set (45 rows), trained on 10 labels"), score)
        // Iris is easy: a forest on 10 labels gets most of the 45 test rows right.
        let accuracy = try XCTUnwrap(score.split(separator: "\n").first { $0.hasPrefix("accuracy") }?.split(separator: " ")[1])
        XCTAssertGreaterThan(Double(accuracy) ?? 0, 0.8, score)
        // The answer records which model asked, with which strategy.
        let record = try XCTUnwrap(session.answers["iris"]?.values.first)
        XCTAssertEqual(record.model, "m")
        XCTAssertEqual(record.strategy, "margin")
    }

    func testAnswersAreRestoredFromTheStoreAndRecordedAsTeachLines() throws {
        let store = directory.appendingPathComponent("labels.sqlite").path
        _ = try write("t.csv", "name,x,label\n\"a b\",1,p\nc,2,q\nd,3,\n")
        do {
            let session = try makeSession(store: store)
            ok(session, "load t.csv id=name label=label")
            ok(session, "teach \"a b\" q")
            ok(session, "unsure d")
        }
        let again = try makeSession(store: store)
        let loaded = text(ok(again, "load t.csv id=name label=label"))
        XCTAssertTrue(loaded.contains("restored 2 answers"), loaded)
        XCTAssertEqual(again.answers["t"]?[0]?.label, "q")
        XCTAssertEqual(again.answers["t"]?[2]?.kind, .unsure)
        ok(again, "record session.alab")
        let recorded = try String(contentsOf: directory.appendingPathComponent("session.alab"), encoding: .utf8)
        XCTAssertTrue(recorded.contains("load t.csv id=name label=label\nteach \"a b\" q\nunsure d\n"), recorded)
        // The recording replays into the same answers without the store.
        let replay = try makeSession()
        for line in recorded.split(separator: "\n") { ok(replay, String(line)) }
        XCTAssertEqual(replay.answers["t"]?[0]?.label, "q")
        XCTAssertEqual(replay.answers["t"]?[2]?.kind, .unsure)
    }

    func testRecordingKeepsAppendingLaterCommands() throws {
        let session = try makeSession()
        ok(session, "load \(irisPath) as iris id=id label=label")
        ok(session, "record rec.alab")
        ok(session, "feature s = `sepal length (cm)` + `sepal width (cm)`")
        XCTAssertNotNil(session.execute("bogus").error)
        let recorded = try String(contentsOf: directory.appendingPathComponent("rec.alab"), encoding: .utf8)
        XCTAssertTrue(recorded.contains("load \(irisPath) as iris id=id label=label\n"))
        XCTAssertTrue(recorded.hasSuffix("feature s = `sepal length (cm)` + `sepal width (cm)`\n"), recorded)
        XCTAssertFalse(recorded.contains("bogus"))
        XCTAssertFalse(recorded.contains("record rec.alab"))
    }

    func testCompletionOffersVerbsOptionsColumnsAndPaths() throws {
        let session = try makeSession()
        XCTAssertEqual(session.completions(forLine: "qu", cursor: 2), ["query"])
        XCTAssertTrue(session.completions(forLine: "lo", cursor: 2).contains("load"))
        _ = try write("data.csv", "id,alpha,beta,label\n1,2,3,x\n")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("dir"), withIntermediateDirectories: true)
        XCTAssertEqual(session.completions(forLine: "load da", cursor: 7), ["data.csv"])
        XCTAssertEqual(session.completions(forLine: "load di", cursor: 7), ["dir/"])
        ok(session, "load data.csv label=label")
        XCTAssertEqual(session.completions(forLine: "describe al", cursor: 11), ["alpha"])
        XCTAssertEqual(session.completions(forLine: "load data.csv la", cursor: 16), ["label="])
        XCTAssertEqual(session.completions(forLine: "model m features=alpha,b", cursor: 24), ["features=alpha,beta"])
        XCTAssertEqual(session.completions(forLine: "help te", cursor: 7), ["teach", "testset"])
        // Ids with spaces complete inside an open quote, unquoted (the front end closes the quote).
        _ = try write("named.csv", "name,v,label\n\"4FGL J0001.2+4741\",1,x\n\"4FGL J0001.2-0747\",2,y\nother,3,x\n")
        ok(session, "load named.csv id=name label=label")
        XCTAssertEqual(session.completions(forLine: "teach \"4FGL J0001.2+", cursor: 21), ["4FGL J0001.2+4741"])
        XCTAssertEqual(session.completions(forLine: "teach \"4FGL", cursor: 11), ["4FGL J0001.2+4741", "4FGL J0001.2-0747"])
        XCTAssertEqual(session.completions(forLine: "teach ot", cursor: 8), ["other"])
        // Classes first, then teach's options (confidence=, note=).
        XCTAssertEqual(session.completions(forLine: "teach \"4FGL J0001.2+4741\" ", cursor: 26), ["x", "y", "confidence=", "note="])
    }

    func testHelpListsEveryVerbAndDescribesOne() throws {
        let session = try makeSession()
        let overview = text(ok(session, "help"))
        for verb in VerbCatalog.names { XCTAssertTrue(overview.contains(verb), verb) }
        XCTAssertTrue(text(ok(session, "help teach")).hasPrefix("usage: teach ID CLASS"))
        XCTAssertEqual(session.execute("help tech").error?.suggestion, "teach")
    }
}
