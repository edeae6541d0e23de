import Foundation
import XCTest
@testable import AstrolabeData

/// The Parquet writer: files read back by Astrolabe's own reader with the same values (bits, nulls,
/// kinds), row groups and statistics as written, the same bytes each time; and by pyarrow and
/// pandas (needs ASTROLABE_PYTHON, as `make test` sets).
final class ParquetWriterTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-pqw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// 50 rows of every kind, with nulls, ±∞, −0, a subnormal, 2^53, empty and non-ASCII strings.
    static func sample(rows: Int = 50) throws -> Table {
        let doubles = (0..<rows).map { i -> Double in
            switch i % 10 {
            case 3: return .nan
            case 4: return .infinity
            case 5: return -.infinity
            case 6: return -0.0
            case 7: return 4.9e-324
            default: return Double(i) * 0.1 - 2
            }
        }
        let integers = (0..<rows).map { (i: Int) -> Double in
            if i % 9 == 0 { return .nan }
            return i == 1 ? 9_007_199_254_740_992 : Double(i * 37 - 500)
        }
        let booleans = (0..<rows).map { i -> Double in i % 7 == 0 ? .nan : Double(i % 2) }
        let floats = (0..<rows).map { i -> Float in i % 11 == 0 ? .nan : Float(i) / 3 }
        let text = (0..<rows).map { i -> String? in i % 8 == 0 ? nil : (i % 5 == 0 ? "" : "étoile \(i) ✶") }
        return try Table(name: "t", columns: [
            Column(name: "x", numbers: doubles),
            Column(name: "n", values: .numeric(integers), kind: .integer),
            Column(name: "flag", values: .numeric(booleans), kind: .boolean),
            Column(name: "f", values: .float32(floats), kind: .float),
            Column(name: "name", strings: text),
            Column(name: "all missing", numbers: [Double](repeating: .nan, count: rows)),
        ])
    }

    func write(_ table: Table, rowGroupRows: Int = 7) throws -> String {
        let path = directory.appendingPathComponent("t.parquet").path
        try ParquetWriter.write(table, to: path, rowGroupRows: rowGroupRows)
        return path
    }

    func testRoundTripThroughOwnReaderKeepsEveryValue() throws {
        let table = try Self.sample()
        let back = try ParquetReader().read(path: try write(table), tableName: "t")
        XCTAssertEqual(back.columnNames, table.columnNames)
        XCTAssertEqual(back.rowCount, table.rowCount)
        for column in table.columns {
            let read = try XCTUnwrap(back.column(named: column.name))
            if let strings = column.strings {
                XCTAssertEqual(read.strings, strings, column.name)
                continue
            }
            let expected = try XCTUnwrap(column.numbers), got = try XCTUnwrap(read.numbers, column.name)
            XCTAssertEqual(got.map(\.bitPattern), expected.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern }, column.name)
        }
        XCTAssertEqual(back.column(named: "n")?.kind, .integer)
        XCTAssertEqual(back.column(named: "flag")?.kind, .boolean)
    }

    func testRowGroupsAndStatisticsAreAsWritten() throws {
        let table = try Self.sample()
        let file = try ParquetFile(path: try write(table))
        let groups = file.statistics
        XCTAssertEqual(groups.map(\.rowCount), [7, 7, 7, 7, 7, 7, 7, 1])
        let x = try XCTUnwrap(table.column(named: "x")?.numbers)
        for (g, group) in groups.enumerated() {
            let slice = x[(g * 7)..<min(x.count, g * 7 + 7)]
            let present = slice.filter { !$0.isNaN }
            let stats = try XCTUnwrap(group.columns["x"])
            XCTAssertEqual(stats.nullCount, slice.count - present.count)
            XCTAssertEqual(stats.min, present.min())
            XCTAssertEqual(stats.max, present.max())
            XCTAssertEqual(group.columns["all missing"]?.nullCount, slice.count)
            XCTAssertNil(group.columns["all missing"]?.min)
        }
    }

    func testSameTableSameBytesAndEmptyTable() throws {
        let table = try Self.sample(rows: 1000)
        XCTAssertEqual(try ParquetWriter.bytes(table, rowGroupRows: 100), try ParquetWriter.bytes(table, rowGroupRows: 100))
        let empty = try Table(name: "e", columns: [Column(name: "a", numbers: []), Column(name: "b", strings: [])])
        let back = try ParquetReader().read(path: try write(empty), tableName: "e")
        XCTAssertEqual(back.rowCount, 0)
        XCTAssertEqual(back.columnNames, ["a", "b"])
    }

    /// pyarrow and pandas read the file to the same values (doubles compared as their bits).
    func testPyarrowAndPandasReadItBack() throws {
        guard let python = ProcessInfo.processInfo.environment["ASTROLABE_PYTHON"], !python.isEmpty else {
            throw XCTSkip("ASTROLABE_PYTHON is not set (make test sets it to a venv with pyarrow and pandas)")
        }
        let table = try Self.sample(rows: 300)
        let path = try write(table, rowGroupRows: 64)
        let code = """
            import json, struct, sys
            import pyarrow.parquet as pq, pandas
            t = pq.read_table(sys.argv[1])
            def cell(v):
                if v is None: return None
                if isinstance(v, bool): return "1" if v else "0"
                if isinstance(v, (int, float)): return struct.pack(">d", float(v)).hex()
                return v
            out = {"pyarrow": {n: [cell(v) for v in t.column(n).to_pylist()] for n in t.column_names},
                   "types": {f.name: str(f.type) for f in t.schema},
                   "groups": pq.ParquetFile(sys.argv[1]).metadata.num_row_groups,
                   "pandas_rows": len(pandas.read_parquet(sys.argv[1]))}
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", code, path]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "pyarrow could not read the file:\n\(problem)")
        let read = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(read["groups"] as? Int, 5)
        XCTAssertEqual(read["pandas_rows"] as? Int, 300)
        XCTAssertEqual(read["types"] as? [String: String],
                       ["x": "double", "n": "int64", "flag": "bool", "f": "float", "name": "string", "all missing": "double"])
        let columns = try XCTUnwrap(read["pyarrow"] as? [String: [Any]])
        for column in table.columns {
            let got = try XCTUnwrap(columns[column.name], column.name).map { $0 as? String }
            let expected: [String?]
            if let strings = column.strings {
                expected = strings
            } else {
                expected = (0..<column.count).map { r in
                    let v = column.number(row: r)
                    if v.isNaN { return nil }
                    if column.kind == .boolean { return v != 0 ? "1" : "0" }
                    return String(format: "%016llx", v.bitPattern)
                }
            }
            XCTAssertEqual(got, expected, column.name)
        }
    }
}
