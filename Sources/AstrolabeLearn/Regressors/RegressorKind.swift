/// The regressors users can name (`regressor=forest`): one entry per kind, and the one place a new
/// regressor is added (its own file conforming to `Regressor`, plus one entry in `all`), as
/// `ClassifierKind` is for classifiers. Settings are the classifiers' (`ClassifierSettings`:
/// `trees=`, `depth=`, `k=`, `estimators=`); each kind reads those in its `options`.
public struct RegressorKind: Sendable {
    public let name: String
    /// The long name shown in reports ("random forest regression").
    public let description: String
    public let options: Set<ClassifierOption>
    /// The scaling it gets when the user does not choose (standard for distances).
    public let defaultScaling: Scaling
    /// Whether its fits are ensembles whose members' spread the variance strategies read.
    public let isEnsemble: Bool
    let factory: @Sendable (ClassifierSettings) -> any Regressor & Sendable

    init(_ name: String, _ description: String, options: Set<ClassifierOption>, scaling: Scaling = .none,
         ensemble: Bool = false, make: @escaping @Sendable (ClassifierSettings) -> any Regressor & Sendable) {
        self.name = name
        self.description = description
        self.options = options
        self.defaultScaling = scaling
        self.isEnsemble = ensemble
        self.factory = make
    }

    /// An untrained regressor of this kind with `settings`.
    public func make(_ settings: ClassifierSettings) -> any Regressor & Sendable { factory(settings) }
}

extension RegressorKind {
    /// Every kind, in the order they are listed to users.
    public static let all: [RegressorKind] = [
        RegressorKind("forest", "random forest regression", options: [.trees, .depth], ensemble: true,
                      make: { RandomForestRegressor(trees: $0.trees, maxDepth: $0.maxDepth) }),
        RegressorKind("extra-trees", "extra trees regression", options: [.trees, .depth], ensemble: true,
                      make: { RandomForestRegressor(trees: $0.trees, maxDepth: $0.maxDepth, bootstrap: false, randomSplits: true) }),
        RegressorKind("tree", "regression tree", options: [.depth],
                      make: { RandomForestRegressor.singleTree(maxDepth: $0.maxDepth) }),
        RegressorKind("boosting", "gradient boosting regression", options: [.estimators, .depth],
                      make: { GradientBoostingRegressor(estimators: $0.estimators ?? 100, maxDepth: $0.maxDepth ?? 3) }),
        RegressorKind("knn", "k-nearest neighbours regression", options: [.k], scaling: .standard,
                      make: { KNearestNeighborsRegressor(k: $0.k) }),
        RegressorKind("linear", "linear regression", options: [], scaling: .standard, make: { _ in LinearRegression() }),
    ]

    /// Every name `regressor=` takes, in listing order.
    public static var allNames: [String] { all.map(\.name) }

    /// The kind called exactly `name`, or nil.
    public static func named(_ name: String) -> RegressorKind? { all.first { $0.name == name } }

    /// The kind called `name`; an `UnknownName` listing them, with the nearest name, otherwise.
    public static func resolve(_ name: String) throws -> RegressorKind {
        guard let kind = named(name) else { throw UnknownName(what: "regressor", name: name, available: allNames) }
        return kind
    }
}
