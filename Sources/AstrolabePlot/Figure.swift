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
        let canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
        let notes = try draw(on: canvas, style: style)
        return RenderedFigure(image: try canvas.image(), notes: notes)
    }

    /// The same figure as PDF or SVG bytes.
    public func renderVector(_ format: VectorFormat, style: FigureStyle = FigureStyle()) throws -> [UInt8] {
        let canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily,
                                     vector: format, dpi: style.dpi)
        _ = try draw(on: canvas, style: style)
        return try canvas.vectorBytes()
    }
}
