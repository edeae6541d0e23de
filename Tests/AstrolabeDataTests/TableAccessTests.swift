import XCTest
@testable import AstrolabeData

final class TableAccessTests: XCTestCase {
    private func table() throws -> Table {
        try Table(name: "sky", columns: [
            Column(name: "g-r", numbers: [0.5, .nan]),
            Column(name: "label", strings: ["bll", nil]),
        ])
    }

    func testNumericColumn() throws {
        let values = try table().numericColumn(named: "g-r")
        XCTAssertEqual(values[0], 0.5)
        XCTAssertTrue(values[1].isNaN)
    }

    func testUnknownNameSuggests() throws {
        XCTAssertThrowsError(try table().numericColumn(named: "g_r")) { error in
            let e = error as? DataError
            XCTAssertEqual(e?.suggestion, "g-r")
            XCTAssertEqual(e?.message, "unknown column `g_r` in table `sky`; did you mean `g-r`?")
        }
        XCTAssertThrowsError(try table().numericColumn(named: "redshift")) { error in
            XCTAssertNil((error as? DataError)?.suggestion)
        }
    }

    func testTextColumnIsRefused() throws {
        XCTAssertThrowsError(try table().numericColumn(named: "label")) { error in
            XCTAssertEqual((error as? DataError)?.message, "column `label` is text, not numeric")
        }
    }

    func testRowIndicesFromAComparison() throws {
        let t = try Table(name: "t", columns: [Column(name: "x", numbers: [3, .nan, -1, 5, 0])])
        let mask = try Expression(parsing: "x > 0").evaluate(in: t)   // [1, NaN, 0, 1, 0]
        XCTAssertEqual(t.rowIndices(where: mask), [0, 3])
        XCTAssertEqual(t.rowIndices(where: [1]), [0])                // short mask: no reading past it
        XCTAssertEqual(t.rowIndices(where: [2, 2, 2, 2, 2, 2, 2]), [0, 1, 2, 3, 4])
    }

    func testNearestNameTiesGoToTheFirstCandidate() {
        XCTAssertEqual(nearestName(to: "ab", in: ["ax", "ay"]), "ax")
        XCTAssertNil(nearestName(to: "x", in: []))
    }

    func testNearestNameFindsTheSameWordsSpelledAnotherWay() {
        let iris = ["id", "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)", "label"]
        XCTAssertEqual(nearestName(to: "sepal_length", in: iris), "sepal length (cm)")
        XCTAssertEqual(nearestName(to: "Petal-Width", in: iris), "petal width (cm)")
        // Two candidates with the same words: no guess.
        XCTAssertNil(nearestName(to: "flux", in: ["flux [Jy]", "flux (mJy)"]))
        // Different words are still no match.
        XCTAssertNil(nearestName(to: "sepal_area", in: iris))
    }
}
