import XCTest
@testable import AstrolabeKernel

/// Prose blocks become Markdown cells that keep their Markdown, and the HTML page renders it.
final class NotebookHTMLTests: XCTestCase {
    static let script = Script(text: """
        # ## Results
        #
        # The *forest* beats the **baseline**; see [the paper](https://example.org/p?a=1&b=2).
        #
        # - first point
        # - second point with `code`
        help unsure

        help teach
        # a comment inside a code cell stays code

        #   indented prose keeps its text
        """, file: "prose.alab")

    func testCellsSplitAtBlankLinesAndProseBlocks() {
        let cells = Self.script.cells
        XCTAssertEqual(cells.count, 3, "\(cells)")
        // A paragraph with any command is code, comments and all.
        guard case .code(let source, let commands) = cells[0] else { return XCTFail("\(cells[0])") }
        XCTAssertEqual(source.first, "# ## Results")
        XCTAssertEqual(commands.map(\.text), ["help unsure"])
        XCTAssertEqual(commands.first?.location.line, 7)
        guard case .code(_, let second) = cells[1] else { return XCTFail() }
        XCTAssertEqual(second.map(\.text), ["help teach"])
        XCTAssertEqual(cells[2], .markdown("  indented prose keeps its text"))
    }

    func testProseMarkdownSurvivesIntoTheNotebookAndRendersInHTML() throws {
        let script = Script(text: """
            # ## Results
            #
            # The *forest* beats the **baseline**; see [the paper](https://example.org/p?a=1&b=2).
            #
            # - first point
            # - second point with `code` & <angle>

            help unsure
            """, file: "prose.alab")
        XCTAssertEqual(script.cells.first, .markdown("""
            ## Results

            The *forest* beats the **baseline**; see [the paper](https://example.org/p?a=1&b=2).

            - first point
            - second point with `code` & <angle>
            """))
        let session = try Session(options: SessionOptions(storePath: ":memory:"))
        let result = Replay.run(script: script, session: session)
        let notebook = try JSONReader.parse(NotebookWriter.ipynb(result))
        let cells = try XCTUnwrap(notebook["cells"]?.arrayValue)
        XCTAssertEqual(cells.first?["cell_type"], .string("markdown"))
        XCTAssertTrue(cells.first?["source"]?.joinedText?.contains("[the paper](https://example.org/p?a=1&b=2)") == true)

        let html = String(decoding: HTMLWriter.html(result), as: UTF8.self)
        XCTAssertTrue(html.contains("<h2>Results</h2>"), html)
        XCTAssertTrue(html.contains("<em>forest</em>"))
        XCTAssertTrue(html.contains("<strong>baseline</strong>"))
        XCTAssertTrue(html.contains("<a href=\"https://example.org/p?a=1&b=2\">the paper</a>"), html)
        XCTAssertTrue(html.contains("<ul><li>first point</li><li>second point with <code>code</code>"), html)
        XCTAssertTrue(html.contains("<title>Results</title>"))
        // Source and output text are escaped, so `<` in data cannot become markup.
        XCTAssertTrue(html.contains("<pre><code>help unsure</code></pre>"))
        XCTAssertEqual(HTMLWriter.escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;")
    }

    func testLineDiffShowsChangedLinesWithContext() {
        let diff = LineDiff.render(expected: "a\nb\nc\nd\ne\nf\n", actual: "a\nb\nC\nd\ne\nf\ng\n", indent: "")
        XCTAssertEqual(diff, "  b\n- c\n+ C\n  d\n  …\n  f\n+ g")
    }
}
