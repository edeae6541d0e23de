import Foundation
import XCTest
@testable import AstrolabeData

/// The fixtures written by Fixtures/make_formats_fixtures.py and what astropy reads from them.
enum FormatFixtures {
    static func path(_ name: String) throws -> String {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name).path
    }

    /// formats_expected.json: file → columns (name, unit, description, cells).
    static func expected() throws -> [String: [[String: Any]]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try path("formats_expected.json")))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]])
    }

    /// Checks every column of `table` against astropy's reading: names, units, descriptions and
    /// every cell (floats bit for bit from their hex spelling; astropy's masked cells are missing
    /// here, and so are its empty strings, as empty cells are in every Astrolabe reader).
    static func assertEqualsAstropy(_ table: Table, _ columns: [[String: Any]], file: String,
                                    line: UInt = #line) {
        XCTAssertEqual(table.columnNames, columns.map { $0["name"] as? String ?? "" }, file, line: line)
        for expected in columns {
            let name = expected["name"] as? String ?? ""
            guard let column = table.column(named: name) else { continue }
            XCTAssertEqual(column.metadata.unit, expected["unit"] as? String, "\(file) \(name) unit", line: line)
            XCTAssertEqual(column.metadata.description, expected["description"] as? String, "\(file) \(name) description", line: line)
            let cells = expected["cells"] as? [Any] ?? []
            XCTAssertEqual(column.count, cells.count, "\(file) \(name)", line: line)
            for (row, cell) in cells.enumerated() where row < column.count {
                let context = "\(file) \(name) row \(row)"
                switch cell {
                case let text as String where text.contains("0x") || text == "inf" || text == "-inf":
                    let want = Double(text.replacingOccurrences(of: "inf", with: "infinity"))
                    XCTAssertEqual(column.number(row: row).bitPattern, want?.bitPattern, context, line: line)
                case let text as String:
                    XCTAssertEqual(column.strings?[row], text.isEmpty ? nil : text, context, line: line)
                case let number as NSNumber:
                    XCTAssertEqual(column.number(row: row), number.doubleValue, context, line: line)
                default: // null: masked
                    XCTAssertTrue(column.isNumeric ? column.number(row: row).isNaN : column.strings?[row] == nil, context, line: line)
                }
            }
        }
    }
}
