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
}
