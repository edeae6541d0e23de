import Foundation

/// Gradient-boosted trees, scikit-learn's `GradientBoostingClassifier` (log-loss, exact splits).
///
/// Starts from the log class priors; each of `estimators` rounds fits, per class (one tree for two
/// classes), a depth-`maxDepth` regression tree to the residuals y − p and puts a Newton step in each
/// leaf — Σ(y − p) / Σ p(1 − p), times (K − 1)/K for K > 2 classes — then adds `learningRate` times
/// the tree to the raw scores. Probabilities are the sigmoid (two classes) or softmax of the raw
/// scores. Only taught classes are modelled. Missing values are imputed with training medians.
public struct GradientBoosting: Classifier, Sendable {
    public var estimators: Int
    public var learningRate: Double
    public var maxDepth: Int
    public internal(set) var classCount = 0

    /// `rounds × outputs` trees, round-major.
    var trees: [DecisionTree] = []
    var initial: [Double] = []
    var subset = ClassSubset(labels: [], classCount: 0)
    var imputer = MedianImputer()
    var columns = 0

    public init(estimators: Int = 100, learningRate: Double = 0.1, maxDepth: Int = 3) {
        self.estimators = estimators
        self.learningRate = learningRate
        self.maxDepth = maxDepth
    }

    private var outputs: Int { subset.present.count == 2 ? 1 : subset.present.count }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        try validateTrainingSet(x, labels: labels, classCount: classCount)
        guard estimators >= 1, estimators <= 100_000 else {
            throw LearnError("gradient boosting needs 1 to 100000 estimators, got \(estimators)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw LearnError("the learning rate must be positive, got \(learningRate)")
        }
        guard maxDepth >= 1 else { throw LearnError("maxDepth must be at least 1, got \(maxDepth)") }
        imputer = MedianImputer(fitting: x)
        let x = try imputer.filled(x)
        subset = ClassSubset(labels: labels, classCount: classCount)
        self.classCount = classCount
        columns = x.columns
        trees = []
        let k = subset.present.count
        guard k >= 2 else { initial = []; return }
        let y = subset.compact(labels)
        let n = x.rows, m = outputs
        var counts = [Double](repeating: 0, count: k)
        for label in y { counts[label] += 1 }
        let priors = counts.map { min(max($0 / Double(n), 1e-15), 1 - 1e-15) }
        initial = m == 1 ? [log(priors[1] / (1 - priors[1]))] : priors.map { log($0) }
        var raw = [Double](repeating: 0, count: n * m)
        for r in 0..<n { for o in 0..<m { raw[r * m + o] = initial[o] } }
        let builder = RegressionTreeBuilder(features: RankedFeatures(x, imputer: imputer), maxDepth: maxDepth,
                                            minSamplesLeaf: 1)
        var generator = SeededGenerator(seed: seed)
        var probabilities = [Double](repeating: 0, count: n * m)
        var residuals = [Double](repeating: 0, count: n)
        var update = [Double](repeating: 0, count: n)
        let factor = m == 1 ? 1 : Double(k - 1) / Double(k)
        for _ in 0..<estimators {
            // Gradients of every output come from the same raw scores (scikit-learn's order).
            softmaxRows(raw, outputs: m, into: &probabilities)
            for o in 0..<m {
                let target = m == 1 ? 1 : o
                for r in 0..<n { residuals[r] = (y[r] == target ? 1 : 0) - probabilities[r * m + o] }
                let tree = try builder.build(targets: residuals, generator: &generator) { leaf in
                    var numerator = 0.0, denominator = 0.0
                    for s in leaf {
                        let p = probabilities[s * m + o]
                        numerator += residuals[s]
                        denominator += p * (1 - p)
                    }
                    numerator *= factor
                    return abs(denominator) < 1e-150 ? 0 : numerator / denominator
                }
                for r in 0..<n { update[r] = 0 }
                tree.addLeafValues(x, into: &update)
                for r in 0..<n { raw[r * m + o] += learningRate * update[r] }
                trees.append(tree)
            }
        }
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        guard classCount > 0 else { throw LearnError("the gradient-boosting model has not been trained yet") }
        guard x.columns == columns else {
            throw LearnError("the model was trained on \(columns) features but got \(x.columns)")
        }
        let k = subset.present.count
        guard k >= 2 else { return subset.expand([Double](repeating: 1, count: x.rows)) }
        let x = try imputer.filled(x)
        let m = outputs, n = x.rows
        var sums = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
        for (i, tree) in trees.enumerated() { tree.addLeafValues(x, into: &sums[i % m]) }
        var raw = [Double](repeating: 0, count: n * m)
        for r in 0..<n { for o in 0..<m { raw[r * m + o] = initial[o] + learningRate * sums[o][r] } }
        var p = [Double](repeating: 0, count: n * m)
        softmaxRows(raw, outputs: m, into: &p)
        guard m == 1 else { return subset.expand(p) }
        var out = [Double](repeating: 0, count: n * 2)
        for r in 0..<n { out[2 * r] = 1 - p[r]; out[2 * r + 1] = p[r] }
        return subset.expand(out)
    }
}

/// Row-wise softmax of raw scores, or the sigmoid when there is one output.
func softmaxRows(_ raw: [Double], outputs m: Int, into out: inout [Double]) {
    let rows = raw.count / m
    if m == 1 {
        for r in 0..<rows {
            let z = raw[r]
            out[r] = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
        }
        return
    }
    for r in 0..<rows {
        var top = -Double.infinity
        for o in 0..<m { top = max(top, raw[r * m + o]) }
        var sum = 0.0
        for o in 0..<m { let e = exp(raw[r * m + o] - top); out[r * m + o] = e; sum += e }
        for o in 0..<m { out[r * m + o] /= sum }
    }
}

extension GradientBoosting: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive {
        var a = ClassifierArchive(kind: "boosting", classCount: classCount, columns: columns)
        a.estimators = estimators; a.learningRate = learningRate; a.maxDepth = maxDepth
        a.medians = imputer.medians; a.presentClasses = subset.present
        a.forest = trees.map(\.archive); a.weights = initial
        return a
    }

    init(archive a: ClassifierArchive) throws {
        self.init(estimators: try a.need(a.estimators), learningRate: try a.need(a.learningRate), maxDepth: try a.need(a.maxDepth))
        subset = try a.subset()
        let present = subset.present.count
        let outputs = present == 2 ? 1 : present
        trees = try a.decisionTrees()
        initial = try a.need(a.weights)
        guard initial.count == outputs, outputs > 0, trees.count % outputs == 0,
              trees.allSatisfy({ $0.classCount == 1 }) else { throw a.damaged }
        columns = a.columns; classCount = a.classCount
        imputer = try a.imputer()
    }
}
