import Foundation

/// Logistic regression with an L2 penalty, scikit-learn's `LogisticRegression(penalty="l2")` with
/// the lbfgs solver: multinomial (softmax) for three or more classes, a single logistic function
/// for two — scikit-learn's parametrisations, so the optimum, and hence every probability, is the
/// same.
///
/// Minimises Σᵢ loss(xᵢ, yᵢ) + ‖W‖² / (2C) (the intercepts are not penalised) with L-BFGS to a
/// tight tolerance, so the result is the unique optimum rather than wherever an iteration limit
/// stopped. Only taught classes are modelled; others get probability 0. Missing values are imputed
/// with training medians. Scale features (`Scaling.standard`) for sensible results.
public struct LogisticRegression: Classifier, Sendable {
    /// Inverse regularisation strength (scikit-learn's `C`, default 1).
    public var c: Double
    public var maxIterations: Int
    /// Start the next fit from the current coefficients when the classes and features are the
    /// same. The objective is strictly convex, so the optimum is the same; an active-learning loop
    /// that adds one label at a time converges in a fraction of the iterations.
    public var warmStart = false
    /// Class weights (scikit-learn's `class_weight`): each row's loss is multiplied by its class's
    /// weight, and the penalty is divided by the weights' sum instead of the row count.
    public var classWeighting = ClassWeighting.none
    public internal(set) var classCount = 0
    /// L-BFGS iterations of the last fit, and whether it reached the tolerance.
    public internal(set) var iterations = 0
    public internal(set) var converged = false

    var subset = ClassSubset(labels: [], classCount: 0)
    /// `outputs × (columns + 1)`: each output's weights then its intercept.
    var coefficients: [Double] = []
    var columns = 0
    var imputer = MedianImputer()

    public init(c: Double = 1, maxIterations: Int = 1000) {
        self.c = c
        self.maxIterations = maxIterations
    }

    /// One output for two classes (the log-odds of the second), one per class otherwise.
    private var outputs: Int { subset.present.count == 2 ? 1 : subset.present.count }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        try validateTrainingSet(x, labels: labels, classCount: classCount)
        guard c > 0, c.isFinite else { throw LearnError("C must be a positive number, got \(c)") }
        imputer = MedianImputer(fitting: x)
        let x = try imputer.filled(x)
        let previousSubset = subset, previousColumns = columns
        subset = ClassSubset(labels: labels, classCount: classCount)
        self.classCount = classCount
        columns = x.columns
        let y = subset.compact(labels)
        let k = subset.present.count
        guard k >= 2 else {
            coefficients = []
            iterations = 0
            converged = true
            return
        }
        let m = outputs, d = x.columns, n = x.rows, width = d + 1
        // scikit-learn's scaling: mean loss + ‖W‖² / (2 C n); same optimum, gradients of order 1.
        let rowWeights = classWeighting.sampleWeights(labels: labels, classCount: classCount)
        let weightSum = classWeighting.isNone ? Double(n) : rowWeights.reduce(0, +)
        let penalty = 1 / (c * weightSum)
        let scale = 1 / weightSum
        let values = x.values
        var z = [Double](repeating: 0, count: m)
        var solver = LBFGS()
        solver.maxIterations = maxIterations
        solver.gradientTolerance = 1e-9
        let canWarmStart = warmStart && previousSubset == subset && previousColumns == d && coefficients.count == m * width
        let start = canWarmStart ? coefficients : [Double](repeating: 0, count: m * width)
        let result = try solver.minimize(from: start) { w, g in
            for i in g.indices { g[i] = 0 }
            var loss = 0.0
            for r in 0..<n {
                let row = r * d
                for o in 0..<m {
                    var s = w[o * width + d]
                    for j in 0..<d { s += w[o * width + j] * values[row + j] }
                    z[o] = s
                }
                let sw = rowWeights[r]
                if m == 1 {
                    // Binary: loss = log(1 + e^z) − y z; dloss/dz = σ(z) − y.
                    let t = Double(y[r])
                    let zz = z[0]
                    loss += sw * ((zz > 0 ? zz + log1p(exp(-zz)) : log1p(exp(zz))) - t * zz)
                    let p = zz >= 0 ? 1 / (1 + exp(-zz)) : exp(zz) / (1 + exp(zz))
                    z[0] = sw * (p - t)
                } else {
                    var top = -Double.infinity
                    for o in 0..<m { top = max(top, z[o]) }
                    var sum = 0.0
                    for o in 0..<m { sum += exp(z[o] - top) }
                    let logSum = top + log(sum)
                    loss += sw * (logSum - z[y[r]])
                    for o in 0..<m { z[o] = sw * (exp(z[o] - logSum) - (o == y[r] ? 1 : 0)) }
                }
                for o in 0..<m {
                    let e = z[o]
                    if e == 0 { continue }
                    for j in 0..<d { g[o * width + j] += e * values[row + j] }
                    g[o * width + d] += e
                }
            }
            var norm = 0.0
            for o in 0..<m {
                for j in 0..<d {
                    let wj = w[o * width + j]
                    norm += wj * wj
                    g[o * width + j] = g[o * width + j] * scale + penalty * wj
                }
                g[o * width + d] *= scale
            }
            return loss * scale + 0.5 * penalty * norm
        }
        coefficients = result.x
        iterations = result.iterations
        converged = result.converged
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        guard classCount > 0 else { throw LearnError("the logistic regression has not been trained yet") }
        guard x.columns == columns else {
            throw LearnError("the model was trained on \(columns) features but got \(x.columns)")
        }
        let k = subset.present.count
        guard k >= 2 else { return subset.expand([Double](repeating: 1, count: x.rows)) }
        let x = try imputer.filled(x)
        let m = outputs, d = columns, width = d + 1
        var out = [Double](repeating: 0, count: x.rows * k)
        var z = [Double](repeating: 0, count: m)
        for r in 0..<x.rows {
            for o in 0..<m {
                var s = coefficients[o * width + d]
                for j in 0..<d { s += coefficients[o * width + j] * x.values[r * d + j] }
                z[o] = s
            }
            if m == 1 {
                let p = z[0] >= 0 ? 1 / (1 + exp(-z[0])) : exp(z[0]) / (1 + exp(z[0]))
                out[r * 2] = 1 - p
                out[r * 2 + 1] = p
            } else {
                let top = z.max() ?? 0
                var sum = 0.0
                for o in 0..<m { z[o] = exp(z[o] - top); sum += z[o] }
                for o in 0..<m { out[r * k + o] = z[o] / sum }
            }
        }
        return subset.expand(out)
    }
}

extension LogisticRegression: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive {
        var a = ClassifierArchive(kind: "logistic", classCount: classCount, columns: columns)
        a.c = c; a.maxIterations = maxIterations; a.warmStart = warmStart
        a.medians = imputer.medians; a.presentClasses = subset.present; a.weights = coefficients
        a.iterations = iterations; a.converged = converged
        return a
    }

    init(archive a: ClassifierArchive) throws {
        self.init(c: try a.need(a.c), maxIterations: try a.need(a.maxIterations))
        warmStart = a.warmStart ?? false
        subset = try a.subset()
        let present = subset.present.count
        let w = try a.need(a.weights)
        guard w.count == (present == 2 ? 1 : present) * (a.columns + 1) else { throw a.damaged }
        coefficients = w; columns = a.columns; classCount = a.classCount
        imputer = try a.imputer()
        iterations = a.iterations ?? 0; converged = a.converged ?? false
    }
}
