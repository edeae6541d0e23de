/// Ordinary least squares, scikit-learn's `LinearRegression`: the intercept is the mean target
/// minus the coefficients times the feature means; the coefficients solve the centred normal
/// equations by Cholesky (a ridge of 1e-12 of the trace is added only when the features are
/// collinear, where scikit-learn's least-squares solver would pick the minimum-norm solution).
/// Missing values are training medians.
public struct LinearRegression: Regressor, Sendable {
    public private(set) var coefficients: [Double] = []
    public private(set) var intercept = 0.0
    var imputer = MedianImputer()

    public init() {}

    public mutating func fit(_ x: FeatureMatrix, targets: [Double], seed: UInt64) throws {
        try validateRegressionSet(x, targets: targets)
        imputer = MedianImputer(fitting: x)
        let x = try imputer.filled(x)
        let n = x.rows, p = x.columns
        var means = [Double](repeating: 0, count: p)
        for r in 0..<n { for c in 0..<p { means[c] += x.values[r * p + c] } }
        for c in 0..<p { means[c] /= Double(n) }
        let meanTarget = targets.reduce(0, +) / Double(n)
        var gram = [Double](repeating: 0, count: p * p), moment = [Double](repeating: 0, count: p)
        for r in 0..<n {
            let t = targets[r] - meanTarget
            for a in 0..<p {
                let xa = x.values[r * p + a] - means[a]
                moment[a] += xa * t
                for b in 0...a { gram[a * p + b] += xa * (x.values[r * p + b] - means[b]) }
            }
        }
        for a in 0..<p { for b in 0..<a { gram[b * p + a] = gram[a * p + b] } }
        let trace = (0..<p).reduce(0.0) { $0 + gram[$1 * p + $1] }
        var solution = choleskySolve(gram, moment, size: p)
        if solution == nil {
            var ridged = gram
            for a in 0..<p { ridged[a * p + a] += max(1e-12 * trace, 1e-300) }
            solution = choleskySolve(ridged, moment, size: p)
        }
        guard let beta = solution else { throw LearnError("the features are degenerate: no least-squares solution") }
        coefficients = beta
        intercept = meanTarget - zip(beta, means).reduce(0) { $0 + $1.0 * $1.1 }
    }

    public func predict(_ x: FeatureMatrix) throws -> [Double] {
        guard x.columns == coefficients.count, !coefficients.isEmpty || x.columns == 0 else {
            throw LearnError("the linear model was trained on \(coefficients.count) features but got \(x.columns)")
        }
        let x = try imputer.filled(x)
        return (0..<x.rows).map { r in
            var sum = intercept
            for c in 0..<x.columns { sum += coefficients[c] * x.values[r * x.columns + c] }
            return sum
        }
    }
}

/// Solves the symmetric positive-definite system `a · x = b` (`size` × `size`, row-major) by
/// Cholesky; nil when `a` is not positive definite.
func choleskySolve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {
            var sum = a[i * n + j]
            for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
            if i == j {
                guard sum > 0, sum.isFinite else { return nil }
                l[i * n + i] = sum.squareRoot()
            } else {
                l[i * n + j] = sum / l[j * n + j]
            }
        }
    }
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
        var sum = b[i]
        for k in 0..<i { sum -= l[i * n + k] * y[k] }
        y[i] = sum / l[i * n + i]
    }
    var x = [Double](repeating: 0, count: n)
    for i in stride(from: n - 1, through: 0, by: -1) {
        var sum = y[i]
        for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
        x[i] = sum / l[i * n + i]
    }
    return x
}
