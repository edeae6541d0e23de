import XCTest
@testable import AstrolabeKernel

/// The interactive prompt's text (Session/Prompt.swift); the binary's use of it is driven through a
/// pseudo-terminal in EndToEndTests/InteractivePromptTests.swift.
final class PromptTests: IrisSessionTestCase {
    func testPromptNamesTheAnnotatorAndKeepsTheContinuationAligned() {
        XCTAssertEqual(Prompt.text(annotator: nil, continuing: false), "astrolabe> ")
        XCTAssertEqual(Prompt.text(annotator: nil, continuing: true), "     ...> ")
        XCTAssertEqual(Prompt.text(annotator: "alice", continuing: false), "astrolabe [alice]> ")
        XCTAssertEqual(Prompt.text(annotator: "alice", continuing: true), "             ...> ")
    }

    func testActiveAnnotatorFollowsTheAnnotatorCommand() throws {
        let s = try session()
        XCTAssertNil(s.activeAnnotator, "answers go under --annotator until `annotator NAME`")
        ok(s, "annotator alice")
        XCTAssertEqual(s.activeAnnotator, "alice")
        XCTAssertNotNil(s.execute("annotator a,b").error)
        XCTAssertEqual(s.activeAnnotator, "alice", "a refused name changes nothing")
    }
}
