import XCTest
@testable import AstrolabeData

/// Tables of tens of thousands of columns: each step of loading them is linear in the columns
/// (finding or adding a column by name was a scan of all of them), and blank lines cost nothing
/// per column. Timings belong in bench/, so these check the results only.
final class WideTableTests: XCTestCase {
    private let width = 20_000

    private func header() -> String { (0 ..< width).map { "c\($0)" }.joined(separator: ",") + "\n" }

    func testTwentyThousandNumericColumns() throws {
        var text = header()
        for row in 0 ..< 3 { text += (0 ..< width).map { String($0 * 10 + row) }.joined(separator: ",") + "\n" }
        let table = try CSVReader().read(bytes: Array(text.utf8), source: "wide.csv", tableName: "t")
        XCTAssertEqual(table.columns.count, width)
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.column(named: "c19999")?.numbers, [199_990, 199_991, 199_992])
        XCTAssertEqual(table.columns[12_345].name, "c12345")
    }

    func testTwentyThousandTextColumns() throws {
        var text = header()
        for row in 0 ..< 2 { text += (0 ..< width).map { "x\($0)_\(row)" }.joined(separator: ",") + "\n" }
        let table = try CSVReader().read(bytes: Array(text.utf8), source: "wide.csv", tableName: "t")
        XCTAssertEqual(table.columns.count, width)
        XCTAssertEqual(table.column(named: "c777")?.strings, ["x777_0", "x777_1"])
    }

    func testBlankLinesInAWideFile() throws {
        // 100,000 blank lines among three rows: room for a row per line break in every column was
        // 16 GB of address space, and each blank line cost a step per column.
        var text = header()
        let row = (0 ..< width).map { String($0) }.joined(separator: ",") + "\n"
        text += row + String(repeating: "\n", count: 50_000) + row + String(repeating: "\n", count: 50_000) + row
        let table = try CSVReader().read(bytes: Array(text.utf8), source: "blank.csv", tableName: "t")
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.column(named: "c4321")?.numbers, [4321, 4321, 4321])
    }

    func testBlankLinesBetweenNumbersKeepEveryRow() throws {
        // The blank-line shortcut must leave the all-numbers path's rows counted right.
        var text = "a,b\n"
        for i in 0 ..< 1000 { text += "\(i),\(i * 2)\n" + (i % 7 == 0 ? "\n\n" : "") }
        for chunks in [1, 3] {
            var options = CSVOptions()
            options.chunkCount = chunks
            let table = try CSVReader(options: options).read(bytes: Array(text.utf8), source: "x", tableName: "t")
            XCTAssertEqual(table.column(named: "b")?.numbers, (0 ..< 1000).map { Double($0 * 2) })
        }
    }

    func testReplacingAColumnKeepsItsPlace() throws {
        var table = try Table(name: "t", columns: [Column(name: "a", numbers: [1]), Column(name: "b", numbers: [2])])
        try table.setColumn(Column(name: "a", numbers: [3]))
        try table.setColumn(Column(name: "c", numbers: [4]))
        XCTAssertEqual(table.columnNames, ["a", "b", "c"])
        XCTAssertEqual(table.column(named: "a")?.numbers, [3])
        XCTAssertNil(table.column(named: "d"))
    }
}
