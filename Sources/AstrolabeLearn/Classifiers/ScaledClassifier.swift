/// A classifier behind a fitted feature scaling: the scaler is learned from the training rows at
/// every `fit` and applied to every row predicted, so the model and its scaling travel together.
public struct ScaledClassifier: Classifier, Sendable {
    public var scaling: Scaling
    public internal(set) var model: any Classifier & Sendable
    public internal(set) var scaler: FeatureScaler?

    public init(_ model: any Classifier & Sendable, scaling: Scaling) {
        self.model = model
        self.scaling = scaling
    }

    public var classCount: Int { model.classCount }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        let scaler = FeatureScaler(scaling, fitting: x)
        try model.fit(try scaler.transform(x), labels: labels, classCount: classCount, seed: seed)
        self.scaler = scaler
    }

    /// `x` as the inner model sees it.
    public func transform(_ x: FeatureMatrix) throws -> FeatureMatrix {
        guard let scaler else { throw LearnError("the model has not been trained yet") }
        return try scaler.transform(x)
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        try model.predictProbabilities(try transform(x))
    }

    /// Each committee member's probabilities, or nil when the model is not a committee.
    public func memberProbabilities(_ x: FeatureMatrix) throws -> [[Double]]? {
        guard let committee = model as? Committee else { return nil }
        return try committee.memberProbabilities(try transform(x))
    }
}

/// The classifiers users can name, with their settings, for the command language.
public enum ClassifierCatalog {
    /// Names users type, in the order they are listed.
    public static let names = ["forest", "extra-trees", "tree", "knn", "logistic", "naive-bayes", "adaboost", "boosting"]

    /// Long names shown in reports.
    public static func describe(_ name: String) -> String {
        switch name {
        case "forest": return "random forest"
        case "extra-trees": return "extra trees"
        case "tree": return "decision tree"
        case "knn": return "k-nearest neighbours"
        case "logistic": return "logistic regression"
        case "naive-bayes": return "Gaussian naive Bayes"
        case "adaboost": return "AdaBoost"
        case "boosting": return "gradient boosting"
        default: return name
        }
    }

    /// The scaling a classifier gets when the user does not choose: standard for the models that
    /// measure distances or weigh features against each other, none for trees and naive Bayes.
    public static func defaultScaling(_ name: String) -> Scaling {
        name == "knn" || name == "logistic" ? .standard : .none
    }

    /// Settings shared by the catalogue; each classifier reads the ones it has.
    public struct Settings: Sendable {
        public var trees = 100
        public var maxDepth: Int?
        public var k = 5
        public var c = 1.0
        public var estimators: Int?
        public init() {}
    }

    /// An untrained classifier called `name`, or nil for an unknown name.
    public static func make(_ name: String, settings: Settings) -> (any Classifier & Sendable)? {
        switch name {
        case "forest": return RandomForest(trees: settings.trees, maxDepth: settings.maxDepth)
        case "extra-trees": return ExtraTrees(trees: settings.trees, maxDepth: settings.maxDepth)
        case "tree": return DecisionTreeClassifier(maxDepth: settings.maxDepth)
        case "knn": return KNearestNeighbors(k: settings.k)
        case "logistic": return LogisticRegression(c: settings.c)
        case "naive-bayes": return GaussianNaiveBayes()
        case "adaboost": return AdaBoost(estimators: settings.estimators ?? 50, maxDepth: settings.maxDepth ?? 1)
        case "boosting": return GradientBoosting(estimators: settings.estimators ?? 100, maxDepth: settings.maxDepth ?? 3)
        default: return nil
        }
    }
}
