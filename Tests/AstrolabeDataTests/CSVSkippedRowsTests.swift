import XCTest
@testable import AstrolabeData

/// `on_error=skip`: a malformed row that is skipped leaves no trace in a column's type, whichever
/// way the file is split into pieces (`CSVColumnBuilder.truncate`).
final class CSVSkippedRowsTests: XCTestCase {
    /// Reads `text` with `on_error=skip` split into 1...8 pieces; the tables must be the same.
    private func read(_ text: String, float32: Bool = false) throws -> Table {
        var options = CSVOptions()
        options.onError = .skip
        if float32 { options.precision = .float32 }
        var first: Table? = nil
        for pieces in 1 ... 8 {
            options.chunkCount = pieces
            let table = try CSVReader(options: options).read(bytes: Array(text.utf8), source: "s.csv", tableName: "t")
            if let first {
                for (a, b) in zip(first.columns, table.columns) {
                    XCTAssertEqual(a.kind, b.kind, "\(a.name), \(pieces) pieces")
                    XCTAssertEqual(a.numbers?.map(\.bitPattern), b.numbers?.map(\.bitPattern), "\(a.name), \(pieces) pieces")
                }
            } else {
                first = table
            }
        }
        return try XCTUnwrap(first)
    }

    func testASkippedBooleanDoesNotMakeAColumnBoolean() throws {
        // Before the skipped row only missing cells: `true` would make the column boolean, and
        // the `2` after it then text.
        let table = try read("x,y\n,1\ntrue,1,extra\n2,2\n")
        XCTAssertEqual(table.column(named: "x")?.kind, .integer)
        XCTAssertEqual(table.column(named: "x")?.numbers?.last, 2)
    }

    func testASkippedFractionDoesNotMakeAnIntegerColumnFloat() throws {
        // Too many fields, and too few (the cell is read before the row is found short).
        for bad in ["0.5,1,extra", "0.5"] {
            let table = try read("n,y\n1,1\n2,2\n\(bad)\n3,3\n")
            XCTAssertEqual(table.column(named: "n")?.kind, .integer, bad)
            XCTAssertEqual(table.column(named: "n")?.numbers, [1, 2, 3], bad)
        }
    }

    func testASkippedRowThatIsTheOnlyOneWithAValueLeavesTheColumnWithoutValues() throws {
        for cell in ["7", "0.5", "true"] {
            let table = try read("x,y\n,1\n\(cell),1,extra\n,2\n")
            let x = try XCTUnwrap(table.column(named: "x"))
            XCTAssertEqual(x.kind, .float, cell) // no value at all: as a column of missing cells
            XCTAssertEqual(x.numbers?.count, 2, cell)
            XCTAssertTrue(x.numbers?.allSatisfy(\.isNaN) ?? false, cell)
        }
    }

    func testASkippedRowAtAPieceBoundaryLeavesTheTypeAsInOnePiece() throws {
        // With 1...8 pieces the malformed rows fall at or near the start of a piece for some
        // split; every split must give the one-piece table (checked by `read`).
        var text = "n,f,b\n"
        for k in 0 ..< 60 {
            text += "\(k),\(k).5,\(k % 2 == 0 ? "true" : "false")\n"
            if k % 15 == 7 { text += "true,1,x,extra\n0.5,2\n" }
        }
        let table = try read(text)
        XCTAssertEqual(table.column(named: "n")?.kind, .integer)
        XCTAssertEqual(table.column(named: "n")?.numbers, (0 ..< 60).map(Double.init))
        XCTAssertEqual(table.column(named: "f")?.kind, .float)
        XCTAssertEqual(table.column(named: "b")?.kind, .boolean)
    }

    func testASkippedFractionDoesNotNarrowAnIntegerColumnToFloat32() throws {
        // precision=float32: a first non-integer moves a column's numbers to floats, which
        // cannot hold 16777217; the skipped row must not have done so.
        var builder = CSVColumnBuilder(forced: nil, float32: true, internLimit: 10)
        let sentinels = CSVSentinels([])
        for cell in ["16777217", "0.5"] {
            Array(cell.utf8).withUnsafeBufferPointer {
                builder.appendCell($0, start: 0, end: $0.count, quoted: false, escaped: false, sentinels: sentinels)
            }
        }
        XCTAssertTrue(builder.usesFloats)
        builder.truncate(to: 1)
        XCTAssertFalse(builder.usesFloats)
        XCTAssertTrue(builder.allIntegers)
        XCTAssertEqual(builder.doubles, [16_777_217])
        XCTAssertEqual(builder.count, 1)
    }

    func testASkippedTextCellLeavesABooleanColumnBoolean() throws {
        let table = try read("b,y\ntrue,1\nmaybe,1,extra\nfalse,2\n")
        XCTAssertEqual(table.column(named: "b")?.kind, .boolean)
        XCTAssertEqual(table.column(named: "b")?.numbers, [1, 0])
    }
}

extension CSVSkippedRowsTests {
    func testASkippedRowsTextDoesNotCountAsADistinctValue() throws {
        // Ten `a`s make a category (each value repeated 10 times); the skipped `z` must not make
        // it two distinct values (text), whether read first or re-read as text for another piece.
        let tenA = String(repeating: "a,1\n", count: 10)
        let table = try read("c,y\nz,1,extra\n" + tenA)
        XCTAssertEqual(table.column(named: "c")?.kind, .category)
        let mixed = try read("c,y\n1,1\nz,1,extra\n" + tenA)
        XCTAssertEqual(mixed.column(named: "c")?.kind, .text) // `1` is a kept value: two distinct
        var options = CSVOptions()
        options.onError = .skip
        options.categoryLimit = 1
        // Too many distinct values only because of the skipped row: still a category.
        let limited = try CSVReader(options: options).read(bytes: Array(("c,y\na,1\nz,1,extra\n" + tenA).utf8),
                                                             source: "s.csv", tableName: "t")
        XCTAssertEqual(limited.column(named: "c")?.kind, .category)
    }
}
