import XCTest
@testable import AstrolabeKernel
import AstrolabeData

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
