import Foundation
import XCTest

/// Runs the built `astrolabe` binary as a user or a Makefile would.
final class ExecutableTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("astrolabe-e2e-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func astrolabe(_ arguments: [String], stdin: String = "") throws -> AstrolabeRun {
        try runAstrolabe(arguments, stdin: stdin, in: directory)
    }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    // MARK: - Always valid

    func testHelpExitsZero() throws {
        let run = try astrolabe(["--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("run"), run.stdout)
    }

    func testPipedStdinRunsLikeAScriptWithoutPromptOrEscapes() throws {
        try write("id,x,y,label\na,1,2,p\nb,2,1,q\nc,3,5,p\n", to: "t.csv")
        let run = try astrolabe([], stdin: "load t.csv label=label\n\n# a comment\ndescribe \\\n   x y\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stdout.contains("astrolabe>"), run.stdout)
        XCTAssertFalse(run.stdout.contains("\u{1B}"), "no terminal escape sequences: \(run.stdout.debugDescription)")
        XCTAssertFalse(run.stdout.contains("a comment"))
        XCTAssertFalse(run.stdout.contains("\\"))
        XCTAssertTrue(run.stdout.contains("t: 3 rows × 4 columns"), run.stdout)
        XCTAssertTrue(run.stdout.contains("mean"), "the continued describe ran: \(run.stdout)")
    }

    func testCommandOptionRunsEachCommand() throws {
        let run = try astrolabe(["-c", "help teach", "-c", "help"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stdout.contains("astrolabe>"))
    }

    func testRunWritesNotebookAndMarkdownDeterministically() throws {
        try write("""
            # # A small session
            # Prose becomes a *Markdown* cell.

            help teach
            help

            help \\
               load
            """, to: "session.alab")
        let first = try astrolabe(["run", "session.alab", "--notebook", "out/session.ipynb",
                                   "--markdown", "out/session.md"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let notebook = try read("out/session.ipynb")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: notebook) as? [String: Any])
        XCTAssertEqual(json["nbformat"] as? Int, 4)
        XCTAssertEqual(json["nbformat_minor"] as? Int, 5)
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.map { $0["cell_type"] as? String }, ["markdown", "code", "code"])
        XCTAssertEqual(cells.compactMap { $0["execution_count"] as? Int }, [1, 2])
        let markdown = String(decoding: try read("out/session.md"), as: UTF8.self)
        XCTAssertTrue(markdown.hasPrefix("# A small session\n"), markdown)
        XCTAssertTrue(markdown.contains("```text\nhelp teach\nhelp\n```"), markdown)

        let quiet = try astrolabe(["run", "session.alab", "--quiet", "--notebook", "again.ipynb"])
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.stdout, "")
        XCTAssertEqual(try read("again.ipynb"), notebook, "same script, same bytes")

        if let check = try runPython("import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))",
                                     [directory.appendingPathComponent("again.ipynb").path]) {
            XCTAssertEqual(check.status, 0, "nbformat.validate failed: \(check.output)")
        }
    }

    func testRunMissingScriptFails() throws {
        let run = try astrolabe(["run", "nope.alab"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("cannot read nope.alab"), run.stderr)
    }

    // MARK: - Errors

    func testPipedStdinStopsAtFirstErrorWithLineNumber() throws {
        let run = try astrolabe([], stdin: "help\nfrobnicate now\nhelp\n")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("<stdin>:2:"), run.stderr)
        XCTAssertTrue(run.stderr.contains("frobnicate now"), "caret display shows the line: \(run.stderr)")
    }

    func testCommandOptionStopsAtFirstError() throws {
        let run = try astrolabe(["-c", "frobnicate", "-c", "help"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("error:"), run.stderr)
    }

    func testRunStopsAtErrorNamingFileAndLineAndWritesNoNotebook() throws {
        try write("help\n\n# prose\n\nfrobnicate x\nhelp\n", to: "bad.alab")
        let run = try astrolabe(["run", "bad.alab", "--notebook", "bad.ipynb"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("bad.alab:5:"), run.stderr)
        XCTAssertFalse(exists("bad.ipynb"), "a failed run leaves no notebook for make to trust")
    }

    func testRunKeepGoingRecordsErrorsInTheNotebook() throws {
        try write("help\n\nfrobnicate x\n\nhelp\n", to: "bad.alab")
        let run = try astrolabe(["run", "bad.alab", "--keep-going", "--notebook", "bad.ipynb"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("bad.alab:3:"), run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try read("bad.ipynb")) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.count, 3)
        let outputs = try XCTUnwrap(cells[1]["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.last?["output_type"] as? String, "error")
        XCTAssertEqual(cells[2]["execution_count"] as? Int, 3, "the run went on after the error")
    }
}
