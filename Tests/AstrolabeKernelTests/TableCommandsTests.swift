import AstrolabeData
import XCTest
@testable import AstrolabeKernel

/// join, where, sample, features combine, export and the new load options, through `Session.execute`.
final class TableCommandsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-tables-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func session() throws -> Session { try Session(options: SessionOptions(workingDirectory: directory.path)) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func text(_ e: Execution) -> String {
        e.outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
    }

    func warnings(_ e: Execution) -> [String] {
        e.outputs.compactMap { if case .warning(let t) = $0 { return t } else { return nil } }
    }

    @discardableResult
    func ok(_ s: Session, _ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> Execution {
        let r = s.execute(line)
        XCTAssertNil(r.error, "`\(line)` failed: \(r.error?.rendered ?? "")", file: file, line: lineNumber)
        return r
    }

    func current(_ s: Session) throws -> Table { try XCTUnwrap(s.currentTableName.flatMap { s.tables[$0] }) }

    func testLeftJoinKeepsEveryRowAndReportsUnmatched() throws {
        try write("photo.csv", "id,g,r\n1,20.5,20.1\n2,21,20\n3,19,18.5\n4,,22\n")
        try write("spec.csv", "id,z,g\n3,0.5,x\n1,1.25,y\n9,2,z\n1,7,w\n")
        let s = try session()
        ok(s, "load spec.csv")
        ok(s, "load photo.csv id=id")
        let r = ok(s, "join spec on=id")
        XCTAssertEqual(text(r), "joined spec into photo on id: 2 of 4 rows matched, 2 unmatched; 2 columns added\nrenamed: g → g_spec")
        // spec's rows: 3 and the first 1 are used; 9 has no partner and the second 1 repeats a key.
        XCTAssertEqual(warnings(r), ["2 rows of spec not used: no row of photo has the key, or it repeats an earlier key",
                                     "1 row matched a key repeated in spec; the first occurrence was used"])
        let t = try current(s)
        XCTAssertEqual(t.columnNames, ["id", "g", "r", "z", "g_spec"])
        let z = try XCTUnwrap(t.column(named: "z")?.numbers)
        XCTAssertEqual(z[0], 1.25)
        XCTAssertTrue(z[1].isNaN)
        XCTAssertEqual(z[2], 0.5)
        XCTAssertTrue(z[3].isNaN)
        XCTAssertEqual(t.column(named: "g_spec")?.strings, ["y", nil, "x", nil])
        XCTAssertEqual(t.idColumn, "id")
        XCTAssertEqual(s.execute("join spek on=id").error?.suggestion, "spec")
        XCTAssertEqual(s.execute("join spec on=ib").error?.suggestion, "id")
    }

    func testWhereMakesAViewWithoutMissingRowsAndUseGoesBack() throws {
        try write("c.csv", "id,g,r,label\na,20,19.5,star\nb,21,21.2,qso\nc,,20,star\nd,22,21,galaxy\n")
        let s = try session()
        ok(s, "load c.csv as cat id=id label=label")
        let r = ok(s, "where g - r > 0.4 as red")
        XCTAssertEqual(text(r), "red: 2 of 4 rows of cat where g - r > 0.4")
        let view = try current(s)
        XCTAssertEqual(view.name, "red")
        XCTAssertEqual(view.column(named: "id")?.strings, ["a", "d"])
        XCTAssertEqual(view.idColumn, "id")
        XCTAssertEqual(view.labelColumn, "label")
        ok(s, "feature gr = g - r")
        XCTAssertEqual(try current(s).column(named: "gr")?.numbers, [0.5, 1])
        ok(s, "use cat")
        XCTAssertEqual(try current(s).rowCount, 4)
        XCTAssertNil(try current(s).column(named: "gr"))
        // Default name, and an error in the expression points into the line.
        ok(s, "where g > 20")
        XCTAssertEqual(s.currentTableName, "cat_where")
        let error = try XCTUnwrap(s.execute("where gg > 1").error)
        XCTAssertEqual(error.suggestion, "g")
        XCTAssertEqual(error.location.column, 7)
        XCTAssertTrue(text(ok(s, "tables")).contains("cat_where"))
    }

    func testSampleIsSeededAndInTableOrder() throws {
        try write("n.csv", "v\n" + (0 ..< 100).map(String.init).joined(separator: "\n") + "\n")
        let s = try session()
        ok(s, "load n.csv")
        ok(s, "sample 10 seed=7 as=a")
        let a = try XCTUnwrap(try current(s).column(named: "v")?.numbers)
        ok(s, "use n")
        ok(s, "sample 10 seed=7 as=b")
        let b = try XCTUnwrap(try current(s).column(named: "v")?.numbers)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.count, 10)
        XCTAssertEqual(Set(a).count, 10)
        XCTAssertEqual(a, a.sorted())
        ok(s, "use n")
        ok(s, "sample 10 seed=8 as=c")
        XCTAssertNotEqual(try current(s).column(named: "v")?.numbers, a)
        ok(s, "use n")
        let all = ok(s, "sample 500 as=d")
        XCTAssertEqual(try current(s).rowCount, 100)
        XCTAssertEqual(warnings(all).count, 1)
    }

    func testFeaturesCombineNamesCountsAndLimit() throws {
        try write("m.csv", "u,g,r,i,z,name\n20,19,18.5,18,17.75,a\n21,20.5,,19,18,b\n")
        let s = try session()
        ok(s, "load m.csv")
        let r = ok(s, "features combine subtract u g r")
        XCTAssertEqual(text(r), "features combine subtract: 3 columns from 3 choose 2 (3 new): u-g, u-r, g-r")
        let t = try current(s)
        XCTAssertEqual(t.column(named: "u-g")?.numbers, [1, 0.5])
        XCTAssertEqual(t.column(named: "g-r")?.numbers?.first, 0.5)
        XCTAssertTrue(t.column(named: "g-r")?.numbers?[1].isNaN ?? false)
        ok(s, "features combine divide u,g,r,i,z n=3")
        let t3 = try current(s)
        XCTAssertEqual(t3.column(named: "u/g/r")?.numbers?.first, 20.0 / 19.0 / 18.5)
        XCTAssertEqual(t3.columns.count, 6 + 3 + 10)
        // `g-r` works as a column name in expressions through backquotes.
        ok(s, "feature c = `g-r` * 2")
        XCTAssertEqual(s.execute("features combine subtract u name").error?.message, "column `name` is text, not numeric")
        XCTAssertEqual(s.execute("features combine subtrat u g").error?.suggestion, "subtract")
        XCTAssertNotNil(s.execute("features combine add u g n=6").error)
        // Over the limit without force=yes: refused, saying how many.
        let wide = "w\n"
        _ = wide
        let columns = (0 ..< 20).map { "c\($0)" }
        try write("wide.csv", columns.joined(separator: ",") + "\n" + columns.map { _ in "1" }.joined(separator: ",") + "\n")
        ok(s, "load wide.csv")
        let refused = try XCTUnwrap(s.execute("features combine add " + columns.joined(separator: " ") + " n=4").error)
        XCTAssertTrue(refused.message.hasPrefix("this would create 4845 columns"), refused.message)
        ok(s, "features combine add " + columns.joined(separator: " ") + " n=4 force=yes")
        XCTAssertEqual(try current(s).columns.count, 20 + 4845)
    }

    func testExportRoundTripsThroughCSVAndFITS() throws {
        try write("e.csv", "id,x,n,flag,name\na,0.1,1,true,\"x, y\"\nb,,2,false,\nc,1e-300,3,,z\n")
        let s = try session()
        ok(s, "load e.csv id=id")
        ok(s, "export out/all.csv")
        ok(s, "export out/all.fits")
        ok(s, "export out/some.csv columns=id,x rows=\"n >= 2\"")
        ok(s, "load out/all.csv as back")
        let back = try current(s)
        ok(s, "load out/all.fits as fits")
        let fits = try current(s)
        ok(s, "load out/some.csv as some")
        let some = try current(s)
        for t in [back, fits] {
            XCTAssertEqual(t.column(named: "x")?.number(row: 0), 0.1)
            XCTAssertTrue(t.column(named: "x")?.number(row: 1).isNaN ?? false)
            XCTAssertEqual(t.column(named: "x")?.number(row: 2), 1e-300)
            XCTAssertEqual(t.column(named: "n")?.kind, .integer)
            XCTAssertEqual(t.column(named: "flag")?.kind, .boolean)
            XCTAssertEqual(t.column(named: "flag")?.numbers?.prefix(2), [1, 0])
            XCTAssertEqual(t.column(named: "name")?.strings, ["x, y", nil, "z"])
        }
        XCTAssertEqual(some.columnNames, ["id", "x"])
        XCTAssertEqual(some.column(named: "id")?.strings, ["b", "c"])
        XCTAssertNotNil(s.execute("export out/x.txt").error)
        // The issue's phrase `export table PATH` writes the current table (here `some`).
        ok(s, "export table out/phrase.csv")
        let phrase = try String(contentsOf: directory.appendingPathComponent("out/phrase.csv"), encoding: .utf8)
        XCTAssertEqual(phrase, "id,x\nb,\nc,1e-300\n")
    }

    func testHeadKeepsOneLinePerRowWhateverTheCellsHold() throws {
        let long = String(repeating: "abcdefghij", count: 30)
        try write("odd.csv", "id,note,x\n1,\"two\nlines\",1.5\n2,\"tab\there\",2\n3,\(long),3\n")
        let s = try session()
        ok(s, "load odd.csv")
        let lines = text(ok(s, "head")).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.count, 5, lines.joined(separator: "\n"))  // header, rule, three rows
        XCTAssertTrue(lines[2].contains("two\\nlines"), lines[2])
        XCTAssertTrue(lines[3].contains("tab\\there"), lines[3])
        // The 300-character cell is cut to 80 characters ending in an ellipsis, and the x column after it
        // still lines up with the other rows.
        XCTAssertTrue(lines[4].contains(String(long.prefix(79)) + "…"), lines[4])
        XCTAssertFalse(lines[4].contains(String(long.prefix(80))), lines[4])
        XCTAssertEqual(lines[2].count, lines[4].count)
        // The table itself is not changed: the cell keeps its newline.
        XCTAssertEqual(try current(s).column(named: "note")?.strings?.first, "two\nlines")
    }

    func testLoadOptionsReachTheReaders() throws {
        try write("t.tsv", "# survey\nid\tmag\tflag\n1\t-99.99\tT\n2\t20.5\tF\n")
        let s = try session()
        ok(s, "load t.tsv sep=tab comment=\"#\" missing=-99.99 types=flag:category,id:text precision=float32")
        let t = try current(s)
        XCTAssertEqual(t.column(named: "id")?.strings, ["1", "2"])
        XCTAssertEqual(t.column(named: "flag")?.kind, .category)
        guard case .float32(let mags)? = t.column(named: "mag")?.values else { return XCTFail("float32 expected") }
        XCTAssertTrue(mags[0].isNaN)
        XCTAssertTrue(text(ok(s, "columns")).contains("float (float32)"))
        try write("bad.csv", "a,b\n1,2\n3\n4,5\n")
        let error = try XCTUnwrap(s.execute("load bad.csv").error)
        XCTAssertTrue(error.message.hasPrefix("bad.csv:3:2: line 3 has 1 field, header has 2"), error.message)
        let skipped = ok(s, "load bad.csv on_error=skip")
        XCTAssertEqual(warnings(skipped), ["skipped 1 malformed row (line 3)"])
        XCTAssertEqual(s.execute("load bad.csv hdu=1").error?.message, "hdu= applies to FITS files only")
        XCTAssertEqual(s.execute("load bad.csv types=a:txt").error?.suggestion, "text")
        XCTAssertEqual(s.execute("load bad.csv on_error=skp").error?.suggestion, "skip")
    }

    func testFITSLoadByHDUName() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("AstrolabeDataTests/Fixtures/types.fits").path
        let s = try session()
        let r = ok(s, "load \(fixture) as other hdu=OTHER")
        XCTAssertTrue(text(r).hasPrefix("other: 2 rows × 1 column "), text(r))
        let error = try XCTUnwrap(s.execute("load \(fixture) hdu=OTHRE").error)
        XCTAssertEqual(error.suggestion, "OTHER")
    }

    /// A Parquet file loads by its content (here without a .parquet name), CSV options are refused for it.
    func testParquetLoadsByContent() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("AstrolabeDataTests/Fixtures/parquet/t_zstd_v2_dict.parquet")
        let s = try session()
        let copy = directory.appendingPathComponent("catalogue.dat")
        try FileManager.default.copyItem(at: fixture, to: copy)
        let r = ok(s, "load catalogue.dat as cat")
        XCTAssertTrue(text(r).hasPrefix("cat: 100 rows × 15 columns"), text(r))
        XCTAssertEqual(s.execute("load catalogue.dat sep=tab").error?.message, "sep= does not apply to Parquet files")
    }
}
