@testable import AstrolabeKernel
import AstrolabeServe
import Foundation
import XCTest

/// `serve labelstudio` over real HTTP: the protocol's endpoints, validation, concurrency, auth, and
/// answers surviving a restart of the server between annotations.
final class LabelStudioServeTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        Session.labelStudioServer = nil
        try? FileManager.default.removeItem(at: directory)
    }

    func session(store: String? = nil) throws -> Session {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: store))
        ok(s, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as iris id=id label=label")
        ok(s, "model m features=`sepal length (cm)`,`petal width (cm)` initial=6")
        return s
    }

    @discardableResult
    func ok(_ s: Session, _ line: String, file: StaticString = #filePath, line number: UInt = #line) -> String {
        let result = s.execute(line)
        XCTAssertNil(result.error, "`\(line)` failed: \(result.error?.rendered ?? "")", file: file, line: number)
        return result.outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
    }

    /// Serves model m while `client` runs; returns the log lines and what `serve` printed.
    @discardableResult
    func serving(_ s: Session, _ options: String = "", client: @escaping @Sendable (HTTPClient) -> Void) -> (log: [String], said: String) {
        let log = LogLines()
        Session.labelStudioServer = ClientDrivenServer(log: log, client: client)
        let said = ok(s, "serve labelstudio m port=0 \(options)")
        return (log.lines, said)
    }

    func config(_ s: Session) throws -> String {
        ok(s, "export labelconfig iris to=config.xml")
        return try String(contentsOf: directory.appendingPathComponent("config.xml"), encoding: .utf8)
    }

    static func webhook(_ action: String = "ANNOTATION_CREATED", task: Int, id: String, annotation: Int, user: String, choice: String,
                        cancelled: Bool = false) -> [String: Any] {
        ["action": action, "project": ["id": 1],
         "task": ["id": task, "data": ["id": id]],
         "annotation": ["id": annotation, "completed_by": ["id": 7, "email": user], "was_cancelled": cancelled, "lead_time": 2.25,
                        "result": [["from_name": "label", "to_name": "id", "type": "choices", "value": ["choices": [choice]]]]]]
    }

    func testHealthSetupAndPredictMatchTheExportedTasks() throws {
        let s = try session()
        let xml = try config(s)
        ok(s, "export tasks iris to=tasks.json model=m")
        let tasks = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("tasks.json"))) as? [[String: Any]])
        let sample = [tasks[0], tasks[70], tasks[140]]
        let wrong = xml.replacingOccurrences(of: "<Choice value=\"virginica\"/>", with: "<Choice value=\"virginca\"/>")
        let predictBody = try JSONSerialization.data(withJSONObject: ["tasks": sample.map { ["id": 1, "data": $0["data"]!] }, "label_config": xml])
        let replies = Replies()
        let (log, said) = serving(s) { http in
            replies.add(http.get("/health"))
            replies.add(http.post("/setup", json: ["project": "1.1700000000", "schema": xml]))
            replies.add(http.post("/setup", json: ["project": "1.1700000000", "schema": wrong]))
            replies.add(http.post("/predict", predictBody))
        }
        let r = replies.all
        XCTAssertEqual(r.map(\.status), [200, 200, 422, 200], r.map(\.body).joined(separator: "\n"))
        XCTAssertEqual(r[0].json["status"] as? String, "UP")
        XCTAssertEqual(r[1].json["model_version"] as? String, "m@1:6")
        let reason = r[2].json["error"] as? String ?? ""
        XCTAssertTrue(reason.contains("missing the model's class virginica") && reason.contains("virginca"), reason)
        let results = try XCTUnwrap(r[3].json["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 3)
        for (result, task) in zip(results, sample) {
            let expected = try XCTUnwrap((task["predictions"] as? [[String: Any]])?.first)
            XCTAssertEqual(result["model_version"] as? String, "m@1:6")
            XCTAssertEqual(result["score"] as? Double, expected["score"] as? Double)
            XCTAssertEqual(result["result"] as? NSArray, expected["result"] as? NSArray)
        }
        XCTAssertEqual(log.filter { $0.hasPrefix("GET ") || $0.hasPrefix("POST ") }.count, 4, log.joined(separator: "\n"))
        XCTAssertTrue(log.contains { $0.hasPrefix("POST /setup 422") && $0.contains("virginca") }, log.joined(separator: "\n"))
        XCTAssertTrue(said.contains("0 answers stored"), said)
    }

    func testBadRequestsGetTheirStatusAndTheServerStaysUp() throws {
        let s = try session()
        let replies = Replies()
        let (log, _) = serving(s) { http in
            replies.add(http.post("/predict", Data("{\"tasks\": [".utf8)))
            replies.add(http.post("/predict", Data(repeating: UInt8(ascii: " "), count: 50 << 20)))
            replies.add(http.post("/predict", json: ["tasks": [["id": 3, "data": ["id": "no-such-row"]]]]))
            replies.add(http.post("/predict", json: ["tasks": "all"]))
            replies.add(http.post("/webhook", json: Self.webhook(task: 9, id: "no-such-row", annotation: 1, user: "a@x.org", choice: "setosa")))
            replies.add(http.post("/webhook", json: Self.webhook(task: 9, id: "5", annotation: 1, user: "a@x.org", choice: "daisy")))
            replies.add(http.get("/nowhere"))
            replies.add(http.get("/health"))
        }
        let r = replies.all
        XCTAssertEqual(r.map(\.status), [400, 413, 422, 422, 422, 422, 404, 200], r.map(\.body).joined(separator: "\n"))
        XCTAssertTrue((r[2].json["error"] as? String ?? "").contains("task 3: no row `no-such-row` in iris"), r[2].body)
        XCTAssertTrue((r[5].json["error"] as? String ?? "").contains("`daisy` is not a class of m"), r[5].body)
        XCTAssertEqual(log.filter { $0.hasPrefix("GET ") || $0.hasPrefix("POST ") }.count, 8, log.joined(separator: "\n"))
        XCTAssertTrue(log.contains { $0.hasPrefix("POST /predict 413") }, log.joined(separator: "\n"))
        XCTAssertTrue(s.team.answers["iris"]?.isEmpty ?? true, "nothing stored from bad requests")
    }

    func testTwoWebhooksAtOnceAreBothStoredAndRetrainGivesANewVersion() throws {
        let path = directory.appendingPathComponent("labels.sqlite").path
        let s = try session(store: path)
        let model = try XCTUnwrap(s.models["m"])
        let pool = (0..<150).filter { !model.testRows.contains($0) && !model.trainingRows.contains($0) }.map(String.init)
        let (first, second) = (pool[0], pool[1])
        let replies = Replies()
        let (_, said) = serving(s, "retrain=2") { http in
            let group = DispatchGroup()
            for (n, (user, id, choice)) in [("alice@x.org", first, "versicolor"), ("bob@x.org", second, "virginica")].enumerated() {
                DispatchQueue.global().async(group: group) {
                    replies.add(http.post("/webhook", json: Self.webhook(task: n + 1, id: id, annotation: n + 1, user: user, choice: choice)))
                }
            }
            group.wait()
            replies.add(http.post("/predict", json: ["tasks": [["id": 1, "data": ["id": first]]]]))
        }
        let r = replies.all
        XCTAssertEqual(r.map(\.status), [200, 200, 200], r.map(\.body).joined(separator: "\n"))
        XCTAssertEqual(Set(r.prefix(2).compactMap { $0.json["status"] as? String }), ["stored", "retrained"])
        let version = "m@2:\(s.models["m"]?.trainingRows.count ?? 0)"
        XCTAssertGreaterThan(s.models["m"]?.trainingRows.count ?? 0, 6, "an answer outside the test set trains the model")
        XCTAssertEqual(r[2].json["model_version"] as? String, version, r[2].body)
        XCTAssertTrue(said.contains("2 answers stored, 1 retrain") && said.contains(version), said)
        let store = try LabelStore(path: path)
        let answers = try store.answers(dataset: "iris").map { "\($0.rowID) \($0.label ?? "") \($0.annotator)" }.sorted()
        XCTAssertEqual(answers, ["\(first) versicolor alice@x.org", "\(second) virginica bob@x.org"].sorted())
    }

    func testRestartBetweenAnnotationsLosesNothingAndDeletionUndoes() throws {
        let path = directory.appendingPathComponent("labels.sqlite").path
        let first = try session(store: path)
        serving(first) { http in
            _ = http.post("/webhook", json: Self.webhook(task: 1, id: "70", annotation: 11, user: "alice@x.org", choice: "versicolor"))
        }
        first.close()
        // A new process: the same script, the same store.
        let second = try session(store: path)
        XCTAssertEqual(second.team.answers["iris"]?["70"]?.map(\.annotator), ["alice@x.org"])
        let replies = Replies()
        serving(second) { http in
            replies.add(http.post("/webhook", json: Self.webhook(task: 1, id: "70", annotation: 12, user: "bob@x.org", choice: "virginica")))
            replies.add(http.post("/webhook", json: ["action": "ANNOTATIONS_DELETED", "annotations": [["id": 11]], "project": ["id": 1]]))
            replies.add(http.post("/webhook", json: ["action": "ANNOTATIONS_DELETED", "annotations": [["id": 99]], "project": ["id": 1]]))
        }
        XCTAssertEqual(replies.all.map(\.status), [200, 200, 404], replies.all.map(\.body).joined(separator: "\n"))
        second.close()
        let third = try session(store: path)
        XCTAssertEqual(third.team.answers["iris"]?["70"]?.map { "\($0.annotator)=\($0.label ?? "")" }, ["bob@x.org=virginica"])
        let history = try LabelStore(path: path).history(dataset: "iris")
        XCTAssertEqual(history.count, 3, "two answers and the undo of the deleted one")
    }

    func testBasicAuthAndSavedSessionReplaysTheAnswers() throws {
        let s = try session()
        let replies = Replies()
        serving(s, "user=ls password=secret") { http in
            replies.add(http.get("/health"))
            replies.add(http.post("/webhook", json: Self.webhook(task: 1, id: "80", annotation: 1, user: "carol@x.org", choice: "versicolor"),
                                  auth: ("ls", "wrong")))
            replies.add(http.post("/webhook", json: Self.webhook(task: 1, id: "80", annotation: 1, user: "carol@x.org", choice: "versicolor"),
                                  auth: ("ls", "secret")))
            replies.add(http.post("/webhook", json: Self.webhook(task: 2, id: "81", annotation: 2, user: "carol@x.org", choice: "setosa",
                                                                  cancelled: true), auth: ("ls", "secret")))
        }
        XCTAssertEqual(replies.all.map(\.status), [401, 401, 200, 200])
        XCTAssertEqual(s.team.answers["iris"]?["81"]?.first?.kind, .unsure, "a skipped task is stored as unsure")
        ok(s, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        XCTAssertTrue(script.contains("annotator carol@x.org") && script.contains("teach 80 versicolor") && script.contains("unsure 81 note="), script)
        let replay = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: nil))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty { ok(replay, String(line)) }
        XCTAssertEqual(replay.team.answers["iris"]?["80"]?.map { "\($0.annotator)=\($0.label ?? "")" }, ["carol@x.org=versicolor"])
        XCTAssertEqual(replay.models["m"]?.trainingRows, s.models["m"]?.trainingRows)
    }
}

final class Replies: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [HTTPClient.Reply] = []
    func add(_ reply: HTTPClient.Reply) { lock.withLock { stored.append(reply) } }
    var all: [HTTPClient.Reply] { lock.withLock { stored } }
}
