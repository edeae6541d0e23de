import AstrolabePlot
import Foundation

/// Where a table's cutouts come from and how they look: set by the last `image` command on the
/// table, used by `query M N images=yes`.
struct CutoutSpec: Equatable {
    enum Source: Equatable {
        /// A column of paths: FITS (cut at the row's position when it has a WCS) or PNG/JPEG.
        case column(String)
        /// One FITS image with a WCS, cut at each row's position.
        case file(String)
        /// A HiPS survey through hips2fits, by the row's position.
        case survey(String)
    }
    var source: Source
    var fovArcsec = 20.0
    var size = 128
    var stretch = Stretch.asinh
    /// Position columns (degrees); nil: looked up by their usual names.
    var ra: String?
    var dec: String?
}

/// A table's spectral energy distribution: which columns are the fluxes (or magnitudes) of which
/// bands, declared once with `sed` and kept by `save session`.
struct SEDDeclaration: Equatable {
    struct Band: Equatable {
        var column: String
        /// The wavelength in metres, and as written (`354nm`), for the axis unit and the saved line.
        var metres: Double
        var written: String
    }
    var bands: [Band]
    /// Error columns, one per band, or none.
    var errors: [String]
    var unit: SpectralFlux.Unit

    /// The command that declares it again.
    var line: String {
        var line = "sed bands=" + bands.map { "\($0.column):\($0.written)" }.joined(separator: ",")
        if !errors.isEmpty { line += " err=" + errors.joined(separator: ",") }
        return line + " unit=\(unit.rawValue)"
    }
}

/// Cutout and SED settings of the session, per table, and how cutouts are fetched.
struct CutoutState {
    var specs: [String: CutoutSpec] = [:]
    var seds: [String: SEDDeclaration] = [:]
    /// hips2fits server; `ASTROLABE_HIPS2FITS` overrides (a mirror, or a test's loopback server).
    var server = ProcessInfo.processInfo.environment["ASTROLABE_HIPS2FITS"] ?? HiPSCutout.defaultServer
    /// Seconds before a fetch gives up (`ASTROLABE_CUTOUT_TIMEOUT`).
    var timeout = ProcessInfo.processInfo.environment["ASTROLABE_CUTOUT_TIMEOUT"].flatMap(Double.init) ?? 10
    /// The largest answer a fetch keeps (`ASTROLABE_CUTOUT_MAX_BYTES`): a larger one is cancelled
    /// and a grey tile stands in, with a warning.
    var maxBytes = ProcessInfo.processInfo.environment["ASTROLABE_CUTOUT_MAX_BYTES"].flatMap(Int.init).map { max(0, $0) } ?? CutoutState.defaultMaxBytes
    /// 16 MB: twice a 1024×1024 cutout of 64-bit pixels, the largest `size=` asks for.
    static let defaultMaxBytes = 16 << 20
    /// `ASTROLABE_OFFLINE=1`: use the cache only, never the network.
    var offline = ProcessInfo.processInfo.environment["ASTROLABE_OFFLINE"] == "1"
}
