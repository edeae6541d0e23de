import AstrolabeData
import AstrolabeLearn
import AstrolabePlot

/// Read-only access to a model's test-set results for plots. The model code belongs to the learn
/// commands; this asks it the same questions `score` does, through the same public API, and
/// changes nothing.
extension Session {
    /// The model's confusion matrix on its held-out test rows (rows: true class, columns: predicted).
    func testConfusion(of model: ActiveModel, at word: Word) throws -> ConfusionMatrix {
        guard !model.testRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no test set (it was made with test=0)", at: word)
        }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet", at: word)
        }
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: word) }
        let catalogue = modelClasses(table, model: model)
        let truth = model.testRows.map { catalogue[$0] }
        let predicted = try model.classifier.predict(model.x.selecting(rows: model.testRows))
        return try ConfusionMatrix(truth: truth, predicted: predicted, classCount: model.classes.count)
    }

    /// `plot confusion MODEL [normalize=yes] [values=no]`: the test-set confusion matrix as a heatmap.
    func confusionPanel(_ command: ParsedCommand, modelWord: Word) throws -> Panel {
        let model = try requireModel(modelWord, verb: command.verb)
        let matrix = try testConfusion(of: model, at: modelWord)
        let k = model.classes.count
        let normalize = try yesNo(command, "normalize", default: false)
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
        if command.option("cmap") == nil { map = .blues }
        var heatmap = Heatmap(values: values, rows: k, columns: k, rowLabels: model.classes, columnLabels: model.classes,
                              colormap: map, showValues: try yesNo(command, "values", default: true))
        heatmap.cellText = text
        heatmap.xLabel = "predicted class"
        heatmap.yLabel = "true class"
        heatmap.colorBarLabel = normalize ? "fraction of the true class" : "test rows"
        if normalize { heatmap.low = 0; heatmap.high = 1 }
        heatmap.showColorBar = try yesNo(command, "colorbar", default: true)
        heatmap.title = command.option("title")?.value.text
            ?? "\(model.name): accuracy \(String(format: "%.3f", matrix.accuracy)) on \(model.testRows.count) test rows"
        return .heatmap(heatmap)
    }
}
