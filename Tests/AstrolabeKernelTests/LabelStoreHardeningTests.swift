import AstrolabeData
import XCTest
@testable import AstrolabeKernel

/// The label store keeps what it acknowledged: ids as they are, every answer ever given (undo is a
/// tombstone), no "(stored)" from a damaged file, and one self-contained file after `close`.
final class LabelStoreHardeningTests: IrisSessionTestCase {
    var storePath: String { directory.appendingPathComponent("labels.sqlite").path }

    func record(_ id: String, _ label: String) -> LabelRecord {
        LabelRecord(dataset: "d", rowID: id, kind: .label, label: label, annotator: "u", time: 1)
    }

    func testIdsWithANulByteAreStoredWhole() throws {
        do {
            let store = try LabelStore(path: storePath)
            try store.append(record("a\u{0}b", "x"))
            try store.append(record("a\u{0}c", "y"))
            try store.append(record("a", "z"))
            store.close()
        }
        let answers = try LabelStore(path: storePath).currentAnswers(dataset: "d")
        XCTAssertEqual(answers.map(\.rowID), ["a\u{0}b", "a\u{0}c", "a"])
        XCTAssertEqual(answers.map { $0.label ?? "" }, ["x", "y", "z"])
    }

    func testUndoKeepsTheAnswerAsHistoryAndReloadRestoresTheStandingOne() throws {
        do {
            let s = try session(store: storePath)
            ok(s, "classes setosa versicolor virginica")
            ok(s, "teach 7 setosa")
            ok(s, "teach 7 versicolor")
            ok(s, "teach 9 virginica")
            XCTAssertTrue(ok(s, "undo 7").contains("now setosa"))
            XCTAssertTrue(ok(s, "undo 9").contains("now unlabelled"))
            let history = try s.store.history(dataset: "iris")
            XCTAssertEqual(history.count, 5, "three answers and two undos, nothing deleted: \(history)")
            XCTAssertEqual(history.filter { if case .undo = $0 { return true } else { return false } }.count, 2)
            s.close()
        }
        let again = try session(store: storePath)
        let labels = ok(again, "labels")
        XCTAssertTrue(labels.contains("1 answer for iris"), labels)
        XCTAssertEqual(again.answers["iris"]?.values.map { $0.rowID + "=" + ($0.label ?? "") }, ["7=setosa"])
    }

    /// A store whose pages are overwritten: the session starts, says the store is unusable and where,
    /// refuses every answer with that error, and otherwise goes on.
    func testDamagedStoreRefusesAnswersAndTheSessionGoesOn() throws {
        do {
            let store = try LabelStore(path: storePath)
            for id in ["1", "2", "3"] { try store.append(record(id, "setosa")) }
            store.close()
        }
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: storePath))
        try file.seek(toOffset: 4096)  // page 2 onwards: the table of answers
        try file.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try file.close()

        let s = try session(store: storePath)
        let damage = try XCTUnwrap(s.storeDamage)
        XCTAssertTrue(damage.contains(storePath), damage)
        ok(s, "classes setosa versicolor virginica")
        for line in ["teach 7 setosa", "unsure 8", "teach 9 virginica"] {
            let error = try XCTUnwrap(s.execute(line).error, "`\(line)` must not be acknowledged")
            XCTAssertTrue(error.message.contains("unusable"), error.message)
            XCTAssertTrue(error.message.contains(storePath), error.message)
        }
        XCTAssertNil(s.answers["iris"]?[7], "nothing the store refused is kept as an answer")
        ok(s, "describe `sepal length (cm)`")
    }

    /// Damage to a page that new answers never touch (old answers of another dataset): SQLite
    /// would still take inserts, which could never be read back with the rest. The store's check
    /// at opening finds it, so nothing is acknowledged.
    func testDamageAnInsertWouldNotNoticeIsFoundAtOpening() throws {
        do {
            let store = try LabelStore(path: storePath)
            try store.append(LabelRecord(dataset: "old", rowID: "FIRST-ROW-MARKER", kind: .label, label: "a", annotator: "u", time: 1))
            for i in 0..<300 {
                try store.append(LabelRecord(dataset: "old", rowID: "row \(i) with a long enough id to fill pages", kind: .label,
                                             label: "a", annotator: "u", time: 1))
            }
            store.close()
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: storePath))
        let marker = try XCTUnwrap(bytes.range(of: Data("FIRST-ROW-MARKER".utf8)))
        let page = (marker.lowerBound / 4096) * 4096
        XCTAssertGreaterThan(page, 0)
        bytes.replaceSubrange(page..<(page + 4096), with: Data(repeating: 0xA5, count: 4096))
        try bytes.write(to: URL(fileURLWithPath: storePath))

        let s = try session(store: storePath)
        XCTAssertNotNil(s.storeDamage)
        ok(s, "classes setosa versicolor virginica")
        let error = try XCTUnwrap(s.execute("teach 7 setosa").error, "an answer into a damaged store must not be acknowledged")
        XCTAssertTrue(error.message.contains("unusable") && error.message.contains(storePath), error.message)
    }

    func testCloseLeavesOneSelfContainedFile() throws {
        let s = try session(store: storePath)
        ok(s, "classes setosa versicolor virginica")
        ok(s, "teach 7 setosa")
        s.close()
        let wal = (try? FileManager.default.attributesOfItem(atPath: storePath + "-wal")[.size] as? Int) ?? 0
        XCTAssertEqual(wal, 0, "the write-ahead log is checkpointed into the main file")
        let copy = directory.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: storePath, toPath: copy)
        XCTAssertEqual(try LabelStore(path: copy).currentAnswers(dataset: "iris").map(\.rowID), ["7"])
        XCTAssertNotNil(s.execute("teach 8 setosa").error, "a closed store acknowledges nothing")
    }

    /// Ctrl-C while the models retrain after an answer: the answer is stored and kept, and the
    /// message says the models were not retrained, instead of a bare "interrupted".
    func testInterruptedRetrainSaysTheAnswerWasStored() throws {
        let s = try session(store: storePath)
        ok(s, "classes setosa versicolor virginica")
        ok(s, "model m features=`petal length (cm)`,`sepal width (cm)` trees=20")
        ok(s, "teach 7 setosa")
        let model = try XCTUnwrap(s.models["m"])
        let row = try XCTUnwrap(s.poolRows(model).first { (50..<100).contains($0) })
        Cancellation.request()
        defer { Cancellation.reset() }
        let outputs = try s.run(XCTUnwrap(CommandParser.parse("teach \(row) versicolor")))
        let texts = outputs.map { output -> String in
            switch output {
            case .text(let t): return t
            case .warning(let w): return "warning: " + w
            default: return ""
            }
        }
        XCTAssertEqual(texts.first, "\(row) = versicolor (stored)")
        XCTAssertTrue(texts.contains { $0.hasPrefix("warning: interrupted") && $0.contains("stored") && $0.contains("not retrained") }, "\(texts)")
        XCTAssertEqual(s.models["m"]?.fits, model.fits, "the model was not retrained")
        XCTAssertEqual(s.answers["iris"]?[row]?.label, "versicolor")
        XCTAssertEqual(try s.store.currentAnswers(dataset: "iris").map(\.rowID), ["7", String(row)])
    }
}
