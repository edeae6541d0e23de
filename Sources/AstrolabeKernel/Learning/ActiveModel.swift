import AstrolabeLearn

/// A classifier bound to a table: its features, classes, held-out test rows, starting labels,
/// and the last query it made (so answers can say which model asked and how much it wanted them).
struct ActiveModel {
    var name: String
    var tableName: String
    var features: [String]
    var strategyName: String
    /// How tied query scores are broken first (`ties=`); not saved in checkpoints.
    var ties: TieBreak = .random
    /// Catalogue name of the classifier (`forest`, `logistic`, ...), or of each committee member.
    var classifierName: String
    var members: [String] = []
    var settings = ClassifierSettings()
    var scaling: Scaling = .none
    /// `calibrate=`: probabilities mapped to calibrated ones after every fit.
    var calibration: ModelCalibration?
    /// One-vs-rest: the class this model separates from all others (classes are then
    /// `[target, "other"]`).
    var target: String?
    /// All classes of the table when the model is one-vs-rest (what `other` stands for).
    var sourceClasses: [String] = []
    var classes: [String]
    var testRows: [Int]
    /// Held-out rows scored after every fit (`split=train:validation:test`); empty with `test=`.
    var validationRows: [Int] = []
    var initialRows: [Int]
    /// Labels a loaded model file brought (row → class), kept under this session's answers at
    /// every refit: the answers that taught the saved model may not be in this session's store.
    var loadedLabels: [Int: Int] = [:]
    /// `weak=labelmodel`: the label model's confident labels (row → class) when the model was made,
    /// trained on under the answers at every fit (held-out rows never).
    var weakLabels: [Int: Int] = [:]
    var seed: UInt64
    /// Feature values of every row of the table, fixed when the model was made.
    var x: FeatureMatrix
    var classifier: ScaledClassifier
    var trainingRows: [Int] = []
    var trainingLabels: [Int] = []
    var lastQuery: [Int: Double] = [:]
    /// The strategy of the last query when it was not the model's own (`query M strategy=suspect`).
    var lastQueryStrategy: String?
    /// The last `audit` of the given labels (what `query M strategy=suspect` asks about).
    var audit: ModelAudit?
    /// Extra columns its queries show with each row (`query M show=A,B`).
    var shownColumns: [String] = []
    /// Every row any query of this model has shown, for `plot ... highlight=MODEL`.
    var asked: Set<Int> = []
    var fits = 0
    /// Answers given since the last fit (for `retrain every=N`).
    var pendingAnswers = 0
    /// One record per fit with labels: scores on each held-out set and the stopping signals.
    var history: [TrainingRecord] = []
    /// The last fit's predictions over its pool, reused by queries until the next fit and
    /// compared with the next fit's for the agreement (kappa) signal.
    var poolPrediction: PoolPrediction?
    /// The bandit of `strategy=adaptive`, learning across this model's queries (each query works on
    /// a copy, so an earlier value of the model keeps its own). Not saved in checkpoints.
    var bandit: AdaptiveBandit?
    /// Regression (`regressor=`): the target column and the fitted regressor; nil for a classifier
    /// (whose `classes`, `classifier` and labels are then unused: `classes` is empty).
    var regression: RegressionState?

    /// Rows kept out of training: the test and validation sets.
    var heldOut: Set<Int> { Set(testRows).union(validationRows) }

    var trees: Int { settings.trees }

    /// A fresh, untrained classifier of this model's kind and settings.
    func makeClassifier() -> ScaledClassifier {
        if !members.isEmpty {
            let list = members.compactMap { ClassifierKind.named($0)?.make(settings) }
            return ScaledClassifier(Committee(members: list), scaling: scaling)
        }
        let inner = ClassifierKind.named(classifierName)?.make(settings) ?? RandomForest(trees: settings.trees)
        return ScaledClassifier(inner, scaling: scaling)
    }

    /// Up to 200 rows spread evenly over the table (a cheap look at how the model behaves).
    func poolRowsSample() -> [Int] {
        let step = max(1, x.rows / 200)
        return Array(stride(from: 0, to: x.rows, by: step))
    }

    /// How the model is described in reports: "random forest (100 trees)".
    var description: String {
        var text: String
        if let regression {
            text = regression.description + (regression.kind == "forest" || regression.kind == "extra-trees" ? " (\(settings.trees) trees)" : "")
        } else if !members.isEmpty {
            text = "committee of \(members.count) (" + members.joined(separator: ", ") + ")"
        } else if classifierName == "forest" || classifierName == "extra-trees" {
            text = (ClassifierKind.named(classifierName)?.description ?? classifierName) + " (\(settings.trees) trees)"
        } else {
            text = ClassifierKind.named(classifierName)?.description ?? classifierName
        }
        if scaling != .none { text += ", \(scaling.rawValue) scaling" }
        if let target { text += ", one-vs-rest for \(target)" }
        if let calibration { text += ", \(calibration.method.rawValue) calibration (\(calibration.sourceText))" }
        return text
    }
}
