import AstrolabeData
import XCTest
@testable import AstrolabeKernel

/// Requests too big for the machine are refused before the memory is spent, with the need and
/// the limit in the error; big requests that fit are linear. `load` refuses what it cannot read.
final class LoadLimitsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func session(loading columns: Int, rows: Int) throws -> Session {
        let names = (0 ..< columns).map { "c\($0)" }
        var text = names.joined(separator: ",") + "\n"
        for r in 0 ..< rows { text += (0 ..< columns).map { String($0 + r) }.joined(separator: ",") + "\n" }
        try text.write(to: directory.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        XCTAssertNil(s.execute("load t.csv").error)
        return s
    }

    func testFeaturesCombineBeyondTheMemoryIsRefusedFirst() throws {
        // 200 choose 5 = 2,535,650,040 columns of 1,000 rows: 20 TB, on any machine too much.
        let s = try session(loading: 200, rows: 1000)
        let list = (0 ..< 200).map { "c\($0)" }.joined(separator: ",")
        let error = try XCTUnwrap(s.execute("features combine subtract \(list) n=5 force=yes").error)
        XCTAssertTrue(error.message.hasPrefix("features combine: 2535650040 columns of 1000 rows needs 20.3 TB of memory, more than the "),
                      error.message)
        XCTAssertTrue(error.message.hasSuffix(" available"), error.message)
        XCTAssertEqual(s.tables[s.currentTableName ?? ""]?.columns.count, 200, "nothing was added")
    }

    func testFeaturesCombineWithForceMakesEveryColumn() throws {
        // 150 choose 2 = 11,175 new columns (quadratic in the table's width before).
        let s = try session(loading: 150, rows: 3)
        let list = (0 ..< 150).map { "c\($0)" }.joined(separator: ",")
        let r = s.execute("features combine subtract \(list) force=yes")
        XCTAssertNil(r.error)
        let table = try XCTUnwrap(s.tables[s.currentTableName ?? ""])
        XCTAssertEqual(table.columns.count, 150 + 11_175)
        XCTAssertEqual(table.column(named: "c3-c140")?.numbers, [-137, -137, -137])
        XCTAssertEqual(table.columns.last?.name, "c148-c149")
    }

    func testLoadRefusesDevicesAndNamesFormats() throws {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        let device = try XCTUnwrap(s.execute("load /dev/zero").error)
        XCTAssertTrue(device.message.contains("character device, not a file"), device.message)
        try Data("<?xml version=\"1.0\"?>\n<html>\n".utf8).write(to: directory.appendingPathComponent("v.csv"))
        let xml = try XCTUnwrap(s.execute("load v.csv").error)
        XCTAssertEqual(xml.message, "the file is XML (root element <html>), which is not supported: "
                       + "load reads CSV/TSV (also gzip, bzip2 or xz-compressed), ECSV, VOTable, FITS and Parquet")
        try Data("a\tb\n1\t2\n".utf8).write(to: directory.appendingPathComponent("t.tsv"))
        XCTAssertNil(s.execute("load t.tsv").error)
        XCTAssertEqual(s.tables["t"]?.columnNames, ["a", "b"])
    }

    func testManyContinuationLinesMakeOneCommand() {
        // 50,000 continuation lines: joined in place, one command with every piece.
        let lines = (0 ..< 50_000).map { "feature x\($0) = 1 \\" } + ["end"]
        let script = Script(text: lines.joined(separator: "\n"), file: "long.alab")
        XCTAssertEqual(script.commands.count, 1)
        let text = script.commands.first?.text ?? ""
        XCTAssertTrue(text.hasPrefix("feature x0 = 1 feature x1 = 1 "))
        XCTAssertTrue(text.hasSuffix("feature x49999 = 1 end"))
        XCTAssertEqual(text.utf8.count, lines.dropLast().reduce(0) { $0 + $1.utf8.count - 1 } + 3)
    }
}
