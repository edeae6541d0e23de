import AstrolabeData
import Foundation

/// A histogram of one column, optionally one per class — overlaid (translucent fills with solid
/// outlines, so every class stays readable where they overlap) or stacked.
///
/// Bins follow numpy (`HistogramBins`) and are shared by all classes, computed from the pooled
/// finite values, so classes are compared bin for bin. With `density` each overlaid class is
/// normalised to unit area on its own (the shapes are compared, as matplotlib's `density=True`
/// does per dataset); stacked classes are normalised by the total, so the stack has unit area and
/// each layer shows its share. On a log x axis the bins are even in log10.
public struct HistogramPlot: Figure {
    public enum Mode: String, Sendable, CaseIterable { case overlay, stack }

    public var values: [Double]
    /// Class of each value (-1: unlabelled, drawn grey); nil: one histogram.
    public var codes: [Int]?
    public var names: [String]
    public var colors: [RGBA]?
    public var bins: HistogramBins.Rule
    public var mode: Mode
    public var density: Bool
    public var xLabel: String
    public var title: String?
    /// The y-axis title; nil: "count per bin", or "probability density" when density-normalised.
    public var yLabel: String?
    public var xAxis = AxisOptions()
    public var yAxis = AxisOptions()
    public var legend: LegendPlacement = .auto
    public var overlays: [ReferenceOverlay] = []

    public init(values: [Double], xLabel: String, title: String? = nil, codes: [Int]? = nil, names: [String] = [],
                colors: [RGBA]? = nil, bins: HistogramBins.Rule = .auto, mode: Mode = .overlay, density: Bool = false) {
        self.values = values
        self.xLabel = xLabel
        self.title = title
        self.codes = codes
        self.names = names
        self.colors = colors
        self.bins = bins
        self.mode = mode
        self.density = density
    }

    /// One histogram layer: a class (or everything) and its bar heights.
    struct Layer {
        let code: Int
        let name: String
        let heights: [Double]
    }

    /// The bins and per-layer heights (before stacking), and the values that could not be counted.
    func layers() throws -> (bins: HistogramBins, layers: [Layer], skipped: Int, clipped: Int) {
        var u = xAxis.transformed(values)
        // clip=Nσ bins only the values within mean ± Nσ (of log10 on a log axis).
        var clipped = 0
        if xAxis.limits == nil, xAxis.clipSigma != nil, let kept = try xAxis.range(u, axis: "x") {
            for i in u.indices where u[i].isFinite && !kept.contains(u[i]) { u[i] = .nan; clipped += 1 }
        }
        if let codes {
            guard codes.count == values.count else { throw PlotError("there are \(codes.count) class codes for \(values.count) values") }
            if let bad = codes.first(where: { $0 < -1 || $0 >= names.count }) {
                throw PlotError("class code \(bad) does not name one of the \(names.count) classes")
            }
        }
        let bins = try HistogramBins(values: u, rule: self.bins)
        let width = (bins.edges[bins.count] - bins.edges[0]) / Double(bins.count)
        let skipped = u.reduce(0) { $0 + ($1.isFinite ? 0 : 1) } - clipped
        var layers: [Layer] = []
        if let codes {
            let present = Set(codes.indices.filter { u[$0].isFinite }.map { codes[$0] })
            for k in [-1] + Array(names.indices) where present.contains(k) {
                let c = bins.counts(u.indices.filter { codes[$0] == k }.map { u[$0] })
                layers.append(Layer(code: k, name: k < 0 ? "unlabelled" : names[k], heights: c))
            }
        } else {
            layers.append(Layer(code: 0, name: xLabel, heights: bins.counts(u)))
        }
        if density {
            let total = layers.reduce(0.0) { $0 + $1.heights.reduce(0, +) }
            layers = layers.map { layer in
                let n = mode == .stack ? total : layer.heights.reduce(0, +)
                return Layer(code: layer.code, name: layer.name, heights: layer.heights.map { n > 0 ? $0 / (n * width) : 0 })
            }
        }
        return (bins, layers, skipped, clipped)
    }

    /// The bins this histogram uses (in axis units: log10 on a log x axis).
    public func binEdges() throws -> HistogramBins { try layers().bins }

    /// Axis ranges in axis units: the bins with a 5% margin, and 0 to the tallest bar plus 5%.
    public func dataRanges() throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        let (bins, layers, _, _) = try layers()
        return try ranges(bins: bins, layers: layers)
    }

    private func ranges(bins: HistogramBins, layers: [Layer]) throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        let (xr, yr) = try uncheckedRanges(bins: bins, layers: layers)
        // Bar heights of a density over a tiny span can overflow.
        try AxisRange.checkDrawable(yr, axis: "y", log: yAxis.log)
        return (xr, yr)
    }

    private func uncheckedRanges(bins: HistogramBins, layers: [Layer]) throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        let xr = try xAxis.range(bins.edges, axis: "x") ?? AxisRange.widened(0, 0)
        let tops = mode == .stack && layers.count > 1
            ? (0..<bins.count).map { i in layers.reduce(0.0) { $0 + $1.heights[i] } }
            : layers.flatMap(\.heights)
        let top = tops.max() ?? 1
        if let limits = yAxis.limits { return (xr, try yAxis.range([], axis: "y") ?? limits) }
        if yAxis.log {
            let positive = tops.filter { $0 > 0 }
            guard let lo = positive.min(), let hi = positive.max() else { return (xr, 0...1) }
            let a = log10(lo) - 0.1, b = log10(hi) + 0.1
            return (xr, a...max(b, a + 1))
        }
        return (xr, 0...(top > 0 ? top * 1.05 : 1))
    }

    /// The y-axis title: the caller's, or what the bar heights are.
    var shownYLabel: String { yLabel ?? (density ? "probability density" : "count per bin") }

    public func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
        try style.validate()
        guard !values.isEmpty else { throw PlotError("nothing to plot: there are no values") }
        let (bins, layers, skipped, clipped) = try layers()
        let (xRange, yRange) = try ranges(bins: bins, layers: layers)
        let yLabel = shownYLabel
        canvas.fill(RGBA(255, 255, 255))

        // Stacked tops (cumulative) or each layer on its own.
        let stacked = mode == .stack && layers.count > 1
        var bottoms = [[Double]](repeating: [Double](repeating: 0, count: bins.count), count: layers.count)
        if stacked {
            for l in 1..<layers.count { for i in 0..<bins.count { bottoms[l][i] = bottoms[l - 1][i] + layers[l - 1].heights[i] } }
        }
        let tops = layers.indices.map { l in (0..<bins.count).map { bottoms[l][$0] + layers[l].heights[$0] } }
        let overlaid = layers.count > 1 && !stacked
        let fillAlpha = overlaid ? 0.3 : (stacked ? 0.85 : 0.6)

        var entries: [Legend.Entry] = []
        if layers.count > 1 || codes != nil {
            entries = layers.map { Legend.Entry(name: $0.name, color: PlotCommon.classColor($0.code, custom: colors),
                                                swatch: .patch(alpha: fillAlpha)) }
            if let note = Legend.Entry.repeatNote(classCount: names.count) { entries.append(note) }
        }
        entries += overlays.compactMap(\.legendEntry)
        let legendBox = entries.isEmpty ? nil : Legend(entries: entries)
        func yPixel(_ axes: Axes, _ v: Double) -> Double {
            if yAxis.log { return v > 0 ? axes.py(log10(v)) : Double(yAxis.inverted ? axes.top : axes.bottom) }
            return axes.py(v)
        }
        let (axes, origin, geometry) = Legend.layout(legendBox, placement: legend, canvas: canvas, style: style,
                                                     xRange: xRange, yRange: yRange, hasTitle: title != nil,
                                                     xOptions: xAxis, yOptions: yAxis) { axes, g in
            PlotCommon.emptyCorner(axes: axes, geometry: g, style: style) { x0, y0, x1, y1 in
                for i in 0..<bins.count {
                    let a = axes.px(bins.edges[i]), b = axes.px(bins.edges[i + 1])
                    guard max(a, b) >= x0, min(a, b) <= x1 else { continue }
                    let top = tops.map { yPixel(axes, $0[i]) }
                    if top.contains(where: { $0 <= y1 }) { return true }
                }
                return false
            }
        }

        canvas.clip(x: Double(axes.left), y: Double(axes.top), width: Double(axes.width), height: Double(axes.height))
        let line = max(1, style.pixels(points: 1))
        for (l, layer) in layers.enumerated() {
            let color = PlotCommon.classColor(layer.code, custom: colors)
            // One polygon per layer (tops left to right, bottoms back), so adjacent bars show no
            // antialiasing seams between them.
            var outline: [(Double, Double)?] = []
            var lower: [(Double, Double)] = []
            for i in 0..<bins.count {
                let a = axes.px(bins.edges[i]), b = axes.px(bins.edges[i + 1])
                let y0 = yPixel(axes, bottoms[l][i]), y1 = yPixel(axes, tops[l][i])
                outline.append((a, y1)); outline.append((b, y1))
                lower.append((a, y0)); lower.append((b, y0))
            }
            canvas.fillPolygon(outline.compactMap { $0 } + lower.reversed(), color: color, alpha: fillAlpha)
            // The step outline down to the axis at both ends, as matplotlib's histtype="step".
            if let first = outline.first.flatMap({ $0 }), let last = outline.last.flatMap({ $0 }) {
                let base = yPixel(axes, 0)
                outline.insert((first.0, yAxis.log ? Double(axes.bottom) : base), at: 0)
                outline.append((last.0, yAxis.log ? Double(axes.bottom) : base))
            }
            if !stacked { canvas.polyline(outline, color: color, lineWidth: line) }
            else { canvas.polyline(outline, color: RGBA(255, 255, 255), lineWidth: max(1, style.pixels(points: 0.5))) }
        }
        canvas.resetClip()
        try PlotCommon.drawOverlays(overlays, canvas: canvas, axes: axes, xAxis: xAxis, yAxis: yAxis, style: style)
        axes.drawDecorations(canvas: canvas, style: style, xLabel: xLabel, yLabel: yLabel, title: title)
        if let legendBox, let origin, let geometry { legendBox.draw(canvas: canvas, style: style, x: origin.x, y: origin.y, geometry: geometry) }
        var notes: [String] = []
        if clipped > 0 { notes.append("\(clipped) values lie beyond mean ± \(NumberFormatting.short(xAxis.clipSigma ?? 0))σ and are not counted") }
        if skipped > 0 { notes.append("\(skipped) of \(values.count) values are NaN or infinite\(xAxis.log ? " (or not positive, on the log axis)" : "") and are not counted") }
        return notes
    }
}

extension HistogramPlot: XYAxesFigure {
    public var axisTitles: (x: String, y: String)? { (xLabel, shownYLabel) }
}
