import Foundation

/// How cutout pixel values become grey levels, as astropy.visualization defines them:
/// `zscale` is ZScaleInterval then a linear stretch, `asinh` is ZScaleInterval then AsinhStretch(a=0.1),
/// `linear` is MinMaxInterval then a linear stretch. Values are normalised to [0, 1] (clipped) and
/// NaN stays NaN (drawn as the placeholder grey).
public enum Stretch: String, CaseIterable, Sendable {
    case asinh, zscale, linear

    /// astropy's AsinhStretch default softening.
    public static let asinhSoftening = 0.1

    /// The normalised values, in the order given.
    public func apply(_ values: [Double]) -> [Double] {
        let (low, high) = self == .linear ? Self.minMax(values) : Self.zscaleLimits(values)
        return values.map { value in
            guard value.isFinite else { return .nan }
            var v = high > low ? (value - low) / (high - low) : 0
            v = min(max(v, 0), 1)
            if self == .asinh { v = Foundation.asinh(v / Self.asinhSoftening) / Foundation.asinh(1 / Self.asinhSoftening) }
            return v
        }
    }

    /// MinMaxInterval: the smallest and largest finite value.
    static func minMax(_ values: [Double]) -> (Double, Double) {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite { low = min(low, v); high = max(high, v) }
        return low <= high ? (low, high) : (0, 1)
    }

    /// ZScaleInterval.get_limits with astropy's defaults (n_samples=1000, contrast=0.25,
    /// max_reject=0.5, min_npixels=5, krej=2.5, max_iterations=5), step for step: a line fitted to
    /// the sorted samples with k-sigma rejection, the rejected mask grown by 1% of the samples.
    public static func zscaleLimits(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter { $0.isFinite }
        guard !finite.isEmpty else { return (0, 1) }
        let stride = max(1, Int(max(1.0, Double(finite.count) / 1000)))
        var samples: [Double] = []
        var i = 0
        while i < finite.count && samples.count < 1000 { samples.append(finite[i]); i += stride }
        samples.sort()
        let n = samples.count
        var vmin = samples[0], vmax = samples[n - 1]
        let minpix = max(5, Int(Double(n) * 0.5))
        var good = n, lastGood = n + 1
        var bad = [Bool](repeating: false, count: n)
        let grow = max(1, Int(Double(n) * 0.01))
        var slope = 0.0
        for _ in 0..<5 {
            if good >= lastGood || good < minpix { break }
            let (s, intercept) = fitLine(samples, excluding: bad)
            slope = s
            let flat = samples.indices.map { samples[$0] - (s * Double($0) + intercept) }
            let threshold = 2.5 * standardDeviation(flat, excluding: bad)
            for k in 0..<n where flat[k] < -threshold || flat[k] > threshold { bad[k] = true }
            bad = dilate(bad, width: grow)
            lastGood = good
            good = bad.filter { !$0 }.count
        }
        if good >= minpix {
            slope /= 0.25
            let centre = (n - 1) / 2
            let median = n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2
            vmin = max(vmin, median - Double(centre - 1) * slope)
            vmax = min(vmax, median + Double(n - centre) * slope)
        }
        return (vmin, vmax)
    }

    /// Least-squares line through (k, samples[k]) over the unmasked k (numpy.polyfit, deg=1, 0/1 weights).
    static func fitLine(_ y: [Double], excluding bad: [Bool]) -> (slope: Double, intercept: Double) {
        var count = 0.0, sx = 0.0, sy = 0.0
        for k in y.indices where !bad[k] { count += 1; sx += Double(k); sy += y[k] }
        guard count > 0 else { return (0, 0) }
        let mx = sx / count, my = sy / count
        var sxx = 0.0, sxy = 0.0
        for k in y.indices where !bad[k] { let dx = Double(k) - mx; sxx += dx * dx; sxy += dx * (y[k] - my) }
        let slope = sxx > 0 ? sxy / sxx : 0
        return (slope, my - slope * mx)
    }

    /// Population standard deviation (numpy's std, ddof=0) of the unmasked values.
    static func standardDeviation(_ values: [Double], excluding bad: [Bool]) -> Double {
        var count = 0.0, sum = 0.0
        for k in values.indices where !bad[k] { count += 1; sum += values[k] }
        guard count > 0 else { return .nan }
        let mean = sum / count
        var squares = 0.0
        for k in values.indices where !bad[k] { squares += (values[k] - mean) * (values[k] - mean) }
        return (squares / count).squareRoot()
    }

    /// numpy.convolve(mask, ones(width), mode="same") on booleans: position i is set when any of
    /// mask[i - width/2 ... i - width/2 + width - 1] is.
    static func dilate(_ mask: [Bool], width: Int) -> [Bool] {
        let n = mask.count, left = width / 2
        return (0..<n).map { i in
            let from = max(0, i - left), to = min(n - 1, i - left + width - 1)
            return from <= to && mask[from...to].contains(true)
        }
    }
}
