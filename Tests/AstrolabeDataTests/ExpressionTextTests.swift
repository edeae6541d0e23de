import XCTest
@testable import AstrolabeData

/// Text literals: `label == "bll"` selects rows by a text column; missing cells stay missing.
final class ExpressionTextTests: XCTestCase {
    func table() throws -> Table {
        try Table(name: "t", columns: [
            Column(name: "label", strings: ["bll", "fsrq", nil, "bll"]),
            Column(name: "x", numbers: [1, 2, 3, .nan]),
        ])
    }

    func values(_ text: String) throws -> [Double] {
        try Expression(parsing: text).evaluate(in: table())
    }

    func assertSame(_ got: [Double], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, expected.count, file: file, line: line)
        for (g, e) in zip(got, expected) {
            if e.isNaN { XCTAssertTrue(g.isNaN, "expected nan, got \(g)", file: file, line: line) }
            else { XCTAssertEqual(g, e, file: file, line: line) }
        }
    }

    func testEqualityWithATextColumnInEitherOrderAndQuoteStyle() throws {
        assertSame(try values(#"label == "bll""#), [1, 0, .nan, 1])
        assertSame(try values(#"'fsrq' == label"#), [0, 1, .nan, 0])
        assertSame(try values(#"label != "bll""#), [0, 1, .nan, 0])
    }

    func testCombinesWithNumericConditions() throws {
        // (label == bll) and (x > 1): row 0 fails x, row 3 has missing x, row 2 missing label.
        assertSame(try values(#"label == "bll" and x > 0.5"#), [1, 0, .nan, .nan])
        assertSame(try values(#"not (label == "bll")"#), [0, 1, .nan, 0])
    }

    func testMisusesAreClearErrors() throws {
        XCTAssertThrowsError(try values(#"x == "bll""#)) { error in
            let e = error as? ExpressionError
            XCTAssertEqual(e?.message, "column `x` is numeric; compare it with a number, not text")
            XCTAssertEqual(e?.range, 5 ..< 10)
        }
        XCTAssertThrowsError(try values(#""bll" + 1"#)) { error in
            XCTAssertEqual((error as? ExpressionError)?.range, 0 ..< 5)
        }
        XCTAssertThrowsError(try values(#"label == "bll"#)) { error in
            XCTAssertEqual((error as? ExpressionError)?.message, "unterminated text")
        }
        XCTAssertThrowsError(try values(#"lable == "bll""#)) { error in
            XCTAssertEqual((error as? ExpressionError)?.suggestion, "label")
        }
        XCTAssertEqual(try Expression(parsing: #"label == "bll" and x > 1"#).columnNames, ["label", "x"])
    }
}
