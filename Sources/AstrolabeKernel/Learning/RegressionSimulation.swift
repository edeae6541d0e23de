import AstrolabeData
import AstrolabeLearn
import Foundation

/// `simulate` for a regression model: the query loop replayed with the target column answering,
/// RMSE (and NMAD) on a held-out set after every batch, per strategy.
extension Session {
    func simulateRegression(_ model: ActiveModel, command: ParsedCommand) throws -> [Output] {
        guard let state = model.regression, let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        let oracleName = command.text("oracle") ?? state.targetColumn
        guard let oracle = table.column(named: oracleName)?.numbers else {
            throw CommandError("no numeric oracle column `\(oracleName)`", at: command.word("oracle") ?? command.verb,
                               suggestion: nearestName(to: oracleName, in: table.columns.map(\.name)))
        }
        let budget = try command.int("budget"), repeats = try command.int("repeats"), batch = try command.int("batch")
        let testFraction = try command.double("test")
        let option = command.word("strategies")
        let names = option?.text.split(separator: ",").map(String.init) ?? (model.strategyName == "random" ? ["random"] : ["random", model.strategyName])
        let kind = RegressorKind.named(state.kind)
        let strategies = try names.map { name -> RegressionStrategyKind in
            let strategy = try resolving(at: option ?? command.verb) { try RegressionStrategyKind.resolve(name) }
            if strategy.needsEnsemble && kind?.isEnsemble != true {
                throw CommandError("strategy `\(name)` needs an ensemble regressor (forest, extra-trees)", at: option ?? command.verb)
            }
            return strategy
        }
        if let toWord = command.word("to"), !toWord.text.lowercased().hasSuffix(".png") {
            throw CommandError("only PNG output is supported so far: use a path ending in .png", at: toWord)
        }
        let known = oracle.indices.filter { oracle[$0].isFinite }
        let initialCount = max(model.initialRows.count, 2)
        guard known.count >= 10 else { throw CommandError("the oracle `\(oracleName)` knows only \(known.count) rows", at: command.verb) }
        guard budget > initialCount else {
            throw CommandError("budget=\(budget) is not above the \(initialCount) starting labels of `\(model.name)`", at: command.word("budget") ?? command.verb)
        }
        var curves: [String: [LearningCurve.Curve]] = [:], nmad: [String: [Double]] = [:], full: [Double] = []
        for r in 0..<repeats {
            let seed = model.seed &+ 7919 &* UInt64(r + 1)
            var generator = SeededGenerator(seed: seed)
            var shuffled = known
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, generator.nextInt(below: i + 1)) }
            let testCount = max(1, Int((testFraction * Double(known.count)).rounded()))
            let test = Array(shuffled.prefix(testCount)), rest = Array(shuffled.dropFirst(testCount))
            let testX = try model.x.selecting(rows: test), truth = test.map { oracle[$0] }
            var reference = model.makeRegressor()
            try reference.fit(model.x.selecting(rows: rest), targets: rest.map { oracle[$0] }, seed: seed)
            full.append(RegressionMetrics(truth: truth, predicted: try reference.predict(testX)).rmse)
            for strategy in strategies {
                let (curve, last) = try regressionCurve(model, strategy: strategy, rest: rest, oracle: oracle, testX: testX, truth: truth,
                                                        initialCount: initialCount, budget: budget, batch: batch, seed: seed)
                curves[strategy.name, default: []].append(curve)
                nmad[strategy.name, default: []].append(last)
            }
        }
        var text = TextTable(header: ["strategy", "mean RMSE", "RMSE@\(initialCount)", "RMSE@end", "NMAD@end"], numericColumns: [1, 2, 3, 4])
        for name in names {
            let runs = curves[name] ?? []
            let mean = meanLearningCurve(runs)
            let area = runs.map { $0.accuracy.reduce(0, +) / Double(max($0.accuracy.count, 1)) }.reduce(0, +) / Double(max(runs.count, 1))
            let endNMAD = (nmad[name] ?? []).reduce(0, +) / Double(max(nmad[name]?.count ?? 0, 1))
            text.append([name, fixed(area, 4), fixed(mean.accuracy.first ?? .nan, 4), fixed(mean.accuracy.last ?? .nan, 4), fixed(endNMAD, 4)])
        }
        let fullMean = full.reduce(0, +) / Double(full.count)
        let head = "simulate \(model.name): \(repeats) repeat\(repeats == 1 ? "" : "s"), \(initialCount) → \(budget) labels"
            + (batch == 1 ? "" : " in batches of \(batch)") + ", oracle `\(oracleName)`; RMSE with every label \(fixed(fullMean, 4))"
        var outputs: [Output] = [.text(head + "\n" + text.rendered + "\nmean RMSE: the curve's average height (lower is better)")]
        if let toWord = command.word("to") {
            let series = names.map { name -> (name: String, x: [Double], y: [Double]) in
                let mean = meanLearningCurve(curves[name] ?? [])
                return (name, mean.labels.map(Double.init), mean.accuracy)
            }
            let bands = names.map { name -> [Double] in
                let runs = curves[name] ?? []
                let length = runs.map(\.accuracy.count).min() ?? 0
                return (0..<length).map { i in meanAndDeviation(runs.map { $0.accuracy[i] }).1 }
            }
            outputs.append(try seriesPlot(series, bands: bands, bandRange: 0...Double.infinity, xLabel: "labels", yLabel: "test RMSE (mean ± sd over \(repeats) repeats)",
                                          title: "learning curves", command: command, to: toWord))
        }
        return outputs
    }

    /// One learning curve: RMSE on the test rows after every batch the strategy picks from `rest`
    /// (its first `initialCount` rows start), and the NMAD at the end.
    func regressionCurve(_ model: ActiveModel, strategy: RegressionStrategyKind, rest: [Int], oracle: [Double], testX: FeatureMatrix,
                         truth: [Double], initialCount: Int, budget: Int, batch: Int, seed: UInt64) throws -> (LearningCurve.Curve, Double) {
        let scaler = FeatureScaler(.standard, fitting: model.x)
        var labelled = Array(rest.prefix(initialCount)), pool = Array(rest.dropFirst(initialCount))
        var curve = LearningCurve.Curve(labels: [], accuracy: [])
        var last = 0.0
        while true {
            try Cancellation.check()
            var regressor = model.makeRegressor()
            try regressor.fit(model.x.selecting(rows: labelled), targets: labelled.map { oracle[$0] }, seed: seed)
            let metrics = RegressionMetrics(truth: truth, predicted: try regressor.predict(testX))
            curve.labels.append(labelled.count)
            curve.accuracy.append(metrics.rmse)
            last = metrics.nmad
            guard labelled.count < budget, !pool.isEmpty else { break }
            let poolX = try model.x.selecting(rows: pool)
            let scaled = try scaler.transform(poolX)
            let candidates = RegressionPool(predictions: try regressor.predict(poolX), members: try regressor.memberPredictions(poolX) ?? [],
                                            space: scaled.values.map { $0.isFinite ? $0 : 0 }, columns: poolX.columns,
                                            seed: seed &+ UInt64(labelled.count), tieBreakKeys: nil)
            let chosen = Set(strategy.select(candidates, count: min(batch, budget - labelled.count)).ranked)
            labelled += chosen.sorted().map { pool[$0] }
            pool = pool.indices.filter { !chosen.contains($0) }.map { pool[$0] }
        }
        return (curve, last)
    }
}

extension ActiveModel {
    /// A fresh, untrained regressor of this model's kind, settings and scaling.
    func makeRegressor() -> ScaledRegressor {
        let inner = regression.flatMap { RegressorKind.named($0.kind)?.make(settings) } ?? RandomForestRegressor(trees: settings.trees)
        return ScaledRegressor(inner, scaling: scaling)
    }
}
