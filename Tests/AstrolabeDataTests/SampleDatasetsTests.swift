import XCTest
@testable import AstrolabeData

/// Every dataset in `Samples/` loads, with the shape and text columns that Python's `csv`
/// module (an independent parser) finds: a column is text when some cell is neither empty, a
/// missing marker, nor a float.
final class SampleDatasetsTests: XCTestCase {
    /// The repository's `Samples/`, found from this file's path.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/").standardized.path + "/"

    private func check(_ file: String, rows: Int, columns: Int, textColumns: Int,
                       line: UInt = #line) throws {
        let path = Self.directory + file
        let table = try CSVReader().read(path: path, tableName: file)
        XCTAssertEqual(table.rowCount, rows, file, line: line)
        XCTAssertEqual(table.columns.count, columns, file, line: line)
        XCTAssertEqual(table.columns.filter { !$0.isNumeric }.count, textColumns, file, line: line)
    }

    func testEverySampleLoads() throws {
        try check("loss_supernova_types.csv", rows: 5152, columns: 18, textColumns: 10)
        try check("fermi_4lac.csv", rows: 3814, columns: 43, textColumns: 9)
        try check("penguins.csv", rows: 344, columns: 9, textColumns: 3)
        try check("sdss_mgs_photoz.csv", rows: 10000, columns: 22, textColumns: 2)
        try check("breast_cancer.csv", rows: 569, columns: 32, textColumns: 1)
        try check("digits.csv", rows: 1797, columns: 66, textColumns: 0)
        try check("iris.csv", rows: 150, columns: 6, textColumns: 1)
        try check("wine.csv", rows: 178, columns: 15, textColumns: 1)
        try check("statlog_landsat_satellite.csv", rows: 6435, columns: 38, textColumns: 1)
    }
}
