import AstrolabeData
import AstrolabeLearn
import AstrolabePlot

extension PlotKind {
    /// `plot confusion MODEL`: a model's confusion matrix as a heatmap.
    nonisolated(unsafe) static let confusion: PlotKind = PlotKind(
        "confusion", arguments: [("MODEL", .model)],
        options: [.yesNo("normalize", default: false, "yes for fractions of each true class (recall on the diagonal)"),
                  .choice("on", EvaluationSet.names, "the model's test (default), validation or train rows"),
                  .choice("values", ["auto", "yes", "no"], "yes (default) or no to write the numbers in the cells")],
        help: """
            the test-set confusion matrix of MODEL as a heatmap (rows: true class; on=validation or
            on=train for those sets, truth as `score` takes it); normalize=yes shows fractions of each true class.
            """,
        overlayRefusal: "a confusion matrix; overlays need x and y axes",
        build: { BuiltPanel(panel: try $0.confusionPanel($1.command, modelWord: $1.command.positionals[1])) })
}

extension Session {
    /// Classifier plots refuse a regression model (it has `plot predicted`).
    func refuseRegression(_ model: ActiveModel, at word: Word) throws {
        guard model.regression != nil else { return }
        throw CommandError("`\(model.name)` is a regression model: plot predicted \(model.name) shows it", at: word)
    }
}

/// Read-only access to a model's test-set results for plots (the `confusion` kind above draws
/// them). The model code belongs to the learn commands; this asks it the same questions `score`
/// does, through the same public API, and changes nothing.
extension Session {
    /// The model's confusion matrix on one set (`on=`, default test), with the truth `score` uses:
    /// a human answer where there is one (curated test sets: rows the catalogue calls unknown),
    /// else the catalogue's class; rows of unknown class left out.
    func plotConfusion(of model: ActiveModel, command: ParsedCommand, at word: Word) throws -> (ConfusionMatrix, EvaluationSet) {
        let set = !command.has("on") ? EvaluationSet.test : try evaluationSet(command, model: model)
        guard set != .test || !model.testRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no test set (it was made with test=0); try on=train", at: word)
        }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet", at: word)
        }
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: word) }
        guard let matrix = try confusion(model, on: set, table: table) else {
            throw CommandError("no row of the \(set.rawValue) set of `\(model.name)` has a known class", at: word)
        }
        return (matrix, set)
    }

    /// `plot confusion MODEL [on=test|validation|train] [normalize=yes] [values=no]`: a confusion matrix as a heatmap.
    func confusionPanel(_ command: ParsedCommand, modelWord: Word) throws -> Panel {
        let model = try requireModel(modelWord, verb: command.verb)
        try refuseRegression(model, at: modelWord)
        let (matrix, set) = try plotConfusion(of: model, command: command, at: modelWord)
        let what = set == .train ? "training labels" : "\(set.rawValue) rows"
        let k = model.classes.count
        let normalize = try command.yesNo("normalize")
        var values: [Double] = [], text: [String] = []
        for t in 0..<k {
            let support = matrix.counts[t].reduce(0, +)
            for p in 0..<k {
                let n = matrix.counts[t][p]
                if normalize {
                    let f = support > 0 ? Double(n) / Double(support) : .nan
                    values.append(f)
                    text.append(f.isNaN ? "" : String(format: "%.2f", f))
                } else {
                    values.append(Double(n))
                    text.append(String(n))
                }
            }
        }
        var map = try colormapOption(command)
        if !command.has("cmap") { map = .blues }
        var heatmap = Heatmap(values: values, rows: k, columns: k, rowLabels: model.classes, columnLabels: model.classes,
                              colormap: map, showValues: try command.yesNo("values", default: true))
        heatmap.cellText = text
        heatmap.xLabel = "predicted class"
        heatmap.yLabel = "true class"
        heatmap.colorBarLabel = normalize ? "fraction of the true class" : what
        if normalize { heatmap.low = 0; heatmap.high = 1 }
        heatmap.showColorBar = try command.yesNo("colorbar")
        heatmap.title = command.word("title")?.text
            ?? "\(model.name): accuracy \(String(format: "%.3f", matrix.accuracy)) on \(matrix.total) \(what)"
        return heatmap
    }
}
