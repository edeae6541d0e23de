import Foundation
import XCTest
@testable import AstrolabeData

/// `load DIR`: the Parquet files under a directory as one table, Hive partitions as columns.
final class ParquetDirectoryTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-pqdir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func put(_ relative: String, x: [Double], name: [String?]) throws {
        let url = directory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let table = try Table(name: "t", columns: [Column(name: "x", numbers: x), Column(name: "name", strings: name)])
        try ParquetWriter.write(table, to: url.path)
    }

    func testHivePartitionsBecomeColumnsInNaturalOrder() throws {
        try put("band=r/year=2024/part.10.parquet", x: [3], name: ["c"])
        try put("band=r/year=2024/part.2.parquet", x: [1, 2], name: ["a", nil])
        try put("band=g%20b/year=2025/part.0.parquet", x: [4], name: ["d"])
        try put("band=r/year=__HIVE_DEFAULT_PARTITION__/part.0.parquet", x: [5], name: ["e"])
        try Data("not parquet".utf8).write(to: directory.appendingPathComponent("_SUCCESS"))
        try put("_metadata/skip.parquet", x: [99], name: ["z"])
        let table = try ParquetDirectoryReader().read(path: directory.path, tableName: "cat")
        XCTAssertEqual(table.columnNames, ["x", "name", "band", "year"])
        XCTAssertEqual(table.column(named: "x")?.numbers, [4, 1, 2, 3, 5])
        XCTAssertEqual(table.column(named: "name")?.strings, ["d", "a", nil, "c", "e"])
        XCTAssertEqual(table.column(named: "band")?.strings, ["g b", "r", "r", "r", "r"])
        XCTAssertEqual(table.column(named: "year")?.kind, .integer)
        let years = try XCTUnwrap(table.column(named: "year")?.numbers)
        XCTAssertEqual(Array(years.prefix(4)), [2025, 2024, 2024, 2024])
        XCTAssertTrue(years[4].isNaN)
    }

    func testFilesWithDifferentColumnsAreRefusedByName() throws {
        try put("a.parquet", x: [1], name: ["a"])
        let other = try Table(name: "t", columns: [Column(name: "y", numbers: [2])])
        try ParquetWriter.write(other, to: directory.appendingPathComponent("b.parquet").path)
        XCTAssertThrowsError(try ParquetDirectoryReader().read(path: directory.path, tableName: "t")) { error in
            XCTAssertTrue("\(error)".contains("b.parquet"), "\(error)")
        }
        let empty = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try ParquetDirectoryReader().read(path: empty.path, tableName: "t"))
    }

    func testNaturalOrder() {
        XCTAssertEqual(["part.10", "part.2", "part.1", "a", "part.02"].sorted(by: naturalOrder), ["a", "part.1", "part.2", "part.02", "part.10"])
    }
}
