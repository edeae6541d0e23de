import AstrolabeData
import Foundation

/// A reference curve or region drawn over a 2-D plot: demarcation lines such as Kewley et al.
/// (2001) on a BPT diagram, or the Mateos et al. (2012) AGN wedge on a WISE colour–colour plot.
///
/// Curves are expressions (AstrolabeData's `Expression`) in the axis variable, evaluated at render
/// time on a one-column table named `x` (or `y`) sampled every half pixel across the axis range
/// actually shown — so a curve is as smooth as the figure's resolution at any size or dpi, and on a
/// log axis it is sampled evenly in log space. Samples where the value is NaN or infinite, or where
/// the `condition` is false, break the curve; so does a jump from beyond one edge of the plot to
/// beyond the other (a pole such as 0.61/(x − 0.47)), which would otherwise draw a vertical line.
/// Regions are conditions over `x` and `y`, evaluated at every pixel centre and tinted; the tint is
/// drawn as filled rectangles (one path), so PDF and SVG get vector paths rather than an image.
public struct ReferenceOverlay: Sendable {
    public enum Shape: Sendable {
        /// y = f(x).
        case yOfX(AstrolabeData.Expression)
        /// x = f(y) (vertical lines and curves).
        case xOfY(AstrolabeData.Expression)
        /// Every point (x, y) where the expression is true (non-zero).
        case region(AstrolabeData.Expression)
    }

    public var shape: Shape
    /// Where the curve is drawn (over the same variable(s)); nil: everywhere.
    public var condition: AstrolabeData.Expression?
    /// Shown in the legend when set.
    public var label: String?
    public var color: RGBA
    public var dash: LineDash
    /// Line width in points.
    public var lineWidth: Double
    /// Opacity of a region's tint (curves are opaque).
    public var alpha: Double

    public init(_ shape: Shape, condition: AstrolabeData.Expression? = nil, label: String? = nil, color: RGBA = RGBA(0, 0, 0),
                dash: LineDash = .solid, lineWidth: Double = 1.2, alpha: Double = 0.15) {
        self.shape = shape
        self.condition = condition
        self.label = label
        self.color = color
        self.dash = dash
        self.lineWidth = lineWidth
        self.alpha = alpha
    }

    /// The variables an overlay of this shape may use.
    public var variables: [String] {
        switch shape {
        case .yOfX: return ["x"]
        case .xOfY: return ["y"]
        case .region: return ["x", "y"]
        }
    }

    var legendEntry: Legend.Entry? {
        guard let label, !label.isEmpty else { return nil }
        if case .region = shape { return Legend.Entry(name: label, color: color, swatch: .patch(alpha: max(alpha, 0.3))) }
        return Legend.Entry(name: label, color: color, swatch: .line(dash, widthPoints: lineWidth))
    }

    /// Draws inside the plot area (the caller has clipped to it).
    func draw(on canvas: CairoCanvas, axes: Axes, xAxis: AxisOptions, yAxis: AxisOptions, style: FigureStyle) throws {
        switch shape {
        case .yOfX(let f):
            let u = samples(axes.xRange, pixels: axes.width)
            let t = u.map { xAxis.log ? pow(10, $0) : $0 }
            let v = try evaluate(f, on: ["x": t])
            let keep = try condition.map { try evaluate($0, on: ["x": t]) }
            let points = curvePoints(count: t.count, along: u, values: v, keep: keep, axis: yAxis,
                                     range: axes.yRange,
                                     alongPixel: { axes.px($0) }, valuePixel: { axes.py($0) }, flip: false)
            canvas.polyline(points, color: color, lineWidth: max(1, style.pixels(points: lineWidth)), dash: dash)
        case .xOfY(let f):
            let u = samples(axes.yRange, pixels: axes.height)
            let t = u.map { yAxis.log ? pow(10, $0) : $0 }
            let v = try evaluate(f, on: ["y": t])
            let keep = try condition.map { try evaluate($0, on: ["y": t]) }
            let points = curvePoints(count: t.count, along: u, values: v, keep: keep, axis: xAxis,
                                     range: axes.xRange,
                                     alongPixel: { axes.py($0) }, valuePixel: { axes.px($0) }, flip: true)
            canvas.polyline(points, color: color, lineWidth: max(1, style.pixels(points: lineWidth)), dash: dash)
        case .region(let f):
            let w = axes.width, h = axes.height
            var xs = [Double](repeating: 0, count: w * h), ys = xs
            for row in 0..<h {
                let fy = 1 - (Double(row) + 0.5) / Double(h)
                let uy = axes.yRange.lowerBound + (axes.yInverted ? 1 - fy : fy) * (axes.yRange.upperBound - axes.yRange.lowerBound)
                let y = yAxis.log ? pow(10, uy) : uy
                for col in 0..<w {
                    let fx = (Double(col) + 0.5) / Double(w)
                    let ux = axes.xRange.lowerBound + (axes.xInverted ? 1 - fx : fx) * (axes.xRange.upperBound - axes.xRange.lowerBound)
                    xs[row * w + col] = xAxis.log ? pow(10, ux) : ux
                    ys[row * w + col] = y
                }
            }
            let inside = try evaluate(f, on: ["x": xs, "y": ys])
            let keep = try condition.map { try evaluate($0, on: ["x": xs, "y": ys]) }
            // The tinted pixels as a union of rectangles (runs along each row, merged with the
            // identical runs of the rows below), filled as one path: vector paths in PDF/SVG, and on
            // a raster canvas exactly the same pixels as a mask (edges on whole pixels).
            var rects: [CairoCanvas.Rect] = []
            var open: [Int: Int] = [:] // run start column << 32 | end column -> index in rects
            for row in 0..<h {
                var next: [Int: Int] = [:]
                var col = 0
                while col < w {
                    let i = row * w + col
                    guard truth(inside[i]), keep.map({ truth($0[i]) }) ?? true else { col += 1; continue }
                    let start = col
                    while col < w, truth(inside[row * w + col]), keep.map({ truth($0[row * w + col]) }) ?? true { col += 1 }
                    let key = start << 32 | col
                    if let k = open[key] {
                        rects[k].height += 1
                        next[key] = k
                    } else {
                        next[key] = rects.count
                        rects.append(CairoCanvas.Rect(x: Double(axes.left + start), y: Double(axes.top + row),
                                                      width: Double(col - start), height: 1))
                    }
                }
                open = next
            }
            // The opacity quantised to 8 bits, as the tint's alpha channel was when drawn as an image.
            canvas.fillRects(rects, color: color, alpha: max(0, min(255, (alpha * 255).rounded())) / 255)
        }
    }

    private func truth(_ v: Double) -> Bool { !v.isNaN && v != 0 }

    /// Axis-unit positions every half pixel from one end of `range` to the other.
    private func samples(_ range: ClosedRange<Double>, pixels: Int) -> [Double] {
        let n = max(2, 2 * pixels + 1)
        return (0..<n).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(n - 1) }
    }

    private func evaluate(_ f: AstrolabeData.Expression, on columns: [String: [Double]]) throws -> [Double] {
        let table = try Table(name: "overlay", columns: columns.keys.sorted().map { Column(name: $0, numbers: columns[$0] ?? []) })
        do {
            return try f.evaluate(in: table)
        } catch let error as ExpressionError {
            throw PlotError("reference curve `\(f.text)`: \(error.message)")
        }
    }

    /// Pixel points of a curve, nil where it breaks. `along` is the sampled variable (axis units),
    /// `values` the curve's value in data units on the other axis.
    private func curvePoints(count: Int, along: [Double], values: [Double], keep: [Double]?, axis: AxisOptions,
                             range: ClosedRange<Double>, alongPixel: (Double) -> Double, valuePixel: (Double) -> Double,
                             flip: Bool) -> [(Double, Double)?] {
        var out: [(Double, Double)?] = []
        out.reserveCapacity(count)
        // Far beyond the plot a point only needs to be off it: clamp so cairo gets sane numbers.
        let lo = valuePixel(range.lowerBound), hi = valuePixel(range.upperBound)
        let span = abs(hi - lo), minP = min(lo, hi) - 4 * span, maxP = max(lo, hi) + 4 * span
        var previousSide = 0
        for i in 0..<count {
            var v = values[i]
            if axis.log { v = v > 0 ? log10(v) : .nan }
            guard v.isFinite, keep.map({ truth($0[i]) }) ?? true else { out.append(nil); previousSide = 0; continue }
            let side = v < range.lowerBound ? -1 : (v > range.upperBound ? 1 : 0)
            if side != 0, previousSide == -side { out.append(nil) } // a pole: do not join the two ends
            previousSide = side
            let a = alongPixel(along[i]), b = min(maxP, max(minP, valuePixel(v)))
            out.append(flip ? (b, a) : (a, b))
        }
        return out
    }
}
