import AstrolabeData
import Foundation

/// The value range an axis shows for some data.
///
/// Ranges come from the finite values only (NaN and infinities are reported elsewhere, not allowed
/// to blow up the axis), with a 5% margin so that extreme points are not drawn on the frame.
public enum AxisRange {
    /// The fraction of the data span added on each side.
    public static let margin = 0.05

    /// `[min, max]` of the finite values (and of the finite `also`, e.g. highlighted points, without
    /// copying either array) widened by `margin` on each side, or nil if none is finite.
    public static func of(_ values: [Double], also: [Double] = [], margin: Double = AxisRange.margin) -> ClosedRange<Double>? {
        var lo = Double.infinity, hi = -Double.infinity
        for part in [values, also] {
            part.withUnsafeBufferPointer { buf in
                for v in buf where v.isFinite {
                    if v < lo { lo = v }
                    if v > hi { hi = v }
                }
            }
        }
        guard lo <= hi else { return nil }
        if lo == hi { return widened(lo, hi) }
        let pad = (hi / 2 - lo / 2) * 2 * margin
        let a = lo - pad, b = hi + pad
        return (a.isFinite ? a : lo)...(b.isFinite ? b : hi)
    }

    /// A usable range around a degenerate one: ±0.5 around 0, ±5% (at least one ulp step) otherwise.
    public static func widened(_ lo: Double, _ hi: Double) -> ClosedRange<Double> {
        guard lo == hi else { return Swift.min(lo, hi)...Swift.max(lo, hi) }
        if lo == 0 { return -0.5...0.5 }
        let d = Swift.max(abs(lo) * 0.05, lo.ulp * 16)
        let a = lo - d, b = lo + d
        return (a.isFinite ? a : -Double.greatestFiniteMagnitude)...(b.isFinite ? b : Double.greatestFiniteMagnitude)
    }

    /// Mean and (population) standard deviation of the finite values, nil when none is finite.
    /// Computed on the values divided by the largest magnitude, so data near ±1e308 do not overflow.
    public static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double)? {
        var scale = 0.0
        for v in values where v.isFinite { scale = Swift.max(scale, abs(v)) }
        if scale == 0 { return values.contains(where: \.isFinite) ? (0, 0) : nil }
        var n = 0.0, mean = 0.0, m2 = 0.0
        for v in values where v.isFinite {
            let u = v / scale
            n += 1
            let d = u - mean
            mean += d / n
            m2 += d * (u - mean)
        }
        return (mean * scale, (m2 / n).squareRoot() * scale)
    }

    /// The smallest span an axis can show: pixels are placed by dividing by the span, and tick
    /// steps need room below it, so subnormal spans (below about 2.2e-308) are out.
    public static let smallestSpan = 1e-300

    /// Throws unless `r` can be drawn: finite ends, a span that fits in a double (values near
    /// ±9e307 on both sides do not) and is at least `smallestSpan`. The message names the axis and
    /// says what to do instead.
    /// `given`: the range is the user's limits rather than the data's.
    public static func checkDrawable(_ r: ClosedRange<Double>, axis: String, log: Bool = false, given: Bool = false) throws {
        let lo = r.lowerBound, hi = r.upperBound
        let shown = (given ? "the \(axis) limits run from " : "the \(axis) values run from ")
            + "\(NumberFormatting.short(log ? pow(10, lo) : lo)) to \(NumberFormatting.short(log ? pow(10, hi) : hi))"
        guard lo.isFinite, hi.isFinite, (hi - lo).isFinite else {
            throw PlotError("\(shown), too wide a range to draw (its width overflows a double): "
                            + (given ? "give narrower limits" : "set the \(axis) limits (\(axis)range=LO:HI) or leave out the extreme values"))
        }
        guard hi - lo >= smallestSpan else {
            throw PlotError("\(shown), too narrow a range to draw (narrower than \(smallestSpan)): "
                            + (given ? "give wider limits" : "multiply the column by a large factor first"))
        }
    }
}
