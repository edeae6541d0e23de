#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Angles on the sky, computed the way astropy does (`astropy.coordinates.angular_separation`):
/// Vincenty's formula, accurate at every separation (acos loses all precision near 0, and
/// haversine near 180°).
public enum AngularSeparation {
    /// The separation in degrees between (ra1, dec1) and (ra2, dec2), all in degrees.
    public static func degrees(ra1: Double, dec1: Double, ra2: Double, dec2: Double) -> Double {
        let d2r = Double.pi / 180
        let dra = (ra2 - ra1) * d2r
        let s1 = sin(dec1 * d2r), c1 = cos(dec1 * d2r)
        let s2 = sin(dec2 * d2r), c2 = cos(dec2 * d2r)
        let sdra = sin(dra), cdra = cos(dra)
        let num1 = c2 * sdra
        let num2 = c1 * s2 - s1 * c2 * cdra
        let denominator = s1 * s2 + c1 * c2 * cdra
        return atan2((num1 * num1 + num2 * num2).squareRoot(), denominator) / d2r
    }

    /// The unit vector of (ra, dec) in degrees; nil for a missing or impossible position.
    public static func unitVector(ra: Double, dec: Double) -> SIMD3<Double>? {
        guard ra.isFinite, dec.isFinite, dec >= -90, dec <= 90 else { return nil }
        let d2r = Double.pi / 180
        let c = cos(dec * d2r)
        return SIMD3(c * cos(ra * d2r), c * sin(ra * d2r), sin(dec * d2r))
    }

    /// The straight-line (chord) distance between unit vectors `degrees` apart on the sphere:
    /// comparing chords orders pairs as their angles do, without a trigonometric call per pair.
    public static func chord(degrees: Double) -> Double {
        2 * sin(Swift.min(degrees, 180) * Double.pi / 360)
    }
}
