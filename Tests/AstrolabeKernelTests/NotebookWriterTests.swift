import Foundation
import XCTest
@testable import AstrolabeKernel

final class NotebookWriterTests: XCTestCase {
    /// A replay with every kind of output, built by hand so it does not depend on the session.
    static func sampleResult() -> ReplayResult {
        let script = Script(text: """
            # # Title — with “quotes”
            # Text with `code`.

            load a.csv as t \\
              id=id
            plot density x y to=plots/xy.png

            score m
            """, file: "sample.alab")
        let png = PNGImage(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2], path: "plots/xy.png",
                           width: 800, height: 600)
        var result = ReplayResult(file: script.file, cells: script.cells.map { CellResult(cell: $0) })
        result.cells[1].executionCount = 1
        result.cells[1].outputs = [
            .output(.text("loaded 3 rows\ttab \"quoted\" \\ back")),
            .output(.text("second\n")),
            .output(.warning("2 values missing in x")),
            .output(.image(png)),
        ]
        let error = Diagnostic("unknown model `m`", location: SourceLocation(file: "sample.alab", line: 8, column: 7),
                               sourceLine: "score m", suggestion: nil)
        result.cells[2].executionCount = 2
        result.cells[2].outputs = [.error(error)]
        result.errors = [error]
        return result
    }

    func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func testNotebookStructure() throws {
        let bytes = NotebookWriter.ipynb(Self.sampleResult())
        XCTAssertEqual(bytes.last, UInt8(ascii: "\n"))
        let nb = try parse(bytes)
        XCTAssertEqual(nb["nbformat"] as? Int, 4)
        XCTAssertEqual(nb["nbformat_minor"] as? Int, 5)
        let metadata = try XCTUnwrap(nb["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["kernelspec"] as? [String: String],
                       ["name": "astrolabe", "display_name": "Astrolabe", "language": "astrolabe"])
        XCTAssertEqual(metadata["language_info"] as? [String: String],
                       ["name": "astrolabe", "file_extension": ".alab", "mimetype": "text/x-astrolabe"])

        let cells = try XCTUnwrap(nb["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.count, 3)
        XCTAssertEqual(cells.map { $0["id"] as? String }, ["cell-1", "cell-2", "cell-3"])
        XCTAssertEqual(Set(cells[0].keys), ["cell_type", "id", "metadata", "source"])
        XCTAssertEqual(cells[0]["source"] as? [String], ["# Title — with “quotes”\n", "Text with `code`."])

        let code = cells[1]
        XCTAssertEqual(Set(code.keys), ["cell_type", "execution_count", "id", "metadata", "outputs", "source"])
        XCTAssertEqual(code["execution_count"] as? Int, 1)
        XCTAssertEqual(code["source"] as? [String],
                       ["load a.csv as t \\\n", "  id=id\n", "plot density x y to=plots/xy.png"])
        let outputs = try XCTUnwrap(code["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.map { $0["output_type"] as? String }, ["stream", "stream", "display_data"])
        XCTAssertEqual(outputs[0]["name"] as? String, "stdout")
        XCTAssertEqual(outputs[0]["text"] as? [String], ["loaded 3 rows\ttab \"quoted\" \\ back\n", "second\n"])
        XCTAssertEqual(outputs[1]["name"] as? String, "stderr")
        XCTAssertEqual(outputs[1]["text"] as? [String], ["warning: 2 values missing in x\n"])
        let data = try XCTUnwrap(outputs[2]["data"] as? [String: Any])
        XCTAssertEqual(data["image/png"] as? String, Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2]).base64EncodedString())
        XCTAssertEqual(data["text/plain"] as? [String], ["<Figure plots/xy.png 800×600>"])
        XCTAssertEqual((outputs[2]["metadata"] as? [String: Any])?["image/png"] as? [String: Int],
                       ["width": 800, "height": 600])

        let error = try XCTUnwrap((cells[2]["outputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(error["output_type"] as? String, "error")
        XCTAssertEqual(error["evalue"] as? String, "sample.alab:8:7: unknown model `m`")
        XCTAssertEqual(error["traceback"] as? [String],
                       ["error: sample.alab:8:7: unknown model `m`", "  score m", "        ^"])
    }

    func testUnreachedCellsHaveNoExecutionCount() throws {
        var result = Self.sampleResult()
        result.cells[2].executionCount = nil
        result.cells[2].outputs = []
        let cells = try XCTUnwrap(parse(NotebookWriter.ipynb(result))["cells"] as? [[String: Any]])
        XCTAssertTrue(cells[2]["execution_count"] is NSNull)
        XCTAssertEqual((cells[2]["outputs"] as? [Any])?.count, 0)
    }

    func testDeterministicBytesInNbformatStyle() {
        let first = NotebookWriter.ipynb(Self.sampleResult())
        let second = NotebookWriter.ipynb(Self.sampleResult())
        XCTAssertEqual(first, second)
        let text = String(decoding: first, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n"), text)
        XCTAssertTrue(text.hasSuffix("\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"))
        XCTAssertFalse(text.contains("/work/"), "no absolute paths")
    }

    func testJSONStringEscaping() {
        XCTAssertEqual(JSONWriter.quoted("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}é×\u{7F}"),
                       "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001fé×\u{7F}\"")
        XCTAssertEqual(JSONWriter.write(.object(["b": .array([]), "a": .object([:]), "c": .null])),
                       "{\n \"a\": {},\n \"b\": [],\n \"c\": null\n}")
    }

    func testBase64MatchesFoundation() {
        for n in 0..<20 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            XCTAssertEqual(Base64.encode(bytes), Data(bytes).base64EncodedString())
        }
    }

    /// Validates against the real nbformat schema and checks that nbformat's own writer gives the
    /// same bytes. Needs ASTROLABE_PYTHON: a Python with nbformat (`make test` sets it).
    func testValidatesWithNbformat() throws {
        let python = try referencePython(needing: "nbformat")
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("astrolabe-nbformat-\(getpid()).ipynb")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(NotebookWriter.ipynb(Self.sampleResult())).write(to: file)
        let (status, _, message) = try runPython(python, ["-c", """
            import sys, nbformat
            text = open(sys.argv[1], encoding="utf-8").read()
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
            again = nbformat.writes(nb) + "\\n"
            if again != text:
                sys.exit("nbformat rewrites the notebook differently")
            """, file.path])
        XCTAssertEqual(status, 0, message)
    }
}
