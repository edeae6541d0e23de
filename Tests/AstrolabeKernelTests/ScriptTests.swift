import XCTest
@testable import AstrolabeKernel

final class ScriptTests: XCTestCase {
    func testProseParagraphsBecomeMarkdownCells() {
        let script = Script(text: """
            #!/usr/bin/env astrolabe run
            # # Quickstart
            # Some *emphasis* and a [link](https://example.org).
            #
            # - one
            #- two

            # ## Second heading
            """, file: "q.alab")
        XCTAssertEqual(script.cells, [
            .markdown("# Quickstart\nSome *emphasis* and a [link](https://example.org).\n\n- one\n- two"),
            .markdown("## Second heading"),
        ])
        XCTAssertTrue(script.commands.isEmpty)
    }

    func testCodeParagraphKeepsCommentsButDoesNotExecuteThem() {
        let script = Script(text: "# Intro\n\nload a.csv as t   # trailing\n# just a note\nscore m\n", file: "s.alab")
        XCTAssertEqual(script.cells.count, 2)
        guard case .code(let source, let commands) = script.cells[1] else { return XCTFail("not code") }
        XCTAssertEqual(source, ["load a.csv as t   # trailing", "# just a note", "score m"])
        XCTAssertEqual(commands.map(\.text), ["load a.csv as t   # trailing", "score m"])
        XCTAssertEqual(commands.map(\.location.line), [3, 5])
        XCTAssertEqual(commands.first?.location.file, "s.alab")
    }

    func testContinuationsJoinAndKeepTheFirstLine() {
        let script = Script(text: "model m classifier=forest \\\n    features=a,b \\\n  strategy=entropy\nquery m 5\n", file: "c.alab")
        XCTAssertEqual(script.commands.map(\.text),
                       ["model m classifier=forest features=a,b strategy=entropy", "query m 5"])
        XCTAssertEqual(script.commands.map(\.location.line), [1, 4])
        guard case .code(let source, _) = script.cells[0] else { return XCTFail("not code") }
        XCTAssertEqual(source.count, 4, "the cell shows the lines as written")
    }

    func testBackslashInCommentOrQuotesDoesNotContinue() {
        XCTAssertEqual(Script(text: "teach \"a\\\" x\nscore m", file: "f").commands.count, 2)
        XCTAssertEqual(Script(text: "score m  # ends in \\\nquery m", file: "f").commands.count, 2)
    }

    func testDanglingContinuationEndsAtBlankLineAndEndOfFile() {
        let script = Script(text: "load a \\\n\nscore m \\", file: "f")
        XCTAssertEqual(script.commands.map(\.text), ["load a", "score m"])
        XCTAssertEqual(script.cells.count, 2)
    }

    func testShebangKeepsLineNumbers() {
        let script = Script(text: "#!/usr/bin/env astrolabe\nscore m\n", file: "f")
        XCTAssertEqual(script.commands.first?.location.line, 2)
    }

    func testCRLFAndBlankLinesWithSpaces() {
        let script = Script(text: "score m\r\n   \r\nquery m 3\r\n", file: "f")
        XCTAssertEqual(script.cells.count, 2)
        XCTAssertEqual(script.commands.map(\.text), ["score m", "query m 3"])
    }

    func testAssemblerForInteractiveUse() {
        var assembler = CommandAssembler(file: nil)
        XCTAssertNil(assembler.feed("plot x \\", line: 1))
        XCTAssertTrue(assembler.isContinuing)
        XCTAssertEqual(assembler.feed("  to=a.png", line: 2)?.text, "plot x to=a.png")
        XCTAssertFalse(assembler.isContinuing)
        XCTAssertNil(assembler.feed("# comment", line: 3))
        XCTAssertNil(assembler.feed("half \\", line: 4))
        assembler.reset()
        XCTAssertEqual(assembler.feed("score m", line: 5)?.location.line, 5)
    }

    /// A Jupyter cell: continuations joined, comments and blank lines skipped, lines counted within the cell.
    func testCommandsOfACellKeepTheirLines() {
        let commands = Script.commands(inCell: "help\n\n# note\nload a.csv \\\n  id=id\nhelp load\nscore m \\")
        XCTAssertEqual(commands.map(\.text), ["help", "load a.csv id=id", "help load", "score m"])
        XCTAssertEqual(commands.map(\.location), [1, 4, 6, 7].map { SourceLocation(file: nil, line: $0, column: 1) })
    }

    func testReplayRunsEveryCommandInOrder() throws {
        let script = Script(text: "help load\nhelp teach\n\nhelp\n", file: "r.alab")
        let session = try Session(options: SessionOptions())
        let result = Replay.run(script: script, session: session)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(result.cells.map(\.executionCount), [1, 2])
        XCTAssertEqual(result.cells[0].outputs.count, 2)
        guard case .output(.text(let first)) = result.cells[0].outputs[0],
              case .output(.text(let second)) = result.cells[0].outputs[1] else { return XCTFail("expected text outputs") }
        XCTAssertTrue(first.hasPrefix("usage: load"))
        XCTAssertTrue(second.hasPrefix("usage: teach"))
    }

    /// Fails every command whose text starts with `bad`.
    final class FakeSession: CommandExecuting {
        var executed: [String] = []
        func execute(_ line: String, location: SourceLocation) -> Execution {
            executed.append(line)
            if line.hasPrefix("bad") {
                return Execution(outputs: [.text("partial")], error: Diagnostic("unknown verb `bad`", location: location))
            }
            return Execution(outputs: [.text(line)])
        }
    }

    func testReplayStopsAtFirstError() {
        let script = Script(text: "a\nbad\nb\n\n# prose\n\nc\n", file: "r.alab")
        let session = FakeSession()
        let result = Replay.run(script: script, session: session)
        XCTAssertEqual(session.executed, ["a", "bad"])
        XCTAssertTrue(result.stopped)
        XCTAssertFalse(result.succeeded)
        XCTAssertEqual(result.errors.map(\.description), ["r.alab:2:1: unknown verb `bad`"])
        XCTAssertEqual(result.cells.map(\.executionCount), [1, nil, nil])
        XCTAssertEqual(result.cells[0].outputs.count, 3)
    }

    func testReplayKeepGoingRecordsErrorsAndContinues() {
        let script = Script(text: "a\nbad\nb\n\nbad again\n\nc\n", file: "r.alab")
        let session = FakeSession()
        let result = Replay.run(script: script, session: session, keepGoing: true)
        XCTAssertEqual(session.executed, ["a", "bad", "b", "bad again", "c"])
        XCTAssertFalse(result.stopped)
        XCTAssertEqual(result.errors.count, 2)
        XCTAssertEqual(result.cells.map(\.executionCount), [1, 2, 3])
    }
}
