import AstrolabeData
import Foundation

/// A scatter plot of individual points: the figure for looking at labelled examples.
///
/// Categories use the Okabe–Ito palette with unlabelled rows (code -1) in light grey underneath,
/// so the labels a human gave stand out against the unlabelled mass. Labelled points are drawn in
/// row order (not class by class) so no class systematically hides another. Highlighted rows — the
/// points a model is asking about — are drawn last, ringed.
public struct ScatterPlot: Figure {
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
    /// Legend entry for the ringed points (e.g. "queried"); none when nil.
    public var highlightName: String?
    /// Marker diameter in points.
    public var markerSize: Double
    /// Colormap for `.continuous` colouring.
    public var colormap: Colormap
    public var xAxis = AxisOptions()
    public var yAxis = AxisOptions()
    public var legend: LegendPlacement = .auto
    /// Marker opacity.
    public var alpha: Double = 0.8
    /// Colours of the classes of `.categories`, in class order (default Okabe–Ito).
    public var classColors: [RGBA]?
    /// Error bars in x and y: distances below and above each point (NaN: no bar).
    public var xError: ErrorBars?
    public var yError: ErrorBars?
    /// Join each category's points, in the order given, with a thin line of its colour (an SED's
    /// bands); points with NaN or infinite x or y break the line.
    public var connectCategories = false
    /// Reference curves and regions drawn over the points.
    public var overlays: [ReferenceOverlay] = []

    /// Lengths of error bars on either side of each point, in data units (≥ 0; NaN draws none).
    public struct ErrorBars: Sendable {
        public var lower: [Double]
        public var upper: [Double]
        public init(lower: [Double], upper: [Double]) { self.lower = lower; self.upper = upper }
        public init(symmetric: [Double]) { self.init(lower: symmetric, upper: symmetric) }
    }

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

    public func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
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
        guard !finiteX.isEmpty else { throw PlotError("nothing to plot: none of the \(n) points has finite x and y") }
        let (xEnds, yEnds) = errorBarEnds(finite: finite)
        guard let xRange = try xAxis.range(finiteX + xEnds.flatMap { [$0.0, $0.1] }.filter(\.isFinite), keep: highlighted.map { x[$0] }, axis: "x"),
              let yRange = try yAxis.range(finiteY + yEnds.flatMap { [$0.0, $0.1] }.filter(\.isFinite), keep: highlighted.map { y[$0] }, axis: "y") else {
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
                entries.append(.init(name: name, color: PlotCommon.classColor(k, custom: classColors),
                                     shape: CategoricalPalette.markerShape(forClass: k)))
            }
            if present.contains(-1) {
                entries.append(.init(name: "unlabelled", color: CategoricalPalette.unlabelled, shape: .circle))
            }
            if let note = Legend.Entry.repeatNote(classCount: names.count) { entries.append(note) }
            legend = Legend(entries: entries)
        case .continuous(let values, let label):
            let shown = values.indices.filter { finite[$0] && values[$0].isFinite }.map { values[$0] }
            colorLow = shown.min() ?? 0
            colorHigh = shown.max() ?? 1
            let probe = Ticks.labels(for: Ticks.nice(min: colorLow, max: colorHigh, maxTicks: 8))
            let widest = probe.max { canvas.textWidth($0) < canvas.textWidth($1) } ?? "0"
            reserved = ColorBar.width(canvas: canvas, style: style, widestTickLabel: widest)
            colorBar = ColorBar(colormap: colormap, label: label, ticks: [])
        }

        if let highlightName, highlighted.contains(where: { finite[$0] }) {
            legend = Legend(entries: (legend?.entries ?? []) + [.init(name: highlightName, color: RGBA(0, 0, 0), swatch: .ring)])
        }
        let overlayEntries = overlays.compactMap(\.legendEntry)
        if !overlayEntries.isEmpty { legend = Legend(entries: (legend?.entries ?? []) + overlayEntries) }
        let (axes, legendOrigin, legendGeometry) = Legend.layout(
            legend, placement: self.legend, canvas: canvas, style: style, xRange: xRange, yRange: yRange, hasTitle: title != nil,
            reservedRight: reserved, xOptions: xAxis, yOptions: yAxis) { axes, g in
            emptyCorner(axes: axes, legend: g, x: x, y: y, finite: finite, radius: radius, style: style)
        }
        if let bar = colorBar {
            let spacing = style.pixels(points: style.tickSize) * 2.5
            let n = max(2, min(10, Int(Double(axes.height) / spacing)))
            colorBar = ColorBar(colormap: bar.colormap, label: bar.label,
                                ticks: ColorBar.linearTicks(low: colorLow, high: colorHigh, maxTicks: n))
        }

        // Data, clipped to the plot area: error bars under the markers.
        canvas.clip(x: Double(axes.left), y: Double(axes.top), width: Double(axes.width), height: Double(axes.height))
        drawErrorBars(canvas: canvas, axes: axes, style: style, x: x, y: y, xEnds: xEnds, yEnds: yEnds, finite: finite)
        if connectCategories { drawConnections(canvas: canvas, axes: axes, style: style, x: x, y: y, finite: finite) }
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
                canvas.fillCurrentPath(color: PlotCommon.classColor(codes[i], custom: classColors), alpha: alpha)
            }
        case .continuous(let values, _):
            for i in 0..<n where finite[i] && !values[i].isFinite {
                canvas.markerPath(.circle, x: axes.px(x[i]), y: axes.py(y[i]), r: radius)
                canvas.fillCurrentPath(color: CategoricalPalette.unlabelled, alpha: alpha)
            }
            for i in 0..<n where finite[i] && values[i].isFinite {
                let p = colorHigh > colorLow ? SafeArithmetic.fraction(values[i], colorLow, colorHigh) : 0.5
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
        try PlotCommon.drawOverlays(overlays, canvas: canvas, axes: axes, xAxis: xAxis, yAxis: yAxis, style: style)

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
            return PlotCommon.classColor(codes[i], custom: classColors)
        case .continuous: return RGBA(255, 255, 255)
        }
    }

    /// Axis ranges (axis units) this plot would show, for panels that share an axis.
    public func dataRanges() throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        try validate()
        let x = xAxis.transformed(self.x), y = yAxis.transformed(self.y)
        let finite = x.indices.map { x[$0].isFinite && y[$0].isFinite }
        let (xEnds, yEnds) = errorBarEnds(finite: finite)
        let fx = x.indices.filter { finite[$0] }.map { x[$0] }, fy = y.indices.filter { finite[$0] }.map { y[$0] }
        guard !fx.isEmpty, let xr = try xAxis.range(fx + xEnds.flatMap { [$0.0, $0.1] }.filter(\.isFinite), keep: highlighted.map { x[$0] }, axis: "x"),
              let yr = try yAxis.range(fy + yEnds.flatMap { [$0.0, $0.1] }.filter(\.isFinite), keep: highlighted.map { y[$0] }, axis: "y") else {
            throw PlotError("nothing to plot: none of the \(x.count) points has finite x and y")
        }
        return (xr, yr)
    }

    /// Ends of each point's error bars in axis units ((NaN, NaN) for none): x − lower … x + upper.
    func errorBarEnds(finite: [Bool]) -> (x: [(Double, Double)], y: [(Double, Double)]) {
        func ends(_ bars: ErrorBars?, _ values: [Double], _ axis: AxisOptions) -> [(Double, Double)] {
            guard let bars else { return [] }
            return values.indices.map { i in
                let lo = bars.lower[i], hi = bars.upper[i], v = values[i]
                guard finite[i], lo.isFinite || hi.isFinite else { return (.nan, .nan) }
                var a = v - (lo.isFinite ? max(0, lo) : 0), b = v + (hi.isFinite ? max(0, hi) : 0)
                if axis.log { a = a > 0 ? log10(a) : -.infinity; b = b > 0 ? log10(b) : .nan }
                return (a, b)
            }
        }
        return (ends(xError, self.x, xAxis), ends(yError, self.y, yAxis))
    }

    /// Thin lines through each category's points in the order given (under the markers).
    private func drawConnections(canvas: CairoCanvas, axes: Axes, style: FigureStyle, x: [Double], y: [Double], finite: [Bool]) {
        guard case .categories(let codes, _) = coloring else { return }
        let lw = max(1, style.pixels(points: 0.8))
        var runs: [Int: [(Double, Double)]] = [:]
        func flush(_ code: Int) {
            if let run = runs[code], run.count > 1 {
                canvas.polyline(run, color: PlotCommon.classColor(code, custom: classColors), lineWidth: lw, alpha: alpha)
            }
            runs[code] = nil
        }
        for i in x.indices where codes[i] >= 0 {
            guard finite[i] else { flush(codes[i]); continue }
            runs[codes[i], default: []].append((axes.px(x[i]), axes.py(y[i])))
        }
        for code in runs.keys.sorted() { flush(code) }
    }

    /// Error bars as lines with short caps, in each point's colour at the marker opacity.
    private func drawErrorBars(canvas: CairoCanvas, axes: Axes, style: FigureStyle, x: [Double], y: [Double],
                               xEnds: [(Double, Double)], yEnds: [(Double, Double)], finite: [Bool]) {
        guard !xEnds.isEmpty || !yEnds.isEmpty else { return }
        let lw = max(1, style.pixels(points: 0.8)), cap = style.pixels(points: 2)
        // A bar to a non-positive value on a log axis runs to the edge of the plot.
        func clampX(_ v: Double) -> Double { v == -.infinity ? Double(xAxis.inverted ? axes.right : axes.left) : axes.px(v) }
        func clampY(_ v: Double) -> Double { v == -.infinity ? Double(yAxis.inverted ? axes.top : axes.bottom) : axes.py(v) }
        for i in x.indices where finite[i] {
            let color = highlightFill(i) == RGBA(255, 255, 255) ? RGBA(0x55, 0x55, 0x55) : highlightFill(i)
            let cx = axes.px(x[i]), cy = axes.py(y[i])
            if i < xEnds.count, !xEnds[i].0.isNaN {
                let a = clampX(xEnds[i].0), b = clampX(xEnds[i].1.isNaN ? x[i] : xEnds[i].1)
                canvas.polyline([(a, cy), (b, cy)], color: color, lineWidth: lw, alpha: alpha)
                canvas.polyline([(a, cy - cap), (a, cy + cap)], color: color, lineWidth: lw, alpha: alpha)
                canvas.polyline([(b, cy - cap), (b, cy + cap)], color: color, lineWidth: lw, alpha: alpha)
            }
            if i < yEnds.count, !yEnds[i].0.isNaN {
                let a = clampY(yEnds[i].0), b = clampY(yEnds[i].1.isNaN ? y[i] : yEnds[i].1)
                canvas.polyline([(cx, a), (cx, b)], color: color, lineWidth: lw, alpha: alpha)
                canvas.polyline([(cx - cap, a), (cx + cap, a)], color: color, lineWidth: lw, alpha: alpha)
                canvas.polyline([(cx - cap, b), (cx + cap, b)], color: color, lineWidth: lw, alpha: alpha)
            }
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
        for bars in [xError, yError].compactMap({ $0 }) where bars.lower.count != x.count || bars.upper.count != x.count {
            throw PlotError("there are \(bars.lower.count) error bar lengths for \(x.count) points")
        }
        if let bad = highlighted.first(where: { $0 < 0 || $0 >= x.count }) {
            throw PlotError("highlighted row \(bad) is outside 0..<\(x.count)")
        }
    }
}

extension ScatterPlot: XYAxesFigure {
    public var axisTitles: (x: String, y: String)? { (xLabel, yLabel) }
}
