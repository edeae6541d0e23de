/// A model that learns a number from features: the regression counterpart of `Classifier`, in the
/// spirit of scikit-learn's regressor API, so the kernel, query strategies and scores treat every
/// regressor alike.
public protocol Regressor {
    /// Learns from `x` (one row per sample) and one finite target per row. The same inputs and
    /// `seed` always give the same model.
    mutating func fit(_ x: FeatureMatrix, targets: [Double], seed: UInt64) throws

    /// One prediction per row of `x`.
    func predict(_ x: FeatureMatrix) throws -> [Double]

    /// Each ensemble member's predictions (the trees of a forest: `members[m][row]`), whose spread
    /// the variance and expected-model-change strategies read; nil for a single model.
    func memberPredictions(_ x: FeatureMatrix) throws -> [[Double]]?
}

extension Regressor {
    public func memberPredictions(_ x: FeatureMatrix) throws -> [[Double]]? { nil }
}

/// Checks a regression training set: as many finite targets as rows, at least one row.
func validateRegressionSet(_ x: FeatureMatrix, targets: [Double]) throws {
    guard x.rows == targets.count else {
        throw LearnError("got \(x.rows) rows but \(targets.count) targets")
    }
    guard x.rows > 0 else { throw LearnError("no training rows") }
    guard targets.allSatisfy(\.isFinite) else { throw LearnError("targets must be finite numbers") }
}

/// A regressor behind a fitted feature scaling (learned from the training rows at every `fit`),
/// as `ScaledClassifier` is for classifiers.
public struct ScaledRegressor: Regressor, Sendable {
    public var scaling: Scaling
    public internal(set) var model: any Regressor & Sendable
    public internal(set) var scaler: FeatureScaler?

    public init(_ model: any Regressor & Sendable, scaling: Scaling) {
        self.model = model
        self.scaling = scaling
    }

    public mutating func fit(_ x: FeatureMatrix, targets: [Double], seed: UInt64) throws {
        let scaler = FeatureScaler(scaling, fitting: x)
        try model.fit(try scaler.transform(x), targets: targets, seed: seed)
        self.scaler = scaler
    }

    /// `x` as the inner model sees it.
    public func transform(_ x: FeatureMatrix) throws -> FeatureMatrix {
        guard let scaler else { throw LearnError("the model has not been trained yet") }
        return try scaler.transform(x)
    }

    public func predict(_ x: FeatureMatrix) throws -> [Double] { try model.predict(try transform(x)) }

    public func memberPredictions(_ x: FeatureMatrix) throws -> [[Double]]? {
        try model.memberPredictions(try transform(x))
    }
}
