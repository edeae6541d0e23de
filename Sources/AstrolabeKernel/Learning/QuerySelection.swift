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
    /// The model the latest `load model` restored, its table and the path as typed (for saved sessions).
    var lastLoadedModel: (name: String, table: String, path: String)?
    /// The front end's keyboard, for `teach MODEL loop` (nil outside the REPL).
    var keyInput: (any KeyInput)?
}

/// Strategies that choose a whole batch at once, looking at where the rows are.
enum BatchStrategy: String, CaseIterable {
    /// Margin × information density (mean similarity to the pool).
    case density
    /// Ranked batch-mode sampling over least-confident uncertainty (modAL).
    case rankedBatch = "ranked-batch"
    /// k-center greedy core-set selection, ties to the most uncertain row.
    case kCenter = "k-center"

    static var names: [String] { allCases.map(\.rawValue) }
}

/// What a query chose: probabilities and scores of every candidate, and the chosen candidates'
/// indices best first.
struct QuerySelection {
    var probabilities: [Double]
    var scores: [Double]
    var ranked: [Int]
    /// Whether `ranked` is the best scores in order (ties drawn by row id), rather than a diverse
    /// batch (ranked-batch, k-center) chosen by distances.
    var byScore = true
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

    /// Scores `pool` rows with the model's strategy and picks `count` of them.
    func selectQueries(_ model: ActiveModel, pool: [Int], count: Int) throws -> QuerySelection {
        let x = try model.x.selecting(rows: pool)
        let k = model.classes.count
        let probabilities = try cachedProbabilities(model, rows: pool) ?? model.classifier.predictProbabilities(x)
        let tieSeed = model.seed &+ UInt64(model.fits)
        let keys = tieBreakKeys(model, pool: pool, seed: tieSeed)
        if let strategy = QueryStrategies.named(model.strategyName) {
            let scores = strategy.scores(probabilities: probabilities, classCount: k, seed: tieSeed)
            return QuerySelection(probabilities: probabilities, scores: scores,
                                  ranked: rankQueries(scores: scores, count: count, tieBreakKeys: keys))
        }
        if let strategy = CommitteeStrategies.named(model.strategyName) {
            guard let members = try model.classifier.memberProbabilities(x) else {
                throw CommandError("strategy `\(model.strategyName)` needs a committee")
            }
            let scores = strategy.scores(memberProbabilities: members, classCount: k)
            return QuerySelection(probabilities: probabilities, scores: scores,
                                  ranked: rankQueries(scores: scores, count: count, tieBreakKeys: keys))
        }
        if model.strategyName == ExpectedErrorReduction.name {
            guard pool.count <= ExpectedErrorReduction.maxPool else {
                throw CommandError("strategy expected-error refits the model once per pool row and class, so it is limited to pools of "
                                   + "\(ExpectedErrorReduction.maxPool) rows; this pool has \(pool.count). Use margin or entropy, "
                                   + "or a smaller table (`where EXPRESSION as NAME`, `sample N as=NAME`)")
            }
            let scores: [Double]
            do {
                scores = try ExpectedErrorReduction().scores(
                    classifier: model.makeClassifier(), training: model.x.selecting(rows: model.trainingRows),
                    labels: model.trainingLabels, pool: x, probabilities: probabilities, classCount: k, seed: model.seed)
            } catch let error as LearnError {
                throw CommandError("expected-error failed: \(error.message)")
            }
            return QuerySelection(probabilities: probabilities, scores: scores,
                                  ranked: rankQueries(scores: scores, count: count, tieBreakKeys: keys))
        }
        guard let batch = BatchStrategy(rawValue: model.strategyName) else {
            throw CommandError("unknown strategy `\(model.strategyName)`")
        }
        let scaled = try diversitySpace(model, x)
        switch batch {
        case .density:
            let margin = MarginSampling().scores(probabilities: probabilities, classCount: k, seed: tieSeed)
            let reference = try Diversity.sample(scaled, limit: 2000, seed: tieSeed)
            let scores = Diversity.densityWeighted(scores: margin, density: Diversity.density(scaled, reference: reference))
            return QuerySelection(probabilities: probabilities, scores: scores,
                                  ranked: rankQueries(scores: scores, count: count, tieBreakKeys: keys))
        case .rankedBatch, .kCenter:
            let uncertainty = LeastConfidentSampling().scores(probabilities: probabilities, classCount: k, seed: tieSeed)
            let labelled = try diversitySpace(model, model.x.selecting(rows: model.trainingRows))
            let ranked = batch == .rankedBatch
                ? Diversity.rankedBatch(uncertainty: uncertainty, pool: scaled, labelled: labelled, count: count)
                : Diversity.kCenterGreedy(pool: scaled, labelled: labelled, count: count, uncertainty: uncertainty)
            return QuerySelection(probabilities: probabilities, scores: uncertainty, ranked: ranked, byScore: false)
        }
    }
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
