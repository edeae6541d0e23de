import XCTest
@testable import AstrolabeData

/// The CSV reader on small hand-written inputs: syntax, type inference, missing values, errors.
final class CSVReaderTests: XCTestCase {
    private func read(_ text: String, source: String = "t.csv") throws -> Table {
        try CSVReader().read(bytes: Array(text.utf8), source: source, tableName: "t")
    }

    private func readError(_ text: String) -> DataError? {
        do {
            _ = try read(text)
            XCTFail("expected an error for \(text.debugDescription)")
            return nil
        } catch let error as DataError {
            return error
        } catch {
            XCTFail("unexpected error \(error)")
            return nil
        }
    }

    func testNumericAndTextColumnsAreInferred() throws {
        let table = try read("name,x,y\nalpha,1,2.5\nbeta,-3,1e-3\n")
        XCTAssertEqual(table.columnNames, ["name", "x", "y"])
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(table.column(named: "name")?.strings, ["alpha", "beta"])
        XCTAssertEqual(table.column(named: "x")?.numbers, [1, -3])
        XCTAssertEqual(table.column(named: "y")?.numbers, [2.5, 0.001])
    }

    func testOneNonNumberMakesTheColumnText() throws {
        let table = try read("v\n1\n2\nthree\n")
        XCTAssertEqual(table.column(named: "v")?.strings, ["1", "2", "three"])
    }

    func testNumberSyntaxVariants() throws {
        let table = try read("v\n+1.5\n.5\n5.\ninf\n-inf\n+Infinity\n1E+14\n  7  \n-0\n")
        let v = try XCTUnwrap(table.column(named: "v")?.numbers)
        XCTAssertEqual(v.count, 9)
        XCTAssertEqual(Array(v[0 ..< 3]), [1.5, 0.5, 5])
        XCTAssertEqual(v[3], .infinity)
        XCTAssertEqual(v[4], -.infinity)
        XCTAssertEqual(v[5], .infinity)
        XCTAssertEqual(v[6], 100_000_000_000_000)
        XCTAssertEqual(v[7], 7)
        XCTAssertEqual(v[8], 0)
        XCTAssertEqual(v[8].sign, .minus)
    }

    func testNumbersAreCorrectlyRoundedOnBothPaths() throws {
        // Fast path (<= 15 digits) and slow path (17+ digits, large exponents); expected values are
        // the compiler's own correctly rounded literals.
        let table = try read("v\n0.1\n8.399999842367833e-07\n1.2597956e-10\n123456789012345678\n1e300\n2.2250738585072014e-308\n1e400\n")
        let v = try XCTUnwrap(table.column(named: "v")?.numbers)
        XCTAssertEqual(v[0], 0.1)
        XCTAssertEqual(v[1], 8.399999842367833e-07)
        XCTAssertEqual(v[2], 1.2597956e-10)
        XCTAssertEqual(v[3], 123456789012345678.0)
        XCTAssertEqual(v[4], 1e300)
        XCTAssertEqual(v[5], 2.2250738585072014e-308)
        XCTAssertEqual(v[6], .infinity)
    }

    func testMissingMarkersInNumericColumns() throws {
        let table = try read("v,w\n1,NA\nNaN,x\nnan,\nnull,NA\nNULL,y\n,z\n")
        let v = try XCTUnwrap(table.column(named: "v")?.numbers)
        XCTAssertEqual(v[0], 1)
        XCTAssertEqual(v[1 ..< 6].filter(\.isNaN).count, 5)
        XCTAssertEqual(table.column(named: "v")?.missingCount, 5)
        // In a text column, NA is text; only empty cells are missing.
        XCTAssertEqual(table.column(named: "w")?.strings, ["NA", "x", nil, "NA", "y", "z"])
    }

    func testAllEmptyColumnIsNumericAndMissing() throws {
        let table = try read("a,b\n1,\n2,\n")
        let b = try XCTUnwrap(table.column(named: "b")?.numbers)
        XCTAssertEqual(b.count, 2)
        XCTAssertTrue(b.allSatisfy(\.isNaN))
    }

    func testQuotedFields() throws {
        let text = "id,note\n\"a,b\",\"she said \"\"hi\"\"\"\n\"two\nlines\",\" padded \"\n"
        let table = try read(text)
        XCTAssertEqual(table.column(named: "id")?.strings, ["a,b", "two\nlines"])
        XCTAssertEqual(table.column(named: "note")?.strings, ["she said \"hi\"", " padded "])
    }

    func testQuotedNumbersAreNumbers() throws {
        let table = try read("x\n\"1.5\"\n\"\"\n")
        let x = try XCTUnwrap(table.column(named: "x")?.numbers)
        XCTAssertEqual(x[0], 1.5)
        XCTAssertTrue(x[1].isNaN)
    }

    func testCRLFAndBOMAndNoFinalNewline() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,x\r\nA,1\r\nB,2".utf8)
        let table = try CSVReader().read(bytes: bytes, source: "crlf.csv", tableName: "t")
        XCTAssertEqual(table.columnNames, ["id", "x"])
        XCTAssertEqual(table.column(named: "id")?.strings, ["A", "B"])
        XCTAssertEqual(table.column(named: "x")?.numbers, [1, 2])
    }

    func testBlankLinesAreSkipped() throws {
        let table = try read("x,y\n1,2\n\n3,4\n\n")
        XCTAssertEqual(table.column(named: "x")?.numbers, [1, 3])
    }

    func testHeaderOnlyGivesEmptyTable() throws {
        let table = try read("a,b\n")
        XCTAssertEqual(table.columnNames, ["a", "b"])
        XCTAssertEqual(table.rowCount, 0)
    }

    func testEmptyHeaderNamesAreNumbered() throws {
        let table = try read(",x,\n1,2,3\n")
        XCTAssertEqual(table.columnNames, ["column_1", "x", "column_3"])
    }

    func testInvalidUTF8IsReplacedNotFatal() throws {
        let bytes: [UInt8] = Array("name\n".utf8) + [0x61, 0xFF, 0x62, 0x0A]
        let table = try CSVReader().read(bytes: bytes, source: "bad.csv", tableName: "t")
        XCTAssertEqual(table.column(named: "name")?.strings, ["a\u{FFFD}b"])
    }

    func testRaggedRowNamesLineAndColumn() {
        let error = readError("a,b,c\n1,2,3\n4,5,6,7\n")
        XCTAssertEqual(error?.message, "line 3 has 4 fields, header has 3")
        XCTAssertEqual(error?.file, "t.csv")
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.column, 7) // the extra field `7` starts at character 7
        XCTAssertEqual(error?.description, "t.csv:3:7: line 3 has 4 fields, header has 3")
    }

    func testShortRowIsAnError() {
        let error = readError("a,b,c\n1,2,3\n\n4,5\n")
        XCTAssertEqual(error?.message, "line 4 has 2 fields, header has 3")
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(error?.column, 4) // just after `4,5`
    }

    func testLineNumbersCountNewlinesInsideQuotes() {
        let error = readError("a,b\n\"x\ny\",1\n1\n")
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(error?.message, "line 4 has 1 field, header has 2")
    }

    func testUnterminatedQuoteReportsWhereItOpened() {
        let error = readError("a,b\n1,2\n3,\"never closed\n4,5\n")
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.column, 3)
        XCTAssertTrue(error?.message.contains("unterminated") ?? false)
    }

    func testGarbageAfterClosingQuote() {
        let error = readError("a\n\"x\"y\n")
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.column, 4)
    }

    func testDuplicateHeaderIsAnError() {
        let error = readError("id,x,x\n1,2,3\n")
        XCTAssertEqual(error?.line, 1)
        XCTAssertEqual(error?.column, 6)
        XCTAssertEqual(error?.message, "duplicate column name `x` (also column 2 of the header)")
    }

    func testEmptyFileIsAnError() {
        XCTAssertEqual(readError("")?.message, "the file is empty")
        let bomOnly = try? CSVReader().read(bytes: [0xEF, 0xBB, 0xBF], source: "e.csv", tableName: "t")
        XCTAssertNil(bomOnly)
        XCTAssertEqual(readError("\n\n")?.message, "the file has no header row")
    }

    func testMissingFileSaysWhy() {
        let path = "/nonexistent-astrolabe-dir/missing.csv"
        XCTAssertThrowsError(try CSVReader().read(path: path, tableName: "t")) { error in
            XCTAssertEqual((error as? DataError)?.message, "cannot read \(path): No such file or directory")
        }
    }

    func testDirectoryIsNotReadable() {
        XCTAssertThrowsError(try CSVReader().read(path: "/tmp", tableName: "t")) { error in
            XCTAssertEqual((error as? DataError)?.message, "cannot read /tmp: Is a directory")
        }
    }

    func testReadsFromDisk() throws {
        let path = NSTemporaryDirectory() + "astrolabe-csv-\(getpid()).csv"
        try "a,b\n1,x\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader().read(path: path, tableName: "disk")
        XCTAssertEqual(table.name, "disk")
        XCTAssertEqual(table.column(named: "a")?.numbers, [1])
        XCTAssertEqual(table.column(named: "b")?.strings, ["x"])
    }
}
