import CCairo
import Foundation

/// A drawing surface backed by cairo: antialiased shapes and text on an ARGB32 image.
///
/// Everything cairo-specific lives here so the figure code speaks in points, pixels and `RGBA`.
/// Cairo stores premultiplied alpha in native-endian 32-bit words (BGRA bytes on little-endian
/// machines); `image()` converts back to straight-alpha RGBA bytes.
///
/// Text uses cairo's toy font API through fontconfig, with grey antialiasing and hinting off, so
/// glyph shapes and advances do not depend on screen settings and renders are reproducible.
public final class CairoCanvas {
    let width: Int
    let height: Int
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let fontFamily: String
    /// Vector output collects here (PDF/SVG surfaces write through a callback).
    private let sink: VectorSink?
    /// Room (pixels) an outside legend asked to be added to the figure, in a style that grows for
    /// one (`FigureStyle.growsForOutsideLegend`); read by `Figure.renderFigure` to draw again larger.
    var outsideLegendRoom: (width: Double, height: Double)?

    /// A raster canvas, or with `vector` a PDF/SVG one of the same size in points (pixels × 72/dpi),
    /// so the same drawing code produces the same figure as vectors.
    init(width: Int, height: Int, fontFamily: String, vector: VectorFormat? = nil, dpi: Double = 72) throws {
        guard (1...32_767).contains(width), (1...32_767).contains(height) else {
            throw PlotError("a figure of \(width)×\(height) pixels cannot be drawn: each side must be 1 to 32767 pixels")
        }
        let surfaceOptional: OpaquePointer?
        var vectorSink: VectorSink?
        if let vector {
            let sink = VectorSink()
            vectorSink = sink
            let w = Double(width) * 72 / dpi, h = Double(height) * 72 / dpi
            let closure = Unmanaged.passUnretained(sink).toOpaque()
            switch vector {
            case .pdf: surfaceOptional = cairo_pdf_surface_create_for_stream(vectorWrite, closure, w, h)
            case .svg: surfaceOptional = cairo_svg_surface_create_for_stream(vectorWrite, closure, w, h)
            }
        } else {
            surfaceOptional = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        }
        guard let s = surfaceOptional, cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            throw PlotError("could not create a \(width)×\(height) drawing surface (out of memory?)")
        }
        if vector == .pdf {
            // No creation date: the same figure must give the same bytes.
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Astrolabe")
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "")
        }
        if vector == .svg { cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT) }
        self.sink = vectorSink
        guard let c = cairo_create(s), cairo_status(c) == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(s)
            throw PlotError("could not start drawing (out of memory?)")
        }
        self.width = width
        self.height = height
        self.surface = s
        self.cr = c
        self.fontFamily = fontFamily
        let options = cairo_font_options_create()
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(cr, options)
        cairo_font_options_destroy(options)
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_GRAY)
        if vector != nil { cairo_scale(cr, 72 / dpi, 72 / dpi) }
        setFont(size: 10)
    }

    /// Finishes a vector canvas and returns the PDF/SVG bytes.
    func vectorBytes() throws -> [UInt8] {
        guard let sink else { throw PlotError("not a vector canvas") }
        cairo_surface_finish(surface)
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            throw PlotError("cairo could not write the vector figure")
        }
        return sink.bytes
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    // MARK: Colour and shapes

    func setColor(_ c: RGBA, alpha: Double = 1) {
        cairo_set_source_rgba(cr, Double(c.r) / 255, Double(c.g) / 255, Double(c.b) / 255,
                              Double(c.a) / 255 * alpha)
    }

    func fill(_ c: RGBA) {
        setColor(c)
        cairo_paint(cr)
    }

    func fillRect(x: Double, y: Double, width: Double, height: Double, color: RGBA, alpha: Double = 1) {
        setColor(color, alpha: alpha)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    func strokeRect(x: Double, y: Double, width: Double, height: Double, color: RGBA, lineWidth: Double) {
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_rectangle(cr, x, y, width, height)
        cairo_stroke(cr)
    }

    func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, color: RGBA, lineWidth: Double) {
        setColor(color)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        cairo_move_to(cr, x0, y0)
        cairo_line_to(cr, x1, y1)
        cairo_stroke(cr)
    }

    /// Adds a marker outline of `shape` centred on (x, y) with "radius" r to the current path.
    func markerPath(_ shape: MarkerShape, x: Double, y: Double, r: Double) {
        switch shape {
        case .circle:
            cairo_new_sub_path(cr)
            cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
        case .square:
            let s = r * 0.886 // same area as the circle
            cairo_rectangle(cr, x - s, y - s, 2 * s, 2 * s)
        case .diamond:
            let s = r * 1.25
            cairo_move_to(cr, x, y - s); cairo_line_to(cr, x + s, y)
            cairo_line_to(cr, x, y + s); cairo_line_to(cr, x - s, y); cairo_close_path(cr)
        case .triangle:
            let s = r * 1.35
            cairo_move_to(cr, x, y - s)
            cairo_line_to(cr, x + s * 0.866, y + s * 0.5)
            cairo_line_to(cr, x - s * 0.866, y + s * 0.5)
            cairo_close_path(cr)
        }
    }

    func fillCurrentPath(color: RGBA, alpha: Double = 1) {
        setColor(color, alpha: alpha)
        cairo_fill(cr)
    }

    func strokeCurrentPath(color: RGBA, lineWidth: Double, alpha: Double = 1) {
        setColor(color, alpha: alpha)
        cairo_set_line_width(cr, lineWidth)
        cairo_stroke(cr)
    }

    func ring(x: Double, y: Double, r: Double, color: RGBA, lineWidth: Double) {
        cairo_new_path(cr)
        cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
        strokeCurrentPath(color: color, lineWidth: lineWidth)
    }

    /// Restricts drawing to a rectangle until `resetClip()`.
    func clip(x: Double, y: Double, width: Double, height: Double) {
        cairo_new_path(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
    }

    /// Back to the whole canvas, or to the panel of a multi-panel figure being drawn.
    func resetClip() {
        cairo_reset_clip(cr)
        if let r = panelClip {
            cairo_new_path(cr)
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            cairo_clip(cr)
        }
    }

    /// While a panel of a grid is drawn: its rectangle in canvas pixels (before `translate`).
    private var panelClip: (x: Double, y: Double, width: Double, height: Double)?

    /// Draws `body` into the rectangle at (x, y) as if it were a canvas of its own: the origin moves
    /// there and nothing (not even `fill`) reaches outside it.
    func inPanel(x: Double, y: Double, width: Double, height: Double, _ body: () throws -> Void) rethrows {
        cairo_save(cr)
        cairo_translate(cr, x, y)
        panelClip = (0, 0, width, height)
        resetClip()
        defer {
            panelClip = nil
            cairo_restore(cr)
        }
        try body()
    }

    /// Strokes connected line segments; a nil point breaks the line (missing values, curve gaps).
    func polyline(_ points: [(Double, Double)?], color: RGBA, lineWidth: Double, dash: LineDash = .solid, alpha: Double = 1) {
        cairo_new_path(cr)
        var open = false
        for p in points {
            guard let (x, y) = p else { open = false; continue }
            if open { cairo_line_to(cr, x, y) } else { cairo_move_to(cr, x, y); open = true }
        }
        let pattern = dash.pattern.map { $0 * lineWidth }
        pattern.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        strokeCurrentPath(color: color, lineWidth: lineWidth, alpha: alpha)
        cairo_set_dash(cr, nil, 0, 0)
    }

    /// A rectangle in canvas units.
    struct Rect { var x, y, width, height: Double }

    /// Fills the union of `rects` as one path (non-zero winding: overlaps and shared edges leave no seams).
    func fillRects(_ rects: [Rect], color: RGBA, alpha: Double = 1) {
        guard !rects.isEmpty else { return }
        cairo_new_path(cr)
        for r in rects { cairo_rectangle(cr, r.x, r.y, r.width, r.height) }
        fillCurrentPath(color: color, alpha: alpha)
    }

    /// Fills the polygon through `points` (closed automatically).
    func fillPolygon(_ points: [(Double, Double)], color: RGBA, alpha: Double = 1) {
        guard let first = points.first else { return }
        cairo_new_path(cr)
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_close_path(cr)
        fillCurrentPath(color: color, alpha: alpha)
    }

    // MARK: Text

    /// When set, every string drawn is appended (tests check what text a figure writes, and how often).
    var textLog: [String]?

    enum HAlign { case left, center, right }
    enum VAlign { case top, middle, baseline, bottom }

    func setFont(size px: Double, bold: Bool = false) {
        cairo_select_font_face(cr, fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, px)
    }

    /// Ascent and descent of the current font (the same for every string, so labels line up).
    func fontMetrics() -> (ascent: Double, descent: Double) {
        var e = cairo_font_extents_t()
        cairo_font_extents(cr, &e)
        return (e.ascent, e.descent)
    }

    /// Advance width of `s` in the current font.
    func textWidth(_ s: String) -> Double {
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, s, &e)
        return e.x_advance
    }

    /// Line height used for layout: ascent + descent.
    func lineHeight() -> Double {
        let m = fontMetrics()
        return m.ascent + m.descent
    }

    /// Draws `s` anchored at (x, y); `vertical` rotates it 90° anticlockwise (reading upwards), with
    /// the anchors then relative to the rotated text.
    func text(_ s: String, x: Double, y: Double, h: HAlign = .left, v: VAlign = .baseline,
              color: RGBA = RGBA(0, 0, 0), vertical: Bool = false) {
        textLog?.append(s)
        let w = textWidth(s)
        let m = fontMetrics()
        let dx: Double = h == .left ? 0 : (h == .center ? -w / 2 : -w)
        let dy: Double
        switch v {
        case .top: dy = m.ascent
        case .middle: dy = (m.ascent - m.descent) / 2
        case .baseline: dy = 0
        case .bottom: dy = -m.descent
        }
        setColor(color)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        if vertical { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, dx, dy)
        cairo_show_text(cr, s)
        cairo_restore(cr)
    }

    // MARK: Images

    /// Composites `image` with its top-left corner at integer pixel (x, y), scaled by `scale`
    /// with nearest-neighbour sampling so that each data pixel stays one exact colour.
    func drawImage(_ image: RGBAImage, x: Int, y: Int, scaleX: Double = 1, scaleY: Double = 1) {
        guard let src = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.width), Int32(image.height)),
              cairo_surface_status(src) == CAIRO_STATUS_SUCCESS else { return }
        defer { cairo_surface_destroy(src) }
        cairo_surface_flush(src)
        let stride = Int(cairo_image_surface_get_stride(src))
        guard let data = cairo_image_surface_get_data(src) else { return }
        image.pixels.withUnsafeBufferPointer { p in
            for row in 0..<image.height {
                let dst = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
                for col in 0..<image.width {
                    let i = (row * image.width + col) * 4
                    let a = UInt32(p[i + 3])
                    let r = (UInt32(p[i]) * a + 127) / 255
                    let g = (UInt32(p[i + 1]) * a + 127) / 255
                    let b = (UInt32(p[i + 2]) * a + 127) / 255
                    dst[col] = (a << 24) | (r << 16) | (g << 8) | b
                }
            }
        }
        cairo_surface_mark_dirty(src)
        // Vector files embed the image; nearest filtering keeps each data pixel one exact colour.
        cairo_save(cr)
        cairo_translate(cr, Double(x), Double(y))
        cairo_scale(cr, scaleX, scaleY)
        cairo_set_source_surface(cr, src, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_rectangle(cr, 0, 0, Double(image.width), Double(image.height))
        cairo_fill(cr)
        cairo_restore(cr)
    }

    /// The drawing as straight-alpha RGBA bytes.
    func image() throws -> RGBAImage {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else {
            throw PlotError("drawing surface has no pixels")
        }
        var out = [UInt8](repeating: 0, count: width * height * 4)
        out.withUnsafeMutableBufferPointer { o in
            for row in 0..<height {
                let src = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
                for col in 0..<width {
                    let v = src[col]
                    let a = v >> 24
                    var r = (v >> 16) & 0xFF, g = (v >> 8) & 0xFF, b = v & 0xFF
                    if a != 0 && a != 255 {
                        r = min(255, (r * 255 + a / 2) / a)
                        g = min(255, (g * 255 + a / 2) / a)
                        b = min(255, (b * 255 + a / 2) / a)
                    }
                    let i = (row * width + col) * 4
                    o[i] = UInt8(r); o[i + 1] = UInt8(g); o[i + 2] = UInt8(b); o[i + 3] = UInt8(a)
                }
            }
        }
        return try RGBAImage(width: width, height: height, pixels: out)
    }
}

/// How a line is drawn: dash lengths in multiples of the line width (matplotlib's proportions).
public enum LineDash: String, Sendable, CaseIterable {
    case solid, dashed, dotted, dashdot

    var pattern: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [3.7, 1.6]
        case .dotted: return [1, 1.65]
        case .dashdot: return [6.4, 1.6, 1, 1.6]
        }
    }
}

/// Output formats drawn as vectors by cairo.
public enum VectorFormat: String, Sendable, CaseIterable {
    case pdf, svg
}

/// Collects the bytes a cairo vector surface writes.
private final class VectorSink {
    var bytes: [UInt8] = []
}

private let vectorWrite: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, UInt32) -> cairo_status_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<VectorSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}
