import Foundation

/// How far predictions are from the truth, with the photometric-redshift conventions: for
/// Δz = (predicted − true)/(1 + true), NMAD = 1.4826·median(|Δz − median(Δz)|) and the outlier
/// fraction |Δz| > 0.15; plus RMSE, MAE and the mean Δz (bias). The medians are numpy's.
public struct RegressionMetrics: Sendable, Equatable {
    public let count: Int
    public let rmse: Double
    public let mae: Double
    public let bias: Double
    public let nmad: Double
    public let outlierFraction: Double
    /// Coefficient of determination (scikit-learn's `r2_score`).
    public let r2: Double

    /// Outliers are rows with |Δz| above this.
    public static let outlierThreshold = 0.15

    public init(truth: [Double], predicted: [Double]) {
        let n = min(truth.count, predicted.count)
        count = n
        guard n > 0 else { rmse = .nan; mae = .nan; bias = .nan; nmad = .nan; outlierFraction = .nan; r2 = .nan; return }
        var squares = 0.0, absolute = 0.0, outliers = 0
        var scaled = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let d = predicted[i] - truth[i]
            squares += d * d
            absolute += abs(d)
            scaled[i] = d / (1 + truth[i])
            if abs(scaled[i]) > Self.outlierThreshold { outliers += 1 }
        }
        rmse = (squares / Double(n)).squareRoot()
        mae = absolute / Double(n)
        bias = scaled.reduce(0, +) / Double(n)
        var sorted = scaled
        let centre = MedianImputer.median(of: &sorted)
        var deviations = scaled.map { abs($0 - centre) }
        nmad = 1.4826 * MedianImputer.median(of: &deviations)
        outlierFraction = Double(outliers) / Double(n)
        let mean = truth.prefix(n).reduce(0, +) / Double(n)
        let total = truth.prefix(n).reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        r2 = total > 0 ? 1 - squares / total : .nan
    }
}
