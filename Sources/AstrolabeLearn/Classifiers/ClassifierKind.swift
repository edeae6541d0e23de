/// The classifiers users can name: one entry per kind, and the one place a new classifier is
/// added (its own file, conforming to `ArchivableClassifier`, plus one entry in `all`).
///
/// The entry's name is what users type (`classifier=knn`, `members=forest,knn`) and the tag its
/// model files carry (`"kind": "knn"`), so a name once released must not change: archives written
/// with it have to load.
public struct ClassifierKind: Sendable {
    /// What users type and what model files are tagged with.
    public let name: String
    /// The long name shown in reports ("random forest").
    public let description: String
    /// The settings (`trees=`, `depth=`, ...) this kind reads; the others do not change it.
    public let options: Set<ClassifierOption>
    /// The scaling it gets when the user does not choose: standard for the models that measure
    /// distances or weigh features against each other, none for trees and naive Bayes.
    public let defaultScaling: Scaling
    /// Whether it can be a committee member (every kind but the committee itself).
    public let canBeMember: Bool
    let factory: @Sendable (ClassifierSettings) -> any Classifier & Sendable
    let restorer: @Sendable (ClassifierArchive) throws -> any Classifier & Sendable

    init(_ name: String, _ description: String, options: Set<ClassifierOption>, scaling: Scaling = .none,
         canBeMember: Bool = true, make: @escaping @Sendable (ClassifierSettings) -> any Classifier & Sendable,
         restore: @escaping @Sendable (ClassifierArchive) throws -> any Classifier & Sendable) {
        self.name = name
        self.description = description
        self.options = options
        self.defaultScaling = scaling
        self.canBeMember = canBeMember
        self.factory = make
        self.restorer = restore
    }

    /// An untrained classifier of this kind with `settings`.
    public func make(_ settings: ClassifierSettings) -> any Classifier & Sendable { factory(settings) }

    /// The fitted classifier `archive` (of this kind) describes.
    func restore(_ archive: ClassifierArchive) throws -> any Classifier & Sendable { try restorer(archive) }
}

extension ClassifierKind {
    /// Every kind, in the order they are listed to users.
    public static let all: [ClassifierKind] = [
        ClassifierKind("forest", "random forest", options: [.trees, .depth, .classWeight],
                       make: { forest($0) }, restore: { try RandomForest(archive: $0) }),
        ClassifierKind("extra-trees", "extra trees", options: [.trees, .depth, .classWeight],
                       make: { ExtraTrees(trees: $0.trees, maxDepth: $0.maxDepth, classWeighting: $0.classWeighting) }, restore: { try ExtraTrees(archive: $0) }),
        ClassifierKind("tree", "decision tree", options: [.depth, .classWeight],
                       make: { DecisionTreeClassifier(maxDepth: $0.maxDepth, classWeighting: $0.classWeighting) }, restore: { try DecisionTreeClassifier(archive: $0) }),
        ClassifierKind("knn", "k-nearest neighbours", options: [.k], scaling: .standard,
                       make: { KNearestNeighbors(k: $0.k) }, restore: { try KNearestNeighbors(archive: $0) }),
        ClassifierKind("logistic", "logistic regression", options: [.c, .classWeight], scaling: .standard,
                       make: { var model = LogisticRegression(c: $0.c); model.classWeighting = $0.classWeighting; return model }, restore: { try LogisticRegression(archive: $0) }),
        ClassifierKind("naive-bayes", "Gaussian naive Bayes", options: [],
                       make: { _ in GaussianNaiveBayes() }, restore: { try GaussianNaiveBayes(archive: $0) }),
        ClassifierKind("adaboost", "AdaBoost", options: [.estimators, .depth],
                       make: { AdaBoost(estimators: $0.estimators ?? 50, maxDepth: $0.maxDepth ?? 1) }, restore: { try AdaBoost(archive: $0) }),
        ClassifierKind("boosting", "gradient boosting", options: [.estimators, .depth],
                       make: { GradientBoosting(estimators: $0.estimators ?? 100, maxDepth: $0.maxDepth ?? 3) },
                       restore: { try GradientBoosting(archive: $0) }),
        // Without members, five forests: what `classifier=committee` alone makes.
        ClassifierKind("committee", "committee", options: [.trees, .depth, .classWeight], canBeMember: false,
                       make: { settings in
                           Committee(members: (0..<5).map { _ -> any Classifier & Sendable in forest(settings) })
                       },
                       restore: { try Committee(archive: $0) }),
    ]

    /// A random forest with the settings' trees, depth and class weights.
    static func forest(_ settings: ClassifierSettings) -> RandomForest {
        var forest = RandomForest(trees: settings.trees, maxDepth: settings.maxDepth)
        forest.classWeighting = settings.classWeighting
        return forest
    }

    /// Every name `classifier=` takes (and model files may carry), in listing order.
    public static var allNames: [String] { all.map(\.name) }
    /// The kinds a committee may be made of.
    public static var members: [ClassifierKind] { all.filter(\.canBeMember) }
    /// Their names (`members=`).
    public static var memberNames: [String] { members.map(\.name) }

    /// The kind called exactly `name`, or nil.
    public static func named(_ name: String) -> ClassifierKind? { all.first { $0.name == name } }

    /// The kind called `name` among `kinds`; an `UnknownName` (listing them, with the nearest name)
    /// otherwise. `what` says what the name was for in the error ("classifier", "committee member").
    public static func resolve(_ name: String, as what: String = "classifier",
                               among kinds: [ClassifierKind] = all) throws -> ClassifierKind {
        guard let kind = kinds.first(where: { $0.name == name }) else {
            throw UnknownName(what: what, name: name, available: kinds.map(\.name))
        }
        return kind
    }
}

/// The settings the command language gives classifiers; each kind reads the ones in its
/// `options` (a forest ignores `k=`).
public struct ClassifierSettings: Sendable, Equatable {
    public var trees = 100
    public var maxDepth: Int?
    public var k = 5
    public var c = 1.0
    /// Boosting rounds; nil for the kind's own default.
    public var estimators: Int?
    /// Class weights (forest, extra-trees, tree, logistic).
    public var classWeighting = ClassWeighting.none
    public init() {}
}

/// One setting of `ClassifierSettings`, by the option name users type.
public enum ClassifierOption: String, Sendable, CaseIterable {
    case trees, depth, k, c, estimators
    case classWeight = "class_weight"
}
