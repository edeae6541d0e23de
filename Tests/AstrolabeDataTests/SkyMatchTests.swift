import Foundation
import XCTest
@testable import AstrolabeData

/// Cross-matching against astropy's SkyCoord.match_to_catalog_sky (Fixtures/make_sky_fixtures.py):
/// the same partner for every row and separations within 1 mas, near the poles and across RA = 0.
final class SkyMatchTests: XCTestCase {
    private func columns(_ name: String) throws -> [[Double]] {
        let text = try String(contentsOfFile: try FormatFixtures.path(name), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        return (0 ..< (rows.first?.count ?? 0)).map { c in rows.map { $0[c] } }
    }

    func testNearestPartnersEqualAstropys() throws {
        let left = try columns("sky_left.csv"), right = try columns("sky_right.csv"), expected = try columns("sky_expected.csv")
        let found = SkyMatch.nearest(leftRA: left[0], leftDec: left[1], rightRA: right[0], rightDec: right[1])
        XCTAssertEqual(found.count, expected[0].count)
        var poles = 0, wrap = 0
        for (i, hit) in found.enumerated() {
            guard let hit else { XCTFail("row \(i) found no partner"); continue }
            XCTAssertEqual(hit.0, Int(expected[0][i]), "row \(i)")
            XCTAssertLessThan(abs(hit.1 - expected[1][i]), 1e-3, "row \(i)")
            if abs(left[1][i]) > 89.99 { poles += 1 }
            if left[0][i] < 0.01 || left[0][i] > 359.99 { wrap += 1 }
        }
        XCTAssertGreaterThan(poles, 300)
        XCTAssertGreaterThan(wrap, 300)
    }

    /// find=all gives astropy's `search_around_sky` pairs (make_sky_all_fixture.py, 5″ around crowded
    /// poles and across RA = 0), in order, with separations within 1 mas.
    func testAllPairsEqualAstropySearchAroundSky() throws {
        let left = try columns("sky_left.csv"), right = try columns("sky_right.csv"), expected = try columns("sky_all_expected.csv")
        let result = SkyMatch.match(leftRA: left[0], leftDec: left[1], rightRA: right[0], rightDec: right[1], radius: 5, find: .all)
        XCTAssertEqual(result.pairs.count, expected[0].count)
        for (k, pair) in result.pairs.enumerated() where k < expected[0].count {
            XCTAssertEqual(pair.left, Int(expected[0][k]), "pair \(k)")
            XCTAssertEqual(pair.right, Int(expected[1][k]), "pair \(k)")
            XCTAssertEqual(pair.separation, expected[2][k], accuracy: 1e-3, "pair \(k)")
        }
        XCTAssertEqual(result.matched, Set(expected[0]).count)
    }

    /// The zone index finds exactly the points the k-d tree finds, at radii from a milliarcsecond
    /// to beyond a hemisphere, with positions at the poles and on both sides of RA = 0.
    func testZonesFindWhatTheTreeFinds() throws {
        let left = try columns("sky_left.csv"), right = try columns("sky_right.csv")
        let tree = SkyIndex(ra: right[0], dec: right[1])
        for radius in [0.001, 1.5, 5, 60, 3600, 36_000, 400_000] {
            let zones = SkyZones(ra: right[0], dec: right[1], radius: radius / 3600)
            let chord = AngularSeparation.chord(degrees: radius / 3600)
            for i in stride(from: 0, to: left[0].count, by: radius > 10_000 ? 97 : 1) {
                let q = try XCTUnwrap(AngularSeparation.unitVector(ra: left[0][i], dec: left[1][i]))
                var found: [Int] = []
                zones.visit(ra: left[0][i], dec: left[1][i], q: q, radius: radius / 3600, chord: chord) { p, _, _ in found.append(p) }
                XCTAssertEqual(found.sorted(), tree.within(chord, of: q), "radius \(radius)″, row \(i)")
            }
        }
    }

    func testRadiusModesAndCounts() throws {
        // Left 0 has three candidates (0.5″, 0.56″ and 1″ away), left 1 one across RA = 0, left 2 none;
        // right 3 is the nearest of both left 3 and left 4, and its own nearest is left 4.
        let leftRA = [10.0, 359.99995, 50, 10.0 + 0.7 / 3600, 10.0 + 0.65 / 3600]
        let leftDec = [20.0, 0, -89.5, 20, 20]
        let rightRA = [10.0, 10.0, 0.00005, 10.0 + 0.6 / 3600]
        let rightDec = [20.0 + 1.0 / 3600, 20.0 - 0.5 / 3600, 0, 20]
        func run(_ radius: Double, _ find: SkyMatch.Find) -> SkyMatch.Result {
            SkyMatch.match(leftRA: leftRA, leftDec: leftDec, rightRA: rightRA, rightDec: rightDec, radius: radius, find: find)
        }
        let best = run(1.5, .best)
        XCTAssertEqual(best.pairs.map(\.left), [0, 1, 3, 4])
        XCTAssertEqual(best.pairs.map(\.right), [1, 2, 3, 3])
        XCTAssertEqual(best.pairs[1].separation, 0.36, accuracy: 1e-6) // 0.0001° across RA = 0 on the equator
        XCTAssertEqual(best.matched, 4)
        XCTAssertEqual(best.multiple, 3)
        XCTAssertEqual(best.unmatched, 1)
        XCTAssertEqual(run(1.5, .all).pairs.filter { $0.left == 0 }.map(\.right), [1, 3, 0])
        XCTAssertEqual(run(1.5, .bestEachSide).pairs.map(\.left), [0, 1, 4])
        XCTAssertEqual(run(0.4, .best).pairs.map(\.left), [1, 3, 4])
    }

    func testDuplicateGroupsLinkInChainsAndSkipMissingPositions() {
        let ra = [0.0, 0.0, 0.0, 180, .nan, 359.9999]
        let dec = [90.0, 90 - 1.0 / 3600, 90 - 2.0 / 3600, 0, 0, 0]
        XCTAssertEqual(SkyMatch.groups(ra: ra, dec: dec, radius: 1.2), [[0, 1, 2]])
        XCTAssertEqual(SkyMatch.groups(ra: ra + [0.0001], dec: dec + [0], radius: 1.1), [[0, 1, 2], [5, 6]])
    }

    func testSeparationIsAccurateWhereAcosIsNot() {
        // 1 mas apart: acos(cos θ) loses this entirely in doubles; Vincenty keeps it.
        let s = AngularSeparation.degrees(ra1: 10, dec1: 20, ra2: 10, dec2: 20 + 1e-3 / 3600) * 3600
        XCTAssertEqual(s, 1e-3, accuracy: 1e-9) // the input itself is 20 + 1e-3/3600 rounded to a double
        XCTAssertEqual(AngularSeparation.degrees(ra1: 0, dec1: 0, ra2: 180, dec2: 0), 180, accuracy: 1e-12)
    }
}
