/// k-nearest neighbours by brute force (Euclidean distance), scikit-learn's
/// `KNeighborsClassifier(algorithm="brute")`.
///
/// An active learner has few labels (hundreds to thousands) and a large pool, so a brute-force scan
/// of the training rows for each pool row, in blocks across cores, beats building a tree index that
/// is thrown away after the next answer. Probabilities are the class shares of the k nearest rows
/// (`uniform`) or shares weighted by 1/distance (`distance`; a row at distance 0 takes all the
/// weight, as in scikit-learn). Equal distances go to the training row that comes first. Missing
/// values are imputed with training medians.
public struct KNearestNeighbors: Classifier, Sendable {
    public enum Weighting: String, Sendable { case uniform, distance }

    /// Number of neighbours (scikit-learn's default 5); fewer when there are fewer training rows.
    public var k: Int
    public var weighting: Weighting
    public internal(set) var classCount = 0

    var train: [Double] = []
    var labels: [Int] = []
    var columns = 0
    var imputer = MedianImputer()
    var workerCount = defaultWorkerCount

    public init(k: Int = 5, weighting: Weighting = .uniform) {
        self.k = k
        self.weighting = weighting
    }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        try validateTrainingSet(x, labels: labels, classCount: classCount)
        guard k >= 1 else { throw LearnError("k must be at least 1, got \(k)") }
        imputer = MedianImputer(fitting: x)
        train = try imputer.filled(x).values
        self.labels = labels
        columns = x.columns
        self.classCount = classCount
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        guard classCount > 0 else { throw LearnError("the k-nearest-neighbours model has not been trained yet") }
        guard x.columns == columns else {
            throw LearnError("the model was trained on \(columns) features but got \(x.columns)")
        }
        let query = try imputer.filled(x)
        let n = labels.count, k = min(self.k, n), columns = self.columns, classCount = self.classCount
        let total = x.rows * classCount
        let labels = self.labels, weighting = self.weighting
        return [Double](unsafeUninitializedCapacity: total) { buffer, initialized in
            buffer.initialize(repeating: 0)
            let out = SharedOutput(buffer: buffer)
            forEachNeighbourhood(train: train, trainRows: n, query: query.values, queryRows: x.rows, columns: columns, k: k,
                                 workers: workerCount) { r, bestIndex, bestDistance in
                let o = r * classCount
                if weighting == .distance, bestDistance[0] == 0 {
                    var zeros = 0
                    for j in 0..<k where bestDistance[j] == 0 { zeros += 1; out.buffer[o + labels[bestIndex[j]]] += 1 }
                    for c in 0..<classCount { out.buffer[o + c] /= Double(zeros) }
                    return
                }
                var sum = 0.0
                for j in 0..<k {
                    let w = weighting == .uniform ? 1 : 1 / bestDistance[j].squareRoot()
                    out.buffer[o + labels[bestIndex[j]]] += w
                    sum += w
                }
                for c in 0..<classCount { out.buffer[o + c] /= sum }
            }
            initialized = total
        }
    }
}

extension KNearestNeighbors: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive {
        var a = ClassifierArchive(kind: "knn", classCount: classCount, columns: columns)
        a.k = k; a.weighting = weighting.rawValue
        a.medians = imputer.medians; a.trainingValues = train; a.trainingLabels = labels
        return a
    }

    init(archive a: ClassifierArchive) throws {
        guard let weighting = Weighting(rawValue: try a.need(a.weighting)), try a.need(a.k) >= 1 else { throw a.damaged }
        self.init(k: try a.need(a.k), weighting: weighting)
        let values = try a.need(a.trainingValues), labels = try a.need(a.trainingLabels)
        guard values.count == labels.count * a.columns, labels.allSatisfy({ $0 >= 0 && $0 < a.classCount }) else { throw a.damaged }
        train = values; self.labels = labels; columns = a.columns; classCount = a.classCount
        imputer = try a.imputer()
    }
}
