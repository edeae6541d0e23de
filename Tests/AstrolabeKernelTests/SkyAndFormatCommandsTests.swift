import Foundation
import XCTest
@testable import AstrolabeKernel

/// `join OTHER sky`, `match TABLE self`, and `load`/`columns` with VOTable and ECSV files.
final class SkyAndFormatCommandsTests: IrisSessionTestCase {
    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    /// Photometry with one source near each pole, one across RA = 0 and one with no partner, and a
    /// catalogue of classes with two candidates for the first source.
    private func skySession() throws -> Session {
        try write("photo.csv", "id,ra,dec,g\na,0.0,89.9999,18.1\nb,359.9999,-10,19.2\nc,120,30,17.5\nd,200,-89.9995,20.0\n")
        try write("spec.csv", "RAJ2000,DEJ2000,class\n180.0,89.9999,bll\n0.0002,-10,fsrq\n0.0,89.99995,bcu\n200.5,-89.9995,agn\n")
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        ok(s, "load spec.csv as spec")
        ok(s, "load photo.csv as photo id=id")
        return s
    }

    func testSkyJoinAddsPartnersSeparationsAndCounts() throws {
        let s = try skySession()
        let out = ok(s, "join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=1.5arcsec")
        XCTAssertTrue(out.contains("3 of 4 rows matched, 1 with several candidates, 1 unmatched"), out)
        let table = try XCTUnwrap(s.tables["photo"])
        // Source a (0.0001° from the pole) is 0.18″ from bcu and 0.72″ from bll across the pole.
        XCTAssertEqual(table.column(named: "class")?.strings, ["bcu", "fsrq", nil, "agn"])
        let sep = try XCTUnwrap(table.column(named: "sep_spec")?.numbers)
        XCTAssertEqual(sep[0], 0.18, accuracy: 1e-6)
        XCTAssertEqual(sep[1], 0.0003 * 3600 * cos(10 * Double.pi / 180), accuracy: 1e-6)
        XCTAssertTrue(sep[2].isNaN)
        XCTAssertEqual(table.column(named: "sep_spec")?.metadata.unit, "arcsec")
        let all = try skySession()
        let allOut = ok(all, "join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=1.5arcsec find=all")
        XCTAssertTrue(allOut.contains("photo now has 5 rows: one per pair (4), and each unmatched row once"), allOut)
        // One row per pair, nearest first; the unmatched row c once.
        XCTAssertEqual(all.tables["photo"]?.column(named: "id")?.strings, ["a", "a", "b", "c", "d"])
        XCTAssertEqual(all.tables["photo"]?.column(named: "class")?.strings, ["bcu", "bll", "fsrq", nil, "agn"])
        XCTAssertNil(all.tables["photo"]?.column(named: "n_spec"))
    }

    /// find=all equals astropy's `SkyCoord.search_around_sky` (Fixtures/make_sky_all_fixture.py):
    /// the same pairs in the same order, separations within 1 mas, unmatched rows kept once.
    func testSkyJoinFindAllEqualsAstropySearchAroundSky() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("AstrolabeDataTests/Fixtures")
        func lines(_ name: String) throws -> [[Substring]] {
            try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let left = try lines("sky_left.csv"), right = try lines("sky_right.csv")
        try write("left.csv", "lid,ra,dec\n" + left.enumerated().map { "\($0.offset),\($0.element[0]),\($0.element[1])" }.joined(separator: "\n") + "\n")
        try write("right.csv", "rid,ra,dec\n" + right.enumerated().map { "\($0.offset),\($0.element[0]),\($0.element[1])" }.joined(separator: "\n") + "\n")
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        ok(s, "load right.csv as right")
        ok(s, "load left.csv as left")
        ok(s, "join right sky radius=5arcsec find=all")
        let table = try XCTUnwrap(s.tables["left"])
        let lid = try XCTUnwrap(table.column(named: "lid")?.numbers), rid = try XCTUnwrap(table.column(named: "rid")?.numbers)
        let sep = try XCTUnwrap(table.column(named: "sep_right")?.numbers)
        // Expected rows: astropy's pairs, with every left row that has none inserted once in order.
        var expected: [(Int, Int?, Double?)] = []
        var pairs = try lines("sky_all_expected.csv").map { (Int($0[0])!, Int($0[1])!, Double($0[2])!) }[...]
        for i in 0 ..< left.count {
            var any = false
            while let p = pairs.first, p.0 == i { expected.append((p.0, p.1, p.2)); pairs = pairs.dropFirst(); any = true }
            if !any { expected.append((i, nil, nil)) }
        }
        XCTAssertEqual(table.rowCount, expected.count)
        XCTAssertGreaterThan(Set(expected.filter { $0.1 != nil }.map(\.0)).count, 0)
        for (k, e) in expected.enumerated() where k < table.rowCount {
            XCTAssertEqual(Int(lid[k]), e.0, "row \(k)")
            if let r = e.1, let d = e.2 {
                XCTAssertEqual(Int(rid[k]), r, "row \(k)")
                XCTAssertEqual(sep[k], d, accuracy: 1e-3, "row \(k)")
            } else {
                XCTAssertTrue(rid[k].isNaN && sep[k].isNaN, "row \(k)")
            }
        }
    }

    func testSkyJoinFindAllIsRefusedOnceRowsMatterAndReplays() throws {
        let s = try skySession()
        ok(s, "classes x y")
        ok(s, "teach a x")
        let error = try XCTUnwrap(s.execute("join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=1.5arcsec find=all").error)
        XCTAssertTrue(error.message.contains("photo has answers"), error.message)
        let fresh = try skySession()
        ok(fresh, "join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=1.5arcsec find=all")
        ok(fresh, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        let replayed = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNil(replayed.execute(String(line)).error, "replaying `\(line)`")
        }
        XCTAssertEqual(replayed.tables["photo"]?.rowCount, 5)
        XCTAssertEqual(SessionFingerprint(replayed).text, SessionFingerprint(fresh).text)
    }

    func testSkyJoinErrorsNameWhatIsWrong() throws {
        let s = try skySession()
        let cases: [(String, String)] = [
            ("join spec sky radius=1.5arcsec", "table `spec` has no column `ra`: name it with other_ra=COLUMN"),
            ("join spec sky other_ra=RAJ2000 other_dec=DEJ2000", "expected radius=ANGLE"),
            ("join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=-1", "radius= takes a positive angle"),
            ("join spec sky other_ra=RAJ2000 other_dec=class radius=1", "column `class` is not numeric"),
            ("join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=1 find=nearest", "find= expects one of: best, all, best-each-side"),
            ("match photo twice radius=1", "expected `self`"),
        ]
        for (line, expected) in cases {
            let error = try XCTUnwrap(s.execute(line).error, line)
            XCTAssertTrue(error.message.contains(expected), "\(line): \(error.message)")
        }
    }

    func testSkyJoinIsSavedAndReplayed() throws {
        let s = try skySession()
        ok(s, "join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=1.5arcsec find=best-each-side")
        ok(s, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        XCTAssertTrue(script.contains("join spec sky other_ra=RAJ2000 other_dec=DEJ2000 radius=1.5arcsec find=best-each-side"), script)
        let replayed = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNil(replayed.execute(String(line)).error, "replaying `\(line)`")
        }
        XCTAssertEqual(SessionFingerprint(replayed).text, SessionFingerprint(s).text)
    }

    func testMatchSelfListsGroupsOfDuplicates() throws {
        try write("dups.csv", "id,ra,dec\nx,10,20\ny,10.0002,20\nz,10.0004,20\nw,50,50\nv,0.0001,0\nu,359.9999,0\n")
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        ok(s, "load dups.csv id=id")
        let out = ok(s, "match dups self radius=1arcsec")
        XCTAssertTrue(out.hasPrefix("dups: 2 groups of duplicates within 1″ (5 rows of 6)"), out)
        XCTAssertTrue(out.contains("x, y, z"), out)
        XCTAssertTrue(out.contains("v, u"), out)
    }

    func testVOTableAndECSVLoadWithUnitsShownByColumns() throws {
        try write("cat.xml", """
            <?xml version="1.0"?>
            <VOTABLE version="1.4"><RESOURCE><TABLE>
            <FIELD name="ra" datatype="double" unit="deg" ucd="pos.eq.ra"><DESCRIPTION>Right ascension</DESCRIPTION></FIELD>
            <FIELD name="name" datatype="char" arraysize="*"/>
            <DATA><TABLEDATA><TR><TD>10.5</TD><TD>Vega</TD></TR></TABLEDATA></DATA>
            </TABLE></RESOURCE></VOTABLE>
            """)
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: ":memory:"))
        XCTAssertTrue(ok(s, "load cat.xml").hasPrefix("cat: 1 row × 2 columns (1 numeric, 1 text)"))
        let columns = ok(s, "columns")
        XCTAssertTrue(columns.contains("unit") && columns.contains("deg") && columns.contains("Right ascension"), columns)
        try write("e.ecsv", "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, unit: km, datatype: float64}\na\n1.5\n")
        let refused = try XCTUnwrap(s.execute("load e.ecsv sep=,").error)
        XCTAssertTrue(refused.message.contains("sep= applies to CSV files only; this file is ECSV"), refused.message)
        ok(s, "load e.ecsv")
        XCTAssertTrue(ok(s, "columns").contains("km"))
    }
}
