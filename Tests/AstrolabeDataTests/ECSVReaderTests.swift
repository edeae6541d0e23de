import Foundation
import XCTest
@testable import AstrolabeData

/// ECSV written by astropy reads as astropy reads it; headers that are not ECSV as astropy
/// writes it are errors naming the line.
final class ECSVReaderTests: XCTestCase {
    func testAstropyECSVReadsAsAstropyReadsIt() throws {
        let expected = try FormatFixtures.expected()
        let path = try FormatFixtures.path("types.ecsv")
        let (table, report) = try TableFileReader().readWithReport(path: path, tableName: "t")
        FormatFixtures.assertEqualsAstropy(table, try XCTUnwrap(expected["types.ecsv"]), file: "types.ecsv")
        XCTAssertEqual(report.warnings, [])
        XCTAssertEqual(table.column(named: "i64")?.kind, .integer)
        XCTAssertEqual(table.column(named: "flag")?.kind, .boolean)
        XCTAssertEqual(table.column(named: "name")?.kind, .text)
    }

    private func read(_ text: String) throws -> (table: Table, report: ReadReport) {
        try Array(text.utf8).withUnsafeBufferPointer { try ECSVReader().readWithReport(buffer: $0, source: "x.ecsv", tableName: "t") }
    }

    private func error(_ text: String) -> DataError? {
        do { _ = try read(text); return nil } catch let error as DataError { return error } catch {
            XCTFail("not a DataError: \(error)")
            return nil
        }
    }

    func testCommaDelimiterUnitsAndBigIntegers() throws {
        let text = """
            # %ECSV 1.0
            # ---
            # delimiter: ','
            # datatype:
            # - name: source_id
            #   datatype: int64
            # - {name: g, unit: mag, datatype: float32, description: 'G band, Vega'}
            # meta: !!omap
            # - {comment: a tagged mapping astropy writes}
            # schema: astropy-2.0
            source_id,g
            6917528997577384320,12.5
            42,""

            """
        let (table, report) = try read(text)
        XCTAssertEqual(table.column(named: "source_id")?.strings, ["6917528997577384320", "42"])
        XCTAssertEqual(report.warnings.count, 1)
        XCTAssertEqual(table.column(named: "g")?.metadata, ColumnMetadata(unit: "mag", description: "G band, Vega"))
        XCTAssertEqual(table.column(named: "g")?.numbers?.first, 12.5)
        XCTAssertTrue(table.column(named: "g")?.numbers?.last?.isNaN == true)
    }

    func testValuesThatAreNotTheirDatatypeAreReported() throws {
        let report = try read("# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: int8}\na\nx\n2\n").report
        XCTAssertEqual(report.warnings.count, 1)
        XCTAssertTrue(report.warnings.first?.contains("column `a`") == true, "\(report.warnings)")
    }

    func testHeadersThatAreNotECSVAreErrorsAtTheirLine() {
        let head = "# %ECSV 1.0\n# ---\n"
        let cases: [(String, String, Int?)] = [
            ("# %ECSV 1.0\n# datatype: []\na\n", "the second line is not `# ---`", 2),
            ("# %ECSV 7.0\n# ---\n", "ECSV version 7.0", 1),
            (head + "# datatype:\n# - {name: a, datatype: int64\na\n1\n", "not valid YAML", nil),
            (head + "# datatype:\n# - {name: a, datatype: complex128}\na\n1\n", "datatype complex128", nil),
            (head + "# datatype:\n# - {name: a, datatype: string, subtype: 'int64[2]'}\na\n1\n", "subtype int64[2]", nil),
            (head + "# delimiter: ';'\n# datatype:\n# - {name: a, datatype: int8}\na\n1\n", "space or a comma", nil),
            (head + "# datatype:\n# - {name: a, datatype: int8}\nb\n1\n", "differ from the header's", 5),
            (head + "# schema: astropy-2.0\na\n1\n", "no `datatype:` list", nil),
        ]
        for (text, expected, line) in cases {
            let error = self.error(text)
            XCTAssertNotNil(error, expected)
            XCTAssertTrue(error?.message.contains(expected) == true, "\(expected): \(error?.description ?? "read without error")")
            XCTAssertEqual(error?.file, "x.ecsv")
            if let line { XCTAssertEqual(error?.line, line, expected) }
        }
    }
}
