/// A datashader-style density image: every point counted, nothing overplotted.
///
/// The pipeline is datashader's, in separate steps: `DensityAggregate.count` onto a grid whose
/// size is exactly the plot area in pixels (one bin per screen pixel, so the picture is an honest
/// histogram), then `Shading` to colours, then composited with nearest-neighbour sampling inside
/// the axes. Empty pixels stay transparent over the white background.
public struct DensityPlot: Sendable {
    public var x: [Double]
    public var y: [Double]
    public var xLabel: String
    public var yLabel: String
    public var title: String?
    public var colormap: Colormap
    public var shading: Shading
    /// Draw a colour bar labelled "count" (the default).
    public var showColorBar: Bool
    /// Side of one aggregation bin in screen pixels. 1 (the default) is one bin per pixel; small
    /// catalogues read better with coarser bins, so single sources are visible.
    public var binSize: Int = 1

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

    public func render(style: FigureStyle = FigureStyle()) throws -> RGBAImage {
        try renderFigure(style: style).image
    }

    public func renderFigure(style: FigureStyle = FigureStyle()) throws -> RenderedFigure {
        try style.validate()
        guard x.count == y.count else {
            throw PlotError("x has \(x.count) values but y has \(y.count); they must be the same length")
        }
        guard !x.isEmpty else { throw PlotError("nothing to plot: there are no points") }
        let (xRange, yRange) = try ranges()

        let canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
        canvas.fill(RGBA(255, 255, 255))
        // The colour bar's width depends on its widest label, bounded by the largest possible count.
        var reserved = 0.0
        if showColorBar {
            canvas.setFont(size: style.pixels(points: style.tickSize))
            reserved = ColorBar.width(canvas: canvas, style: style,
                                      widestTickLabel: Ticks.labels(for: [Double(x.count)])[0])
        }
        let axes = Axes.layout(canvas: canvas, style: style, xRange: xRange, yRange: yRange,
                               hasTitle: title != nil, reservedRight: reserved)
        guard binSize >= 1, binSize <= max(1, min(axes.width, axes.height)) else {
            throw PlotError("bin size \(binSize) px does not fit a \(axes.width)×\(axes.height) px plot area")
        }
        let gridWidth = (axes.width + binSize - 1) / binSize
        let gridHeight = (axes.height + binSize - 1) / binSize
        let grid = try DensityAggregate.count(x: x, y: y, xRange: xRange, yRange: yRange,
                                              width: gridWidth, height: gridHeight)
        let image = shading.shade(grid, colormap: colormap)
        canvas.drawImage(image, x: axes.left, y: axes.top,
                         scaleX: Double(axes.width) / Double(gridWidth), scaleY: Double(axes.height) / Double(gridHeight))
        axes.drawDecorations(canvas: canvas, style: style, xLabel: xLabel, yLabel: yLabel, title: title)
        if showColorBar {
            let spacing = style.pixels(points: style.tickSize) * 2.2
            let ticks = ColorBar.countTicks(mapping: shading.mapping(for: grid), height: Double(axes.height),
                                            minSpacing: spacing)
            ColorBar(colormap: colormap, label: "count", ticks: ticks).draw(canvas: canvas, style: style, axes: axes)
        }
        var notes: [String] = []
        if grid.nonFinite > 0 {
            notes.append("\(grid.nonFinite) of \(x.count) points have NaN or infinite x or y and are not counted")
        }
        return RenderedFigure(image: try canvas.image(), notes: notes)
    }

    /// Axis ranges from the points whose x and y are both finite, with the usual margin.
    func ranges() throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                for i in 0..<xs.count {
                    let a = xs[i], b = ys[i]
                    guard a.isFinite, b.isFinite else { continue }
                    if a < xlo { xlo = a }
                    if a > xhi { xhi = a }
                    if b < ylo { ylo = b }
                    if b > yhi { yhi = b }
                }
            }
        }
        guard xlo <= xhi, let xr = AxisRange.of([xlo, xhi]), let yr = AxisRange.of([ylo, yhi]) else {
            throw PlotError("nothing to plot: none of the \(x.count) points has finite x and y")
        }
        return (xr, yr)
    }
}
