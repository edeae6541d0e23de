import Foundation
import XCTest
@testable import AstrolabeData

/// bzip2 and xz files (written by Python's bz2 and lzma) load as gzip ones do; damaged ones are
/// errors naming the compression; compressed VOTable and ECSV read as what is inside.
final class CompressedFormatsTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("compressed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func fixtureBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: try FormatFixtures.path(name))))
    }

    func testBzip2AndXZTablesLoad() throws {
        for name in ["stars.csv.bz2", "stars.csv.xz"] {
            let table = try CSVReader().read(path: try FormatFixtures.path(name), tableName: "t")
            XCTAssertEqual(table.columnNames, ["name", "ra", "dec"], name)
            XCTAssertEqual(table.column(named: "dec")?.numbers, [38.7837, 45.2803], name)
            // Two streams one after the other are one file, as bunzip2 and unxz read them.
            let bytes = try fixtureBytes(name)
            let twice = try CSVReader().read(path: try write("two-" + name, bytes + bytes), tableName: "t")
            XCTAssertEqual(twice.rowCount, 5, name)
        }
    }

    func testCompressedTSVIsTabSeparatedByItsName() throws {
        // The header has a comma inside a name, so only the name `.tsv` says tab.
        for name in ["comma_header.tsv.bz2", "comma_header.tsv.xz"] {
            let table = try CSVReader().read(path: try FormatFixtures.path(name), tableName: "t")
            XCTAssertEqual(table.columnNames, ["name,alias", "mag"], name)
        }
    }

    func testDamagedBzip2AndXZAreErrors() throws {
        for (name, what) in [("stars.csv.bz2", "bzip2"), ("stars.csv.xz", "xz")] {
            let bytes = try fixtureBytes(name)
            for damaged in [Array(bytes.prefix(bytes.count - 10)), bytes.enumerated().map { $0 == 20 ? $1 ^ 0xFF : $1 }] {
                do {
                    _ = try CSVReader().read(path: try write("bad-" + name, damaged), tableName: "t")
                    XCTFail("\(name): read without error")
                } catch let error as DataError {
                    XCTAssertTrue(error.message.contains(what), error.description)
                    XCTAssertTrue(error.file?.hasSuffix("bad-" + name) == true)
                }
            }
        }
    }

    func testCompressedVOTableAndECSVReadAsWhatIsInside() throws {
        let expected = try FormatFixtures.expected()
        let vot = try write("types.vot", try fixtureBytes("types_binary2.vot"))
        let process = Process() // gzip is on every Debian system (Essential)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-k", vot]
        try process.run()
        process.waitUntilExit()
        let table = try TableFileReader().readWithReport(path: vot + ".gz", tableName: "t").table
        FormatFixtures.assertEqualsAstropy(table, try XCTUnwrap(expected["types_binary2.vot"]), file: "types.vot.gz")
        let ecsvTable = try TableFileReader().readWithReport(path: try FormatFixtures.path("types.ecsv.xz"), tableName: "t").table
        FormatFixtures.assertEqualsAstropy(ecsvTable, try XCTUnwrap(expected["types.ecsv"]), file: "types.ecsv.xz")
    }

    func testFITSUnitsAndCommentsAreKept() throws {
        let expected = try XCTUnwrap(try FormatFixtures.expected()["units.fits"])
        let table = try FITSReader().read(path: try FormatFixtures.path("units.fits"), tableName: "t")
        XCTAssertEqual(table.columns.map(\.metadata.unit), expected.map { $0["unit"] as? String })
        XCTAssertEqual(table.columns.map(\.metadata.description), expected.map { $0["description"] as? String })
    }
}
