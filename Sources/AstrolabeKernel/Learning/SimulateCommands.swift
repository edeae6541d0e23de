import AstrolabeData
import AstrolabeLearn
import AstrolabePlot
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let simulation: [Verb] = [
        Verb("simulate", usage: "simulate MODEL [oracle=COLUMN] [budget=N] [batch=N] [repeats=R] [strategies=A,B,...] [test=FRACTION] [to=PATH]",
             summary: "Replay the query loop with a column answering: learning curves, AUBC, labels to 95% of full-data accuracy.",
             details: """
                 Each repeat draws a stratified test set (test=, default 0.25) and the model's number of starting
                 labels from the rows whose oracle value is a declared class; the rest is the pool. Each strategy
                 then queries batch= rows per iteration (default 1) until budget= labels (default 100), refitting
                 the model's classifier (same kind, settings and scaling) after every batch, and records test
                 accuracy; curves and AUBC are drawn against the number of labels. A batch is the strategy's
                 own batch where it has one (ranked-batch, k-center: diverse batches), else its top-N scores,
                 or N random draws. AUBC is the area under the curve divided by its width (1 = perfect from
                 the start). Every strategy `model strategy=` takes can be simulated, including density,
                 ranked-batch, k-center and expected-error (small pools only).
                 For rare classes: the report gives each strategy's recall of the rarest class (fewest known rows) at the
                 end and its mean over the curve; balanced=margin runs margin again with `query … balance=predicted`
                 batches (margin+balanced); curve=recall draws that class's recall instead of accuracy.
                 weak=labelmodel runs every strategy twice: as is, and as NAME+rules, each fit also trained on the
                 table's label model's labels of confidence at least weak_min= (never on test rows; an answer wins).
                 example: simulate m oracle=label budget=200 batch=10 repeats=5 strategies=random,margin,k-center
                 """,
             options: [.column("oracle", "column holding the true classes (default: the label column)"),
                       .int("budget", 2...100_000, default: 100, "labels to reach"),
                       .int("batch", 1...100_000, default: 1, "queries answered per iteration before refitting"),
                       .int("repeats", 1...1000, default: 3, "independent splits"),
                       .choiceList("strategies", names: { StrategyKind.allNames + RegressionStrategyKind.allNames.filter { !StrategyKind.allNames.contains($0) } }, "strategies to compare (default: random and the model's)"),
                       .double("test", 0.05...0.9, default: 0.25, "held-out fraction"),
                       .choiceList("balanced", names: { StrategyKind.allNames }, "strategies run again with query balance=predicted (reported as NAME+balanced)"),
                       .choice("curve", SimulationCurve.self, default: .accuracy, "what to= draws: test accuracy, or recall of the rarest class"),
                       .choice("weak", WeakSource.self, "labelmodel: also run each strategy trained on the label model's labels too (NAME+rules)"),
                       .double("weak_min", 0...1, default: 0.7, "weak=labelmodel: the least label-model confidence a row needs"),
                       .path("to", "PNG of the learning curves: mean lines in bands of ± one standard deviation over the repeats")],
             arguments: [.model],
             provenance: .readsOnly,
             run: Session.simulate),
        Verb("predict", usage: "predict MODEL to=PATH",
             summary: "Write every pool row with its predicted class, probabilities, uncertainty and the model version (CSV, FITS or Parquet).",
             details: """
                 Columns: id, predicted (the most probable class; ties to the first class), p_CLASS for every class,
                 uncertainty (the model's strategy measure: margin 1 − (p₁ − p₂), entropy or least-confident 1 − p₁;
                 least-confident for every other strategy) and model (NAME@FITS:LABELS, the version
                 that made the numbers). The pool is every row neither in the training set nor held out.
                 The file's name says the format: .csv, .fits (.fit, .fts) for a FITS binary table, or .parquet
                 (zstd, row groups of 131072 rows, with statistics; pyarrow, pandas and polars read it).
                 example: predict m to=predictions/blazars.csv
                 """,
             options: [.path("to", "CSV, FITS or Parquet file to write")],
             arguments: [.model],
             provenance: .writesFiles,
             run: Session.predict),
    ]
}

/// `simulate` and `predict`.
extension Session {
    func simulate(_ command: ParsedCommand) throws -> [Output] {
        let model = try requireModel(command.positionals.first, verb: command.verb)
        if model.regression != nil { return try simulateRegression(model, command: command) }
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        let oracleName = command.text("oracle") ?? table.labelColumn ?? ""
        guard let oracle = table.column(named: oracleName) else {
            throw CommandError("no oracle column `\(oracleName)`; name one with oracle=COLUMN",
                               at: command.word("oracle") ?? command.verb,
                               suggestion: nearestName(to: oracleName, in: table.columns.map(\.name)))
        }
        let budget = try command.int("budget")
        let repeats = try command.int("repeats")
        let batch = try command.int("batch")
        let testFraction = try command.double("test")
        var strategyNames = try simulationStrategies(command, model: model)
            + (command.list("balanced") ?? []).map { $0 + SimulationCurve.balancedSuffix }
        let weak = try simulationWeakLabels(command, table: table, model: model)
        if weak != nil { strategyNames = strategyNames.flatMap { [$0, $0 + "+rules"] } }
        if let toWord = command.word("to"), !toWord.text.lowercased().hasSuffix(".png") {
            throw CommandError("only PNG output is supported so far: use a path ending in .png", at: toWord)
        }
        // True classes from the oracle column, mapped like the model's own labels.
        let index = Dictionary(uniqueKeysWithValues: (model.sourceClasses.isEmpty ? (declaredClasses[table.name]?.names ?? model.classes) : model.sourceClasses).enumerated().map { ($1, $0) })
        let truth: [Int] = (0..<table.rowCount).map { row in
            let text = oracle.displayText(row: row)
            if let target = model.target { return index[text] == nil ? -1 : (text == target ? 0 : 1) }
            return model.classes.firstIndex(of: text) ?? -1
        }
        let knownRows = truth.indices.filter { truth[$0] >= 0 }
        guard knownRows.count >= 10 else {
            throw CommandError("the oracle `\(oracleName)` knows the class of only \(knownRows.count) rows", at: command.verb)
        }
        let initialCount = max(model.initialRows.count, model.classes.count)
        guard budget > initialCount else {
            throw CommandError("budget=\(budget) is not above the \(initialCount) starting labels of `\(model.name)`: "
                               + "the loop would ask nothing; raise budget= (it counts the starting labels too)",
                               at: command.word("budget") ?? command.verb)
        }
        // Every split first: whatever can be refused is refused before minutes of simulation.
        let splits = (0..<repeats).map { r in
            simulationSplit(model, truth: truth, knownRows: knownRows, testFraction: testFraction,
                            initialCount: initialCount, budget: budget, seed: model.seed &+ 7919 &* UInt64(r + 1))
        }
        if let limited = strategyNames.compactMap(StrategyKind.named).first(where: { $0.maxPool != nil }), let limit = limited.maxPool,
           let largest = splits.map(\.pool.count).max(), largest > limit {
            throw CommandError("strategy \(limited.name) is limited to pools of \(limit) rows; "
                               + "this simulation's pool has \(largest): use a smaller table (`sample N as NAME`)",
                               at: command.word("strategies") ?? command.verb)
        }
        let run = try runSimulation(model, splits: splits, truth: truth, strategies: strategyNames, batch: batch,
                                    ids: table.rowIdentifiers(), weak: weak ?? [:], command: command)
        let head = "simulate \(model.name): \(repeats) repeat\(repeats == 1 ? "" : "s"), \(initialCount) → \(budget) labels"
            + (batch == 1 ? "" : " in batches of \(batch)") + ", oracle `\(oracleName)`; full-data accuracy \(fixed(run.fullMean))"
        let rare = rarestClass(truth: truth, knownRows: knownRows, classCount: model.classes.count)
        var outputs: [Output] = [.text(head + "\n" + simulationReport(run, strategies: strategyNames, first: initialCount,
                                                                      classCount: model.classes.count,
                                                                      rare: (rare, model.classes[rare]))
                                       + "\n" + simulationStoppingReport(run, strategies: strategyNames)
                                       + banditReport(run, strategies: strategyNames, first: initialCount, budget: budget))]
        if let toWord = command.word("to") {
            let recall = try command.choice("curve", SimulationCurve.self) == .recall
            outputs.append(try learningCurvePlot(curves: run.curves, order: strategyNames, recallOf: recall ? (rare, model.classes[rare]) : nil,
                                                 command: command, to: toWord))
        }
        return outputs
    }

    /// The curves of one simulation: per strategy, one per repeat, and the mean accuracy of a model fitted on all training rows.
    struct SimulationRun {
        var curves: [String: [LearningCurve.Curve]]
        var fullMean: Double
        /// Per strategy, per repeat: the stopping signals after each fit (one per curve point).
        var stopping: [String: [[StoppingStep]]] = [:]
        /// Per adaptive strategy, each repeat's bandit (what it chose when).
        var bandits: [String: [AdaptiveBandit]] = [:]
    }

    /// Runs every strategy on every split (the loop `simulate` times), reporting progress at a prompt.
    func runSimulation(_ model: ActiveModel, splits: [SimulationSplit], truth: [Int], strategies strategyNames: [String],
                       batch: Int, ids: [String], weak: [Int: Int] = [:], command: ParsedCommand) throws -> SimulationRun {
        let k = model.classes.count
        let fitsPerCurve = splits.map { ($0.limit - $0.initial.count + batch - 1) / batch + 1 }.reduce(0, +)
        let progress = options.interactive ? LoadProgress(label: model.name, action: "simulating") : nil
        defer { progress?.finish() }
        var fitsDone = 0
        let afterFit: (Int) throws -> Void = { _ in
            try Cancellation.check()
            fitsDone += 1
            progress?.update(Double(fitsDone) / Double(max(1, fitsPerCurve * strategyNames.count)))
        }
        var curves = [String: [LearningCurve.Curve]]()
        var stopping = [String: [[StoppingStep]]]()
        var bandits = [String: [AdaptiveBandit]]()
        var full: [Double] = []
        for split in splits {
            let seed = split.seed
            var all = model.makeClassifier()
            try all.fit(model.x.selecting(rows: split.trainable), labels: split.trainable.map { truth[$0] }, classCount: k, seed: seed)
            let predicted = try all.predict(model.x.selecting(rows: split.test))
            full.append(Double(zip(predicted, split.test.map { truth[$0] }).filter { $0 == $1 }.count) / Double(split.test.count))
            // Ties among scores go by keys from the row ids, as in `query`: not by the file's order.
            let keys = AstrolabeLearn.tieBreakKeys(ids: ids, seed: seed)
            for name in strategyNames {
                let ruled = name.hasSuffix("+rules")
                let strategy = ruled ? String(name.dropLast(6)) : name
                let picker: LearningCurve.Picker
                let balanced = strategy.hasSuffix(SimulationCurve.balancedSuffix)
                let base = balanced ? String(strategy.dropLast(SimulationCurve.balancedSuffix.count)) : strategy
                switch base == "random" || balanced ? nil : StrategyKind.named(base)?.rule {
                case nil where balanced: picker = .choose(queryRule(model, strategy: base, truth: truth, balanced: true))
                case nil: picker = .random(seed: seed &+ 2)
                // Ties broken by a secondary criterion: through the query's own selection.
                case .scores? where model.ties != .random, .committee? where model.ties != .random:
                    picker = .choose(queryRule(model, strategy: name, truth: truth))
                case .scores(let s)?: picker = .strategy(s)
                case .committee(let s)?: picker = .committee(s)
                case .pool?:
                    let bandit = StrategyKind.named(base)?.family == .adaptive
                        ? AdaptiveBandit(budget: split.limit - split.initial.count, seed: seed) : nil
                    if let bandit { bandits[name, default: []].append(bandit) }
                    picker = .choose(queryRule(model, strategy: base, truth: truth, bandit: bandit))
                }
                let watcher = StoppingWatcher(model: model, stoppingSet: StoppingWatcher.stoppingSet(split.pool))
                do {
                    let curve = try LearningCurve.run(x: model.x, labels: truth, classCount: k, test: split.test, initial: split.initial,
                                                      pool: split.pool, budget: split.limit, batch: batch, classifier: model.makeClassifier(),
                                                      picker: picker, seed: seed, tieBreakKeys: keys, weak: ruled ? weak : [:],
                                                      afterFit: afterFit,
                                                      watch: { fitted, training, _ in try watcher.observe(fitted, labels: training.count) })
                    curves[name, default: []].append(curve)
                    stopping[name, default: []].append(watcher.steps)
                } catch let error as LearnError {
                    throw CommandError("simulation failed: \(error.message)", at: command.verb)
                }
            }
        }
        return SimulationRun(curves: curves, fullMean: full.reduce(0, +) / Double(full.count), stopping: stopping,
                             bandits: bandits)
    }

    /// The table of a simulation (AUBC, accuracies, labels to 95% per strategy) and a note on strategies that drew the same curves.
    func simulationReport(_ run: SimulationRun, strategies strategyNames: [String], first: Int, classCount k: Int,
                          rare: (index: Int, name: String)) -> String {
        let curves = run.curves
        var text = TextTable(header: ["strategy", "AUBC", "± sd", "acc@\(first)", "acc@end", "labels to 95%",
                                      "\(rare.name) recall@end", "mean \(rare.name) recall"],
                             numericColumns: [1, 2, 3, 4, 5, 6, 7])
        for name in strategyNames {
            let runs = curves[name] ?? []
            let areas = runs.map { LearningCurve.areaUnderCurve($0) }
            let (mean, sd) = meanAndDeviation(areas)
            let meanCurve = meanLearningCurve(runs)
            let reach = LearningCurve.labelsToReach(0.95, of: run.fullMean, curve: meanCurve)
            let recall = meanRecallCurve(runs, of: rare.index)
            text.append([name, fixed(mean), fixed(sd), fixed(meanCurve.accuracy.first ?? .nan), fixed(meanCurve.accuracy.last ?? .nan),
                         reach.map(String.init) ?? "not reached", fixed(recall.last ?? .nan),
                         fixed(recall.isEmpty ? .nan : recall.reduce(0, +) / Double(recall.count))])
        }
        // Strategies that ranked every row alike in every repeat (margin, entropy and least-confident
        // do for two classes) draw one line: the later one hides the earlier in the plot.
        var same: [String] = []
        for (i, name) in strategyNames.enumerated() {
            guard let runs = curves[name] else { continue }
            if let earlier = strategyNames[..<i].first(where: { curves[$0].map { $0.map(\.accuracy) } == runs.map(\.accuracy) }) {
                same.append("\(name) gave the same curves as \(earlier)")
            }
        }
        let sameNote = same.isEmpty ? "" : "\n" + same.joined(separator: "; ") + (k == 2 ? " (with two classes these measures rank rows alike)" : "")
        return text.rendered + sameNote
    }

    /// The strategies `simulate` compares (strategies=, default random and the model's), each
    /// checked to exist and to suit the model.
    func simulationStrategies(_ command: ParsedCommand, model: ActiveModel) throws -> [String] {
        let option = command.word("strategies")
        let names = (option?.text.split(separator: ",").map(String.init)
            ?? (model.strategyName == "random" ? ["random"] : ["random", model.strategyName])).filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw CommandError("strategies= names no strategy: give a comma-separated list, e.g. strategies=random,margin",
                               at: option ?? command.verb)
        }
        for name in names {
            let strategy = try resolving(at: option ?? command.verb) { try StrategyKind.resolve(name) }
            if strategy.needsAudit {
                throw CommandError("strategy `\(name)` asks about the rows an audit flagged; a simulation draws from the pool", at: option ?? command.verb)
            }
            if strategy.needsCommittee && model.members.isEmpty {
                throw CommandError("strategy `\(name)` needs a committee model", at: option ?? command.verb)
            }
        }
        return names
    }

    /// One repeat's rows: a stratified test set, the starting labels drawn from the rest, and the pool.
    struct SimulationSplit {
        var seed: UInt64
        var test: [Int], trainable: [Int], initial: [Int], pool: [Int]
        /// The labels the loop stops at: the budget, or fewer when the pool runs out.
        var limit: Int
    }

    func simulationSplit(_ model: ActiveModel, truth: [Int], knownRows: [Int], testFraction: Double,
                         initialCount: Int, budget: Int, seed: UInt64) -> SimulationSplit {
        let split = stratifiedSplit(labels: knownRows.map { truth[$0] }, testFraction: testFraction, seed: seed)
        let trainable = split.train.map { knownRows[$0] }
        let initial = stratifiedSample(trainable, classes: truth, count: initialCount, classCount: model.classes.count, seed: seed &+ 1)
        let initialSet = Set(initial)
        let pool = trainable.filter { !initialSet.contains($0) }
        return SimulationSplit(seed: seed, test: split.test.map { knownRows[$0] }, trainable: trainable, initial: initial,
                               pool: pool, limit: min(budget, initial.count + pool.count))
    }

    /// The query rule of a density-weighted, batch or expected-error strategy for a simulation: the
    /// same selection `query` makes (a batch of `count`: ranked-batch and k-center pick diverse
    /// batches), on a copy of the model holding the
    /// simulation's fitted classifier and training rows.
    func queryRule(_ model: ActiveModel, strategy: String, truth: [Int], balanced: Bool = false,
                   bandit: AdaptiveBandit? = nil) -> (any Classifier, [Int], [Int], Int) throws -> [Int] {
        var copy = model
        copy.strategyName = strategy
        copy.poolPrediction = nil
        copy.bandit = bandit
        return { fitted, training, remaining, count in
            guard let scaled = fitted as? ScaledClassifier else { throw LearnError("strategy \(strategy) needs the model's own classifier") }
            copy.classifier = scaled
            copy.trainingRows = training
            // A strategy that refits (expected-error) refits on the simulation's truth for those rows.
            copy.trainingLabels = training.map { truth[$0] }
            copy.fits += 1
            return try self.selectQueries(copy, pool: remaining, count: count, balanced: balanced).ranked
        }
    }

    /// The mean learning curve of each strategy, one line each, in a band of ± one standard
    /// deviation over the repeats.
    func learningCurvePlot(curves: [String: [LearningCurve.Curve]], order: [String], recallOf rare: (index: Int, name: String)? = nil,
                           command: ParsedCommand, to word: Word) throws -> Output {
        // The plotted value of each repeat at each point: accuracy, or the rare class's recall.
        func values(_ curve: LearningCurve.Curve) -> [Double] {
            guard let rare else { return curve.accuracy }
            return curve.recall.map { rare.index < $0.count ? $0[rare.index] : .nan }
        }
        let series = order.map { name -> (name: String, x: [Double], y: [Double]) in
            let runs = curves[name] ?? []
            let mean = meanLearningCurve(runs)
            return (name, mean.labels.map(Double.init), rare == nil ? mean.accuracy : meanRecallCurve(runs, of: rare?.index ?? 0))
        }
        let bands = order.map { name -> [Double] in
            let runs = curves[name] ?? []
            let length = runs.map(\.accuracy.count).min() ?? 0
            return (0..<length).map { i in meanAndDeviation(runs.map { values($0)[i] }).1 }
        }
        let repeats = curves.values.map(\.count).max() ?? 0
        let what = rare.map { "test recall of \($0.name)" } ?? "test accuracy"
        return try seriesPlot(series, bands: bands, xLabel: "labels",
                              yLabel: "\(what) (mean ± sd over \(repeats) repeats)", title: rare == nil ? "learning curves" : "recall of the rarest class",
                              command: command, to: word)
    }

    func predict(_ command: ParsedCommand) throws -> [Output] {
        let model = try requireModel(command.positionals.first, verb: command.verb)
        guard let toWord = command.word("to") else {
            throw CommandError("expected to=PATH naming the CSV, FITS or Parquet file to write", at: command.positionals[0])
        }
        let format = try PredictionFormat(path: toWord)
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet", at: command.positionals[0])
        }
        let pool = poolRows(model)
        let k = model.classes.count
        let p = try cachedProbabilities(model, rows: pool) ?? model.classifier.predictProbabilities(model.x.selecting(rows: pool))
        let measure = model.uncertaintyMeasure
        let uncertainty = measure.scores(probabilities: p, classCount: k, seed: 0)
        let ids = table.rowIdentifiers()
        let version = "\(model.name)@\(model.fits):\(model.trainingRows.count)"
        var predicted: [String] = []
        for i in pool.indices {
            let probabilities = p[(i * k)..<((i + 1) * k)]
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 > $1) } ?? i * k
            predicted.append(model.classes[best - i * k])
        }
        if format != .csv {
            var columns = [Column(name: "id", strings: pool.map { ids[$0] }), Column(name: "predicted", strings: predicted)]
            for (c, name) in model.classes.enumerated() {
                columns.append(Column(name: "p_" + name, numbers: pool.indices.map { p[$0 * k + c] }))
            }
            columns += [Column(name: "uncertainty", numbers: uncertainty),
                        Column(name: "model", strings: [String](repeating: version, count: pool.count))]
            let full = resolve(toWord.text)
            try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let predictions = try Table(name: "predictions", columns: columns)
            if format == .parquet {
                try ParquetWriter.write(predictions, to: full)
            } else {
                try TableWriter.writeFITS(predictions, to: full, extensionName: "PREDICTIONS")
            }
        } else {
            var csv = "id,predicted," + model.classes.map { csvField("p_" + $0) }.joined(separator: ",") + ",uncertainty,model\n"
            for (i, row) in pool.enumerated() {
                csv += csvField(ids[row]) + "," + csvField(predicted[i]) + ","
                    + p[(i * k)..<((i + 1) * k)].map { shortest($0) }.joined(separator: ",") + "," + shortest(uncertainty[i]) + "," + version + "\n"
            }
            try writeFile(Array(csv.utf8), to: toWord.text, word: toWord)
        }
        return [.text("wrote \(pool.count) pool rows of \(model.name) (version \(version); uncertainty: \(measure.name)) to \(toWord.text)")]
    }
}

/// The mean of the repeats' curves point by point (repeats share their label counts; a shorter
/// repeat, from a smaller pool, cuts the mean short).
func meanLearningCurve(_ runs: [LearningCurve.Curve]) -> LearningCurve.Curve {
    guard let first = runs.first else { return LearningCurve.Curve(labels: [], accuracy: []) }
    let length = runs.map(\.accuracy.count).min() ?? 0
    let accuracy = (0..<length).map { i in runs.reduce(0) { $0 + $1.accuracy[i] } / Double(runs.count) }
    return LearningCurve.Curve(labels: Array(first.labels.prefix(length)), accuracy: accuracy)
}

/// The mean over repeats of one class's recall at each point (cut to the shortest repeat).
func meanRecallCurve(_ runs: [LearningCurve.Curve], of c: Int) -> [Double] {
    guard !runs.isEmpty else { return [] }
    let length = runs.map(\.recall.count).min() ?? 0
    return (0..<length).map { i in runs.reduce(0) { $0 + (c < $1.recall[i].count ? $1.recall[i][c] : 0) } / Double(runs.count) }
}

/// What `simulate … to=` draws (`curve=`).
enum SimulationCurve: String, CaseIterable {
    case accuracy, recall
    /// How a strategy run with balanced batches is named in reports and plots.
    static let balancedSuffix = "+balanced"
}

extension Session {
    /// The class with the fewest rows of known class (the first such on ties).
    func rarestClass(truth: [Int], knownRows: [Int], classCount: Int) -> Int {
        var counts = [Int](repeating: 0, count: classCount)
        for row in knownRows where truth[row] >= 0 && truth[row] < classCount { counts[truth[row]] += 1 }
        return counts.indices.min { counts[$0] < counts[$1] } ?? 0
    }
}

func meanAndDeviation(_ values: [Double]) -> (Double, Double) {
    guard !values.isEmpty else { return (.nan, .nan) }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance.squareRoot())
}

/// A CSV field, quoted when it holds a comma, quote or line break.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// The shortest text that reads back as the same double.
func shortest(_ x: Double) -> String { x.isNaN ? "" : "\(x)" }

/// What `predict` writes, by the file's extension; any other extension is an error rather than
/// CSV text under a name that promises something else.
enum PredictionFormat {
    case csv, fits, parquet

    init(path: Word) throws {
        switch (path.text as NSString).pathExtension.lowercased() {
        case "csv": self = .csv
        case "fits", "fit", "fts": self = .fits
        case "parquet": self = .parquet
        default:
            throw CommandError("predict writes .csv, .fits or .parquet files, not `\(path.text)`", at: path)
        }
    }
}
