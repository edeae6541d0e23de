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
