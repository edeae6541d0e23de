import AstrolabeData
import AstrolabeLearn
import AstrolabePlot
import Foundation

/// The scores of one fit of a model: what `history` lists, one row per fit, the iteration being
/// the number of training labels.
struct TrainingRecord {
    var labels: Int
    var fit: Int
    /// Confusion matrices on the training rows, the validation rows and the test rows (nil when
    /// the set is empty or none of its rows has a known class).
    var train: ConfusionMatrix?
    var validation: ConfusionMatrix?
    var test: ConfusionMatrix?
    /// Cohen's kappa between this fit's pool predictions and the previous fit's (nil for the first).
    var kappa: Double?
    /// Mean and largest uncertainty over the pool (the strategy's own measure when it has one).
    var poolUncertainty: Double?
    var maxUncertainty: Double?
    var poolSize: Int
    /// Pool rows whose predicted class did not change since the previous fit, of `compared`
    /// predicted by both; and the mean normalised entropy over the pool (what the stopping rules read).
    var unchanged: Int?
    var compared: Int?
    var entropy: Double?

    /// What a `StoppingRule` reads of this fit.
    var stoppingStep: StoppingStep {
        StoppingStep(labels: labels, kappa: kappa, unchanged: unchanged, compared: compared, uncertainty: entropy)
    }
}

/// Probabilities and predicted classes of one fit over its pool (rows ascending).
struct PoolPrediction {
    var fit: Int
    var rows: [Int]
    var probabilities: [Double]
    var predicted: [Int]
}

/// Which held-out set a score is taken on.
enum EvaluationSet: String, CaseIterable {
    case train, validation, test
    static var names: [String] { allCases.map(\.rawValue) }
}

extension ActiveModel {
    /// What the stopping rules read: one step per number of labels, the first fit on it (a refit on
    /// the same labels — after `unsure` or `retrain` — repeats the same predictions, which is no
    /// evidence of stability), and for each history record the index of its step.
    var stoppingSteps: (steps: [StoppingStep], stepOfRecord: [Int]) {
        var steps: [StoppingStep] = [], index: [Int] = []
        for record in history {
            if steps.last?.labels != record.labels { steps.append(record.stoppingStep) }
            index.append(steps.count - 1)
        }
        return (steps, index)
    }

    /// The uncertainty the stopping signals average: the model's strategy when it is a pure
    /// uncertainty measure (margin, entropy, least-confident), least-confident otherwise.
    var uncertaintyMeasure: any QueryStrategy {
        StrategyKind.named(strategyName)?.uncertaintyMeasure ?? LeastConfidentSampling()
    }

    func rows(of set: EvaluationSet) -> [Int] {
        switch set {
        case .train: trainingRows
        case .validation: validationRows
        case .test: testRows
        }
    }
}

extension Session {
    /// The true class index of held-out rows: the human answer where there is one (curated
    /// sets), else the catalogue's label column; -1 where neither knows.
    func truth(_ model: ActiveModel, rows: [Int], table: Table) -> [Int] {
        let catalogue = modelClasses(table, model: model)
        return rows.map { row in
            if let record = answers[table.name]?[row], record.kind == .label, let label = record.label,
               let index = model.classIndex(of: label) {
                return index
            }
            return catalogue[row]
        }
    }

    /// The confusion matrix of the model's current fit on one set (rows of unknown class left out).
    func confusion(_ model: ActiveModel, on set: EvaluationSet, table: Table) throws -> ConfusionMatrix? {
        let rows = model.rows(of: set)
        let known: [(row: Int, truth: Int)]
        if set == .train {
            known = zip(model.trainingRows, model.trainingLabels).map { ($0, $1) }
        } else {
            known = zip(rows, truth(model, rows: rows, table: table)).filter { $0.1 >= 0 }.map { ($0, $1) }
        }
        guard !known.isEmpty, !model.trainingRows.isEmpty else { return nil }
        let predicted = try model.classifier.predict(model.x.selecting(rows: known.map(\.row)))
        return try ConfusionMatrix(truth: known.map(\.truth), predicted: predicted, classCount: model.classes.count)
    }

    /// After a fit: predicts the pool once (kept for queries), scores every set, and appends the
    /// record to the model's history.
    func recordTraining(_ model: inout ActiveModel) throws {
        guard !model.trainingRows.isEmpty, let table = tables[model.tableName] else {
            model.poolPrediction = nil
            return
        }
        let k = model.classes.count
        let pool = poolRows(model)
        var record = TrainingRecord(labels: model.trainingRows.count, fit: model.fits, poolSize: pool.count)
        if !pool.isEmpty {
            let probabilities = try model.classifier.predictProbabilities(model.x.selecting(rows: pool))
            let predicted = argmaxRows(probabilities, classCount: k)
            let uncertainty = model.uncertaintyMeasure.scores(probabilities: probabilities, classCount: k, seed: 0).filter { !$0.isNaN }
            if !uncertainty.isEmpty {
                record.poolUncertainty = uncertainty.reduce(0, +) / Double(uncertainty.count)
                record.maxUncertainty = uncertainty.max()
            }
            record.entropy = StoppingSignals.meanNormalizedEntropy(probabilities: probabilities, classCount: k)
            if let previous = model.poolPrediction {
                record.kappa = StoppingSignals.kappa(rows: previous.rows, previous: previous.predicted,
                                                     rows: pool, current: predicted, classCount: k)
                let change = StoppingSignals.unchanged(rows: previous.rows, previous: previous.predicted, rows: pool, current: predicted)
                record.unchanged = change.unchanged
                record.compared = change.compared
            }
            model.poolPrediction = PoolPrediction(fit: model.fits, rows: pool, probabilities: probabilities, predicted: predicted)
        } else {
            model.poolPrediction = nil
        }
        record.train = try confusion(model, on: .train, table: table)
        record.validation = try confusion(model, on: .validation, table: table)
        record.test = try confusion(model, on: .test, table: table)
        model.history.append(record)
    }

    /// `history MODEL [on=SET] [average=macro|weighted|CLASS] [to=PATH]`.
    func history(_ command: ParsedCommand) throws -> [Output] {
        let model = try requireModel(command.positionals.first, verb: command.verb)
        if let stray = command.positionals.dropFirst().first {
            throw CommandError("unexpected `\(stray.text)`; options are written key=value (on=, average=, rule=, to=)", at: stray)
        }
        let set = try evaluationSet(command, model: model)
        let averageWord = command.word("average")
        let average = averageWord?.text ?? "macro"
        let classIndex = model.classes.firstIndex(of: average)
        let averages = ["macro", "weighted"] + model.classes
        guard average == "macro" || average == "weighted" || classIndex != nil else {
            throw CommandError("average= expects macro, weighted or a class (\(model.classes.joined(separator: ", ")))",
                               at: averageWord ?? command.verb, suggestion: nearestName(to: average, in: averages))
        }
        guard !model.history.isEmpty else {
            throw CommandError("model `\(model.name)` has not been trained on any label yet", at: command.positionals[0])
        }
        func metrics(_ m: ConfusionMatrix) -> [Double] {
            if let c = classIndex { return [m.accuracy, m.precision(c), m.recall(c), m.f1(c)] }
            if average == "weighted" { return [m.accuracy, m.weightedPrecision, m.weightedRecall, m.weightedF1] }
            return [m.accuracy, m.macroPrecision, m.macroRecall, m.macroF1]
        }
        let scoreName = classIndex == nil ? average + " " : ""
        var table = TextTable(header: ["labels", "accuracy", scoreName + "precision", scoreName + "recall", scoreName + "F1",
                                       "kappa", "pool uncertainty", "max uncertainty", "verdict"],
                              numericColumns: Set(0...7))
        let rule = try stoppingRule(command) ?? StoppingRule.defaults[0]
        let (steps, stepOfRecord) = model.stoppingSteps
        let decisions = rule.decisions(steps)
        let verdicts = stepOfRecord.map { decisions[$0] }
        var accuracy: [Double] = [], f1: [Double] = [], xs: [Double] = []
        for (fit, record) in model.history.enumerated() {
            let matrix: ConfusionMatrix? = switch set {
            case .train: record.train
            case .validation: record.validation
            case .test: record.test
            }
            let values = matrix.map(metrics)
            let scores: [String] = values.map { $0.map { fixed($0) } } ?? ["", "", "", ""]
            let signals: [Double?] = [record.kappa, record.poolUncertainty, record.maxUncertainty]
            let signalCells: [String] = signals.map { value in value.map { fixed($0) } ?? "" }
            table.append([String(record.labels)] + scores + signalCells + [verdicts[fit] ? "stop" : "continue"])
            if let values {
                xs.append(Double(record.labels)); accuracy.append(values[0]); f1.append(values[3])
            }
        }
        let setSize = set == .train ? "its training labels" : "its \(set.rawValue) set (\(plural(model.rows(of: set).count, "row")))"
        let about = classIndex == nil ? "" : "; precision, recall and F1 of class \(average)"
        var outputs: [Output] = [.text("\(model.name) after each fit, scored on \(setSize)\(about); "
                                       + "kappa: agreement with the previous fit's pool predictions, "
                                       + "uncertainty: \(model.uncertaintyMeasure.name) over the pool; verdict: \(rule.name), \(rule.summary)\n"
                                       + table.rendered + "\n" + stoppingRecommendation(rule, steps: steps))]
        if let toWord = command.word("to") {
            let f1Name = (classIndex == nil ? average + " F1" : "F1 (\(average))")
            outputs.append(try seriesPlot([("accuracy", xs, accuracy), (f1Name, xs, f1)], xLabel: "labels",
                                          yLabel: "\(set.rawValue) score", title: "\(model.name): \(set.rawValue) scores",
                                          command: command, to: toWord))
        }
        return outputs
    }

    /// The set named by `on=` (default: validation when the model has one, else test for `score`
    /// and train for `history`, chosen by the caller through `fallback`).
    func evaluationSet(_ command: ParsedCommand, model: ActiveModel, fallback: EvaluationSet = .train) throws -> EvaluationSet {
        guard let word = command.word("on") else {
            return model.validationRows.isEmpty ? fallback : .validation
        }
        guard let set = EvaluationSet(rawValue: word.text) else {
            throw CommandError("on= expects train, validation or test", at: word,
                               suggestion: nearestName(to: word.text, in: EvaluationSet.names))
        }
        if set != .train && model.rows(of: set).isEmpty {
            let how = set == .validation ? "make the model with split=TRAIN:VALIDATION:TEST" : "it was made with test=0"
            throw CommandError("model `\(model.name)` has no \(set.rawValue) set (\(how))", at: word)
        }
        return set
    }

    /// Y limits for scores (which lie in 0…1): nil (the usual range) unless the usual margin would
    /// run the axis past 1 — a flat line at a perfect score sat in the middle of an axis to 1.04 —
    /// and then from below the lowest value (at most 0.9) to just above 1. Bands count by their edges.
    static func scoreAxisLimits(_ ys: [Double], halfWidths: [Double]?,
                                within range: ClosedRange<Double> = -Double.infinity...Double.infinity) -> ClosedRange<Double>? {
        var shown = ys.filter(\.isFinite)
        if let halfWidths {
            for (y, h) in zip(ys, halfWidths) where y.isFinite && h.isFinite { shown += [y - h, y + h].map { min(max($0, range.lowerBound), range.upperBound) } }
        }
        guard let low = shown.min(), let high = shown.max(), low >= 0, high <= 1 else { return nil }
        let pad = max(high - low, 0.05) * 0.05
        guard high + pad > 1 else { return nil }
        let bottom = max(0, min(low - pad, 0.9))
        return bottom...(1 + (1 - bottom) * 0.03)
    }

    /// Series as lines, one colour each (learning curves, training history), written as a PNG.
    func seriesPlot(_ series: [(name: String, x: [Double], y: [Double])], bands: [[Double]]? = nil,
                    bandRange: ClosedRange<Double> = 0...1, xLabel: String, yLabel: String,
                    title: String, command: ParsedCommand, to word: Word) throws -> Output {
        guard word.text.lowercased().hasSuffix(".png") else {
            throw CommandError("only PNG output is supported so far: use a path ending in .png", at: word)
        }
        var xs: [Double] = [], ys: [Double] = [], codes: [Int] = []
        for (code, s) in series.enumerated() {
            xs += s.x; ys += s.y; codes += [Int](repeating: code, count: s.x.count)
        }
        var plot = LinePlot(x: xs, y: ys, xLabel: xLabel, yLabel: yLabel, title: title)
        plot.xAxis.integerTicks = true  // numbers of labels
        plot.codes = codes
        plot.names = series.map(\.name)
        plot.band = bands.map { $0.flatMap { $0 } }
        plot.bandRange = bandRange
        plot.yAxis.limits = Session.scoreAxisLimits(ys, halfWidths: plot.band, within: bandRange)
        let style = FigureStyle()
        let image = try plot.render(style: style)
        let bytes = try PNGEncoder.encode(image, dpi: style.dpi,
                                          text: [(key: "Software", value: "Astrolabe"),
                                                 (key: "Description", value: command.line.trimmingCharacters(in: .whitespacesAndNewlines))])
        try writeFile(bytes, to: word.text, word: word)
        return .image(PNGImage(bytes: bytes, path: word.text, width: image.width, height: image.height))
    }
}
