import Foundation

/// Two columns binned on a regular grid, as `numpy.histogram2d` bins them: counts per cell, or the
/// mean of a third column per cell.
///
/// Edges are `linspace(lo, hi, n + 1)` on each axis — over the finite points' range (±0.5 around a
/// single value, as numpy does), or over the given limits, points outside them not counted. Each
/// bin is half-open `[e_k, e_k+1)` except the last, which is closed, with numpy's corrections for
/// values within rounding of an edge (`HistogramBins.bin`). A point with a NaN or infinite x or y
/// has no cell and is counted in `nonFinite`.
public struct Histogram2D: Sendable {
    public let xBins: HistogramBins
    public let yBins: HistogramBins
    /// `counts[iy * xBins.count + ix]`: points in x bin ix and y bin iy (iy = 0 is the lowest y).
    public let counts: [Double]
    /// With values: their mean per cell over the points whose value is finite; NaN where none is.
    public let means: [Double]?
    /// Points with NaN or infinite x or y; points outside the limits; points in a cell whose value is missing.
    public let nonFinite: Int, outside: Int, missingValues: Int

    public init(x: [Double], y: [Double], values: [Double]? = nil, xBins nx: Int, yBins ny: Int,
                xLimits: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil) throws {
        guard x.count == y.count else { throw PlotError("x has \(x.count) values but y has \(y.count); they must be the same length") }
        if let values, values.count != x.count { throw PlotError("\(values.count) values for \(x.count) points") }
        guard (1...1000).contains(nx), (1...1000).contains(ny) else {
            throw PlotError("a heatmap takes 1 to 1000 bins on each axis, got \(nx)×\(ny)")
        }
        var fx: [Double] = [], fy: [Double] = []
        fx.reserveCapacity(x.count); fy.reserveCapacity(y.count)
        var nonFinite = 0
        for i in x.indices {
            if x[i].isFinite && y[i].isFinite { fx.append(x[i]); fy.append(y[i]) } else { nonFinite += 1 }
        }
        guard !fx.isEmpty else { throw PlotError("nothing to bin: none of the \(x.count) points has finite x and y") }
        func bins(_ v: [Double], _ n: Int, _ limits: ClosedRange<Double>?) throws -> HistogramBins {
            if let limits {
                guard limits.lowerBound.isFinite, limits.upperBound.isFinite, limits.lowerBound < limits.upperBound else {
                    throw PlotError("bin limits \(limits.lowerBound)…\(limits.upperBound) must be finite and increasing")
                }
                return try HistogramBins(values: [limits.lowerBound, limits.upperBound], rule: .count(n))
            }
            return try HistogramBins(values: v, rule: .count(n))
        }
        let xb = try bins(fx, nx, xLimits), yb = try bins(fy, ny, yLimits)
        var counts = [Double](repeating: 0, count: nx * ny)
        var sums: [Double]? = values == nil ? nil : counts
        var valued: [Double]? = values == nil ? nil : counts
        var outside = 0, missing = 0
        for i in x.indices where x[i].isFinite && y[i].isFinite {
            guard let ix = xb.bin(x[i]), let iy = yb.bin(y[i]) else { outside += 1; continue }
            let cell = iy * nx + ix
            counts[cell] += 1
            if let values {
                let v = values[i]
                if v.isFinite { sums?[cell] += v; valued?[cell] += 1 } else { missing += 1 }
            }
        }
        xBins = xb
        yBins = yb
        self.counts = counts
        if let sums, let valued {
            means = zip(sums, valued).map { $1 > 0 ? $0 / $1 : .nan }
        } else {
            means = nil
        }
        self.nonFinite = nonFinite
        self.outside = outside
        missingValues = missing
    }

    /// The cells shown: means when there are values, else counts.
    public var cells: [Double] { means ?? counts }

    /// The cells as a `Heatmap` with numeric axes: the top row of the picture is the highest y bin.
    public func heatmap(colormap: Colormap = .viridis) -> Heatmap {
        let nx = xBins.count, ny = yBins.count
        let shown = cells
        var rowsTopDown: [Double] = []
        rowsTopDown.reserveCapacity(shown.count)
        for iy in stride(from: ny - 1, through: 0, by: -1) { rowsTopDown += shown[(iy * nx)..<((iy + 1) * nx)] }
        var map = Heatmap(values: rowsTopDown, rows: ny, columns: nx, rowLabels: [], columnLabels: [],
                          colormap: colormap, showValues: false)
        map.numericAxes = (x: xBins.edges[0]...xBins.edges[nx], y: yBins.edges[0]...yBins.edges[ny])
        map.squareCells = false
        return map
    }
}
