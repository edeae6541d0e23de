import Foundation
import XCTest
@testable import AstrolabeData

/// The Parquet reader against pyarrow: every fixture (each codec × data page version ×
/// dictionary/plain, 4 row groups, pages of a few rows, nulls in several patterns) must read to
/// the values `pyarrow.parquet.read_table` gives, bit for bit (Fixtures/make_parquet_fixtures.py).
final class ParquetReaderTests: XCTestCase {
    static func fixture(_ name: String) throws -> String {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent("parquet").appendingPathComponent(name).path
    }

    struct Expected: Decodable {
        var files: [String]
        var columns: [String: [String?]]
    }

    static func expected() throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixture("expected.json")))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    /// A double from the 16 hex digits of its IEEE-754 bits, as the generator writes them.
    static func double(hex: String) -> Double? { UInt64(hex, radix: 16).map(Double.init(bitPattern:)) }

    func testEveryFixtureEqualsPyarrowBitForBit() throws {
        let expected = try Self.expected()
        XCTAssertEqual(expected.files.count, 17)
        for file in expected.files {
            let table = try ParquetReader().read(path: try Self.fixture(file), tableName: "t")
            XCTAssertEqual(table.columnNames.sorted(), expected.columns.keys.sorted(), file)
            for (name, values) in expected.columns {
                let column = try XCTUnwrap(table.column(named: name), "\(file): \(name)")
                assertEqual(column, values, "\(file): \(name)")
            }
        }
    }

    func assertEqual(_ column: Column, _ values: [String?], _ context: String) {
        XCTAssertEqual(column.count, values.count, context)
        if let strings = column.strings {
            XCTAssertEqual(strings, values, context)
            return
        }
        for (row, value) in values.enumerated() {
            let got = column.number(row: row)
            if let value {
                let want = Self.double(hex: value)!
                XCTAssertEqual(got.bitPattern, want.bitPattern, "\(context) row \(row): \(got) != \(want)")
            } else {
                XCTAssertTrue(got.isNaN, "\(context) row \(row): \(got) should be missing")
            }
        }
    }

    func testKindsFollowTheParquetTypes() throws {
        let table = try ParquetReader().read(path: try Self.fixture("t_zstd_v2_dict.parquet"), tableName: "t")
        let kinds = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.kind) })
        XCTAssertEqual(kinds["i8"], .integer)
        XCTAssertEqual(kinds["u64"], .integer)
        XCTAssertEqual(kinds["f32"], .float)
        XCTAssertEqual(kinds["flag"], .boolean)
        XCTAssertEqual(kinds["name"], .text)
        XCTAssertEqual(table.rowCount, 100)
    }

    func testProjectionReadsOnlyTheNamedColumnsInTheirOrder() throws {
        let path = try Self.fixture("t_snappy_v1_dict.parquet")
        let table = try ParquetReader(columns: ["name", "f64"]).read(path: path, tableName: "t")
        XCTAssertEqual(table.columnNames, ["name", "f64"])
        let all = try ParquetReader().read(path: path, tableName: "t")
        XCTAssertEqual(table.column(named: "f64")?.numbers?.map(\.bitPattern), all.column(named: "f64")?.numbers?.map(\.bitPattern))
        XCTAssertThrowsError(try ParquetReader(columns: ["f46"]).read(path: path, tableName: "t")) { error in
            let e = error as? DataError
            XCTAssertEqual(e?.suggestion, "f64")
            XCTAssertEqual(e?.file, path)
        }
    }

    func testFloat32PrecisionKeepsFloatColumnsAsFloats() throws {
        let path = try Self.fixture("t_none_v1_plain.parquet")
        let table = try ParquetReader(precision: .float32).read(path: path, tableName: "t")
        guard case .float32(let values)? = table.column(named: "f32")?.values else { return XCTFail("f32 is not float32") }
        let all = try ParquetReader().read(path: path, tableName: "t")
        XCTAssertEqual(values.map { Double($0).bitPattern }, all.column(named: "f32")?.numbers?.map(\.bitPattern))
        guard case .numeric? = table.column(named: "i64")?.values else { return XCTFail("integers stay doubles") }
    }

    func testUnsupportedColumnsAreRefusedByName() throws {
        for (file, words) in [("nested.parquet", "column `v` is nested"), ("int96.parquet", "column `t` is INT96")] {
            let path = try Self.fixture(file)
            XCTAssertThrowsError(try ParquetReader().read(path: path, tableName: "t"), file) { error in
                let e = error as? DataError
                XCTAssertTrue(e?.message.contains(words) == true, "\(file): \(error)")
                XCTAssertEqual(e?.file, path)
            }
            // The other columns still read when the refused one is left out.
            XCTAssertEqual(try ParquetReader(columns: ["x"]).read(path: path, tableName: "t").column(named: "x")?.numbers, [1, 2])
        }
    }

    func testTwoColumnsOfOneNameAreRefusedNotMerged() throws {
        let path = try Self.fixture("duplicate.parquet")
        XCTAssertThrowsError(try ParquetReader().read(path: path, tableName: "t")) { error in
            XCTAssertTrue((error as? DataError)?.message.contains("two columns named `a`") == true, "\(error)")
        }
        let other = try Self.fixture("t_none_v1_plain.parquet")
        XCTAssertThrowsError(try ParquetReader(columns: ["f64", "f64"]).read(path: other, tableName: "t"))
    }

    func testDamagedPageNamesRowGroupAndColumn() throws {
        let source = try Self.fixture("t_none_v1_plain.parquet")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: source)))
        // Damage the first page header of the last row group's first column (`i8`).
        let file = try ParquetFile(path: source)
        let chunk = try XCTUnwrap(file.metadata.rowGroups.last?.columns.first)
        bytes[Int(chunk.dataPageOffset) + 1] ^= 0x7F
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertThrowsError(try ParquetReader().read(path: path, tableName: "t")) { error in
            let e = error as? DataError
            XCTAssertTrue(e?.message.contains("row group 3, column `i8`") == true, "\(error)")
            XCTAssertEqual(e?.file, path)
        }
    }

    func testTruncatedFileIsRefusedBeforeItsFooter() throws {
        let source = try Self.fixture("t_gzip_v2_dict.parquet")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: source)))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(bytes.count - 100)))
        XCTAssertEqual(FileFormat.detect(path: path), .unsupported("a damaged or encrypted Parquet file (it does not end with PAR1)"))
        XCTAssertThrowsError(try ParquetReader().read(path: path, tableName: "t")) { error in
            XCTAssertTrue((error as? DataError)?.message.contains("cut short") == true, "\(error)")
        }
    }

    func testFormatIsDetectedByContent() throws {
        XCTAssertEqual(FileFormat.detect(path: try Self.fixture("t_none_v1_dict.parquet")), .parquet)
        XCTAssertTrue(ParquetReader.looksLikeParquet(path: try Self.fixture("t_zstd_v1_plain.parquet")))
    }

    func testRowGroupStatisticsAreExposed() throws {
        let file = try ParquetFile(path: try Self.fixture("t_snappy_v2_plain.parquet"))
        let stats = file.statistics
        XCTAssertEqual(stats.count, 4)
        XCTAssertEqual(stats.map(\.rowCount), [32, 32, 32, 4])
        let table = try ParquetReader().read(path: try Self.fixture("t_snappy_v2_plain.parquet"), tableName: "t")
        let i32 = try XCTUnwrap(table.column(named: "i32")?.numbers)
        for (g, group) in stats.enumerated() {
            let rows = i32[(32 * g) ..< min(100, 32 * g + 32)]
            let s = try XCTUnwrap(group.columns["i32"])
            XCTAssertEqual(s.min, rows.min())
            XCTAssertEqual(s.max, rows.max())
            XCTAssertEqual(s.nullCount, 0)
        }
        XCTAssertEqual(stats[1].columns["i16"]?.nullCount, 24)  // rows 40 ..< 64 of the null run 40 ..< 70
    }
}
