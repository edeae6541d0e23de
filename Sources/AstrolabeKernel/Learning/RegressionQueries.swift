import AstrolabeData
import AstrolabeLearn

/// `query` and `score` for regression models: the rows whose prediction the ensemble disagrees on
/// most, and RMSE/MAE/NMAD/outliers on a held-out set.
extension Session {
    /// The pool the strategy sees: predictions, each member's, and the rows standardised over the
    /// model's table (missing values at the centre, as for the classifiers' diversity space).
    func regressionPool(_ model: ActiveModel, rows: [Int], seed: UInt64) throws -> RegressionPool {
        guard let state = model.regression else { throw CommandError("`\(model.name)` is not a regression model") }
        let x = try model.x.selecting(rows: rows)
        let scaled = try FeatureScaler(.standard, fitting: model.x).transform(x)
        return RegressionPool(predictions: try state.regressor.predict(x), members: try state.regressor.memberPredictions(x) ?? [],
                              space: scaled.values.map { $0.isFinite ? $0 : 0 }, columns: x.columns, seed: seed,
                              tieBreakKeys: tieBreakKeys(model, pool: rows, seed: seed))
    }

    func regressionQuery(_ model: inout ActiveModel, table: Table, candidates: [Int], count: Int, heldCount: Int) throws -> [Output] {
        guard let strategy = RegressionStrategyKind.named(model.strategyName) else {
            throw CommandError("unknown regression strategy `\(model.strategyName)`")
        }
        let pool = try regressionPool(model, rows: candidates, seed: model.seed &+ UInt64(model.fits))
        let (scores, ranked) = strategy.select(pool, count: count)
        let spread = pool.members.isEmpty ? nil : pool.memberSpread
        let ids = table.rowIdentifiers()
        let target = model.regression.flatMap { table.column(named: $0.targetColumn) }
        let shown = model.shownColumns.compactMap { table.column(named: $0.self) }
        var header = ["rank", "id", "predicted"] + (spread == nil ? [] : ["spread"]) + ["score"]
        if let target { header.append(target.name) }
        header += shown.map(\.name)
        var text = TextTable(header: header, numericColumns: Set([0] + Array(2..<(spread == nil ? 4 : 5))))
        model.lastQuery = [:]
        for (rank, index) in ranked.enumerated() {
            let row = candidates[index]
            model.lastQuery[row] = scores[index]
            model.asked.insert(row)
            var cells = [String(rank + 1), ids[row], fixed(pool.predictions[index], 4)]
            if let spread { cells.append(fixed(spread[index], 4)) }
            cells.append(fixed(scores[index], 4))
            if let target { cells.append(target.displayText(row: row)) }
            text.append(cells + shown.map { $0.displayText(row: row) })
        }
        try workspace.setModel(model)
        var stale = model.pendingAnswers > 0 ? ", \(plural(model.pendingAnswers, "answer")) not yet trained on" : ""
        if heldCount > 0 { stale += ", \(heldCount) marked unsure held back until the next label" }
        let head = "\(model.name) asks (\(model.strategyName), \(model.trainingRows.count) labels, pool \(candidates.count)\(stale)); answer with teach ID NUMBER:"
        return [.text(head + "\n" + text.rendered)]
    }

    /// The rows of one evaluation set with a known truth, their truth and the model's predictions.
    func regressionEvaluation(_ model: ActiveModel, on set: EvaluationSet, at word: Word) throws -> (rows: [Int], truth: [Double], predicted: [Double]) {
        guard let table = tables[model.tableName], let state = model.regression else { throw CommandError("table `\(model.tableName)` is gone", at: word) }
        guard !model.trainingRows.isEmpty else { throw CommandError("model `\(model.name)` has no training labels yet", at: word) }
        let candidates: [Int]
        switch set {
        case .test: candidates = model.testRows
        case .validation: candidates = model.validationRows
        case .train: candidates = model.trainingRows
        }
        let truth = regressionTruth(model, table: table)
        let rows = candidates.filter { truth[$0].isFinite }
        guard !rows.isEmpty else {
            throw CommandError("model `\(model.name)` has no \(set.rawValue) rows with a known \(state.targetColumn)"
                               + (set == .test ? " (it was made with test=0?)" : ""), at: word)
        }
        return (rows, rows.map { truth[$0] }, try state.regressor.predict(model.x.selecting(rows: rows)))
    }

    func scoreRegression(_ model: ActiveModel, command: ParsedCommand) throws -> [Output] {
        let word = command.positionals[0]
        let set = !command.has("on") ? EvaluationSet.test : try evaluationSet(command, model: model)
        let (rows, truth, predicted) = try regressionEvaluation(model, on: set, at: word)
        let m = RegressionMetrics(truth: truth, predicted: predicted)
        let what = set == .train ? "its training labels (\(rows.count))" : "its \(set.rawValue) set (\(plural(rows.count, "row")))"
        var lines = ["\(model.name) on \(what), trained on \(model.trainingRows.count) labels:"]
        lines.append("RMSE \(fixed(m.rmse, 4))  MAE \(fixed(m.mae, 4))  R² \(fixed(m.r2, 3))")
        lines.append("with Δz = (predicted − true)/(1 + true): bias \(fixed(m.bias, 4))  NMAD \(fixed(m.nmad, 4))  "
                     + "outliers \(fixed(100 * m.outlierFraction, 2))% (|Δz| > \(NumberFormatting.short(RegressionMetrics.outlierThreshold)))")
        return [.text(lines.joined(separator: "\n"))]
    }
}
