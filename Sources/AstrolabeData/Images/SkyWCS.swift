import CWCS
import Foundation

/// The celestial world coordinate system of an image header, through wcslib (the library
/// astropy.wcs wraps): sky position ↔ pixel. Pixels here are 0-based, as astropy's
/// `world_to_pixel` / `all_world2pix(..., 0)` give them.
public final class SkyWCS: @unchecked Sendable {
    private var wcs: UnsafeMutablePointer<wcsprm>?
    private var count: Int32 = 0

    /// nil when the header has no celestial WCS (a plain PNG-like image: cut by pixels instead).
    public init?(header: String) {
        var cards = Array(header.utf8CString)
        var rejected: Int32 = 0
        let keys = Int32(header.utf8.count / 80)
        let status = cards.withUnsafeMutableBufferPointer {
            wcspih($0.baseAddress, keys, WCSHDR_all, 0, &rejected, &count, &wcs)
        }
        guard status == 0, count > 0, let wcs else { return nil }
        var fixStatus = [Int32](repeating: 0, count: Int(NWCSFIX))
        // astropy.wcs.WCS(header) runs wcsfix with ctrl 0 (no unsafe unit translations): the same fixes here.
        _ = wcsfix(0, nil, wcs, &fixStatus)
        guard wcsset(wcs) == 0, wcs.pointee.lng >= 0, wcs.pointee.lat >= 0, wcs.pointee.naxis == 2 else { return nil }
    }

    deinit { if wcs != nil { wcsvfree(&count, &wcs) } }

    /// The 0-based pixel (x, y) of a sky position in degrees, or nil when it has none (behind the projection).
    public func pixel(ra: Double, dec: Double) -> (x: Double, y: Double)? {
        guard let wcs else { return nil }
        var world = [0.0, 0.0]
        world[Int(wcs.pointee.lng)] = ra
        world[Int(wcs.pointee.lat)] = dec
        var phi = 0.0, theta = 0.0
        var image = [0.0, 0.0], pixel = [0.0, 0.0]
        var stat: Int32 = 0
        guard wcss2p(wcs, 1, 2, world, &phi, &theta, &image, &pixel, &stat) == 0, pixel[0].isFinite, pixel[1].isFinite else { return nil }
        return (pixel[0] - 1, pixel[1] - 1)
    }

    /// The sky position (degrees) of a 0-based pixel.
    public func sky(x: Double, y: Double) -> (ra: Double, dec: Double)? {
        guard let wcs else { return nil }
        var pixel = [x + 1, y + 1]
        var image = [0.0, 0.0], world = [0.0, 0.0]
        var phi = 0.0, theta = 0.0
        var stat: Int32 = 0
        guard wcsp2s(wcs, 1, 2, &pixel, &image, &phi, &theta, &world, &stat) == 0 else { return nil }
        return (world[Int(wcs.pointee.lng)], world[Int(wcs.pointee.lat)])
    }

    /// The size of a pixel on the sky at (x, y), in arcseconds (the geometric mean of its two sides).
    public func pixelScale(x: Double, y: Double) -> Double? {
        guard let centre = sky(x: x, y: y), let right = sky(x: x + 1, y: y), let up = sky(x: x, y: y + 1) else { return nil }
        let scale = (Self.separation(centre, right) * Self.separation(centre, up)).squareRoot() * 3600
        return scale.isFinite && scale > 0 ? scale : nil
    }

    /// Angular separation in degrees (Vincenty's formula, as astropy's `separation`).
    public static func separation(_ a: (ra: Double, dec: Double), _ b: (ra: Double, dec: Double)) -> Double {
        let d = Double.pi / 180
        let dl = (b.ra - a.ra) * d, s1 = sin(a.dec * d), c1 = cos(a.dec * d), s2 = sin(b.dec * d), c2 = cos(b.dec * d)
        let num1 = c2 * sin(dl), num2 = c1 * s2 - s1 * c2 * cos(dl)
        return atan2((num1 * num1 + num2 * num2).squareRoot(), s1 * s2 + c1 * c2 * cos(dl)) / d
    }
}
