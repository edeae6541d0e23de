import Foundation

/// Platt scaling, p = 1 / (1 + exp(a·f + b)), fitted as scikit-learn's `_sigmoid_calibration`
/// defines it: Platt's targets (n₊ + 1)/(n₊ + 2) for positives and 1/(n₋ + 2) for negatives, the
/// cross-entropy minimised from a = 0, b = log((n₋ + 1)/(n₊ + 1)), scores beyond ±30 divided by
/// their largest magnitude while fitting. scikit-learn stops L-BFGS-B at a gradient of 1e-6;
/// here Newton's method with a backtracking line search (Lin, Lin & Weng 2007) runs to the
/// optimum itself, which is what both approximate.
public struct SigmoidCalibration: Sendable, Equatable, Codable {
    public private(set) var a: Double
    public private(set) var b: Double

    public init(a: Double, b: Double) {
        self.a = a
        self.b = b
    }

    /// Fits the scores `f` of rows whose class is `positive` (finite scores only).
    public init(scores f: [Double], positive: [Bool]) {
        let rows = f.indices.filter { f[$0].isFinite }
        let scores = rows.map { f[$0] }, labels = rows.map { positive[$0] }
        let positives = Double(labels.filter { $0 }.count), negatives = Double(labels.count) - positives
        let hiTarget = (positives + 1) / (positives + 2), loTarget = 1 / (negatives + 2)
        let targets = labels.map { $0 ? hiTarget : loTarget }
        let largest = scores.map(abs).max() ?? 0
        let scale = largest >= 30 ? largest : 1
        let x = scores.map { $0 / scale }
        var a = 0.0, b = log((negatives + 1) / (positives + 1))
        func loss(_ a: Double, _ b: Double) -> Double {
            var sum = 0.0
            for (xi, t) in zip(x, targets) {
                let z = a * xi + b  // p = σ(−z); −log p = log(1 + e^z), −log(1 − p) = log(1 + e^−z)
                sum += t * softplus(z) + (1 - t) * softplus(-z)
            }
            return sum
        }
        var current = loss(a, b)
        for _ in 0..<200 {
            var ga = 0.0, gb = 0.0, haa = 1e-300, hab = 0.0, hbb = 1e-300
            for (xi, t) in zip(x, targets) {
                let z = a * xi + b
                let p = z >= 0 ? exp(-z) / (1 + exp(-z)) : 1 / (1 + exp(z))  // σ(−z)
                let d = t - p  // ∂loss/∂z
                let h = p * (1 - p)
                ga += d * xi; gb += d
                haa += h * xi * xi; hab += h * xi; hbb += h
            }
            if max(abs(ga), abs(gb)) < 1e-13 * max(1, Double(x.count)) { break }
            let det = haa * hbb - hab * hab
            guard det > 0, det.isFinite else { break }
            let da = -(hbb * ga - hab * gb) / det, db = -(haa * gb - hab * ga) / det
            var step = 1.0, improved = false
            while step >= 1e-10 {
                let na = a + step * da, nb = b + step * db
                let next = loss(na, nb)
                // Near the optimum the loss changes below its rounding: a step that does not raise it
                // beyond that is taken, so the gradient, not the rounding, decides where Newton stops.
                if next <= current + 1e-4 * step * (ga * da + gb * db) || next - current <= 1e-15 * abs(current) {
                    a = na; b = nb; current = next; improved = true
                    break
                }
                step /= 2
            }
            if !improved { break }
        }
        self.a = a / scale
        self.b = b
    }

    /// The calibrated probability of score `f`.
    public func predict(_ f: Double) -> Double {
        let z = a * f + b
        return z >= 0 ? exp(-z) / (1 + exp(-z)) : 1 / (1 + exp(z))
    }
}

/// log(1 + eᶻ) without overflow.
@inline(__always)
func softplus(_ z: Double) -> Double { z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)) }
