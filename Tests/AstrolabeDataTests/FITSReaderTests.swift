import Foundation
import XCTest
@testable import AstrolabeData

/// The FITS reader against files written by astropy (Fixtures/make_fits_fixtures.py): every value
/// compared with what astropy's Table.read returns for the same file (Fixtures/expected.json).
final class FITSReaderTests: XCTestCase {
    private func fixture(_ name: String) throws -> String {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name).path
    }

    private func expected() throws -> [String: [String: [Any]]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixture("expected.json")))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: [Any]]])
    }

    /// Compares a column with astropy's values: null = missing, "inf"/"-inf" strings, numbers, bools, text.
    private func assertColumn(_ column: Column, equals reference: [Any], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(column.count, reference.count, "\(column.name) length", file: file, line: line)
        for (row, value) in reference.enumerated() where row < column.count {
            switch value {
            case is NSNull:
                if column.isNumeric {
                    XCTAssertTrue(column.number(row: row).isNaN, "\(column.name)[\(row)] should be missing", file: file, line: line)
                } else {
                    XCTAssertNil(column.strings?[row] ?? nil, "\(column.name)[\(row)]", file: file, line: line)
                }
            case let number as [String: String]:
                // Numbers come as Python's repr text: parse with Swift's correctly rounded parser.
                let want = Double(number["n"] ?? "") ?? .nan
                let got = column.number(row: row)
                XCTAssertEqual(got, want, "\(column.name)[\(row)]", file: file, line: line)
                if want == 0 { XCTAssertEqual(got.sign, want.sign, "\(column.name)[\(row)] sign", file: file, line: line) }
            case let text as String:
                XCTAssertEqual(column.strings?[row] ?? nil, text, "\(column.name)[\(row)]", file: file, line: line)
            default:
                XCTFail("unexpected reference value \(value)", file: file, line: line)
            }
        }
    }

    func testEveryColumnMatchesAstropy() throws {
        let table = try FITSReader().read(path: try fixture("types.fits"), tableName: "t")
        let reference = try XCTUnwrap(expected()["SOURCES"])
        XCTAssertEqual(Set(table.columnNames), Set(reference.keys))
        XCTAssertEqual(table.columnNames, ["u8", "i16", "i32", "i64", "f32", "f64", "flag", "name", "withnull",
                                           "u16", "u32", "scaled", "vec_0", "vec_1", "vec_2"])
        for (name, values) in reference {
            assertColumn(try XCTUnwrap(table.column(named: name)), equals: values)
        }
    }

    /// Binary tables are decoded from raw rows in blocks and pieces; any split gives astropy's values.
    func testEveryBlockSizeGivesTheSameValues() throws {
        let reference = try XCTUnwrap(expected()["SOURCES"])
        for rows in [1, 2, 3, 6, 7, 100] {
            var reader = FITSReader()
            reader.rowsPerBlock = rows
            let table = try reader.read(path: try fixture("types.fits"), tableName: "t")
            for (name, values) in reference {
                assertColumn(try XCTUnwrap(table.column(named: name)), equals: values)
            }
        }
    }

    /// ASCII tables (numbers as text) go through cfitsio's own conversions.
    func testASCIITableMatchesAstropy() throws {
        let table = try FITSReader().read(path: try fixture("ascii.fits"), tableName: "t")
        let reference = try XCTUnwrap(expected()["ASCII"])
        XCTAssertEqual(table.columnNames, ["n", "x", "y", "word"])
        for name in ["n", "word"] {
            assertColumn(try XCTUnwrap(table.column(named: name)), equals: try XCTUnwrap(reference[name]))
        }
        // cfitsio's text-to-double conversion is not always correctly rounded (123456.789 comes out
        // one unit in the last place low), unlike astropy's: the floats agree to within an ulp.
        for name in ["x", "y"] {
            let column = try XCTUnwrap(table.column(named: name))
            for (row, value) in try XCTUnwrap(reference[name]).enumerated() {
                let want = try XCTUnwrap(Double(try XCTUnwrap((value as? [String: String])?["n"])))
                let got = column.number(row: row)
                XCTAssertLessThanOrEqual(abs(got - want), want.ulp, "\(name)[\(row)]")
            }
        }
        XCTAssertEqual(table.column(named: "n")?.kind, .integer)
        XCTAssertEqual(table.column(named: "word")?.kind, .text)
    }

    func testKindsFollowTheFormat() throws {
        let table = try FITSReader().read(path: try fixture("types.fits"), tableName: "t")
        let kinds = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.kind) })
        for name in ["u8", "i16", "i32", "i64", "withnull", "u16", "u32"] { XCTAssertEqual(kinds[name], .integer, name) }
        for name in ["f32", "f64", "scaled", "vec_0"] { XCTAssertEqual(kinds[name], .float, name) }
        XCTAssertEqual(kinds["flag"], .boolean)
        XCTAssertEqual(kinds["name"], .text)
        XCTAssertEqual(table.column(named: "flag")?.displayText(row: 0), "true")
    }

    func testHDUByNameAndNumber() throws {
        let path = try fixture("types.fits")
        let other = try FITSReader(hdu: .name("OTHER")).read(path: path, tableName: "o")
        XCTAssertEqual(other.column(named: "k")?.numbers, [10, 20])
        let second = try FITSReader(hdu: .number(2)).read(path: path, tableName: "o")
        XCTAssertEqual(second.column(named: "k")?.numbers, [10, 20])
        XCTAssertEqual(try FITSReader(hdu: .number(1)).read(path: path, tableName: "s").rowCount, 7)
    }

    func testBadHDUsAreClearErrors() throws {
        let path = try fixture("types.fits")
        XCTAssertThrowsError(try FITSReader(hdu: .number(0)).read(path: path, tableName: "t")) { error in
            XCTAssertEqual((error as? DataError)?.message, "HDU 0 is an image, not a table")
        }
        XCTAssertThrowsError(try FITSReader(hdu: .number(5)).read(path: path, tableName: "t")) { error in
            XCTAssertEqual((error as? DataError)?.message, "hdu=5 does not exist: the file has HDUs 0 to 2")
        }
        XCTAssertThrowsError(try FITSReader(hdu: .name("SOURSES")).read(path: path, tableName: "t")) { error in
            XCTAssertEqual((error as? DataError)?.suggestion, "SOURCES")
            XCTAssertTrue((error as? DataError)?.message.contains("the file has: SOURCES, OTHER") ?? false)
        }
    }

    func testVariableLengthArraysAreRefusedByName() throws {
        XCTAssertThrowsError(try FITSReader().read(path: try fixture("vla.fits"), tableName: "t")) { error in
            let message = (error as? DataError)?.message ?? ""
            XCTAssertTrue(message.contains("`spectrum`") && message.contains("variable-length"), message)
        }
    }

    func testFloat32PrecisionKeepsSinglePrecisionColumns() throws {
        let table = try FITSReader(precision: .float32).read(path: try fixture("types.fits"), tableName: "t")
        guard case .float32(let f)? = table.column(named: "f32")?.values else { return XCTFail("expected float32 storage") }
        XCTAssertEqual(f[0], Float(0.1))
        // Integer columns stay exact doubles.
        guard case .numeric? = table.column(named: "i64")?.values else { return XCTFail("integers stay doubles") }
        XCTAssertEqual(table.column(named: "i64")?.number(row: 5), 9_007_199_254_740_991)
    }

    func testNotAFITSFileIsAnError() throws {
        let path = NSTemporaryDirectory() + "astrolabe-notfits-\(getpid()).fits"
        try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try FITSReader().read(path: path, tableName: "t")) { error in
            XCTAssertTrue((error as? DataError)?.message.hasPrefix("cannot read \(path) as FITS") ?? false)
        }
        XCTAssertFalse(FITSReader.looksLikeFITS(path: path))
        XCTAssertTrue(FITSReader.looksLikeFITS(path: try fixture("types.fits")))
    }
}
