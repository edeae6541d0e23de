import XCTest
@testable import AstrolabeKernel

/// The JSON reader behind `check`, configurations and Jupyter messages.
final class JSONReaderConfigTests: XCTestCase {
    func testReadsWhatTheWriterWrites() throws {
        let value: JSONValue = .object(["a": .array([.int(1), .double(0.25), .string("é\n\"\\ \u{1}"), .null, .bool(true)]),
                                        "b": .object([:])])
        XCTAssertEqual(try JSONReader.parse(JSONWriter.write(value)), value)
        XCTAssertEqual(try JSONReader.parse(JSONWriter.compact(value)), value)
    }

    func testEscapesAndNumbers() throws {
        XCTAssertEqual(try JSONReader.parse(#""\u00e9\ud83d\ude00\/""#), .string("é😀/"))
        XCTAssertEqual(try JSONReader.parse("-12"), .int(-12))
        XCTAssertEqual(try JSONReader.parse("1e3"), .double(1000))
        XCTAssertEqual(try JSONReader.parse("123456789012345678901234567890"), .double(1.2345678901234568e29))
    }

    func testErrorsSayWhere() {
        for (text, line, column) in [("{\"a\": 1,\n \"a\": 2}", 2, 7), ("[1, 2", 1, 6), ("{\"a\" 1}", 1, 6), ("01", 1, 2),
                                     ("\"\\ud800\"", 1, 8), ("tru", 1, 4), (String(repeating: "[", count: 600), 1, 513)] {
            XCTAssertThrowsError(try JSONReader.parse(text), text) { error in
                let e = error as? JSONReader.SyntaxError
                XCTAssertEqual(e?.line, line, "\(text): \(String(describing: e))")
                XCTAssertEqual(e?.column, column, "\(text): \(String(describing: e))")
            }
        }
    }
}
