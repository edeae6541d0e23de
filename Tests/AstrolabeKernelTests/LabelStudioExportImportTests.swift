import AstrolabeData
import Foundation
import XCTest
@testable import AstrolabeKernel

/// `export tasks`, `export labelconfig` and `import labelstudio`: Label Studio's formats, checked
/// against an export the real Label Studio server wrote (Fixtures/labelstudio/, made by
/// Tests/labelstudio/test_labelstudio.py).
final class LabelStudioExportImportTests: IrisSessionTestCase {
    static let fixtures = root.appendingPathComponent("Tests/AstrolabeKernelTests/Fixtures/labelstudio")

    func modelSession(store: String? = nil) throws -> Session {
        let s = try session(store: store)
        ok(s, "model m features=`sepal length (cm)`,`petal width (cm)` initial=6")
        return s
    }

    func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name)))
    }

    func testTasksCarryDataAndPredictionsMostUncertainFirst() throws {
        let s = try modelSession()
        let said = ok(s, "export tasks iris to=tasks.json model=m order=uncertainty limit=5 columns=`sepal length (cm)`,label")
        XCTAssertTrue(said.contains("wrote 5 Label Studio tasks of iris") && said.contains("m@1:6"), said)
        ok(s, "export iris all.csv with=predict:m")
        let predicted = try CSVReader().read(path: directory.appendingPathComponent("all.csv").path, tableName: "all")
        let uncertainty = try XCTUnwrap(predicted.column(named: "m_uncertainty")?.numbers)
        let ids = try XCTUnwrap(predicted.column(named: "id")?.numbers).map { NumberFormatting.short($0) }
        let ranked = uncertainty.indices.sorted { uncertainty[$0] > uncertainty[$1] || (uncertainty[$0] == uncertainty[$1] && $0 < $1) }
        let tasks = try XCTUnwrap(json("tasks.json") as? [[String: Any]])
        XCTAssertEqual(tasks.map { ($0["data"] as? [String: Any])?["id"] as? String }, ranked.prefix(5).map { ids[$0] })
        let first = try XCTUnwrap(tasks.first)
        let data = try XCTUnwrap(first["data"] as? [String: Any])
        XCTAssertEqual(Set(data.keys), ["id", "sepal_length__cm_", "label"])
        let prediction = try XCTUnwrap((first["predictions"] as? [[String: Any]])?.first)
        XCTAssertEqual(prediction["model_version"] as? String, "m@1:6")
        let row = ranked[0]
        let p = try XCTUnwrap(predicted.column(named: "m_p_" + (predicted.column(named: "m_predicted")?.strings?[row] ?? "")  )?.numbers?[row])
        XCTAssertEqual(prediction["score"] as? Double ?? .nan, p, accuracy: 1e-12)
        let result = try XCTUnwrap((prediction["result"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["from_name"] as? String, "label")
        XCTAssertEqual(result["to_name"] as? String, "id")
        XCTAssertEqual(result["type"] as? String, "choices")
        XCTAssertEqual((result["value"] as? [String: Any])?["choices"] as? [String], [predicted.column(named: "m_predicted")?.strings?[row] ?? ""])
    }

    func testLabelConfigNamesTheIdTheShownColumnsAndTheClasses() throws {
        let s = try modelSession()
        ok(s, "export labelconfig iris to=config.xml show=`petal width (cm)`")
        let xml = try String(contentsOf: directory.appendingPathComponent("config.xml"), encoding: .utf8)
        let config = try LabelStudioConfig(xml: xml)
        XCTAssertEqual(config.choices, [.init(name: "label", toName: "id", single: true, values: ["setosa", "versicolor", "virginica"])])
        XCTAssertEqual(config.variables, ["id", "petal_width__cm_"])
        XCTAssertNoThrow(try config.check(classes: ["setosa", "versicolor", "virginica"], idKey: "id"))
        XCTAssertThrowsError(try config.check(classes: ["setosa", "versicolor"], idKey: "id"))
        let bad = s.execute("export labelconfig iris to=config.json")
        XCTAssertTrue(bad.error?.message.contains("writes a .xml file") ?? false, bad.error?.message ?? "")
        let stray = s.execute("export iris x.csv model=m")
        XCTAssertTrue(stray.error?.message.contains("model= belongs to `export tasks`") ?? false, stray.error?.message ?? "")
    }

    func testImportKeepsEveryAnnotatorSkipsAndLeadTimesAndReplays() throws {
        let s = try modelSession()
        let export = Self.fixtures.appendingPathComponent("export.json").path
        let said = ok(s, "import labelstudio \(export)")
        XCTAssertTrue(said.contains("imported") && said.contains("m retrained"), said)
        let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json"))) as? [[String: Any]])
        var got: [String] = []
        for (id, records) in s.team.answers["iris"] ?? [:] {
            for r in records { got.append("\(id) \(r.annotator) \(r.kind == .label ? r.label ?? "" : "unsure")") }
        }
        let want = expected.map { "\($0["id"] as? String ?? "") \($0["annotator"] as? String ?? "") \($0["answer"] as? String ?? "")" }
        XCTAssertEqual(got.sorted(), want.sorted())
        XCTAssertTrue(s.team.answers["iris"]?.values.joined().contains { $0.note?.contains("lead time") == true } ?? false)
        let again = ok(s, "import labelstudio \(export)")
        XCTAssertTrue(again.contains("imported 0 answers"), again)
        ok(s, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        XCTAssertFalse(script.contains("import labelstudio"), "the answers are written out, not the file: \(script)")
        let replay = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: nil))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty { ok(replay, String(line)) }
        XCTAssertEqual(replay.team.answers["iris"]?.mapValues { $0.map(\.annotator) }, s.team.answers["iris"]?.mapValues { $0.map(\.annotator) })
        XCTAssertEqual(replay.models["m"]?.trainingRows, s.models["m"]?.trainingRows)
    }

    func testImportRefusesWhatIsNotAnExport() throws {
        let s = try modelSession()
        try Data("{\"tasks\": 1}".utf8).write(to: directory.appendingPathComponent("x.json"))
        XCTAssertTrue(s.execute("import labelstudio x.json").error?.message.contains("not a Label Studio JSON export") ?? false)
        XCTAssertEqual(s.execute("import labelstudo x.json").error?.suggestion, "labelstudio")
    }
}
