import Foundation

/// Flux densities of SED points: magnitudes and janskys to f_ν in Jy, and ν f_ν, with the
/// constants astropy.units uses (AB zero point 48.60 in erg s⁻¹ cm⁻² Hz⁻¹, c = 299792458 m/s).
enum SpectralFlux {
    enum Unit: String, CaseIterable {
        case ABmag, Jy, mJy
    }

    static let speedOfLight = 299_792_458.0
    /// 1 Jy in erg s⁻¹ cm⁻² Hz⁻¹.
    static let janskyCGS = 1e-23

    /// f_ν in janskys of a value in `unit`.
    static func janskys(_ value: Double, unit: Unit) -> Double {
        switch unit {
        case .ABmag: return pow(10, -0.4 * (value + 48.6)) / janskyCGS
        case .Jy: return value
        case .mJy: return value / 1000
        }
    }

    /// The flux range one error either side spans, in janskys: for magnitudes the exact
    /// asymmetric interval (m + σ is the fainter end), not the linearised one.
    static func janskyInterval(_ value: Double, error: Double, unit: Unit) -> (low: Double, high: Double) {
        switch unit {
        case .ABmag: return (janskys(value + error, unit: unit), janskys(value - error, unit: unit))
        case .Jy, .mJy: return (janskys(value - error, unit: unit), janskys(value + error, unit: unit))
        }
    }

    /// ν f_ν in erg s⁻¹ cm⁻² of f_ν in Jy at a wavelength in metres.
    static func nuFnu(janskys: Double, metres: Double) -> Double {
        janskys * janskyCGS * (speedOfLight / metres)
    }

    /// Wavelength units `sed bands=` takes, in metres.
    static let wavelengthUnits: [(String, Double)] = [("Angstrom", 1e-10), ("nm", 1e-9), ("um", 1e-6), ("mm", 1e-3),
                                                      ("cm", 1e-2), ("A", 1e-10), ("m", 1)]

    /// `354nm`, `1.25um`, `3540A`: the wavelength in metres, and the unit as written (nil: not a wavelength).
    static func wavelength(_ text: String) -> (metres: Double, unit: String)? {
        for (unit, scale) in wavelengthUnits where text.hasSuffix(unit) {
            guard let value = Double(text.dropLast(unit.count)), value > 0, value.isFinite else { return nil }
            return (value * scale, unit)
        }
        return nil
    }
}
