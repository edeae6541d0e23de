import AstrolabeData
import AstrolabeLearn

/// What a regression model (`model M regressor=KIND target=COLUMN`) holds beside the features,
/// rows and seed every `ActiveModel` has: the target column, the fitted regressor and its targets.
struct RegressionState {
    /// Catalogue name of the regressor (`RegressorKind`).
    var kind: String
    /// The numeric column the model predicts; answers (`teach ID NUMBER`) override it row by row.
    var targetColumn: String
    var regressor: ScaledRegressor
    var trainingTargets: [Double] = []

    var description: String {
        RegressorKind.named(kind)?.description ?? kind
    }
}

extension Session {
    /// The verbs that take a regression model (the others work on classifiers and refuse one).
    static let regressionVerbs: Set<String> = ["query", "score", "simulate", "plot", "retrain", "model"]
}

/// Default number of starting labels of a regression model.
let defaultRegressionStart = 10

/// `model M regressor=KIND target=COLUMN`: making and fitting a regression model.
extension Session {
    func regressionModel(_ command: ParsedCommand, table: Table, nameWord: Word) throws -> [Output] {
        guard let featuresWord = command.word("features") else {
            throw CommandError("expected features=A,B,... naming the model's feature columns", at: nameWord)
        }
        for key in ["classifier", "members", "committee", "c"] where command.has(key) {
            let option = command.optionEntry(key)
            throw CommandError("\(key)= is for classifiers; a regression model (regressor=) takes trees=, depth=, k= or estimators=",
                               offset: option?.keyOffset, length: key.count)
        }
        let regressorWord = command.word("regressor") ?? command.verb
        let kind = try resolving(at: regressorWord) { try RegressorKind.resolve(regressorWord.text) }
        let features = try columnList(featuresWord, in: table)
        for name in features where table.column(named: name)?.isNumeric != true {
            throw CommandError("feature `\(name)` is a text column; models need numeric features", at: featuresWord)
        }
        try refuseLabelFeatures(features, table: table, at: featuresWord)
        guard let targetWord = command.word("target") else {
            throw CommandError("a regression model needs target=COLUMN: the numeric column to predict", at: regressorWord)
        }
        let targetNames = try columnList(targetWord, in: table)
        guard targetNames.count == 1, let target = table.column(named: targetNames[0]) else {
            throw CommandError("target= names one column to predict", at: targetWord)
        }
        guard let targets = target.numbers else {
            throw CommandError("target `\(target.name)` is a text column; regression needs numbers", at: targetWord)
        }
        if features.contains(target.name) {
            throw CommandError("`\(target.name)` is the target: a model cannot learn from the answer it is asked for", at: featuresWord)
        }
        let strategyWord = command.word("strategy")
        let strategyName = strategyWord?.text ?? (kind.isEnsemble ? "variance" : "random")
        let strategy = try resolving(at: strategyWord ?? command.verb) { try RegressionStrategyKind.resolve(strategyName) }
        if strategy.needsEnsemble && !kind.isEnsemble {
            throw CommandError("strategy `\(strategyName)` reads the spread of an ensemble: use regressor=forest or extra-trees, or strategy=random",
                               at: strategyWord ?? regressorWord)
        }
        var settings = ClassifierSettings()
        settings.trees = try command.int("trees")
        settings.k = try command.int("k")
        settings.maxDepth = try command.optionalInt("depth")
        settings.estimators = try command.optionalInt("estimators")
        let scaling = try command.has("scaling") ? command.choice("scaling", Scaling.self) : kind.defaultScaling
        let seed = options.seed &+ stableHash(nameWord.text)
        let known = targets.indices.filter { targets[$0].isFinite }
        var rows = ModelRows()
        let strata = [Int](repeating: 0, count: table.rowCount)
        if let ratios = try splitRatios(command), !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { _ in 0 }, ratios: ratios, seed: seed)
            rows.test = split.test.map { known[$0] }.sorted()
            rows.validation = split.validation.map { known[$0] }.sorted()
        } else if try command.double("test") > 0, !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { _ in 0 }, testFraction: try command.double("test"), seed: seed)
            rows.test = split.test.map { known[$0] }.sorted()
        }
        let heldOut = Set(rows.test).union(rows.validation)
        let candidates = known.filter { !heldOut.contains($0) }
        let x = try FeatureMatrix(columns: features.map { table.column(named: $0)?.numbers ?? [] })
        // One stratum: a stratified start is a random draw.
        (rows.initial, _) = try startRows(command, candidates: candidates, strata: strata, classCount: 1,
                                          initial: try initialCount(command, default: defaultRegressionStart), seed: seed, x: x)
        var model = ActiveModel(name: nameWord.text, tableName: table.name, features: features, strategyName: strategyName,
                                classifierName: kind.name, settings: settings, scaling: scaling, classes: [],
                                testRows: rows.test, initialRows: rows.initial, seed: seed, x: x,
                                classifier: ScaledClassifier(RandomForest(), scaling: .none))
        model.validationRows = rows.validation
        model.regression = RegressionState(kind: kind.name, targetColumn: target.name,
                                           regressor: ScaledRegressor(kind.make(settings), scaling: scaling))
        let fitted = try fitRegression(&model)
        try workspace.setModel(model)
        var text = "model \(model.name): \(model.description) on \(features.joined(separator: ", "))\n"
        text += "target: \(target.name) (\(known.count) rows know it); strategy: \(strategyName)\n"
        text += "training labels: \(fitted) (\(rows.initial.count) initial"
        let human = fitted - rows.initial.count
        text += human > 0 ? ", \(human) taught)" : ")"
        if !rows.validation.isEmpty { text += "; validation set: \(rows.validation.count) rows" }
        text += "; test set: \(rows.test.count) rows; pool: \(poolRows(model).count) rows"
        return [.text(text)]
    }

    /// `initial=N` or `initial=all` (nil: every labelled row outside the held-out sets).
    func initialCount(_ command: ParsedCommand, default value: Int) throws -> Int? {
        guard let word = command.word("initial") else { return value }
        if word.text == "all" { return nil }
        guard let n = Int(word.text), n >= 0, n <= 1_000_000 else {
            throw CommandError("initial= expects a whole number from 0 to 1000000, or all", at: word)
        }
        return n
    }

    /// A row's target for a regression model: a human answer (a number) where there is one, else
    /// the target column's value; NaN when neither is known.
    func regressionTruth(_ model: ActiveModel, table: Table) -> [Double] {
        guard let state = model.regression, let column = table.column(named: state.targetColumn)?.numbers else {
            return [Double](repeating: .nan, count: table.rowCount)
        }
        var truth = column
        for (row, record) in answers[model.tableName] ?? [:] where row < truth.count {
            if record.kind == .label, let value = record.label.flatMap(Double.init), value.isFinite { truth[row] = value }
        }
        return truth
    }

    /// Fits a regression model on its starting rows and the numbers taught since.
    @discardableResult
    func fitRegression(_ model: inout ActiveModel) throws -> Int {
        guard var state = model.regression, let table = tables[model.tableName] else { return 0 }
        let heldOut = model.heldOut
        let column = table.column(named: state.targetColumn)?.numbers ?? []
        var targets: [Int: Double] = [:]
        for row in model.initialRows where row < column.count && column[row].isFinite { targets[row] = column[row] }
        for (row, record) in answers[model.tableName] ?? [:] where !heldOut.contains(row) {
            if record.kind == .label, let value = record.label.flatMap(Double.init), value.isFinite {
                targets[row] = value
            } else if record.kind == .unsure {
                targets[row] = nil
            }
        }
        let rows = targets.keys.sorted()
        model.trainingRows = rows
        model.trainingLabels = []
        state.trainingTargets = rows.map { targets[$0] ?? 0 }
        state.regressor = model.makeRegressor()
        if !rows.isEmpty {
            do {
                try state.regressor.fit(model.x.selecting(rows: rows), targets: state.trainingTargets, seed: model.seed)
            } catch let error as LearnError {
                throw CommandError("model `\(model.name)` could not be trained: \(error.message)")
            }
        }
        model.regression = state
        model.fits += 1
        model.pendingAnswers = 0
        model.poolPrediction = nil
        return rows.count
    }

    /// Whether answers about `table` may be numbers: a regression model is bound to it.
    func takesNumberAnswers(_ table: Table) -> Bool {
        models.values.contains { $0.tableName == table.name && $0.regression != nil }
    }
}
