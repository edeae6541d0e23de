import AstrolabeData
import AstrolabePlot
import Foundation
import XCTest
@testable import AstrolabeKernel

/// Cutout stretches, WCS pixels, hips2fits URLs and AB-magnitude fluxes against the values
/// astropy and astroquery give (Fixtures/cutouts/references.json, written by make_cutout_references.py).
final class CutoutReferenceTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func references() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cutouts/references.json")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Every stretch of `values` against astropy's at the fixture's indices, and the zscale limits.
    func checkStretches(_ values: [Double], _ reference: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let limits = try XCTUnwrap(reference["zscale_limits"] as? [Double])
        let (low, high) = Stretch.zscaleLimits(values)
        XCTAssertEqual(low, limits[0], accuracy: 1e-9 * abs(limits[0]), file: file, line: line)
        XCTAssertEqual(high, limits[1], accuracy: 1e-9 * abs(limits[1]), file: file, line: line)
        let indices = try XCTUnwrap(reference["indices"] as? [Int])
        for stretch in Stretch.allCases {
            let ours = stretch.apply(values)
            let theirs = try XCTUnwrap(reference[stretch.rawValue] as? [Any])
            for (k, index) in indices.enumerated() {
                if let expected = theirs[k] as? Double {
                    XCTAssertEqual(ours[index], expected, accuracy: 1e-9, "\(stretch) at \(index)", file: file, line: line)
                } else {
                    XCTAssertTrue(ours[index].isNaN, "\(stretch) at \(index) should be NaN", file: file, line: line)
                }
            }
        }
    }

    func testStretchesEqualAstropyVisualizationOnTheM13Image() throws {
        let image = try FITSImage(path: Self.root.appendingPathComponent("Samples/m13.fits").path)
        XCTAssertEqual([image.width, image.height], [300, 300])
        try checkStretches(image.pixels, try XCTUnwrap(references()["m13"] as? [String: Any]))
    }

    func testStretchesEqualAstropyWithNaNsAndOutliers() throws {
        let reference = try XCTUnwrap(references()["synthetic"] as? [String: Any])
        let values = try XCTUnwrap(reference["data"] as? [Any]).map { ($0 as? Double) ?? .nan }
        try checkStretches(values, reference)
    }

    func testWCSPixelOfASkyPositionEqualsAstropyWCS() throws {
        let refs = try references()
        let headers = try XCTUnwrap(refs["headers"] as? [String: String])
        let cases = try XCTUnwrap(refs["wcs"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 10)
        for c in cases {
            let name = try XCTUnwrap(c["header"] as? String)
            let wcs = try XCTUnwrap(SkyWCS(header: try XCTUnwrap(headers[name])), name)
            let ra = try XCTUnwrap(c["ra"] as? Double), dec = try XCTUnwrap(c["dec"] as? Double)
            let pixel = try XCTUnwrap(wcs.pixel(ra: ra, dec: dec))
            XCTAssertEqual(pixel.x, try XCTUnwrap(c["x"] as? Double), accuracy: 1e-6, "\(name) \(ra) \(dec)")
            XCTAssertEqual(pixel.y, try XCTUnwrap(c["y"] as? Double), accuracy: 1e-6, "\(name) \(ra) \(dec)")
        }
    }

    func testAHeaderWithoutCelestialWCSHasNone() {
        let card = { (s: String) in s.padding(toLength: 80, withPad: " ", startingAt: 0) }
        let header = ["SIMPLE  =                    T", "BITPIX  =                  -32", "NAXIS   =                    2",
                      "NAXIS1  =                   10", "NAXIS2  =                   10", "END"].map(card).joined()
        XCTAssertNil(SkyWCS(header: header))
    }

    func testHiPS2FITSURLEqualsAstroquerys() throws {
        for c in try XCTUnwrap(references()["hips2fits"] as? [[String: Any]]) {
            let cutout = HiPSCutout(survey: try XCTUnwrap(c["survey"] as? String), ra: try XCTUnwrap(c["ra"] as? Double),
                                    dec: try XCTUnwrap(c["dec"] as? Double), fovArcsec: try XCTUnwrap(c["fov_arcsec"] as? Double),
                                    size: try XCTUnwrap(c["size"] as? Int))
            XCTAssertEqual(cutout.url(), try XCTUnwrap(c["url"] as? String))
        }
    }

    func testABMagnitudeAndNuFnuEqualAstropyUnits() throws {
        let refs = try references()
        for c in try XCTUnwrap(refs["abmag"] as? [[String: Double]]) {
            let expected = try XCTUnwrap(c["jy"])
            XCTAssertEqual(SpectralFlux.janskys(try XCTUnwrap(c["mag"]), unit: .ABmag), expected, accuracy: 1e-12 * expected)
        }
        for c in try XCTUnwrap(refs["nufnu"] as? [[String: Double]]) {
            let expected = try XCTUnwrap(c["erg_s_cm2"])
            let ours = SpectralFlux.nuFnu(janskys: try XCTUnwrap(c["jy"]), metres: try XCTUnwrap(c["nm"]) * 1e-9)
            XCTAssertEqual(ours, expected, accuracy: 1e-12 * expected)
        }
        XCTAssertEqual(SpectralFlux.janskys(250, unit: .mJy), 0.25)
    }
}
