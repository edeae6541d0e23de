import Foundation
import XCTest
@testable import AstrolabeData

/// FITS headers that do not match their file: refused before any memory is spent on them, with
/// the HDU and the keyword at fault named. The files are written here, card by card.
final class FITSHeaderTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// One 80-character header card: `KEY     = value`.
    private func card(_ key: String, _ value: String) -> String {
        let text = key.padding(toLength: 8, withPad: " ", startingAt: 0) + "= " + value
        return text.padding(toLength: 80, withPad: " ", startingAt: 0)
    }

    /// Header cards and END, padded with blanks to whole 2880-byte blocks.
    private func header(_ cards: [(String, String)]) -> [UInt8] {
        var text = cards.map { card($0.0, $0.1) }.joined() + "END".padding(toLength: 80, withPad: " ", startingAt: 0)
        while text.utf8.count % 2880 != 0 { text += " " }
        return Array(text.utf8)
    }

    /// A primary HDU and a binary table of `columns` (name, TFORM); `data` as given, padded to
    /// 2880 bytes only when `pad` (a writer that does not pad, or a file cut short, leaves it).
    private func fits(rows: Int, rowLength: Int, columns: [(String, String)], data: [UInt8], pad: Bool = true,
                      tfields: Int? = nil) throws -> String {
        var bytes = header([("SIMPLE", "T"), ("BITPIX", "8"), ("NAXIS", "0"), ("EXTEND", "T")])
        var cards = [("XTENSION", "'BINTABLE'"), ("BITPIX", "8"), ("NAXIS", "2"), ("NAXIS1", "\(rowLength)"),
                     ("NAXIS2", "\(rows)"), ("PCOUNT", "0"), ("GCOUNT", "1"), ("TFIELDS", "\(tfields ?? columns.count)")]
        for (i, column) in columns.enumerated() {
            cards += [("TTYPE\(i + 1)", "'\(column.0)'"), ("TFORM\(i + 1)", "'\(column.1)'")]
        }
        cards.append(("EXTNAME", "'CAT'"))
        bytes += header(cards)
        bytes += data
        if pad { while bytes.count % 2880 != 0 { bytes.append(0) } }
        let url = directory.appendingPathComponent("t\(UUID().uuidString.prefix(8)).fits")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Big-endian 32-bit integers.
    private func int32s(_ values: [Int32]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bigEndian) { Array($0) } }
    }

    private func error(_ path: String) -> DataError? {
        do {
            _ = try FITSReader().read(path: path, tableName: "t")
            return nil
        } catch let error as DataError {
            return error
        } catch {
            XCTFail("unexpected error \(error)")
            return nil
        }
    }

    func testAValidFileReads() throws {
        let path = try fits(rows: 3, rowLength: 4, columns: [("k", "J")], data: int32s([7, 8, 9]))
        let table = try FITSReader().read(path: path, tableName: "t")
        XCTAssertEqual(table.column(named: "k")?.numbers, [7, 8, 9])
    }

    func testHugeRowCountsAreRefusedBeforeAllocating() throws {
        for rows in [1_000_000_000_000, 1_000_000_000] {
            let path = try fits(rows: rows, rowLength: 8, columns: [("a", "J"), ("b", "J")], data: int32s([1, 2, 3, 4]))
            let error = self.error(path)
            XCTAssertTrue(error?.message.hasPrefix("HDU 1 (`CAT`): NAXIS2 = \(rows) rows of NAXIS1 = 8 bytes need") == true,
                          error?.description ?? "read without error")
            XCTAssertTrue(error?.message.contains("the file holds 2880 bytes after the header (360 whole rows)") == true,
                          error?.description ?? "")
        }
    }

    func testOneRowTooManyIsNotAnExtraRowOfZeros() throws {
        // Three rows written, four declared, the data not padded: the fourth row is not in the file.
        let path = try fits(rows: 4, rowLength: 4, columns: [("k", "J")], data: int32s([7, 8, 9]), pad: false)
        let error = self.error(path)
        XCTAssertTrue(error?.message.hasPrefix("HDU 1 (`CAT`): NAXIS2 = 4 rows of NAXIS1 = 4 bytes need 16 bytes, but the file holds 12 bytes") == true,
                      error?.description ?? "read without error")
    }

    func testRowLengthShorterThanTheColumnsNamesNAXIS1() throws {
        let path = try fits(rows: 2, rowLength: 4, columns: [("a", "J"), ("b", "J")], data: int32s([1, 2]))
        let error = self.error(path)
        XCTAssertTrue(error?.message.contains("NAXIS1") == true, error?.description ?? "read without error")
        XCTAssertFalse(error?.message.contains("no table HDU") == true, error?.description ?? "")
    }

    func testMissingTFORMNamesTheKeyword() throws {
        let path = try fits(rows: 2, rowLength: 8, columns: [("a", "J"), ("b", "J")], data: int32s([1, 2, 3, 4]), tfields: 3)
        let error = self.error(path)
        XCTAssertTrue(error?.message.contains("TFORM3") == true, error?.description ?? "read without error")
        XCTAssertFalse(error?.message.contains("no table HDU") == true, error?.description ?? "")
    }

    func testBadTFORMNamesTheKeyword() throws {
        let path = try fits(rows: 2, rowLength: 8, columns: [("a", "J"), ("b", "2H")], data: int32s([1, 2, 3, 4]))
        let error = self.error(path)
        XCTAssertTrue(error?.message.contains("TFORM") == true, error?.description ?? "read without error")
        XCTAssertFalse(error?.message.contains("no table HDU") == true, error?.description ?? "")
    }

    func testWideVectorColumnLoadsAsOneColumnPerElement() throws {
        // 200,000 elements per row: as many columns (this took quadratic time in the column count).
        let width = 200_000
        let values = (0 ..< 2 * width).map { Int32($0) }
        let path = try fits(rows: 2, rowLength: 4 * width, columns: [("v", "\(width)J")], data: int32s(values))
        let table = try FITSReader().read(path: path, tableName: "t")
        XCTAssertEqual(table.columns.count, width)
        XCTAssertEqual(table.column(named: "v_0")?.numbers, [0, Double(width)])
        XCTAssertEqual(table.column(named: "v_\(width - 1)")?.numbers, [Double(width - 1), Double(2 * width - 1)])
    }

    func testVectorColumnsBeyondTheLimitSayTheLimit() throws {
        let path = try fits(rows: 0, rowLength: 4 << 20, columns: [("v", "\(1 << 20)J")], data: [])
        let error = self.error(path)
        XCTAssertTrue(error?.message.contains("at most 1048575 can be loaded") == true, error?.description ?? "read without error")
    }
}
