import Foundation

/// How probabilities are calibrated (`calibrate=`).
public enum CalibrationMethod: String, CaseIterable, Sendable, Codable {
    /// Isotonic regression: any monotone map, for calibration sets of a few hundred rows or more.
    case isotonic
    /// Platt scaling: a two-parameter sigmoid, for small calibration sets.
    case sigmoid
}

/// Maps a fitted classifier's probabilities to calibrated ones as scikit-learn's
/// `CalibratedClassifierCV(cv="prefit")` does with `predict_proba`: for two classes one map of the
/// second class's probability (the first is 1 − it); for more, one map per class fitted one-vs-rest
/// on that class's column, the results divided by their sum (uniform where the sum is 0) and values
/// within 1e-5 above 1 set to 1.
public struct ProbabilityCalibrator: Sendable, Equatable, Codable {
    public let method: CalibrationMethod
    public let classCount: Int
    public private(set) var isotonic: [IsotonicRegression] = []
    public private(set) var sigmoid: [SigmoidCalibration] = []

    /// Fits the maps on held-out `probabilities` (`truth.count × classCount`) and their classes.
    public init(method: CalibrationMethod, probabilities: [Double], truth: [Int], classCount: Int) throws {
        guard classCount >= 2, probabilities.count == truth.count * classCount, !truth.isEmpty else {
            throw LearnError("calibration needs held-out rows with probabilities for at least two classes")
        }
        self.method = method
        self.classCount = classCount
        let columns = classCount == 2 ? [1] : Array(0..<classCount)
        for c in columns {
            let scores = truth.indices.map { probabilities[$0 * classCount + c] }
            let positive = truth.map { $0 == c }
            switch method {
            case .isotonic: isotonic.append(IsotonicRegression(x: scores, y: positive.map { $0 ? 1 : 0 }))
            case .sigmoid: sigmoid.append(SigmoidCalibration(scores: scores, positive: positive))
            }
        }
    }

    /// Whether the maps fit the method and class count (as a model file must before it is used).
    public var isWellFormed: Bool {
        let maps = classCount == 2 ? 1 : classCount
        switch method {
        case .isotonic:
            return sigmoid.isEmpty && isotonic.count == maps
                && isotonic.allSatisfy { !$0.xs.isEmpty && $0.xs.count == $0.ys.count }
        case .sigmoid:
            return isotonic.isEmpty && sigmoid.count == maps
        }
    }

    /// The calibrated probabilities of rows whose classifier gave `probabilities`.
    public func calibrate(_ probabilities: [Double]) -> [Double] {
        let k = classCount, rows = probabilities.count / max(k, 1)
        var out = [Double](repeating: 0, count: rows * k)
        func mapped(_ map: Int, _ p: Double) -> Double {
            method == .isotonic ? isotonic[map].predict(p) : sigmoid[map].predict(p)
        }
        for r in 0..<rows {
            if k == 2 {
                let p = mapped(0, probabilities[r * 2 + 1])
                out[r * 2 + 1] = p
                out[r * 2] = 1 - p
            } else {
                var sum = 0.0
                for c in 0..<k {
                    out[r * k + c] = mapped(c, probabilities[r * k + c])
                    sum += out[r * k + c]
                }
                for c in 0..<k { out[r * k + c] = sum != 0 ? out[r * k + c] / sum : 1 / Double(k) }
            }
            for c in 0..<k where out[r * k + c] > 1 && out[r * k + c] <= 1 + 1e-5 { out[r * k + c] = 1 }
        }
        return out
    }
}
