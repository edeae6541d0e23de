import AstrolabeData
import Foundation

/// A scatter plot of individual points: the figure for looking at labelled examples.
///
/// Categories use the Okabe–Ito palette with unlabelled rows (code -1) in light grey underneath,
/// so the labels a human gave stand out against the unlabelled mass. Labelled points are drawn in
/// row order (not class by class) so no class systematically hides another. Highlighted rows — the
/// points a model is asking about — are drawn last, ringed.
public struct ScatterPlot: Sendable {
    public enum Coloring: Sendable {
        /// Every point in one colour.
        case single
        /// One class per point: `codes[i]` indexes `names`; -1 means unlabelled.
        case categories(codes: [Int], names: [String])
        /// A value per point, shown with a colormap and a colour bar titled `label`.
        case continuous(values: [Double], label: String)
    }

    public var x: [Double]
    public var y: [Double]
    public var xLabel: String
    public var yLabel: String
    public var title: String?
    public var coloring: Coloring
    /// Row indices drawn on top with a ring.
    public var highlighted: [Int]
    /// Marker diameter in points.
    public var markerSize: Double
    /// Colormap for `.continuous` colouring.
    public var colormap: Colormap
    public var xAxis = AxisOptions()
    public var yAxis = AxisOptions()
    public var legend: LegendPlacement = .auto
    /// Marker opacity.
    public var alpha: Double = 0.8

    public init(x: [Double], y: [Double], xLabel: String, yLabel: String, title: String? = nil,
                coloring: Coloring = .single, highlighted: [Int] = [], markerSize: Double = 4,
                colormap: Colormap = .viridis) {
        self.x = x
        self.y = y
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.title = title
        self.coloring = coloring
        self.highlighted = highlighted
        self.markerSize = markerSize
        self.colormap = colormap
    }

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

    func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
        try style.validate()
        try validate()
        let n = x.count
        // Positions in axis units (log10 on log axes).
        let x = xAxis.transformed(self.x), y = yAxis.transformed(self.y)
        var finite = [Bool](repeating: false, count: n)
        var finiteX: [Double] = [], finiteY: [Double] = []
        for i in 0..<n where x[i].isFinite && y[i].isFinite {
            finite[i] = true
            finiteX.append(x[i]); finiteY.append(y[i])
        }
        guard let xRange = try xAxis.range(finiteX, keep: highlighted.map { x[$0] }),
              let yRange = try yAxis.range(finiteY, keep: highlighted.map { y[$0] }) else {
            throw PlotError("nothing to plot: none of the \(n) points has finite x and y")
        }
        var notes: [String] = []
        let unplottable = xAxis.unplottable(self.x) + yAxis.unplottable(self.y)
        if unplottable > 0 { notes.append("\(unplottable) non-positive values cannot be shown on a log axis") }
        if finiteX.count < n {
            notes.append("\(n - finiteX.count) of \(n) points have NaN or infinite x or y and are not shown")
        }
        let outside = (0..<n).filter { finite[$0] && !(xRange.contains(x[$0]) && yRange.contains(y[$0])) }.count
        if outside > 0 { notes.append("\(outside) points lie outside the axis limits and are not shown") }

        canvas.fill(RGBA(255, 255, 255))
        let radius = max(0.5, style.pixels(points: markerSize) / 2)

        // Legend or colour bar, and the axes that leave room for it.
        var legend: Legend?
        var colorBar: ColorBar?
        var colorLow = 0.0, colorHigh = 1.0
        var reserved = 0.0
        switch coloring {
        case .single:
            break
        case .categories(let codes, let names):
            var entries: [Legend.Entry] = []
            let present = Set(codes.indices.filter { finite[$0] }.map { codes[$0] })
            for (k, name) in names.enumerated() where present.contains(k) {
                entries.append(.init(name: name, color: CategoricalPalette.color(forClass: k),
                                     shape: CategoricalPalette.markerShape(forClass: k)))
            }
            if present.contains(-1) {
                entries.append(.init(name: "unlabelled", color: CategoricalPalette.unlabelled, shape: .circle))
            }
            if !entries.isEmpty, self.legend != .none { legend = Legend(entries: entries) }
        case .continuous(let values, let label):
            let shown = values.indices.filter { finite[$0] && values[$0].isFinite }.map { values[$0] }
            colorLow = shown.min() ?? 0
            colorHigh = shown.max() ?? 1
            let probe = Ticks.labels(for: Ticks.nice(min: colorLow, max: colorHigh, maxTicks: 8))
            let widest = probe.max { canvas.textWidth($0) < canvas.textWidth($1) } ?? "0"
            reserved = ColorBar.width(canvas: canvas, style: style, widestTickLabel: widest)
            colorBar = ColorBar(colormap: colormap, label: label, ticks: [])
        }

        var axes = Axes.layout(canvas: canvas, style: style, xRange: xRange, yRange: yRange,
                               hasTitle: title != nil, reservedRight: reserved, xOptions: xAxis, yOptions: yAxis)
        var legendOrigin: (x: Double, y: Double)?
        var legendGeometry: Legend.Geometry?
        if let legend {
            let g = legend.geometry(canvas: canvas, style: style)
            legendGeometry = g
            if self.legend != .auto, self.legend != .right {
                legendOrigin = self.legend.origin(axes: axes, geometry: g, style: style)
            } else if self.legend == .auto, let corner = emptyCorner(axes: axes, legend: g, x: x, y: y, finite: finite, radius: radius, style: style) {
                legendOrigin = corner
            } else {
                axes = Axes.layout(canvas: canvas, style: style, xRange: xRange, yRange: yRange,
                                   hasTitle: title != nil, reservedRight: g.width + style.pixels(points: 8),
                                   xOptions: xAxis, yOptions: yAxis)
                legendOrigin = (Double(axes.right) + style.pixels(points: 8), Double(axes.top))
            }
        }
        if let bar = colorBar {
            let spacing = style.pixels(points: style.tickSize) * 2.5
            let n = max(2, min(10, Int(Double(axes.height) / spacing)))
            colorBar = ColorBar(colormap: bar.colormap, label: bar.label,
                                ticks: ColorBar.linearTicks(low: colorLow, high: colorHigh, maxTicks: n))
        }

        // Data, clipped to the plot area.
        canvas.clip(x: Double(axes.left), y: Double(axes.top), width: Double(axes.width), height: Double(axes.height))
        let alpha = self.alpha
        switch coloring {
        case .single:
            for i in 0..<n where finite[i] {
                canvas.markerPath(.circle, x: axes.px(x[i]), y: axes.py(y[i]), r: radius)
                canvas.fillCurrentPath(color: CategoricalPalette.color(forClass: 0), alpha: alpha)
            }
        case .categories(let codes, _):
            for i in 0..<n where finite[i] && codes[i] == -1 {
                canvas.markerPath(.circle, x: axes.px(x[i]), y: axes.py(y[i]), r: radius)
                canvas.fillCurrentPath(color: CategoricalPalette.unlabelled, alpha: alpha)
            }
            for i in 0..<n where finite[i] && codes[i] >= 0 {
                canvas.markerPath(CategoricalPalette.markerShape(forClass: codes[i]),
                                  x: axes.px(x[i]), y: axes.py(y[i]), r: radius)
                canvas.fillCurrentPath(color: CategoricalPalette.color(forClass: codes[i]), alpha: alpha)
            }
        case .continuous(let values, _):
            for i in 0..<n where finite[i] && !values[i].isFinite {
                canvas.markerPath(.circle, x: axes.px(x[i]), y: axes.py(y[i]), r: radius)
                canvas.fillCurrentPath(color: CategoricalPalette.unlabelled, alpha: alpha)
            }
            for i in 0..<n where finite[i] && values[i].isFinite {
                let p = colorHigh > colorLow ? (values[i] - colorLow) / (colorHigh - colorLow) : 0.5
                canvas.markerPath(.circle, x: axes.px(x[i]), y: axes.py(y[i]), r: radius)
                canvas.fillCurrentPath(color: colormap.color(at: p), alpha: alpha)
            }
        }
        for i in highlighted where finite[i] {
            let cx = axes.px(x[i]), cy = axes.py(y[i])
            canvas.markerPath(.circle, x: cx, y: cy, r: radius)
            canvas.fillCurrentPath(color: highlightFill(i))
            canvas.ring(x: cx, y: cy, r: radius + style.pixels(points: 2.5), color: RGBA(0, 0, 0),
                        lineWidth: max(1, style.pixels(points: 1.2)))
        }
        let hiddenHighlights = highlighted.filter { !finite[$0] }.count
        if hiddenHighlights > 0 {
            notes.append("\(hiddenHighlights) highlighted points have NaN or infinite x or y and are not shown")
        }
        canvas.resetClip()

        axes.drawDecorations(canvas: canvas, style: style, xLabel: xLabel, yLabel: yLabel, title: title)
        if let legend, let g = legendGeometry, let o = legendOrigin {
            legend.draw(canvas: canvas, style: style, x: o.x, y: o.y, geometry: g)
        }
        colorBar?.draw(canvas: canvas, style: style, axes: axes)
        return notes
    }

    /// The fill of a highlighted point: its own colour, opaque.
    private func highlightFill(_ i: Int) -> RGBA {
        switch coloring {
        case .single: return CategoricalPalette.color(forClass: 0)
        case .categories(let codes, _):
            return codes[i] < 0 ? CategoricalPalette.unlabelled : CategoricalPalette.color(forClass: codes[i])
        case .continuous: return RGBA(255, 255, 255)
        }
    }

    /// A top-left, top-right, bottom-left or bottom-right legend position that covers no point, in
    /// that order of preference; nil when every corner would hide data.
    private func emptyCorner(axes: Axes, legend g: Legend.Geometry, x: [Double], y: [Double], finite: [Bool], radius: Double,
                             style: FigureStyle) -> (x: Double, y: Double)? {
        let inset = style.pixels(points: 5)
        let l = Double(axes.left) + inset, r = Double(axes.right) - inset - g.width
        let t = Double(axes.top) + inset, b = Double(axes.bottom) - inset - g.height
        guard r > l, b > t else { return nil }
        let corners = [(l, t), (r, t), (l, b), (r, b)]
        var covered = [Int](repeating: 0, count: 4)
        for i in x.indices where finite[i] {
            let px = axes.px(x[i]), py = axes.py(y[i])
            for (k, c) in corners.enumerated()
            where px + radius >= c.0 && px - radius <= c.0 + g.width && py + radius >= c.1 && py - radius <= c.1 + g.height {
                covered[k] += 1
            }
        }
        guard let best = covered.indices.first(where: { covered[$0] == 0 }) else { return nil }
        return (corners[best].0, corners[best].1)
    }

    /// Lengths, codes and indices must agree before anything is drawn.
    func validate() throws {
        guard x.count == y.count else {
            throw PlotError("x has \(x.count) values but y has \(y.count); they must be the same length")
        }
        guard !x.isEmpty else { throw PlotError("nothing to plot: there are no points") }
        guard alpha.isFinite, alpha > 0, alpha <= 1 else { throw PlotError("alpha must be in (0, 1], got \(alpha)") }
        guard markerSize.isFinite, markerSize > 0, markerSize <= 72 else {
            throw PlotError("marker size must be between 0 and 72 points, got \(markerSize)")
        }
        switch coloring {
        case .single: break
        case .categories(let codes, let names):
            guard codes.count == x.count else {
                throw PlotError("there are \(codes.count) class codes for \(x.count) points")
            }
            if let bad = codes.first(where: { $0 < -1 || $0 >= names.count }) {
                throw PlotError("class code \(bad) does not name one of the \(names.count) classes (use -1 for unlabelled)")
            }
        case .continuous(let values, _):
            guard values.count == x.count else {
                throw PlotError("there are \(values.count) colour values for \(x.count) points")
            }
        }
        if let bad = highlighted.first(where: { $0 < 0 || $0 >= x.count }) {
            throw PlotError("highlighted row \(bad) is outside 0..<\(x.count)")
        }
    }
}
