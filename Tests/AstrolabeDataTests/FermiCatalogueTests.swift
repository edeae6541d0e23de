import XCTest
@testable import AstrolabeData

/// The real 4LAC blazar catalogue loads with the right shape, types and cells.
///
/// Expected values were read from the file by eye and with Python's `csv` module (an independent
/// parser); the summary numbers come from numpy (`nanmean`, `nanstd(ddof=1)`, `nanpercentile`).
final class FermiCatalogueTests: XCTestCase {
    /// The copy in Samples/ (see Samples/README.md for its source).
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples/fermi_4lac.csv").path

    private func load() throws -> Table {
        guard FileManager.default.fileExists(atPath: Self.path) else {
            throw XCTSkip("\(Self.path) is not available")
        }
        return try CSVReader().read(path: Self.path, tableName: "blazars")
    }

    func testShapeAndTypes() throws {
        let table = try load()
        XCTAssertEqual(table.rowCount, 3814)
        XCTAssertEqual(table.columns.count, 43)
        let text = table.columns.filter { !$0.isNumeric }.map(\.name)
        XCTAssertEqual(text, ["id", "SpectrumType", "ASSOC1", "Counterpart_Catalog", "VLBI_Counterpart",
                              "SED_class", "latitude_sample", "class_raw", "label"])
    }

    func testCells() throws {
        let table = try load()
        let ids = try XCTUnwrap(table.column(named: "id")?.strings)
        XCTAssertEqual(ids[0], "4FGL J0001.2+4741")
        XCTAssertEqual(ids[3813], "4FGL J2358.4+6547")
        let flux = try table.numericColumn(named: "Flux1000")
        XCTAssertEqual(flux[0], 1.2597956e-10)
        XCTAssertEqual(flux[3813], 7.097834e-10)
        let redshift = try table.numericColumn(named: "Redshift")
        XCTAssertTrue(redshift[0].isNaN)
        XCTAssertEqual(redshift[2], 0.461516)
        XCTAssertEqual(table.column(named: "Redshift")?.missingCount, 1940)
        XCTAssertEqual(try table.numericColumn(named: "Unc_Counterpart")[0], 8.399999842367833e-07)
        XCTAssertEqual(try table.numericColumn(named: "nu_syn")[0], 1e14)
        XCTAssertEqual(table.column(named: "SED_class")?.strings?[0], "ISP")
        XCTAssertNil(table.column(named: "SED_class")?.strings?[3813] ?? nil)
        XCTAssertEqual(table.column(named: "ASSOC1")?.strings?[0], "B3 2358+474")
        XCTAssertEqual(table.column(named: "label")?.strings?[1], "bll")
    }

    func testSummaries() throws {
        let table = try load()
        let s = ColumnSummary.of(try table.numericColumn(named: "PL_Index"))
        XCTAssertEqual(s.count, 3814)
        XCTAssertEqual(s.missing, 0)
        XCTAssertEqual(s.mean, 2.220763006633456, accuracy: 1e-12)
        XCTAssertEqual(s.std, 0.2987829265371266, accuracy: 1e-12)
        XCTAssertEqual(s.min, 1.4188638)
        XCTAssertEqual(s.q25, 1.99460173, accuracy: 1e-8)
        XCTAssertEqual(s.median, 2.21664305, accuracy: 1e-8)
        XCTAssertEqual(s.q75, 2.44765828, accuracy: 1e-8)
        XCTAssertEqual(s.max, 3.152549)

        let sed = try XCTUnwrap(table.column(named: "SED_class")?.textSummary)
        // Python: Counter(...) gives LSP 1699, HSP 590, ISP 536, and 989 empty cells.
        XCTAssertEqual(sed, TextSummary(count: 2825, missing: 989, unique: 3, top: "LSP", topCount: 1699))
    }

    func testExpressionOnCatalogue() throws {
        let table = try load()
        let e = try Expression(parsing: "log10(Flux1000 / Energy_Flux100)")
        let v = try e.evaluate(in: table)
        XCTAssertEqual(v.count, 3814)
        // Row 0: log10(1.2597956e-10 / 1.4994537e-12), computed with Python's math.log10.
        XCTAssertEqual(v[0], 1.9243670269909234, accuracy: 1e-12)
    }
}
