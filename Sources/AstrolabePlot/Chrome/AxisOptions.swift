import Foundation

/// How one axis maps data to the page: linear or logarithmic, normal or inverted (magnitudes grow
/// downwards), with explicit limits or limits at mean ± kσ — the choices an astronomer makes for a
/// publication figure (and AstronomicAL's plot flags).
public struct AxisOptions: Sendable, Equatable {
    /// Logarithmic (base 10) axis; non-positive values cannot be shown and are reported.
    public var log: Bool
    /// Larger values towards the left (x) or the bottom (y).
    public var inverted: Bool
    /// Hard limits in data units; points outside are not drawn (and counted).
    public var limits: ClosedRange<Double>?
    /// Limits at mean ± `clipSigma` standard deviations of the shown values (in axis units, so
    /// log10 on a log axis), widened to keep every highlighted point in view.
    public var clipSigma: Double?
    /// Tick labels are drawn (off for inner panels of a figure whose panels share this axis).
    public var showTickLabels = true
    /// The axis title is drawn beside this plot (off when a multi-panel figure draws one title for
    /// all its panels); without it no room is kept for it either.
    public var showTitle = true
    /// The values are counts (labels, iterations): ticks only at whole numbers, so an axis of 1 to
    /// 6 labels never reads 4.5.
    public var integerTicks = false

    public init(log: Bool = false, inverted: Bool = false, limits: ClosedRange<Double>? = nil, clipSigma: Double? = nil) {
        self.log = log
        self.inverted = inverted
        self.limits = limits
        self.clipSigma = clipSigma
    }

    /// Data in axis units: log10 on a log axis (non-positive values become NaN).
    func transformed(_ values: [Double]) -> [Double] {
        guard log else { return values }
        return values.map { $0 > 0 ? Foundation.log10($0) : .nan }
    }

    /// Number of finite values a log axis cannot show.
    func unplottable(_ values: [Double]) -> Int {
        log ? values.reduce(0) { $0 + ($1.isFinite && $1 <= 0 ? 1 : 0) } : 0
    }

    /// The axis range in axis units for `values` (already transformed; NaN ignored), keeping
    /// `keep` (highlighted points) in view; nil when nothing is finite. Throws when the range cannot
    /// be drawn (see `AxisRange.checkDrawable`); `axis` ("x", "y") names it in the message.
    func range(_ values: [Double], keep: [Double] = [], axis: String = "axis") throws -> ClosedRange<Double>? {
        guard let r = try unchecked(values, keep: keep) else { return nil }
        try AxisRange.checkDrawable(r, axis: axis, log: log, given: limits != nil)
        return r
    }

    private func unchecked(_ values: [Double], keep: [Double]) throws -> ClosedRange<Double>? {
        if let limits {
            var lo = limits.lowerBound, hi = limits.upperBound
            if log {
                guard lo > 0, hi > 0 else { throw PlotError("a log axis needs positive limits, got \(lo)…\(hi)") }
                lo = Foundation.log10(lo); hi = Foundation.log10(hi)
            }
            guard lo.isFinite, hi.isFinite, lo < hi else { throw PlotError("axis limits \(limits.lowerBound)…\(limits.upperBound) must be finite and increasing") }
            return lo...hi
        }
        if let k = clipSigma { return try sigmaClipped(values, k: k, keep: keep) }
        return AxisRange.of(values, also: keep)
    }

    /// mean ± kσ of the finite values, but never beyond the data: the limits cut outliers, they do
    /// not add empty room. An end at the data keeps the usual margin (of the clipped span, so one
    /// far outlier does not widen it). `keep` stays in view.
    private func sigmaClipped(_ values: [Double], k: Double, keep: [Double]) throws -> ClosedRange<Double>? {
        guard k.isFinite, k > 0 else { throw PlotError("clip must be a positive number of sigmas, got \(k)") }
        guard let data = AxisRange.of(values, margin: 0), let (mean, sd) = AxisRange.meanAndDeviation(values) else { return nil }
        // k·σ may overflow for values near ±1e308: then the data bound the axis.
        var lo = Swift.max(data.lowerBound, mean - k * sd), hi = Swift.min(data.upperBound, mean + k * sd)
        let pad = (hi / 2 - lo / 2) * 2 * AxisRange.margin
        if lo == data.lowerBound, (lo - pad).isFinite { lo -= pad }
        if hi == data.upperBound, (hi + pad).isFinite { hi += pad }
        for v in keep where v.isFinite { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
        return lo < hi ? lo...hi : AxisRange.widened(lo, hi)
    }
}
