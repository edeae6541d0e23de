import XCTest
@testable import AstrolabeLearn

final class FeatureMatrixTests: XCTestCase {
    func testColumnsBecomeRowMajorValues() throws {
        let m = try FeatureMatrix(columns: [[1, 2, 3], [10, 20, 30]])
        XCTAssertEqual(m.rows, 3)
        XCTAssertEqual(m.columns, 2)
        XCTAssertEqual(m.values, [1, 10, 2, 20, 3, 30])
        XCTAssertEqual(m.value(row: 2, column: 1), 30)
        XCTAssertNil(m.value(row: 3, column: 0))
        XCTAssertNil(m.value(row: 0, column: -1))
        XCTAssertEqual(try m.selecting(rows: [2, 0]).values, [3, 30, 1, 10])
        XCTAssertThrowsError(try m.selecting(rows: [3]))
    }

    func testShapeMismatchesThrowWithAMessage() {
        XCTAssertThrowsError(try FeatureMatrix(columns: [[1, 2], [1]])) {
            XCTAssertEqual(($0 as? LearnError)?.description, "feature 2 has 1 values but feature 1 has 2")
        }
        XCTAssertThrowsError(try FeatureMatrix(rows: 2, columns: 2, values: [1, 2, 3]))
        XCTAssertThrowsError(try FeatureMatrix(rows: -1, columns: 2, values: []))
        XCTAssertThrowsError(try FeatureMatrix(rows: Int.max, columns: 2, values: []))
        XCTAssertThrowsError(try FeatureMatrix(rows: [[1, 2], [3]]))
    }

    func testEmptyInputsAreEmptyMatrices() throws {
        let none = try FeatureMatrix(columns: [])
        XCTAssertEqual(none.rows, 0)
        XCTAssertEqual(none.columns, 0)
        let noRows = try FeatureMatrix(columns: [[], []])
        XCTAssertEqual(noRows.rows, 0)
        XCTAssertEqual(noRows.columns, 2)
    }
}
