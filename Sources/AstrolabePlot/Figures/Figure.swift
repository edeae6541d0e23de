/// Every kind of figure has the same shape: it draws itself onto a canvas, and rendering that
/// drawing to pixels (for libpng) or to PDF/SVG vectors (cairo) is shared here, once.
///
/// `CairoCanvas` is public only as a type name: its members stay internal, so figures are drawn
/// by this module alone.
public protocol Figure: Sendable {
    /// Draws the whole figure, returning notes for the user (points skipped, values clipped...).
    func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String]
}

extension Figure {
    public func render(style: FigureStyle = FigureStyle()) throws -> RGBAImage {
        try renderFigure(style: style).image
    }

    public func renderFigure(style: FigureStyle = FigureStyle()) throws -> RenderedFigure {
        var canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
        var notes = try draw(on: canvas, style: style)
        if let grown = grownStyle(style, after: canvas) {
            canvas = try CairoCanvas(width: grown.width, height: grown.height, fontFamily: grown.fontFamily)
            notes = try draw(on: canvas, style: grown)
        }
        return RenderedFigure(image: try canvas.image(), notes: notes)
    }

    /// The same figure as PDF or SVG bytes.
    public func renderVector(_ format: VectorFormat, style: FigureStyle = FigureStyle()) throws -> [UInt8] {
        var final = style
        if style.growsForOutsideLegend {
            // Measure on a raster canvas whether an outside legend makes the figure larger.
            let probe = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
            _ = try draw(on: probe, style: style)
            final = grownStyle(style, after: probe) ?? style
        }
        let canvas = try CairoCanvas(width: final.width, height: final.height, fontFamily: final.fontFamily,
                                     vector: format, dpi: final.dpi)
        _ = try draw(on: canvas, style: final)
        return try canvas.vectorBytes()
    }

    /// The style enlarged by the room an outside legend asked for while drawing on `canvas`, so the
    /// axes keep their size; nil when nothing asked or the larger figure would pass
    /// `FigureStyle.maxSide` (then the legend takes its room from the axes, as in other styles).
    func grownStyle(_ style: FigureStyle, after canvas: CairoCanvas) -> FigureStyle? {
        guard style.growsForOutsideLegend, let room = canvas.outsideLegendRoom else { return nil }
        var grown = style
        grown.width += Int(room.width.rounded(.up))
        grown.height += Int(room.height.rounded(.up))
        grown.growsForOutsideLegend = false
        grown.outsideLegendRoomGranted = true
        guard grown.width <= FigureStyle.maxSide, grown.height <= FigureStyle.maxSide else { return nil }
        return grown
    }
}
