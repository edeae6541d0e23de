import Foundation
import XCTest
@testable import AstrolabeData

/// Files that are not what `load` reads as CSV: recognised by their first bytes and refused by
/// name, binary bytes refused where they are, tab-separated files read as such, devices refused,
/// and a file cut short while it is read reported instead of killing the process.
final class FileFormatTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func error(reading path: String, _ configure: (inout CSVOptions) -> Void = { _ in }) -> DataError? {
        var options = CSVOptions()
        configure(&options)
        do {
            _ = try CSVReader(options: options).read(path: path, tableName: "t")
            return nil
        } catch let error as DataError {
            return error
        } catch {
            XCTFail("unexpected error \(error)")
            return nil
        }
    }

    func testKnownBinaryFormatsAreRefusedByName() throws {
        let cases: [(String, [UInt8], String)] = [
            ("cat.csv.zst", [0x28, 0xB5, 0x2F, 0xFD, 0x00], "zstd-compressed, which is not supported"),
            ("cat.zip", [0x50, 0x4B, 0x03, 0x04, 0x14], "a zip archive, which is not supported"),
            ("cat.parquet", Array("PAR1\u{15}\u{04}".utf8), "Parquet, not a text table"),
            ("cat.h5", [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A, 0], "HDF5, which is not supported"),
            ("cat.csv", Array("<?xml version=\"1.0\"?>\n<VOTABLE version=\"1.4\">\n<RESOURCE>".utf8), "the file is a VOTable, not a text table"),
            ("cat.vot", Array("  <VOTABLE>\n<TABLE>".utf8), "VOTable"),
            ("cat.csv", Array("# %ECSV 1.0\n# ---\n".utf8), "the file is ECSV, not plain CSV"),
            ("cat.xml", Array("<?xml version='1.0'?>\n<!-- c -->\n<svg width='1'>".utf8), "XML (root element <svg>)"),
        ]
        for (name, bytes, expected) in cases {
            let path = try write(name, bytes)
            let error = self.error(reading: path)
            XCTAssertTrue(error?.message.contains(expected) == true, "\(name): \(error?.description ?? "read without error")")
            XCTAssertEqual(error?.file, path, name)
        }
    }

    private func fixture(_ name: String) throws -> String {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name).path
    }

    func testGzipCompressedTablesLoad() throws {
        let stars = try CSVReader().read(path: try fixture("stars.csv.gz"), tableName: "t")
        XCTAssertEqual(stars.columnNames, ["name", "ra", "dec"])
        XCTAssertEqual(stars.column(named: "dec")?.numbers, [38.7837, 45.2803])
        let tsv = try CSVReader().read(path: try fixture("stars.tsv.gz"), tableName: "t")
        XCTAssertEqual(tsv.columnNames, ["name", "mag"])
        // Two members one after the other read as one stream, as gunzip reads them.
        let one = try Data(contentsOf: URL(fileURLWithPath: try fixture("stars.csv.gz")))
        let two = try CSVReader().read(path: try write("two.csv.gz", Array(one) + Array(one)), tableName: "t")
        XCTAssertEqual(two.rowCount, 5) // the second header is a row of text
    }

    /// libdeflate's whole-buffer inflate gives zlib's bytes, also when the trailer of the last
    /// member understates the whole (a larger member first) and the output must grow.
    func testWholeBufferInflateEqualsZlibForEveryMemberOrder() throws {
        let csv = Array(try Data(contentsOf: URL(fileURLWithPath: try fixture("stars.csv.gz"))))
        let tsv = Array(try Data(contentsOf: URL(fileURLWithPath: try fixture("stars.tsv.gz"))))
        for bytes in [csv, csv + tsv, tsv + csv, tsv + csv + csv + csv] {
            try bytes.withUnsafeBufferPointer { input in
                let whole = try XCTUnwrap(try Gzip.inflateWhole(input, limit: 1 << 20, minimumCapacity: 1))
                XCTAssertEqual(whole, try Gzip.inflateStreaming(input, source: "t", limit: 1 << 20))
                XCTAssertEqual(try Gzip.inflate(input, source: "t"), whole)
            }
        }
    }

    func testDamagedGzipIsAnError() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: try fixture("stars.csv.gz"))))
        let cut = self.error(reading: try write("cut.csv.gz", Array(bytes.prefix(bytes.count - 12))))
        XCTAssertTrue(cut?.message.contains("the gzip data is cut short") == true, cut?.description ?? "read without error")
        var flipped = bytes
        flipped[12] ^= 0xFF
        flipped[13] ^= 0xFF
        let damaged = self.error(reading: try write("bad.csv.gz", flipped))
        XCTAssertTrue(damaged?.message.contains("gzip data") == true, damaged?.description ?? "read without error")
        let trailing = self.error(reading: try write("junk.csv.gz", bytes + Array("junk".utf8)))
        XCTAssertTrue(trailing?.message.contains("followed by 4 bytes that are not gzip") == true, trailing?.description ?? "read without error")
    }

    func testDetectionLooksAtContentNotName() {
        XCTAssertEqual(FileFormat.detect(Array("SIMPLE  =                    T".utf8)), .fits)
        XCTAssertEqual(FileFormat.detect(Array("a,b\n1,2\n".utf8)), .text)
        XCTAssertEqual(FileFormat.detect(Array("<?xml version='1.0'?><root/>".utf8)), .unsupported("XML (root element <root>)"))
        XCTAssertEqual(FileFormat.detect(Array("<?xml version='1.0'?>\n<!DOCTYPE x>\n<vot:VOTABLE xmlns:vot='v'>".utf8)), .votable)
        XCTAssertEqual(FileFormat.detect(Array("# %ECSV 1.0\n".utf8)), .ecsv)
        XCTAssertEqual(FileFormat.detect([]), .text)
    }

    func testNULBytesAreRefusedWhereTheyAre() throws {
        var bytes = Array("a,b\n1,2\n3,x".utf8)
        bytes.insert(0, at: bytes.count - 1)
        let error = self.error(reading: try write("nul.csv", bytes))
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.column, 3)
        XCTAssertTrue(error?.message.contains("NUL byte") == true, error?.description ?? "read without error")

        let quoted = Array("a,b\n\"x\u{0}y\",2\n".utf8)
        let inQuotes = self.error(reading: try write("quoted.csv", quoted))
        XCTAssertEqual(inQuotes?.line, 2)
        XCTAssertEqual(inQuotes?.column, 3)
    }

    func testAllNULFileIsRefusedAtItsFirstByte() throws {
        let error = self.error(reading: try write("zeros.csv", [UInt8](repeating: 0, count: 10_000)))
        XCTAssertEqual(error?.line, 1)
        XCTAssertEqual(error?.column, 1)
        XCTAssertTrue(error?.message.contains("binary data") == true, error?.description ?? "read without error")
    }

    func testTabSeparatedFilesNeedNoSep() throws {
        let text = Array("name\tg\tr\nm31\t20.5\t19.75\nm33\t21\t20\n".utf8)
        for name in ["cat.tsv", "cat.TAB", "cat.txt"] {
            let table = try CSVReader().read(path: try write(name, text), tableName: "t")
            XCTAssertEqual(table.columnNames, ["name", "g", "r"], name)
            XCTAssertEqual(table.column(named: "r")?.numbers, [19.75, 20], name)
        }
        // A comma in the header keeps commas, tabs or not; sep= always wins.
        let commas = try CSVReader().read(bytes: Array("a,b\tc\n1,2\n".utf8), source: "x", tableName: "t")
        XCTAssertEqual(commas.columnNames, ["a", "b\tc"])
        var options = CSVOptions()
        options.separator = .byte(UInt8(ascii: ","))
        let forced = try CSVReader(options: options).read(path: try write("forced.tsv", text), tableName: "t")
        XCTAssertEqual(forced.columnNames, ["name\tg\tr"])
    }

    func testDevicesAreRefused() {
        let error = self.error(reading: "/dev/zero")
        XCTAssertTrue(error?.message.contains("character device, not a file") == true, error?.description ?? "read without error")
        XCTAssertFalse(FITSReader.looksLikeFITS(path: "/dev/zero"))
    }

    func testFileTruncatedWhileItIsReadIsAnError() throws {
        // 8 MB of numbers; when the parser reports its first 2 MB, the file is cut to 1 MB. The
        // pages past the cut are gone from the mapping: reading them raised SIGBUS.
        var text = "a,b,c\n"
        let row = "12345.678,-0.5,42\n"
        text.reserveCapacity(8 << 20)
        while text.utf8.count < 8 << 20 { text += row }
        let path = try write("growing.csv", Array(text.utf8))
        let cut = Cut()
        let error = self.error(reading: path) { options in
            options.chunkCount = 1
            options.progress = { _ in cut.once { _ = truncate(path, 1 << 20) } }
        }
        XCTAssertTrue(cut.done)
        XCTAssertTrue(error?.message.contains("the file changed while it was read") == true, error?.description ?? "read without error")
        XCTAssertTrue(error?.message.contains("8388618 bytes when opened, 1048576 now") == true, error?.description ?? "")
    }

    func testFileRewrittenWhileItIsReadIsAnError() throws {
        let path = try write("rewritten.csv", Array(("a,b\n" + String(repeating: "1,2\n", count: 1 << 20)).utf8))
        let cut = Cut()
        let error = self.error(reading: path) { options in
            options.chunkCount = 1
            // Same size, new contents: only the modification time tells.
            options.progress = { _ in cut.once {
                let fd = open(path, O_WRONLY)
                _ = pwrite(fd, "3", 1, 4)
                var times = [timespec(tv_sec: 1, tv_nsec: 0), timespec(tv_sec: 1, tv_nsec: 0)]
                _ = futimens(fd, &times)
                close(fd)
            } }
        }
        XCTAssertTrue(error?.message.contains("the file changed while it was read") == true, error?.description ?? "read without error")
    }
}

/// Runs an action once, from whichever worker thread comes first.
private final class Cut: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var done = false
    func once(_ action: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        if !done { done = true; action() }
    }
}
