import XCTest
@testable import AstrolabeKernel

final class NotebookMarkdownTests: XCTestCase {
    func testMarkdownDocument() {
        let (text, files) = MarkdownWriter.markdown(NotebookWriterTests.sampleResult(), imageFolder: "sample_files")
        XCTAssertEqual(files.count, 1)
        XCTAssertEqual(files.first?.path, "sample_files/figure-1.png")
        XCTAssertEqual(files.first?.bytes.prefix(4), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(text, """
            # Title — with “quotes”
            Text with `code`.

            ```text
            load a.csv as t \\
              id=id
            plot density x y to=plots/xy.png
            ```

            ```
            loaded 3 rows\ttab "quoted" \\ back
            second
            ```

            > **warning:** 2 values missing in x

            ![plots/xy.png](sample_files/figure-1.png)

            ```text
            score m
            ```

            ```text
            error: sample.alab:8:7: unknown model `m`
              score m
                    ^
            ```

            """)
    }

    func testFenceOutgrowsBackticksInOutput() {
        XCTAssertEqual(MarkdownWriter.fenced("a ``` b", info: ""), "````\na ``` b\n````")
    }

    func testDeterministic() {
        let a = MarkdownWriter.markdown(NotebookWriterTests.sampleResult(), imageFolder: "f/")
        let b = MarkdownWriter.markdown(NotebookWriterTests.sampleResult(), imageFolder: "f")
        XCTAssertEqual(a.text, b.text)
        XCTAssertEqual(a.files.map(\.path), b.files.map(\.path))
    }
}
