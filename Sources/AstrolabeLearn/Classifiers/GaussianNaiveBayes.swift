import Foundation

/// Gaussian naive Bayes, scikit-learn's `GaussianNB`: each feature is normal within each class,
/// independently; class priors are the training frequencies.
///
/// Variances get `varSmoothing` × the largest feature variance added, as in scikit-learn, so a
/// feature that is constant within a class does not give infinite densities. Classes never taught
/// get probability 0. Missing values are imputed with training medians. Cheap to fit and fully
/// probabilistic, it is a useful committee member and a baseline for very few labels.
public struct GaussianNaiveBayes: Classifier, Sendable {
    public var varSmoothing: Double
    public internal(set) var classCount = 0

    var subset = ClassSubset(labels: [], classCount: 0)
    var means: [Double] = []
    var variances: [Double] = []
    var logPriors: [Double] = []
    var columns = 0
    var imputer = MedianImputer()

    public init(varSmoothing: Double = 1e-9) {
        self.varSmoothing = varSmoothing
    }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        try validateTrainingSet(x, labels: labels, classCount: classCount)
        imputer = MedianImputer(fitting: x)
        let x = try imputer.filled(x)
        subset = ClassSubset(labels: labels, classCount: classCount)
        let y = subset.compact(labels)
        let k = subset.present.count, d = x.columns
        var counts = [Double](repeating: 0, count: k)
        var means = [Double](repeating: 0, count: k * d)
        var variances = [Double](repeating: 0, count: k * d)
        for r in 0..<x.rows {
            counts[y[r]] += 1
            for c in 0..<d { means[y[r] * d + c] += x.values[r * d + c] }
        }
        for j in 0..<k { for c in 0..<d { means[j * d + c] /= counts[j] } }
        for r in 0..<x.rows {
            for c in 0..<d {
                let diff = x.values[r * d + c] - means[y[r] * d + c]
                variances[y[r] * d + c] += diff * diff
            }
        }
        // ε = varSmoothing × the largest variance of any feature over all training rows.
        var largest = 0.0
        for c in 0..<d {
            var mean = 0.0
            for r in 0..<x.rows { mean += x.values[r * d + c] }
            mean /= Double(x.rows)
            var ss = 0.0
            for r in 0..<x.rows { ss += (x.values[r * d + c] - mean) * (x.values[r * d + c] - mean) }
            largest = max(largest, ss / Double(x.rows))
        }
        let epsilon = varSmoothing * largest
        for j in 0..<k { for c in 0..<d { variances[j * d + c] = variances[j * d + c] / counts[j] + epsilon } }
        self.means = means
        self.variances = variances
        logPriors = counts.map { log($0 / Double(x.rows)) }
        columns = d
        self.classCount = classCount
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        guard classCount > 0 else { throw LearnError("the naive Bayes model has not been trained yet") }
        guard x.columns == columns else {
            throw LearnError("the model was trained on \(columns) features but got \(x.columns)")
        }
        let x = try imputer.filled(x)
        let k = subset.present.count, d = columns
        var out = [Double](repeating: 0, count: x.rows * k)
        var joint = [Double](repeating: 0, count: k)
        // Per class: −½ Σ log(2π σ²) is the same for every row.
        let normalisers = (0..<k).map { j in (0..<d).reduce(0.0) { $0 - 0.5 * log(2 * Double.pi * variances[j * d + $1]) } }
        for r in 0..<x.rows {
            var top = -Double.infinity
            for j in 0..<k {
                var s = logPriors[j] + normalisers[j]
                for c in 0..<d {
                    let diff = x.values[r * d + c] - means[j * d + c]
                    s -= 0.5 * diff * diff / variances[j * d + c]
                }
                joint[j] = s
                top = max(top, s)
            }
            var sum = 0.0
            for j in 0..<k { joint[j] = exp(joint[j] - top); sum += joint[j] }
            for j in 0..<k { out[r * k + j] = joint[j] / sum }
        }
        return subset.expand(out)
    }
}

extension GaussianNaiveBayes: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive {
        var a = ClassifierArchive(kind: "naive-bayes", classCount: classCount, columns: columns)
        a.varSmoothing = varSmoothing
        a.medians = imputer.medians; a.presentClasses = subset.present
        a.means = means; a.variances = variances; a.logPriors = logPriors
        return a
    }

    init(archive a: ClassifierArchive) throws {
        self.init(varSmoothing: try a.need(a.varSmoothing))
        subset = try a.subset()
        let k = subset.present.count
        let means = try a.need(a.means), variances = try a.need(a.variances), priors = try a.need(a.logPriors)
        guard means.count == k * a.columns, variances.count == k * a.columns, priors.count == k else { throw a.damaged }
        self.means = means; self.variances = variances; logPriors = priors
        columns = a.columns; classCount = a.classCount
        imputer = try a.imputer()
    }
}
