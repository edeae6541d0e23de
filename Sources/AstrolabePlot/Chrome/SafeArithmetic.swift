/// Arithmetic on numbers that come from user data, written so that it cannot trap.
///
/// `Int(x)` traps when `x` is NaN, infinite or beyond ±9.2e18, and `hi - lo` overflows to infinity
/// for values near ±9e307; both happen on real catalogues (sentinels such as 1e308, corrupt
/// columns). Sizes and bin indices derived from data go through these helpers instead.
enum SafeArithmetic {
    /// `v` rounded towards zero and clamped to `bounds`; NaN gives the lower bound.
    static func int(_ v: Double, in bounds: ClosedRange<Int>) -> Int {
        guard v == v else { return bounds.lowerBound }
        if v <= Double(bounds.lowerBound) { return bounds.lowerBound }
        if v >= Double(bounds.upperBound) { return bounds.upperBound }
        return Int(v)
    }

    /// Where `v` lies between `lo` (0) and `hi` (1), without overflowing when `hi - lo` does not fit
    /// in a double (then both are halved first, which is exact for all but subnormal numbers).
    static func fraction(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        let span = hi - lo
        if span.isFinite { return (v - lo) / span }
        return (v / 2 - lo / 2) / (hi / 2 - lo / 2)
    }

    /// Where `v` lies between `hi` (0) and `lo` (1): the distance from the top of a y axis.
    static func fractionFromTop(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        let span = hi - lo
        if span.isFinite { return (hi - v) / span }
        return (hi / 2 - v / 2) / (hi / 2 - lo / 2)
    }
}
