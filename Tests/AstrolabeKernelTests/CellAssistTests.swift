import XCTest
@testable import AstrolabeKernel

/// What front ends (the REPL's Tab, Jupyter's complete / is_complete / inspect requests) ask a
/// session about code being typed: Session.complete, Session.isComplete, Session.inspect.
final class CellAssistTests: IrisSessionTestCase {
    func testCompleteReplacesTheWordUnderTheCursorOnItsLine() throws {
        let s = try session()
        let code = "plot density x\ndescribe `petal"
        let completions = s.complete(code, cursor: code.unicodeScalars.count)
        XCTAssertEqual(completions.matches, ["`petal length (cm)`", "`petal width (cm)`"])
        XCTAssertEqual(completions.replacing, 24..<30)
        // A single line, as the REPL asks: the same candidates as the line's own completion.
        XCTAssertEqual(s.complete("qu", cursor: 2), Completions(matches: ["query"], replacing: 0..<2))
        XCTAssertEqual(s.complete("describe sep", cursor: 12).matches, s.completions(forLine: "describe sep", cursor: 12))
    }

    /// Offsets count Unicode scalars (Jupyter's cursor_pos), not characters: "e\u{301}" is one
    /// character but two scalars.
    func testCompleteCountsUnicodeScalars() throws {
        let s = try session()
        let code = "# caf\u{65}\u{301}\ndescribe `sepal"
        let prefix = "# caf\u{65}\u{301}\ndescribe ".unicodeScalars.count
        let completions = s.complete(code, cursor: code.unicodeScalars.count)
        XCTAssertEqual(completions.replacing, prefix..<code.unicodeScalars.count)
        XCTAssertEqual(completions.matches, ["`sepal length (cm)`", "`sepal width (cm)`"])
        let accented = "describe \u{65}\u{301}"   // cursor between the e and its accent: no crash, no match
        XCTAssertEqual(s.complete(accented, cursor: 10).matches, [])
    }

    func testCompleteInsideAQuoteReplacesFromAfterIt() throws {
        let s = try session()
        let completions = s.complete("teach \"1", cursor: 8)
        XCTAssertEqual(completions.replacing, 7..<8)
        XCTAssertEqual(Array(completions.matches.prefix(3)), ["1", "10", "11"])
    }

    func testCompleteClampsTheCursor() throws {
        let s = try session()
        XCTAssertEqual(s.complete("qu", cursor: 99), Completions(matches: ["query"], replacing: 0..<2))
        XCTAssertEqual(s.complete("qu", cursor: -3).replacing, 0..<0)
    }

    func testIsComplete() throws {
        let s = try Session(options: SessionOptions(storePath: ":memory:"))
        XCTAssertEqual(s.isComplete("help"), .complete)
        XCTAssertEqual(s.isComplete(""), .complete)
        XCTAssertEqual(s.isComplete("help\n# just a note"), .complete)
        XCTAssertEqual(s.isComplete("load a.csv \\"), .incomplete)
        XCTAssertEqual(s.isComplete("load a.csv \\\n"), .incomplete)
        XCTAssertEqual(s.isComplete("load a.csv \\\n  id=id"), .complete)
        XCTAssertEqual(s.isComplete("teach \"open"), .invalid)
        XCTAssertEqual(s.isComplete("help\nteach \"open\nhelp"), .invalid)
    }

    func testInspectGivesVerbHelpOrAColumnSummary() throws {
        let s = try session()
        XCTAssertTrue(s.inspect("score m", cursor: 2)?.hasPrefix("usage: score MODEL") == true)
        XCTAssertEqual(s.inspect("describe label", cursor: 12), "column label of iris: text, 150 rows, 0 missing")
        XCTAssertEqual(s.inspect("plot scatter x=`sepal", cursor: 99), nil)
        XCTAssertEqual(s.inspect("describe petal", cursor: 12), nil)
        XCTAssertEqual(s.inspect("", cursor: 0), nil)
    }
}
