import AstrolabeData
import AstrolabeLearn

/// Per-session state of the teach loop.
struct LearningState {
    /// Rows skipped per table: left out of queries for the rest of the session.
    var skipped: [String: Set<Int>] = [:]
    /// Rows answered in this session, per table, oldest first: what `undo` takes back.
    var history: [String: [Int]] = [:]
    /// Retrain after every N answers (1 = every answer).
    var retrainEvery = 1
    /// Rows drawn by `find`, per table, in order (the candidates of a curated test set).
    var found: [String: [Int]] = [:]
    /// The id the latest `undo` took back (written so in saved sessions).
    var lastUndone: String?
    /// Answers and undos that `import labelstudio` or `serve labelstudio` stored, as the lines that
    /// give them again under their annotators (written so in saved sessions).
    var labelStudioLines: [(annotator: String, line: String, every: Int)] = []
    /// The table whose model `serve labelstudio` served last.
    var labelStudioServed: String?
    /// The model the latest `load model` restored, its table and the path as typed (for saved sessions).
    var lastLoadedModel: (name: String, table: String, path: String)?
    /// The front end's keyboard, for `teach MODEL loop` (nil outside the REPL).
    var keyInput: (any KeyInput)?
}

extension ActiveModel {
    /// Class index of a label value for this model (one-vs-rest maps every other class to `other`).
    func classIndex(of label: String) -> Int? {
        if let target { return label == target ? 0 : 1 }
        return classes.firstIndex(of: label)
    }
}

extension Session {
    var skipped: [String: Set<Int>] { learning.skipped }

    /// Class index of every row for a model from the label column; -1 where unknown or undeclared.
    func modelClasses(_ table: Table, model: ActiveModel) -> [Int] {
        let declared = model.sourceClasses.isEmpty ? (declaredClasses[table.name]?.names ?? model.classes) : model.sourceClasses
        return modelClasses(table, classes: model.target == nil ? model.classes : declared, target: model.target)
    }

    func modelClasses(_ table: Table, classes: [String], target: String?) -> [Int] {
        let full = catalogueClasses(table, classes: ClassSet(names: classes, unknown: []))
        guard let target, let t = classes.firstIndex(of: target) else { return full }
        return full.map { $0 < 0 ? -1 : ($0 == t ? 0 : 1) }
    }

    /// The probabilities of `rows` from the last fit's pool prediction, when that fit is still the
    /// current one and `rows` are a subsequence of its pool (the pool minus skipped rows); nil
    /// otherwise. Predictions are per row, so these are the very numbers a new prediction gives.
    func cachedProbabilities(_ model: ActiveModel, rows: [Int]) -> [Double]? {
        guard let cache = model.poolPrediction, cache.fit == model.fits else { return nil }
        let k = model.classes.count
        if cache.rows == rows { return cache.probabilities }
        var result: [Double] = []
        result.reserveCapacity(rows.count * k)
        var j = 0
        for row in rows {
            while j < cache.rows.count && cache.rows[j] < row { j += 1 }
            guard j < cache.rows.count, cache.rows[j] == row else { return nil }
            result.append(contentsOf: cache.probabilities[(j * k)..<(j * k + k)])
        }
        return result
    }

    /// Picks `count` of the `pool` rows with the model's strategy (AstrolabeLearn's `StrategyKind`
    /// does the choosing; this gathers what it may look at).
    func selectQueries(_ model: ActiveModel, pool: [Int], count: Int, balanced: Bool = false) throws -> QuerySelection {
        guard let strategy = StrategyKind.named(model.strategyName) else {
            throw CommandError("unknown strategy `\(model.strategyName)`")
        }
        let x = try model.x.selecting(rows: pool)
        let probabilities = try cachedProbabilities(model, rows: pool) ?? model.classifier.predictProbabilities(x)
        let tieSeed = model.seed &+ UInt64(model.fits)
        var candidates = QueryPool(
            probabilities: probabilities, classCount: model.classes.count, seed: tieSeed,
            tieBreakKeys: tieBreakKeys(model, pool: pool, seed: tieSeed),
            memberProbabilities: { try model.classifier.memberProbabilities(x) },
            poolSpace: { try self.diversitySpace(model, x) },
            labelledSpace: { try self.diversitySpace(model, model.x.selecting(rows: model.trainingRows)) },
            refitting: {
                QueryPool.Refitting(classifier: model.makeClassifier(), training: try model.x.selecting(rows: model.trainingRows),
                                    labels: model.trainingLabels, pool: x, seed: model.seed)
            })
        candidates.weak = { self.weakSignal(model, pool: pool) }
        candidates.ties = model.ties
        if let bandit = model.bandit {
            candidates.adaptive = AdaptiveContext(bandit: bandit, poolRows: pool, labels: model.trainingRows.count, rows: model.x.rows) { rows in
                let known = Dictionary(zip(model.trainingRows, model.trainingLabels), uniquingKeysWith: { first, _ in first })
                let predicted = try model.classifier.predict(model.x.selecting(rows: rows))
                return zip(rows, predicted).map { known[$0] == $1 }
            }
        }
        do {
            return balanced ? try strategy.selectBalanced(candidates, count: count) : try strategy.select(candidates, count: count)
        } catch let error as LearnError {
            throw CommandError(error.message)
        }
    }
}

/// How `query … balance=` spreads a batch: by the strategy's ranking alone, or over predicted classes.
enum QueryBalance: String, CaseIterable {
    case none, predicted
}

extension Session {
    /// Tie-break keys of `pool` rows from their ids (see `tieBreakKeys(ids:seed:)`): which tied row
    /// a query asks then does not depend on the order of the file.
    func tieBreakKeys(_ model: ActiveModel, pool: [Int], seed: UInt64) -> [UInt64]? {
        guard let table = tables[model.tableName] else { return nil }
        let ids = table.rowIdentifiers()
        return AstrolabeLearn.tieBreakKeys(ids: pool.map { ids[$0] }, seed: seed)
    }

    /// The space density, ranked-batch and k-center measure distances in: the model's own scaling
    /// when it has one, else the features standardised over the model's table (a forest needs no
    /// scaling, a distance does: unscaled, the widest-ranging feature alone decides). A missing value
    /// sits at the centre (0), so a row with one is neither infinitely far from every other row
    /// (always picked first) nor at a NaN distance (a NaN density for every row).
    func diversitySpace(_ model: ActiveModel, _ x: FeatureMatrix) throws -> FeatureMatrix {
        let scaled = model.scaling == .none
            ? try FeatureScaler(.standard, fitting: model.x).transform(x)
            : try model.classifier.transform(x)
        return try FeatureMatrix(rows: scaled.rows, columns: scaled.columns, values: scaled.values.map { $0.isFinite ? $0 : 0 })
    }

    /// Rows answered `unsure` since the table's latest label answer. Queries pass over them until a
    /// new label changes what the models know: asked again at once, the same row would come straight
    /// back (the keyboard loop showed it again after `u`). They are asked again later, as unsure rows
    /// stay in the pool.
    func heldBackUnsure(table: String) -> Set<Int> {
        var held = Set<Int>()
        for row in (learning.history[table] ?? []).reversed() {
            guard let record = answers[table]?[row] else { continue }
            if record.kind == .label { break }
            held.insert(row)
        }
        return held
    }
}
