import Foundation

/// A datashader-style density image: every point counted, nothing overplotted.
///
/// The pipeline is datashader's, in separate steps: aggregate onto a grid whose size is exactly the
/// plot area in pixels (one bin per screen pixel, or `binSize` pixels per bin), then shade to
/// colours, then spread sparse pixels, then composite with nearest-neighbour sampling inside the
/// axes. Empty pixels stay transparent over the white background.
public struct DensityPlot: Figure {
    /// What each pixel shows.
    public enum Aggregation: Sendable {
        /// Number of points (datashader `count()`), shaded with `colormap`.
        case count
        /// A reduction of a value column, shaded with `colormap`; `label` titles the colour bar.
        case reduce(Reduction, values: [Double]?, label: String)
        /// Points per class (`count_cat`), colours blended by class counts; `codes[i]` indexes `names`
        /// (others are not counted). `colors` default to Okabe–Ito.
        case categories(codes: [Int32], names: [String], colors: [RGBA]?)
    }

    /// Spreading of sparse pixels after shading.
    public enum Spreading: Sendable, Equatable {
        case none
        case fixed(Int)
        /// datashader's dynspread (threshold 0.5, at most `maxPx`).
        case dynamic(maxPx: Int)
    }

    public var x: [Double]
    public var y: [Double]
    public var xLabel: String
    public var yLabel: String
    public var title: String?
    public var colormap: Colormap
    public var shading: Shading
    public var aggregation: Aggregation = .count
    /// datashader's `span` (not with eq_hist) and `min_alpha` (categorical).
    public var span: ClosedRange<Double>?
    public var minAlpha: Int = 40
    public var spreading: Spreading = .none
    /// Draw a colour bar (continuous) or colour key (categorical).
    public var showColorBar: Bool
    public var legend: LegendPlacement = .auto
    /// Side of one aggregation bin in screen pixels. 1 (the default) is one bin per pixel; small
    /// catalogues read better with coarser bins, so single sources are visible.
    public var binSize: Int = 1
    public var xAxis = AxisOptions()
    public var yAxis = AxisOptions()
    /// Reference curves and regions drawn over the image.
    public var overlays: [ReferenceOverlay] = []
    /// Points ringed on top of the image (indices into x and y), with their legend entry's name.
    public var ringed: [Int] = []
    public var ringName: String?
    /// The ring's colour (black by default).
    public var ringColor = RGBA(0, 0, 0)

    public init(x: [Double], y: [Double], xLabel: String, yLabel: String, title: String? = nil,
                colormap: Colormap = .viridis, shading: Shading = .eqHist, showColorBar: Bool = true) {
        self.x = x
        self.y = y
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.title = title
        self.colormap = colormap
        self.shading = shading
        self.showColorBar = showColorBar
    }

    /// Axis ranges (axis units) this plot would show, for panels that share an axis.
    public func dataRanges() throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        guard let xr = try xAxis.range(xAxis.transformed(x), axis: "x"), let yr = try yAxis.range(yAxis.transformed(y), axis: "y") else {
            throw PlotError("nothing to plot: none of the \(x.count) points has finite x and y")
        }
        return (xr, yr)
    }

    public func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
        try style.validate()
        guard x.count == y.count else {
            throw PlotError("x has \(x.count) values but y has \(y.count); they must be the same length")
        }
        guard !x.isEmpty else { throw PlotError("nothing to plot: there are no points") }
        let ax = xAxis.transformed(x), ay = yAxis.transformed(y)
        guard let xRange = try xAxis.range(ax, axis: "x"), let yRange = try yAxis.range(ay, axis: "y") else {
            throw PlotError("nothing to plot: none of the \(x.count) points has finite x and y")
        }
        canvas.fill(RGBA(255, 255, 255))

        // Colour key (categorical) or colour bar (continuous), and the room it needs.
        var entries: [Legend.Entry] = []
        if case .categories(_, let names, let colors) = aggregation, showColorBar {
            entries = names.enumerated().map { k, name in
                Legend.Entry(name: name, color: colors?[safe: k] ?? CategoricalPalette.color(forClass: k), shape: .square)
            }
            if colors == nil, let note = Legend.Entry.repeatNote(classCount: names.count) { entries.append(note) }
        }
        let isCategorical = !entries.isEmpty
        entries += ringEntries + overlays.compactMap(\.legendEntry)
        let key = entries.isEmpty ? nil : Legend(entries: entries)
        var reserved = 0.0
        if showColorBar, !isCategorical {
            canvas.setFont(size: style.pixels(points: style.tickSize))
            reserved = ColorBar.width(canvas: canvas, style: style, widestTickLabel: Ticks.labels(for: [Double(x.count)])[0] + "0")
        }
        let (axes, keyOrigin, keyGeometry) = Legend.layout(key, placement: legend, canvas: canvas, style: style, xRange: xRange, yRange: yRange,
                                                           hasTitle: title != nil, reservedRight: reserved, xOptions: xAxis, yOptions: yAxis)
        guard binSize >= 1, binSize <= max(1, min(axes.width, axes.height)) else {
            throw PlotError("bin size \(binSize) px does not fit a \(axes.width)×\(axes.height) px plot area")
        }
        let gw = (axes.width + binSize - 1) / binSize, gh = (axes.height + binSize - 1) / binSize

        var notes: [String] = []
        var image: RGBAImage
        var mapping: ShadeMapping?
        var barLabel = "count"
        var nonFinite = 0, outside = 0
        switch aggregation {
        case .count:
            let grid = try DensityAggregate.count(x: ax, y: ay, xRange: xRange, yRange: yRange, width: gw, height: gh)
            // One mapping (for eq_hist: one equalisation) for the pixels and the colour bar.
            let counts = try ShadeMapping(how: shading, counts: grid.counts, span: span)
            image = try shading.shade(grid, colormap: colormap, mapping: counts)
            mapping = counts
            (nonFinite, outside) = (grid.nonFinite, grid.outOfRange)
        case .reduce(let reduction, let values, let label):
            let grid = try DensityAggregate.reduce(reduction, values: values, x: ax, y: ay, xRange: xRange, yRange: yRange,
                                                   width: gw, height: gh)
            image = try shading.shade(grid, colormap: colormap, span: span)
            let present = zip(grid.values, grid.emptyMask).compactMap { $1 ? nil : $0 }
            if !present.isEmpty { mapping = try ShadeMapping(how: shading, values: present, integer: grid.isInteger, span: span) }
            barLabel = label
            (nonFinite, outside) = (grid.nonFinite, grid.outOfRange)
            if grid.missingValues > 0 { notes.append("\(grid.missingValues) points have no \(label) value and are not counted") }
        case .categories(let codes, let names, let colors):
            let grid = try DensityAggregate.countByCategory(x: ax, y: ay, codes: codes, categories: max(1, names.count),
                                                            xRange: xRange, yRange: yRange, width: gw, height: gh)
            let palette = colors ?? names.indices.map { CategoricalPalette.color(forClass: $0) }
            image = try shading.colorize(grid, colors: palette, span: span, minAlpha: minAlpha)
            (nonFinite, outside) = (grid.nonFinite, grid.outOfRange)
            if grid.uncategorised > 0 { notes.append("\(grid.uncategorised) points have no class and are not counted") }
        }
        switch spreading {
        case .none: break
        case .fixed(let px): image = try Spread.spread(image, px: px)
        case .dynamic(let maxPx):
            // datashader's dynspread, except that a catalogue with fewer points than 2% of the pixels
            // is always spread by at least 1 px: its dense ridges would otherwise veto spreading and
            // leave the isolated sources a single pixel each.
            var px = try Spread.dynamicRadius(image, maxPx: maxPx)
            if px == 0, maxPx >= 1, x.count * 50 < gw * gh { px = 1 }
            image = try Spread.spread(image, px: px)
        }
        if xAxis.inverted || yAxis.inverted { image = try image.flipped(horizontally: xAxis.inverted, vertically: yAxis.inverted) }
        canvas.drawImage(image, x: axes.left, y: axes.top,
                         scaleX: Double(axes.width) / Double(gw), scaleY: Double(axes.height) / Double(gh))
        try PlotCommon.drawOverlays(overlays, canvas: canvas, axes: axes, xAxis: xAxis, yAxis: yAxis, style: style)
        drawRings(canvas: canvas, axes: axes, style: style, x: ax, y: ay)
        axes.drawDecorations(canvas: canvas, style: style, xLabel: xLabel, yLabel: yLabel, title: title)
        if let key, let g = keyGeometry, let o = keyOrigin {
            key.draw(canvas: canvas, style: style, x: o.x, y: o.y, geometry: g)
        }
        if showColorBar, !isCategorical, let mapping {
            let spacing = style.pixels(points: style.tickSize) * 2.2
            let ticks = mapping.how == .linear || barLabel != "count"
                ? ColorBar.valueTicks(mapping: mapping, height: Double(axes.height), minSpacing: spacing)
                : ColorBar.countTicks(mapping: mapping, height: Double(axes.height), minSpacing: spacing)
            ColorBar(colormap: colormap, label: barLabel, ticks: ticks).draw(canvas: canvas, style: style, axes: axes)
        }
        if nonFinite > 0 {
            notes.append("\(nonFinite) of \(x.count) points have NaN or infinite x or y and are not counted")
        }
        let unplottable = xAxis.unplottable(x) + yAxis.unplottable(y)
        if unplottable > 0 { notes.append("\(unplottable) non-positive values cannot be shown on a log axis") }
        if outside > 0, xAxis.limits != nil || yAxis.limits != nil || xAxis.clipSigma != nil || yAxis.clipSigma != nil {
            notes.append("\(outside) points lie outside the axis limits and are not drawn")
        }
        return notes
    }
}

extension DensityPlot {
    /// The legend entry of the ringed points, if any.
    var ringEntries: [Legend.Entry] {
        guard let ringName, !ringed.isEmpty else { return [] }
        return [Legend.Entry(name: ringName, color: ringColor, swatch: .ring)]
    }

    /// The ringed points over the image, clipped to the plot area.
    func drawRings(canvas: CairoCanvas, axes: Axes, style: FigureStyle, x: [Double], y: [Double]) {
        guard !ringed.isEmpty else { return }
        canvas.clip(x: Double(axes.left), y: Double(axes.top), width: Double(axes.width), height: Double(axes.height))
        let r = style.pixels(points: 3.5), width = max(1, style.pixels(points: 1))
        for i in ringed where x.indices.contains(i) && x[i].isFinite && y[i].isFinite {
            canvas.ring(x: axes.px(x[i]), y: axes.py(y[i]), r: r, color: ringColor, lineWidth: width)
        }
        canvas.resetClip()
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}

extension RGBAImage {
    /// The image mirrored left–right and/or top–bottom (for inverted axes).
    func flipped(horizontally: Bool, vertically: Bool) throws -> RGBAImage {
        var out = [UInt8](repeating: 0, count: pixels.count)
        for row in 0..<height {
            let r = vertically ? height - 1 - row : row
            for col in 0..<width {
                let c = horizontally ? width - 1 - col : col
                let s = (row * width + col) * 4, d = (r * width + c) * 4
                out[d] = pixels[s]; out[d + 1] = pixels[s + 1]; out[d + 2] = pixels[s + 2]; out[d + 3] = pixels[s + 3]
            }
        }
        return try RGBAImage(width: width, height: height, pixels: out)
    }
}

extension DensityPlot: XYAxesFigure {
    public var axisTitles: (x: String, y: String)? { (xLabel, yLabel) }
}
