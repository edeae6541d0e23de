/// How features are rescaled before a classifier sees them.
///
/// Distance- and gradient-based classifiers (k-nearest neighbours, logistic regression) care about
/// units: a flux in erg/cm²/s next to a photon index would otherwise count for nothing. Trees do not
/// care. The statistics are learned from the training rows only and stored with the model, so a
/// row is transformed identically at training and at prediction.
public enum Scaling: String, CaseIterable, Sendable {
    /// Values as they are.
    case none
    /// (x − mean) / standard deviation (population, ddof = 0), scikit-learn's `StandardScaler`.
    case standard
    /// (x − median) / interquartile range, scikit-learn's `RobustScaler`: heavy tails (fluxes,
    /// variability indices) do not squash the bulk of the data.
    case robust
}

/// A fitted `Scaling`: one centre and one scale per feature.
///
/// Missing values (NaN) are ignored when fitting and stay NaN when transforming, as in
/// scikit-learn; a feature that is constant (or missing everywhere) gets scale 1.
public struct FeatureScaler: Sendable, Equatable {
    public let scaling: Scaling
    public internal(set) var centres: [Double]
    public internal(set) var scales: [Double]

    /// The identity for `columns` features.
    public init(identityFor columns: Int) {
        scaling = .none
        centres = [Double](repeating: 0, count: columns)
        scales = [Double](repeating: 1, count: columns)
    }

    /// Learns the statistics of `scaling` from the rows of `x`.
    public init(_ scaling: Scaling, fitting x: FeatureMatrix) {
        self.scaling = scaling
        var centres = [Double](repeating: 0, count: x.columns)
        var scales = [Double](repeating: 1, count: x.columns)
        var present = [Double]()
        present.reserveCapacity(x.rows)
        if scaling != .none {
            for c in 0..<x.columns {
                present.removeAll(keepingCapacity: true)
                for r in 0..<x.rows {
                    let v = x.values[r * x.columns + c]
                    if !v.isNaN { present.append(v) }
                }
                guard !present.isEmpty else { continue }
                switch scaling {
                case .none: break
                case .standard:
                    let mean = present.reduce(0, +) / Double(present.count)
                    var ss = 0.0
                    for v in present { ss += (v - mean) * (v - mean) }
                    let sd = (ss / Double(present.count)).squareRoot()
                    centres[c] = mean
                    scales[c] = sd > 0 && sd.isFinite ? sd : 1
                case .robust:
                    present.sort()
                    let q1 = quantile(sorted: present, 0.25), q3 = quantile(sorted: present, 0.75)
                    centres[c] = quantile(sorted: present, 0.5)
                    let iqr = q3 - q1
                    scales[c] = iqr > 0 && iqr.isFinite ? iqr : 1
                }
            }
        }
        self.centres = centres
        self.scales = scales
    }

    /// `x` rescaled; `x.columns` must be the number of features fitted.
    public func transform(_ x: FeatureMatrix) throws -> FeatureMatrix {
        guard x.columns == centres.count else {
            throw LearnError("the scaler was fitted on \(centres.count) features but got \(x.columns)")
        }
        if scaling == .none { return x }
        var values = x.values
        let columns = x.columns
        values.withUnsafeMutableBufferPointer { v in
            for r in 0..<x.rows {
                for c in 0..<columns { v[r * columns + c] = (v[r * columns + c] - centres[c]) / scales[c] }
            }
        }
        return try FeatureMatrix(rows: x.rows, columns: columns, values: values)
    }
}

/// numpy's default ("linear") quantile of sorted values.
func quantile(sorted values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let position = q * Double(values.count - 1)
    let low = Int(position.rounded(.down))
    let high = min(low + 1, values.count - 1)
    let fraction = position - Double(low)
    return values[low] + (values[high] - values[low]) * fraction
}
