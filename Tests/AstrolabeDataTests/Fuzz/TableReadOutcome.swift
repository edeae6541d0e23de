import XCTest
@testable import AstrolabeData

/// One fuzzed input read into a table, judged the same way for every reader: accepted when every
/// column has the table's row count, refused when the reader throws a DataError naming `file`;
/// any other error, or a ragged table, fails the test.
func tableReadOutcome(_ input: FuzzInput, file: String, reader name: String? = nil, read: () throws -> Table) -> FuzzOutcome {
    let prefix = name.map { "\($0): " } ?? ""
    do {
        let table = try read()
        for column in table.columns where column.count != table.rowCount {
            XCTFail("\(prefix)column `\(column.name)` has \(column.count) rows of \(table.rowCount) on \(input.context)")
        }
        return .accepted
    } catch let error as DataError {
        XCTAssertEqual(error.file, file, "\(prefix)the error does not name the file: \(error) on \(input.context)")
        return .refused
    } catch {
        XCTFail("\(prefix)not a DataError: \(error) on \(input.context)")
        return .refused
    }
}
