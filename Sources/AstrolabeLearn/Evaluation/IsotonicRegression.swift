import Foundation

/// A non-decreasing step-and-ramp fit of `y` against `x`, scikit-learn's
/// `IsotonicRegression(out_of_bounds="clip")`: points are sorted by x (then y), x values closer
/// than 1e-15 (float64's `resolution`) merged with their mean y, pool-adjacent-violators over the
/// merged points, and predictions interpolated linearly between them, clipped to the end values
/// outside their range.
public struct IsotonicRegression: Sendable, Equatable, Codable {
    /// The merged x values, ascending, and the fitted value at each.
    public private(set) var xs: [Double] = []
    public private(set) var ys: [Double] = []

    public init(xs: [Double], ys: [Double]) {
        self.xs = xs
        self.ys = ys
    }

    /// Fits `y` against `x` (finite pairs only; NaN pairs are left out).
    public init(x: [Double], y: [Double]) {
        let order = x.indices.filter { x[$0].isFinite && y[$0].isFinite }
            .sorted { x[$0] < x[$1] || (x[$0] == x[$1] && (y[$0] < y[$1] || (y[$0] == y[$1] && $0 < $1))) }
        guard let first = order.first else { return }
        // Merge x values within the resolution, as scikit-learn's `_make_unique`.
        var ux: [Double] = [], uy: [Double] = [], uw: [Double] = []
        var currentX = x[first], sumY = 0.0, weight = 0.0
        for i in order {
            if x[i] - currentX >= 1e-15 {
                ux.append(currentX); uy.append(sumY / weight); uw.append(weight)
                currentX = x[i]; sumY = 0; weight = 0
            }
            sumY += y[i]; weight += 1
        }
        ux.append(currentX); uy.append(sumY / weight); uw.append(weight)
        xs = ux
        ys = Self.poolAdjacentViolators(uy, weights: uw)
    }

    /// The weighted least-squares non-decreasing fit of `y` (pool adjacent violators).
    static func poolAdjacentViolators(_ y: [Double], weights: [Double]) -> [Double] {
        var values: [Double] = [], blockWeights: [Double] = [], sizes: [Int] = []
        for (v, w) in zip(y, weights) {
            values.append(v); blockWeights.append(w); sizes.append(1)
            while values.count > 1 && values[values.count - 2] >= values[values.count - 1] {
                let w2 = blockWeights.removeLast(), v2 = values.removeLast(), s2 = sizes.removeLast()
                let w1 = blockWeights[blockWeights.count - 1], v1 = values[values.count - 1]
                let total = w1 + w2
                values[values.count - 1] = (w1 * v1 + w2 * v2) / total
                blockWeights[blockWeights.count - 1] = total
                sizes[sizes.count - 1] += s2
            }
        }
        var out: [Double] = []
        out.reserveCapacity(y.count)
        for (v, s) in zip(values, sizes) { out += [Double](repeating: v, count: s) }
        return out
    }

    /// The fitted value at `t`: `np.interp` over the merged points, clipped at the ends; NaN
    /// before any fit or for NaN.
    public func predict(_ t: Double) -> Double {
        guard let firstX = xs.first, let lastX = xs.last, !t.isNaN else { return .nan }
        if t <= firstX { return ys[0] }
        if t >= lastX { return ys[ys.count - 1] }
        var low = 0, high = xs.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if xs[mid] <= t { low = mid } else { high = mid }
        }
        let slope = (ys[high] - ys[low]) / (xs[high] - xs[low])
        return slope * (t - xs[low]) + ys[low]
    }
}
