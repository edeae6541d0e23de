/// A classifier behind a fitted feature scaling: the scaler is learned from the training rows at
/// every `fit` and applied to every row predicted, so the model and its scaling travel together.
public struct ScaledClassifier: Classifier, Sendable {
    public var scaling: Scaling
    public internal(set) var model: any Classifier & Sendable
    public internal(set) var scaler: FeatureScaler?
    /// Maps the model's probabilities to calibrated ones (`calibrate=`); fitted after the model, on
    /// rows it did not learn from, and cleared by the next `fit`.
    public var calibrator: ProbabilityCalibrator?

    public init(_ model: any Classifier & Sendable, scaling: Scaling) {
        self.model = model
        self.scaling = scaling
    }

    public var classCount: Int { model.classCount }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        let scaler = FeatureScaler(scaling, fitting: x)
        try model.fit(try scaler.transform(x), labels: labels, classCount: classCount, seed: seed)
        self.scaler = scaler
        calibrator = nil
    }

    /// `x` as the inner model sees it.
    public func transform(_ x: FeatureMatrix) throws -> FeatureMatrix {
        guard let scaler else { throw LearnError("the model has not been trained yet") }
        return try scaler.transform(x)
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        let probabilities = try model.predictProbabilities(try transform(x))
        return calibrator?.calibrate(probabilities) ?? probabilities
    }

    /// Each committee member's probabilities, or nil when the model is not a committee.
    public func memberProbabilities(_ x: FeatureMatrix) throws -> [[Double]]? {
        guard let committee = model as? Committee else { return nil }
        return try committee.memberProbabilities(try transform(x))
    }
}
