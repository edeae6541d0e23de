import XCTest
@testable import AstrolabeKernel

/// `check` against a notebook executed in Jupyter: what Jupyter records differently from a replay
/// without changing the analysis (one stream output per message, metadata of its own) is not a difference.
final class NotebookCheckJupyterTests: XCTestCase {
    func replay() -> ReplayResult {
        let script = Script(text: "load a.csv\nscore m", file: "s.alab")
        var result = ReplayResult(file: script.file, cells: script.cells.map { CellResult(cell: $0) })
        result.cells[0].executionCount = 1
        result.cells[0].outputs = [.output(.text("loaded 3 rows")), .output(.warning("1 value missing")),
                                   .output(.text("first")), .output(.text("second"))]
        return result
    }

    /// The replay's notebook as nbclient records it: each message its own output, language_info from kernel_info.
    func asJupyterRecordsIt(_ result: ReplayResult) throws -> JSONValue {
        guard case .object(var notebook) = NotebookWriter.notebook(result), case .object(var metadata)? = notebook["metadata"],
              case .object(var language)? = metadata["language_info"], case .array(var cells)? = notebook["cells"],
              case .object(var cell) = cells[0] else { throw XCTSkip("unexpected notebook shape") }
        language["version"] = .string("0.1.0")   // the kernel's implementation_version (AstrolabeJupyter)
        language["codemirror_mode"] = .string("shell")
        metadata["language_info"] = .object(language)
        notebook["metadata"] = .object(metadata)
        func stream(_ name: String, _ text: String) -> JSONValue {
            .object(["output_type": .string("stream"), "name": .string(name), "text": .string(text)])
        }
        cell["outputs"] = .array([stream("stdout", "loaded 3 rows\n"), stream("stderr", "warning: 1 value missing\n"),
                                  stream("stdout", "first\n"), stream("stdout", "second\n")])
        cells[0] = .object(cell)
        notebook["cells"] = .array(cells)
        return .object(notebook)
    }

    func check(_ notebook: JSONValue) throws -> [String] {
        try NotebookCheck.compare(notebook: Array(JSONWriter.write(notebook).utf8), replay: replay()).differences.map(\.description)
    }

    func testSplitStreamsAndJupyterMetadataMatch() throws {
        XCTAssertEqual(try check(asJupyterRecordsIt(replay())), [])
    }

    func testChangedTextAndMissingMetadataStillDiffer() throws {
        guard case .object(var notebook) = try asJupyterRecordsIt(replay()) else { return XCTFail() }
        notebook["metadata"] = .object(["language_info": .object(["name": .string("astrolabe")])])
        let text = JSONWriter.write(.object(notebook)).replacingOccurrences(of: "second", with: "changed")
        let differences = try NotebookCheck.compare(notebook: Array(text.utf8), replay: replay()).differences.map(\.description)
        XCTAssertEqual(differences.count, 2, "\(differences)")
        XCTAssertTrue(differences[0].contains("metadata differs"), differences[0])
        XCTAssertTrue(differences[1].contains("- changed") && differences[1].contains("+ second"), differences[1])
    }
}
