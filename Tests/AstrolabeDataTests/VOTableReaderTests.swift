import Foundation
import XCTest
@testable import AstrolabeData

/// VOTables written by astropy (every numeric type, booleans as bit and as boolean, unicodeChar
/// with non-ASCII text, a fixed array, VALUES null, masked cells) read as astropy reads them, in
/// each serialisation; damaged or unsupported VOTables are errors that say what and where.
final class VOTableReaderTests: XCTestCase {
    func testEverySerialisationReadsAsAstropyReadsIt() throws {
        let expected = try FormatFixtures.expected()
        for name in ["types_tabledata.vot", "types_binary.vot", "types_binary2.vot"] {
            let table = try VOTableReader().read(path: try FormatFixtures.path(name), tableName: "t")
            FormatFixtures.assertEqualsAstropy(table, try XCTUnwrap(expected[name]), file: name)
            XCTAssertEqual(table.column(named: "i32")?.kind, .integer)
            XCTAssertEqual(table.column(named: "ok")?.kind, .boolean)
            XCTAssertEqual(table.column(named: "name")?.kind, .text)
        }
    }

    func testTheFormatIsToldByContentNotName() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try FormatFixtures.path("types_binary2.vot")))
        let path = temporary("catalogue.csv")
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(FileFormat.detect(path: path), .votable)
        let table = try TableFileReader().readWithReport(path: path, tableName: "t").table
        XCTAssertEqual(table.rowCount, 6)
        XCTAssertEqual(table.column(named: "f64")?.metadata.unit, "deg")
    }

    private func temporary(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("votable-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent(name).path
    }

    private func error(_ xml: String) -> DataError? {
        do {
            _ = try VOTableReader().read(bytes: Array(xml.utf8), source: "x.vot", tableName: "t")
            return nil
        } catch let error as DataError {
            return error
        } catch {
            XCTFail("not a DataError: \(error)")
            return nil
        }
    }

    private func votable(fields: String, data: String) -> String {
        "<?xml version=\"1.0\"?>\n<VOTABLE version=\"1.4\"><RESOURCE><TABLE>\n\(fields)\n<DATA>\(data)</DATA></TABLE></RESOURCE></VOTABLE>\n"
    }

    func testMalformedXMLIsAnErrorAtItsLine() {
        let error = self.error("<?xml version=\"1.0\"?>\n<VOTABLE>\n<RESOURCE><TABLE>\n<FIELD name=\"a\" datatype=\"int\">\n</TABLE>")
        XCTAssertEqual(error?.file, "x.vot")
        XCTAssertEqual(error?.line, 5)
        XCTAssertTrue(error?.message.contains("the XML is malformed") == true, error?.description ?? "read without error")
    }

    func testUnsupportedContentIsRefusedByName() {
        let cases: [(String, String)] = [
            (votable(fields: "<FIELD name=\"z\" datatype=\"doubleComplex\"/>", data: ""), "complex numbers"),
            (votable(fields: "<FIELD name=\"z\" datatype=\"quad\"/>", data: ""), "datatype=\"quad\", which is not a VOTable datatype"),
            (votable(fields: "<FIELD name=\"a\" datatype=\"int\"/>", data: "<BINARY><STREAM href=\"http://x/y\"/></BINARY>"), "in another file"),
            (votable(fields: "<FIELD name=\"a\" datatype=\"int\"/>", data: "<BINARY><STREAM encoding=\"gzip\">AA</STREAM></BINARY>"), "only base64"),
            (votable(fields: "<FIELD name=\"a\" datatype=\"int\"/>", data: "<FITS><STREAM/></FITS>"), "FITS serialisation"),
            (votable(fields: "<FIELD name=\"a\" datatype=\"int\"/>", data: "<BINARY><STREAM encoding=\"base64\">AA*A</STREAM></BINARY>"), "not base64"),
            (votable(fields: "<FIELD name=\"a\" datatype=\"int\"/>", data: "<BINARY><STREAM encoding=\"base64\">AAA=</STREAM></BINARY>"), "ends inside row 1"),
            (votable(fields: "<FIELD name=\"a\" datatype=\"int\"/><FIELD name=\"b\" datatype=\"int\"/>", data: "<TABLEDATA><TR><TD>1</TD></TR></TABLEDATA>"), "row 1 has 1 cells"),
            (votable(fields: "<FIELD name=\"a\" datatype=\"short\"/>", data: "<TABLEDATA><TR><TD>70000</TD></TR></TABLEDATA>"), "`70000` is not an integer of type short"),
            (votable(fields: "<FIELD name=\"s\" datatype=\"char\" arraysize=\"4x3\"/>", data: ""), "arrays of strings"),
            ("<?xml version=\"1.0\"?><VOTABLE><RESOURCE/></VOTABLE>", "has no TABLE"),
        ]
        for (xml, expected) in cases {
            let error = self.error(xml)
            XCTAssertTrue(error?.message.contains(expected) == true, "\(expected): \(error?.description ?? "read without error")")
            XCTAssertEqual(error?.file, "x.vot")
        }
    }

    func testLongsBeyondDoublePrecisionStayExactAsText() throws {
        let xml = votable(fields: "<FIELD name=\"source_id\" datatype=\"long\"/><FIELD name=\"n\" datatype=\"long\"/>",
                          data: "<TABLEDATA><TR><TD>4295806720</TD><TD>1</TD></TR><TR><TD>6917528997577384320</TD><TD>0x10</TD></TR></TABLEDATA>")
        let table = try VOTableReader().read(bytes: Array(xml.utf8), source: "x.vot", tableName: "t")
        XCTAssertEqual(table.column(named: "source_id")?.strings, ["4295806720", "6917528997577384320"])
        XCTAssertEqual(table.column(named: "n")?.numbers, [1, 16])
        XCTAssertEqual(table.column(named: "n")?.kind, .integer)
    }

    func testVariableArraysAndBitsInBinary() throws {
        // Row 1: a = [1, 2] (int, arraysize *), flags = 101 (bit, arraysize 3); row 2: a = [], flags = 010.
        let row1: [UInt8] = [0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0b1010_0000]
        let row2: [UInt8] = [0, 0, 0, 0, 0b0100_0000]
        let stream = Data(row1 + row2).base64EncodedString()
        let xml = votable(fields: "<FIELD name=\"a\" datatype=\"int\" arraysize=\"*\"/><FIELD name=\"flags\" datatype=\"bit\" arraysize=\"3\"/>",
                          data: "<BINARY><STREAM encoding=\"base64\">\(stream)</STREAM></BINARY>")
        let table = try VOTableReader().read(bytes: Array(xml.utf8), source: "x.vot", tableName: "t")
        XCTAssertEqual(table.column(named: "a")?.strings, ["1 2", nil])
        XCTAssertEqual(table.column(named: "flags_0")?.numbers, [1, 0])
        XCTAssertEqual(table.column(named: "flags_1")?.numbers, [0, 1])
        XCTAssertEqual(table.column(named: "flags_2")?.numbers, [1, 0])
    }
}
