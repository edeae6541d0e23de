/// k-nearest neighbours regression by brute force (Euclidean distance), scikit-learn's
/// `KNeighborsRegressor(algorithm="brute")` with uniform weights: the mean target of the k nearest
/// training rows, equal distances going to the training row that comes first. Missing values are
/// training medians.
public struct KNearestNeighborsRegressor: Regressor, Sendable {
    public var k: Int
    var train: [Double] = []
    var targets: [Double] = []
    var columns = 0
    var imputer = MedianImputer()
    var workerCount = defaultWorkerCount

    public init(k: Int = 5) { self.k = k }

    public mutating func fit(_ x: FeatureMatrix, targets: [Double], seed: UInt64) throws {
        try validateRegressionSet(x, targets: targets)
        guard k >= 1 else { throw LearnError("k must be at least 1, got \(k)") }
        imputer = MedianImputer(fitting: x)
        train = try imputer.filled(x).values
        self.targets = targets
        columns = x.columns
    }

    public func predict(_ x: FeatureMatrix) throws -> [Double] {
        guard !targets.isEmpty else { throw LearnError("the k-nearest-neighbours model has not been trained yet") }
        guard x.columns == columns else { throw LearnError("the model was trained on \(columns) features but got \(x.columns)") }
        let query = try imputer.filled(x)
        let n = targets.count, k = min(self.k, n), columns = self.columns
        let targets = self.targets
        return [Double](unsafeUninitializedCapacity: x.rows) { buffer, initialized in
            buffer.initialize(repeating: 0)
            let out = SharedOutput(buffer: buffer)
            forEachNeighbourhood(train: train, trainRows: n, query: query.values, queryRows: x.rows, columns: columns, k: k,
                                 workers: workerCount) { r, bestIndex, _ in
                var sum = 0.0
                for j in 0..<k { sum += targets[bestIndex[j]] }
                out.buffer[r] = sum / Double(k)
            }
            initialized = x.rows
        }
    }
}
