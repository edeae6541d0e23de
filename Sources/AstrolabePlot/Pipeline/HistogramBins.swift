import AstrolabeData
import Foundation

/// Histogram bin edges and counts exactly as numpy computes them (`numpy.histogram_bin_edges`,
/// `numpy.histogram`), so a histogram here can be checked against numpy bin for bin.
///
/// Edges are `linspace(min, max, n + 1)` over the finite values (±0.5 around a single value); the
/// last bin is closed on the right, the others half-open. `auto` is numpy 2's: the smaller of the
/// Sturges width and the "relaxed" Freedman–Diaconis width (at least half the square-root rule's,
/// so heavy tails do not produce thousands of bins), and `ceil(span / width)` bins.
public struct HistogramBins: Sendable, Equatable {
    public let edges: [Double]

    public enum Rule: Sendable, Equatable {
        case count(Int)
        case auto
    }

    /// Edges for the finite `values` (the caller reports the others). Throws if none is finite.
    public init(values: [Double], rule: Rule) throws {
        let finite = values.filter(\.isFinite)
        guard var first = finite.min(), var last = finite.max() else {
            throw PlotError("nothing to histogram: no value is finite")
        }
        if first == last { first -= 0.5; last += 0.5 }
        if first == last { (first, last) = (AxisRange.widened(first, last).lowerBound, AxisRange.widened(first, last).upperBound) } // ±0.5 is lost on 1e300
        guard (last - first).isFinite else {
            throw PlotError("the values run from \(NumberFormatting.short(first)) to \(NumberFormatting.short(last)), too wide a range to bin "
                            + "(its width overflows a double): set the limits (xrange=LO:HI) or leave out the extreme values")
        }
        let bins: Int
        switch rule {
        case .count(let n):
            guard (1...100_000).contains(n) else { throw PlotError("bins must be 1 to 100000, got \(n)") }
            bins = n
        case .auto:
            let width = HistogramBins.autoWidth(finite)
            bins = width > 0 ? SafeArithmetic.int(((last - first) / width).rounded(.up), in: 1...100_000) : 1
        }
        edges = NumPy.linspace(first, last, bins + 1)
    }

    public var count: Int { edges.count - 1 }

    /// numpy 2's `_hist_bin_auto`.
    static func autoWidth(_ x: [Double]) -> Double {
        let n = Double(x.count)
        let sorted = x.sorted()
        guard let lo = sorted.first, let hi = sorted.last else { return 0 }
        let sturges = (hi - lo) / (log2(n) + 1)
        let iqr = percentile(sorted, 75) - percentile(sorted, 25)
        let fd = 2 * iqr * pow(n, -1.0 / 3.0)
        let sqrtWidth = (hi - lo) / n.squareRoot()
        return min(max(fd, sqrtWidth / 2), sturges)
    }

    /// numpy's default (linear) percentile of sorted values.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let index = q / 100 * Double(sorted.count - 1)
        let below = Int(index.rounded(.down)), above = min(sorted.count - 1, below + 1)
        let t = index - Double(below), a = sorted[below], b = sorted[above]
        // numpy's _lerp: exact at both ends.
        return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t
    }

    /// Bin of `v` with numpy's corrections for values within rounding of an edge; nil outside.
    @inline(__always) public func bin(_ v: Double) -> Int? {
        let n = count, first = edges[0], last = edges[n]
        guard v >= first, v <= last else { return nil }
        var k = SafeArithmetic.int((v - first) / (last - first) * Double(n), in: 0...n)
        if k >= n { k = n - 1 }
        if v < edges[k] { k -= 1 }
        if k != n - 1, v >= edges[k + 1] { k += 1 }
        return k
    }

    /// Counts of the values per bin (non-finite values are not counted).
    public func counts(_ values: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for v in values { if let k = bin(v) { out[k] += 1 } }
        return out
    }
}
