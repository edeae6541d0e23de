import AstrolabeData
import AstrolabeLearn
import AstrolabePlot

extension PlotKind {
    /// `plot training MODEL [X Y]`: the training rows, right and wrong.
    nonisolated(unsafe) static let training: PlotKind = PlotKind(
        "training", arguments: [("MODEL", .model)] + xy, requiredArguments: 1,
        options: [.double("size", 0.1...72, "marker diameter in points"), .double("alpha", 0.01...1, default: 0.8, "marker opacity 0–1"),
                  .choice("on", EvaluationSet.names, "the model's train (default), validation or test rows")],
        help: """
            MODEL's training rows coloured correct/incorrect by its current fit, the rows its queries
            asked for ringed on top; on=validation or on=test shows those rows instead; X Y default to the
            model's first two features.
            """,
        build: { session, request in
            let (panel, note) = try session.trainingPanel(request.command, modelWord: request.command.positionals[1])
            return BuiltPanel(panel: panel, note: note)
        })

    /// `plot confidence MODEL [X Y]`: every row coloured by the model's uncertainty.
    nonisolated(unsafe) static let confidence: PlotKind = PlotKind(
        "confidence", arguments: [("MODEL", .model)] + xy, requiredArguments: 1,
        options: [.choice("how", Shading.self, "shading with map=density: linear (default), eq_hist, log or cbrt"),
                  .int("pixel", 1...200, "with map=density, side of one bin in screen pixels (default 4)"),
                  .choice("map", ["points", "density", "auto"], default: "auto", "points (every row), density (binned mean uncertainty) or auto (points up to 20,000 rows)"),
                  .double("size", 0.1...72, "marker diameter in points"), .double("alpha", 0.01...1, default: 0.8, "marker opacity 0–1")],
        help: """
            every row coloured by MODEL's uncertainty (its strategy's measure: margin, entropy or
            least-confident), training labels ringed, with a colour bar; above 20,000 rows (or map=density)
            a binned image of the mean uncertainty (pixel=4, how=linear by default).
            """,
        build: { session, request in
            let (panel, note) = try session.confidencePanel(request.command, modelWord: request.command.positionals[1])
            return BuiltPanel(panel: panel, note: note)
        })
}

/// `plot training MODEL [X Y]` and `plot confidence MODEL [X Y]`: how the current model does on
/// its own training set, and where it is unsure. Both ask the model the questions `score` and
/// `query` ask, through the same API, and change nothing.
extension Session {
    /// Colours of correct and incorrect training rows (Okabe–Ito bluish green and vermillion:
    /// apart for every kind of colour vision).
    static let correctColors = [RGBA(hex: 0x009E73), RGBA(hex: 0xD55E00)]

    /// Up to this many rows, `plot confidence` draws every row; above, a binned image of the mean
    /// uncertainty (`map=` chooses).
    static let confidencePointLimit = 20_000

    /// The x and y of every row of the model's table: the columns or expressions given after the
    /// model, else the model's first two features.
    func modelAxes(_ command: ParsedCommand, model: ActiveModel, table: Table, modelWord: Word)
        throws -> (x: [Double], y: [Double], xLabel: String, yLabel: String) {
        let words = Array(command.positionals.dropFirst(2))
        if words.count == 2 {
            return (try numericValues(of: words[0], in: table), try numericValues(of: words[1], in: table),
                    command.word("xlabel")?.text ?? columnName(words[0]),
                    command.word("ylabel")?.text ?? columnName(words[1]))
        }
        if words.count == 1 {
            throw CommandError("expected both X and Y after the model (or neither, for its first two features)",
                               offset: words[0].offset + words[0].length, length: 1)
        }
        guard model.features.count >= 2 else {
            throw CommandError("model `\(model.name)` has one feature; name the axes: plot \(command.positionals[0].text) \(model.name) X Y",
                               offset: modelWord.offset + modelWord.length, length: 1)
        }
        let columns = model.x.columns
        let xs = (0..<model.x.rows).map { model.x.values[$0 * columns] }
        let ys = (0..<model.x.rows).map { model.x.values[$0 * columns + 1] }
        return (xs, ys, command.word("xlabel")?.text ?? model.features[0],
                command.word("ylabel")?.text ?? model.features[1])
    }

    /// The model of a training/confidence plot, trained, with its table.
    func trainedModel(_ word: Word, verb: Word) throws -> (ActiveModel, Table) {
        let model = try requireModel(word, verb: verb)
        try refuseRegression(model, at: word)
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: word) }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet: teach it first", at: word)
        }
        return (model, table)
    }

    /// Which training rows the current fit gets right (true) or wrong (false), in training order.
    func trainingCorrectness(_ model: ActiveModel) throws -> [Bool] {
        let predicted = try model.classifier.predict(model.x.selecting(rows: model.trainingRows))
        return zip(predicted, model.trainingLabels).map { $0 == $1 }
    }

    /// `plot training MODEL [X Y] [on=train|validation|test]`: the training rows (or the validation
    /// or test rows, with the truth `score` uses) coloured by whether the current model predicts
    /// their class, the rows the model asked about ringed on top.
    func trainingPanel(_ command: ParsedCommand, modelWord: Word) throws -> (Panel, String) {
        let (model, table) = try trainedModel(modelWord, verb: command.verb)
        let axes = try modelAxes(command, model: model, table: table, modelWord: modelWord)
        let set = !command.has("on") ? EvaluationSet.train : try evaluationSet(command, model: model)
        let rows: [Int], correct: [Bool]
        if set == .train {
            rows = model.trainingRows
            correct = try trainingCorrectness(model)
        } else {
            let known = zip(model.rows(of: set), truth(model, rows: model.rows(of: set), table: table)).filter { $0.1 >= 0 }
            guard !known.isEmpty else {
                throw CommandError("no row of the \(set.rawValue) set of `\(model.name)` has a known class", at: modelWord)
            }
            rows = known.map(\.0)
            let predicted = try model.classifier.predict(model.x.selecting(rows: rows))
            correct = zip(predicted, known.map(\.1)).map { $0 == $1 }
        }
        let what = set == .train ? "training labels" : "\(set.rawValue) rows"
        let right = correct.filter { $0 }.count, wrong = correct.count - right
        let queried = rows.indices.filter { model.asked.contains(rows[$0]) }
        var plot = ScatterPlot(x: rows.map { axes.x[$0] }, y: rows.map { axes.y[$0] }, xLabel: axes.xLabel, yLabel: axes.yLabel,
                               title: command.word("title")?.text
                                   ?? "\(model.name): \(right) of \(rows.count) \(what) predicted correctly",
                               coloring: .categories(codes: correct.map { $0 ? 0 : 1 },
                                                     names: ["correct (\(right))", "incorrect (\(wrong))"]),
                               highlighted: queried)
        plot.highlightName = "queried (\(queried.count))"
        plot.classColors = Session.correctColors
        plot.markerSize = try command.double("size", default: 6)
        plot.alpha = try command.double("alpha")
        let (xAxis, yAxis) = try axisOptions(command)
        plot.xAxis = xAxis; plot.yAxis = yAxis
        plot.legend = try command.choice("legend", LegendPlacement.self)
        let text = "\(model.name) on its \(rows.count) \(what): \(right) correct, \(wrong) incorrect; "
            + "\(queried.count) of them asked for by a query (ringed)"
        return (plot, text)
    }

    /// `plot confidence MODEL [X Y] [map=points|density|auto]`: every row of the table coloured by
    /// the model's uncertainty (its strategy's measure, least-confident for random and batch
    /// strategies), as points or, for big tables, a binned image of the mean uncertainty.
    func confidencePanel(_ command: ParsedCommand, modelWord: Word) throws -> (Panel, String) {
        let (model, table) = try trainedModel(modelWord, verb: command.verb)
        let axes = try modelAxes(command, model: model, table: table, modelWord: modelWord)
        let k = model.classes.count
        let probabilities = try model.classifier.predictProbabilities(model.x)
        let measure = model.uncertaintyMeasure
        let uncertainty = measure.scores(probabilities: probabilities, classCount: k, seed: 0)
        let label = "uncertainty (\(measure.name))"
        let title = command.word("title")?.text ?? "\(model.name): \(label) after \(model.trainingRows.count) labels"
        let mapWord = command.word("map")
        let map = mapWord?.text ?? "auto"
        guard ["auto", "points", "density"].contains(map) else {
            throw CommandError("map= expects points, density or auto", at: mapWord ?? command.verb,
                               suggestion: nearestName(to: map, in: ["points", "density", "auto"]))
        }
        let finite = uncertainty.filter(\.isFinite)
        let mean = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
        let text = "\(model.name): \(label) of \(uncertainty.count) rows, mean \(fixed(mean)), max \(fixed(finite.max() ?? .nan))"
        let (xAxis, yAxis) = try axisOptions(command)
        let usePoints = map == "points" || (map == "auto" && uncertainty.count <= Session.confidencePointLimit)
        if usePoints {
            var plot = ScatterPlot(x: axes.x, y: axes.y, xLabel: axes.xLabel, yLabel: axes.yLabel, title: title,
                                   coloring: .continuous(values: uncertainty, label: label),
                                   highlighted: model.trainingRows, colormap: try colormapOption(command))
            plot.highlightName = "training labels (\(model.trainingRows.count))"
            plot.markerSize = try command.double("size", default: 4)
            plot.alpha = try command.double("alpha")
            plot.xAxis = xAxis; plot.yAxis = yAxis
            plot.legend = try command.choice("legend", LegendPlacement.self, default: .auto)
            return (plot, text)
        }
        var plot = DensityPlot(x: axes.x, y: axes.y, xLabel: axes.xLabel, yLabel: axes.yLabel, title: title,
                               colormap: try colormapOption(command),
                               shading: try command.choice("how", Shading.self, default: .linear),
                               showColorBar: try command.yesNo("colorbar"))
        plot.aggregation = .reduce(.mean, values: uncertainty, label: "mean " + label)
        plot.binSize = try command.int("pixel", default: 4)
        plot.xAxis = xAxis; plot.yAxis = yAxis
        return (plot, text)
    }
}
