import Foundation

/// AdaBoost with decision stumps, scikit-learn's `AdaBoostClassifier` (SAMME, the multi-class
/// algorithm; scikit-learn's only one since 1.6).
///
/// Each round fits a depth-`maxDepth` tree to the reweighted rows, gives it the say
/// α = learningRate · (ln((1 − err)/err) + ln(K − 1)) and multiplies the weights of the rows it got
/// wrong by e^α. Probabilities are scikit-learn's: softmax of the α-weighted votes
/// (+1 for the predicted class, −1/(K − 1) for the others, divided by Σα) over K − 1. Stops early
/// when a round is perfect or no better than chance. Only taught classes are modelled.
public struct AdaBoost: Classifier, Sendable {
    public var estimators: Int
    public var learningRate: Double
    public var maxDepth: Int
    public internal(set) var classCount = 0

    var stumps: [DecisionTree] = []
    var alphas: [Double] = []
    var subset = ClassSubset(labels: [], classCount: 0)
    var imputer = MedianImputer()
    var columns = 0

    public init(estimators: Int = 50, learningRate: Double = 1, maxDepth: Int = 1) {
        self.estimators = estimators
        self.learningRate = learningRate
        self.maxDepth = maxDepth
    }

    /// Number of rounds kept (fewer than `estimators` after an early stop).
    public var rounds: Int { stumps.count }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        try validateTrainingSet(x, labels: labels, classCount: classCount)
        guard estimators >= 1, estimators <= 100_000 else {
            throw LearnError("AdaBoost needs 1 to 100000 estimators, got \(estimators)")
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
        stumps = []
        alphas = []
        let k = subset.present.count
        guard k >= 2 else { return }
        let y = subset.compact(labels)
        let builder = TreeBuilder(features: RankedFeatures(x, imputer: imputer), labels: y, classCount: k,
                                  maxDepth: maxDepth, minSamplesLeaf: 1, maxFeatures: x.columns)
        let n = x.rows
        var weights = [Double](repeating: 1 / Double(n), count: n)
        var generator = SeededGenerator(seed: seed)
        var frequencies = [Double](repeating: 0, count: n * k)
        for round in 0..<estimators {
            let tree = try builder.build(weights: weights, generator: &generator)
            for i in frequencies.indices { frequencies[i] = 0 }
            tree.addLeafValues(x, into: &frequencies)
            let predicted = argmaxRows(frequencies, classCount: k)
            var error = 0.0, total = 0.0
            for i in 0..<n {
                total += weights[i]
                if predicted[i] != y[i] { error += weights[i] }
            }
            error /= total
            if error <= 0 {
                stumps.append(tree)
                alphas.append(1)
                break
            }
            if error >= 1 - 1 / Double(k) {
                if stumps.isEmpty {
                    throw LearnError("AdaBoost's first tree is no better than chance; the ensemble cannot be fit")
                }
                break
            }
            let alpha = learningRate * (log((1 - error) / error) + log(Double(k - 1)))
            stumps.append(tree)
            alphas.append(alpha)
            guard round < estimators - 1 else { break }
            var sum = 0.0
            for i in 0..<n {
                if predicted[i] != y[i] && weights[i] > 0 { weights[i] *= exp(alpha) }
                sum += weights[i]
            }
            guard sum > 0, sum.isFinite else { break }
            for i in 0..<n { weights[i] /= sum }
        }
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        guard classCount > 0 else { throw LearnError("the AdaBoost model has not been trained yet") }
        guard x.columns == columns else {
            throw LearnError("the model was trained on \(columns) features but got \(x.columns)")
        }
        let k = subset.present.count
        guard k >= 2 else { return subset.expand([Double](repeating: 1, count: x.rows)) }
        let x = try imputer.filled(x)
        var decision = [Double](repeating: 0, count: x.rows * k)
        var frequencies = [Double](repeating: 0, count: x.rows * k)
        let other = -1 / Double(k - 1)
        for (tree, alpha) in zip(stumps, alphas) {
            for i in frequencies.indices { frequencies[i] = 0 }
            tree.addLeafValues(x, into: &frequencies)
            let predicted = argmaxRows(frequencies, classCount: k)
            for r in 0..<x.rows {
                for c in 0..<k { decision[r * k + c] += alpha * (predicted[r] == c ? 1 : other) }
            }
        }
        let norm = alphas.reduce(0, +) * Double(k - 1)
        for r in 0..<x.rows {
            var top = -Double.infinity
            for c in 0..<k { decision[r * k + c] /= norm; top = max(top, decision[r * k + c]) }
            var sum = 0.0
            for c in 0..<k { decision[r * k + c] = exp(decision[r * k + c] - top); sum += decision[r * k + c] }
            for c in 0..<k { decision[r * k + c] /= sum }
        }
        return subset.expand(decision)
    }
}

extension AdaBoost: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive {
        var a = ClassifierArchive(kind: "adaboost", classCount: classCount, columns: columns)
        a.estimators = estimators; a.learningRate = learningRate; a.maxDepth = maxDepth
        a.medians = imputer.medians; a.presentClasses = subset.present
        a.forest = stumps.map(\.archive); a.weights = alphas
        return a
    }

    init(archive a: ClassifierArchive) throws {
        self.init(estimators: try a.need(a.estimators), learningRate: try a.need(a.learningRate), maxDepth: try a.need(a.maxDepth))
        subset = try a.subset()
        stumps = try a.decisionTrees()
        alphas = try a.need(a.weights)
        guard alphas.count == stumps.count, stumps.allSatisfy({ $0.classCount == subset.present.count }) else { throw a.damaged }
        columns = a.columns; classCount = a.classCount
        imputer = try a.imputer()
    }
}
