import XCTest
@testable import AstrolabeKernel

final class LabelStoreTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testAnswersSurviveReopening() throws {
        let path = directory.appendingPathComponent("labels.sqlite").path
        do {
            let store = try LabelStore(path: path)
            try store.append(LabelRecord(dataset: "blazars", rowID: "4FGL J0001.2+4741", kind: .label, label: "bll",
                                         annotator: "ada", time: 1000, model: "m", strategy: "margin", score: 0.93))
            try store.append(LabelRecord(dataset: "blazars", rowID: "4FGL J0001.2-0747", kind: .unsure, label: nil,
                                         annotator: "ada", time: 1001))
            try store.append(LabelRecord(dataset: "other", rowID: "x", kind: .label, label: "a", annotator: "bo", time: 1002))
        }
        let reopened = try LabelStore(path: path)
        let answers = try reopened.answers(dataset: "blazars")
        XCTAssertEqual(answers.count, 2)
        XCTAssertEqual(answers[0].rowID, "4FGL J0001.2+4741")
        XCTAssertEqual(answers[0].label, "bll")
        XCTAssertEqual(answers[0].model, "m")
        XCTAssertEqual(answers[0].strategy, "margin")
        XCTAssertEqual(answers[0].score, 0.93)
        XCTAssertEqual(answers[1].kind, .unsure)
        XCTAssertNil(answers[1].label)
        XCTAssertNil(answers[1].score)
    }

    func testLatestAnswerWinsAndUndoRemovesOnlyTheLatest() throws {
        let store = try LabelStore(path: directory.appendingPathComponent("l.sqlite").path)
        try store.append(LabelRecord(dataset: "d", rowID: "1", kind: .label, label: "a", annotator: "u", time: 1))
        try store.append(LabelRecord(dataset: "d", rowID: "2", kind: .label, label: "b", annotator: "u", time: 2))
        try store.append(LabelRecord(dataset: "d", rowID: "1", kind: .label, label: "c", annotator: "u", time: 3))
        XCTAssertEqual(try store.currentAnswers(dataset: "d").map { $0.rowID + "=" + ($0.label ?? "") }, ["1=c", "2=b"])
        let removed = try store.undoLatest(dataset: "d", rowID: "1", annotator: "u", time: 4)
        XCTAssertEqual(removed?.label, "c")
        XCTAssertEqual(try store.currentAnswers(dataset: "d").map { $0.rowID + "=" + ($0.label ?? "") }, ["1=a", "2=b"])
        XCTAssertEqual(try store.history(dataset: "d").count, 4, "the undone answer stays, with its tombstone")
    }

    func testUnopenablePathIsAClearError() {
        XCTAssertThrowsError(try LabelStore(path: "/proc/astrolabe/forbidden/labels.sqlite")) { error in
            XCTAssertTrue(String(describing: error).contains("/proc/astrolabe/forbidden/labels.sqlite"))
        }
    }
}
