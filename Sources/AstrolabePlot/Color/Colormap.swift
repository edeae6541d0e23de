/// A continuous colour scale: 256 colours from low to high.
///
/// The tables are matplotlib's published ones (see ColormapTables.swift), because readers compare
/// our figures with matplotlib/datashader figures and perceptual uniformity only holds for the real
/// values. Lookup interpolates linearly between entries and truncates to 8 bits, exactly as
/// datashader's `shade` does with a list of colours.
public struct Colormap: Sendable, Equatable {
    public let name: String
    /// `0xRRGGBB` entries, low to high.
    public let table: [UInt32]

    public init(name: String, table: [UInt32]) throws {
        guard table.count >= 2 else { throw PlotError("colormap \(name) needs at least 2 colours") }
        self.name = name
        self.table = table
    }

    private init(builtin name: String, _ table: [UInt32]) {
        self.name = name
        self.table = table
    }

    public static let viridis = Colormap(builtin: "viridis", viridisTable)
    public static let inferno = Colormap(builtin: "inferno", infernoTable)
    public static let magma = Colormap(builtin: "magma", magmaTable)
    public static let plasma = Colormap(builtin: "plasma", plasmaTable)
    public static let cividis = Colormap(builtin: "cividis", cividisTable)
    public static let grey = Colormap(builtin: "grey", greyTable)
    /// Diverging (blue–white–red), for signed quantities such as residuals.
    public static let coolwarm = Colormap(builtin: "coolwarm", coolwarmTable)

    /// Sequential light-to-dark blue (matplotlib `Blues`): counts in a table, e.g. confusion matrices.
    public static let blues = Colormap(builtin: "blues", bluesTable)

    /// Every built-in colormap, for name lookup and for error messages listing the choices.
    public static let builtIn: [Colormap] = [.viridis, .inferno, .magma, .plasma, .cividis, .grey, .coolwarm, .blues]

    /// The built-in colormap with this name (`gray` is accepted for `grey`), or nil.
    public static func named(_ name: String) -> Colormap? {
        let n = name.lowercased() == "gray" ? "grey" : name.lowercased()
        return builtIn.first { $0.name == n }
    }

    /// Entry `i` of the table as an opaque colour.
    public func entry(_ i: Int) -> RGBA { RGBA(hex: table[i]) }

    /// The colour at `position` in [0, 1] (clamped; NaN gives the low end).
    ///
    /// Linear interpolation per channel between neighbouring entries, truncated to an integer like
    /// datashader's `np.interp(...).astype(np.uint8)`.
    public func color(at position: Double) -> RGBA {
        let last = table.count - 1
        guard position.isFinite, position > 0 else { return entry(0) }
        if position >= 1 { return entry(last) }
        let p = position * Double(last)
        let i = min(Int(p), last - 1)
        let f = p - Double(i)
        let lo = table[i], hi = table[i + 1]
        @inline(__always) func channel(_ shift: UInt32) -> UInt8 {
            let a = Double((lo >> shift) & 0xFF), b = Double((hi >> shift) & 0xFF)
            return UInt8(a + (b - a) * f)
        }
        return RGBA(channel(16), channel(8), channel(0))
    }
}
