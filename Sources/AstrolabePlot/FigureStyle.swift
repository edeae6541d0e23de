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

    /// A journal figure: single column (88 mm, as A&A, MNRAS and ApJ columns are 84–90 mm) or double
    /// column (180 mm) wide, 3:4 aspect, 300 dpi, 8 pt labels, 7 pt ticks, 9 pt title.
    public static func publication(columns: Int = 1) -> FigureStyle {
        let widthInches = (columns >= 2 ? 180.0 : 88.0) / 25.4
        return FigureStyle(width: Int((widthInches * 300).rounded()), height: Int((widthInches * 0.75 * 300).rounded()),
                           dpi: 300, titleSize: 9, labelSize: 8, tickSize: 7)
    }

    /// The on-screen default: 800×600 px at 100 dpi.
    public static let screen = FigureStyle()

    /// Sets the size from a physical width and height in inches at the current dpi.
    public mutating func setPhysicalSize(widthInches: Double?, heightInches: Double?) {
        if let w = widthInches { width = Int((w * dpi).rounded()) }
        if let h = heightInches { height = Int((h * dpi).rounded()) }
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
        guard (100...20_000).contains(width), (100...20_000).contains(height) else {
            throw PlotError("figure size \(width)×\(height) must be between 100 and 20000 pixels per side")
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
