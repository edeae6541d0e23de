import XCTest
@testable import AstrolabeKernel

/// Answers given while a view (`where`, `sample`) is current belong to the catalogue: they are
/// stored under the base table, seen by the base and its other views, and restored on reload.
final class ViewAnswerTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-views-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "id,g,r,label\na,20,19.5,star\nb,21,21.2,qso\nc,22,20,star\nd,22,21,galaxy\n"
            .write(to: directory.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func session(store: String) throws -> Session {
        try Session(options: SessionOptions(workingDirectory: directory.path, storePath: store))
    }

    @discardableResult
    func ok(_ s: Session, _ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> Execution {
        let r = s.execute(line)
        XCTAssertNil(r.error, "`\(line)` failed: \(r.error?.rendered ?? "")", file: file, line: lineNumber)
        return r
    }

    func testAnswerInAViewReachesTheBaseAndSurvivesAReload() throws {
        let store = directory.appendingPathComponent("labels.sqlite").path
        do {
            let s = try session(store: store)
            ok(s, "load c.csv as cat id=id label=label")
            ok(s, "where g - r > 0.4 as red")       // rows a, c, d
            ok(s, "teach c galaxy")
            // The base table sees the answer on its own row for `c` (row 2).
            XCTAssertEqual(s.answers["cat"]?[2]?.label, "galaxy")
            XCTAssertEqual(s.answers["red"]?[1]?.label, "galaxy")
            XCTAssertEqual(s.answers["cat"]?[2]?.dataset, "cat")
        }
        let again = try session(store: store)
        let loaded = ok(again, "load c.csv as cat id=id label=label")
        XCTAssertTrue(loaded.outputs.contains { if case .text(let t) = $0 { return t.contains("restored 1 answer") } else { return false } })
        XCTAssertEqual(again.answers["cat"]?[2]?.label, "galaxy")
    }

    /// `undo` in a view takes the answer back where it is stored (under the base table) and from the
    /// base and every view; a relabel undone there brings the earlier answer back everywhere.
    /// (It removed nothing from the store, so the answer came back on the next load.)
    func testUndoInAViewTakesTheAnswerBackEverywhere() throws {
        let store = directory.appendingPathComponent("labels.sqlite").path
        do {
            let s = try session(store: store)
            ok(s, "load c.csv as cat id=id label=label")
            ok(s, "where g - r > 0.4 as red")       // rows a, c, d
            ok(s, "where g > 21 as faint")          // rows c, d
            ok(s, "use red")
            ok(s, "teach c galaxy")
            ok(s, "teach d star")
            ok(s, "teach d galaxy")
            ok(s, "undo d")                          // d: back to star everywhere
            ok(s, "undo c")                          // c: unanswered everywhere
            XCTAssertNil(s.answers["cat"]?[2])
            XCTAssertNil(s.answers["red"]?[1])
            XCTAssertNil(s.answers["faint"]?[0])
            XCTAssertEqual(s.answers["cat"]?[3]?.label, "star")
            XCTAssertEqual(s.answers["faint"]?[1]?.label, "star")
        }
        let again = try session(store: store)
        ok(again, "load c.csv as cat id=id label=label")
        XCTAssertNil(again.answers["cat"]?[2])
        XCTAssertEqual(again.answers["cat"]?[3]?.label, "star")
    }
}
