import AstrolabeData

/// Size, resolution and typography of a figure.
///
/// Sizes of text and lines are in typographic points (1/72 inch) and converted with `dpi`, so a
/// figure rendered at 300 dpi for a journal has the same proportions as the 100 dpi screen version,
/// only sharper — the convention matplotlib users expect.
public struct FigureStyle: Sendable, Equatable {
    /// Image size in pixels.
    public var width: Int
    public var height: Int
    /// Dots per inch: converts points to pixels and goes into the PNG `pHYs` chunk.
    public var dpi: Double
    /// A fontconfig family name.
    public var fontFamily: String
    /// Font sizes in points.
    public var titleSize: Double
    public var labelSize: Double
    public var tickSize: Double

    public init(width: Int = 800, height: Int = 600, dpi: Double = 100, fontFamily: String = "DejaVu Sans",
                titleSize: Double = 12, labelSize: Double = 10, tickSize: Double = 9) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.fontFamily = fontFamily
        self.titleSize = titleSize
        self.labelSize = labelSize
        self.tickSize = tickSize
    }

    /// The largest figure side in pixels: 8000 px is 68 cm at 300 dpi, larger than any journal
    /// page, while a 8000×8000 RGBA image (256 MB) still fits comfortably in memory.
    public static let maxSide = 8000
    /// The smallest side: room for the axes and one line of text.
    public static let minSide = 100

    /// An outside legend adds to the figure instead of taking room from the axes (publication
    /// styles: the plot area keeps the size a journal column was planned for; the figure grows,
    /// as matplotlib's `bbox_inches="tight"` does).
    public var growsForOutsideLegend = false
    /// Set on the enlarged style of that second drawing: the room is there, so a legend placed
    /// `auto` goes outside (where the room is) rather than into a corner of the wider axes.
    var outsideLegendRoomGranted = false

    /// Pixels for `inches` at `dpi`, nil when that is not a whole number of pixels in
    /// `minSide...maxSide` (checked before converting, so 1e308 mm cannot trap).
    public static func pixels(inches: Double, dpi: Double) -> Int? {
        let px = (inches * dpi).rounded()
        guard px.isFinite, px >= Double(minSide), px <= Double(maxSide) else { return nil }
        return Int(px)
    }

    /// A journal figure: single column (88 mm, as A&A, MNRAS and ApJ columns are 84–90 mm) or double
    /// column (180 mm) wide, 3:4 aspect, 300 dpi, 8 pt labels, 7 pt ticks, 9 pt title.
    public static func publication(columns: Int = 1) -> FigureStyle {
        let widthInches = (columns >= 2 ? 180.0 : 88.0) / 25.4
        var style = FigureStyle(width: Int((widthInches * 300).rounded()), height: Int((widthInches * 0.75 * 300).rounded()),
                                dpi: 300, titleSize: 9, labelSize: 8, tickSize: 7)
        style.growsForOutsideLegend = true
        return style
    }

    /// The on-screen default: 800×600 px at 100 dpi.
    public static let screen = FigureStyle()

    /// Sets the size from a physical width and height in inches at the current dpi; throws (naming
    /// the size and the limit) when a side would fall outside `minSide...maxSide` pixels.
    public mutating func setPhysicalSize(widthInches: Double?, heightInches: Double?) throws {
        for (name, inches) in [("width", widthInches), ("height", heightInches)] {
            guard let inches else { continue }
            guard let px = FigureStyle.pixels(inches: inches, dpi: dpi) else {
                throw PlotError(FigureStyle.sizeMessage(name, inches: inches, dpi: dpi))
            }
            if name == "width" { width = px } else { height = px }
        }
    }

    /// "a width of 180 mm at 2400 dpi is 17008 pixels; figures are 100 to 8000 pixels per side: …".
    public static func sizeMessage(_ name: String, inches: Double, dpi: Double) -> String {
        let px = inches * dpi
        let shown = px.isFinite && px < 1e15 ? "\(Int(px.rounded())) pixels" : "more pixels than can be counted"
        return "a \(name) of \(NumberFormatting.short(inches * 25.4)) mm at \(NumberFormatting.short(dpi)) dpi is \(shown); "
            + "figures are \(minSide) to \(maxSide) pixels per side: " + (px > Double(maxSide) ? "lower dpi= or the size" : "give a larger size")
    }

    /// Inches in a length such as `88mm`, `7in`, `8.5cm` or `240pt`; nil when it has no unit.
    public static func inches(_ text: String) -> Double? {
        for (unit, factor) in [("mm", 1 / 25.4), ("cm", 1 / 2.54), ("in", 1.0), ("pt", 1 / 72.0)] where text.hasSuffix(unit) {
            guard let v = Double(text.dropLast(unit.count)), v.isFinite, v > 0 else { return nil }
            return v * factor
        }
        return nil
    }

    /// Pixels for a length in points at this style's dpi.
    public func pixels(points: Double) -> Double { points * dpi / 72 }

    /// Throws unless the style can produce a legible figure.
    public func validate() throws {
        guard (FigureStyle.minSide...FigureStyle.maxSide).contains(width), (FigureStyle.minSide...FigureStyle.maxSide).contains(height) else {
            throw PlotError("figure size \(width)×\(height) pixels must be between \(FigureStyle.minSide) and \(FigureStyle.maxSide) pixels per side")
        }
        guard dpi.isFinite, dpi >= 10, dpi <= 2400 else {
            throw PlotError("dpi must be between 10 and 2400, got \(dpi)")
        }
        for (name, size) in [("title", titleSize), ("label", labelSize), ("tick", tickSize)] {
            guard size.isFinite, size > 0, size <= 144 else {
                throw PlotError("\(name) font size must be between 0 and 144 points, got \(size)")
            }
        }
        guard !fontFamily.isEmpty, !fontFamily.contains("\0") else {
            throw PlotError("font family must be a non-empty name")
        }
    }
}
