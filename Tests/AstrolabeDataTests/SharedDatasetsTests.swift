import XCTest
@testable import AstrolabeData

/// Every dataset the project ships with loads, with the shape and text columns that Python's `csv`
/// module (an independent parser) finds: a column is text when some cell is neither empty, a
/// missing marker, nor a float.
final class SharedDatasetsTests: XCTestCase {
    /// `../shared/data` beside the checkout, as on the developers' machines and in CI.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("../shared/data/").standardized.path + "/"

    private func check(_ file: String, rows: Int, columns: Int, textColumns: Int,
                       line: UInt = #line) throws {
        let path = Self.directory + file
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) is not available") }
        let table = try CSVReader().read(path: path, tableName: file)
        XCTAssertEqual(table.rowCount, rows, file, line: line)
        XCTAssertEqual(table.columns.count, columns, file, line: line)
        XCTAssertEqual(table.columns.filter { !$0.isNumeric }.count, textColumns, file, line: line)
    }

    func testAllSharedDatasetsLoad() throws {
        try check("loss_supernova_types.csv", rows: 5152, columns: 18, textColumns: 10)
        try check("penguins.csv", rows: 344, columns: 9, textColumns: 3)
        try check("sdss_mgs_photoz.csv", rows: 10000, columns: 22, textColumns: 2)
        try check("sklearn_breast_cancer.csv", rows: 569, columns: 32, textColumns: 1)
        try check("sklearn_digits.csv", rows: 1797, columns: 66, textColumns: 0)
        try check("sklearn_iris.csv", rows: 150, columns: 6, textColumns: 1)
        try check("sklearn_wine.csv", rows: 178, columns: 15, textColumns: 1)
        try check("statlog_landsat_satellite.csv", rows: 6435, columns: 38, textColumns: 1)
    }
}
