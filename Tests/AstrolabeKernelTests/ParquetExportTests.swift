import XCTest
@testable import AstrolabeKernel
import AstrolabeData
import AstrolabePlot

/// `export … to .parquet` and `predict … to=x.parquet`: loaded back, the same values as the table
/// and as the CSV `predict` writes.
final class ParquetExportTests: IrisSessionTestCase {
    func testExportAndPredictWriteParquetThatLoadsBack() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(Self.root.appendingPathComponent("Samples/penguins.csv").path) as pen id=id label=label")
        XCTAssertTrue(ok(s, "export pen.parquet").contains("344 rows × 9 columns"))
        ok(s, "model t classifier=tree features=bill_length_mm,bill_depth_mm initial=100")
        ok(s, "predict t to=p.parquet")
        ok(s, "predict t to=p.csv")
        let original = try XCTUnwrap(s.tables["pen"])
        let back = try ParquetReader().read(path: directory.appendingPathComponent("pen.parquet").path, tableName: "back")
        XCTAssertEqual(back.columnNames, original.columnNames)
        for column in original.columns {
            let read = try XCTUnwrap(back.column(named: column.name))
            if let strings = column.strings { XCTAssertEqual(read.strings, strings, column.name); continue }
            XCTAssertEqual(read.numbers?.map { $0.isNaN ? 0 : $0.bitPattern }, column.numbers?.map { $0.isNaN ? 0 : $0.bitPattern }, column.name)
        }
        let parquet = try ParquetReader().read(path: directory.appendingPathComponent("p.parquet").path, tableName: "p")
        let csv = try CSVReader().read(path: directory.appendingPathComponent("p.csv").path, tableName: "c")
        XCTAssertEqual(parquet.columnNames, csv.columnNames)
        XCTAssertEqual(parquet.rowCount, csv.rowCount)
        for name in ["p_Adelie", "p_Gentoo", "uncertainty"] {
            XCTAssertEqual(parquet.column(named: name)?.numbers, csv.column(named: name)?.numbers, name)
        }
        XCTAssertEqual(parquet.column(named: "predicted")?.strings, csv.column(named: "predicted")?.strings)
        XCTAssertTrue((s.execute("predict t to=p.xlsx").error?.message ?? "").contains(".parquet"))
    }
}

/// `export density X Y`: the count grid of `DensityAggregate.count` (what `plot density` shades),
/// one row per pixel with y_bin 0 at the smallest y; its errors.
final class DensityExportTests: IrisSessionTestCase {
    func testGridEqualsTheAggregateAndLoadsBack() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(Self.root.appendingPathComponent("Samples/penguins.csv").path) as pen id=id label=label")
        let text = ok(s, "export density bill_length_mm bill_depth_mm to=d.parquet bins=30x20 xrange=30:60 yrange=13:22")
        XCTAssertTrue(text.contains("342 points"), text)
        XCTAssertTrue(text.contains("2 non-finite"), text)
        let table = try XCTUnwrap(s.tables["pen"])
        let grid = try DensityAggregate.count(x: try XCTUnwrap(table.column(named: "bill_length_mm")?.numbers),
                                              y: try XCTUnwrap(table.column(named: "bill_depth_mm")?.numbers),
                                              xRange: 30...60, yRange: 13...22, width: 30, height: 20)
        let back = try ParquetReader().read(path: directory.appendingPathComponent("d.parquet").path, tableName: "d")
        XCTAssertEqual(back.rowCount, 600)
        let xs = try XCTUnwrap(back.column(named: "x_bin")?.numbers), ys = try XCTUnwrap(back.column(named: "y_bin")?.numbers)
        let counts = try XCTUnwrap(back.column(named: "count")?.numbers)
        for i in 0..<600 {
            XCTAssertEqual(UInt32(counts[i]), grid[Int(xs[i]), 19 - Int(ys[i])], "pixel \(xs[i]), \(ys[i])")
        }
        ok(s, "export density bill_length_mm bill_depth_mm to=d.csv")
        XCTAssertTrue((s.execute("export density bill_length_mm to=d.csv").error?.message ?? "").contains("two columns"))
        XCTAssertTrue((s.execute("export density bill_length_mm bill_depth_mm to=d.png").error?.message ?? "").contains(".csv or .parquet"))
        XCTAssertTrue((s.execute("export density bill_length_mm bill_depth_mm to=d.csv bins=3").error?.message ?? "").contains("WIDTHxHEIGHT"))
        XCTAssertTrue((s.execute("export pen.csv bins=3x3").error?.message ?? "").contains("export density"))
    }
}
