import AstrolabeData
import AstrolabeLearn
import AstrolabePlot

extension PlotKind {
    /// `plot predicted MODEL`: a regression model's predictions against the truth.
    nonisolated(unsafe) static let predicted: PlotKind = PlotKind(
        "predicted", arguments: [("MODEL", .model)],
        options: [.choice("on", EvaluationSet.names, "the model's test (default), validation or train rows"),
                  .choice("map", ["points", "density", "auto"], default: "auto", "points, density (counts per pixel) or auto (density above 5,000 rows)"),
                  .int("pixel", 1...200, "with map=density, side of one bin in screen pixels (default 3)"),
                  .double("size", 0.1...72, "marker diameter in points"), .double("alpha", 0.01...1, default: 0.8, "marker opacity 0–1")],
        help: """
            a regression model's prediction against the truth on its test rows (on=validation or on=train for
            those), with the 1:1 line and, dashed, the photo-z outlier bounds |Δz|/(1 + z) = 0.15; the title gives
            RMSE, NMAD and the outlier fraction; above 5,000 rows (or map=density) the counts per pixel.
            """,
        build: { session, request in
            let (panel, note) = try session.predictedPanel(request, modelWord: request.command.positionals[1])
            return BuiltPanel(panel: panel, note: note)
        })
}

extension Session {
    /// Above this many rows `plot predicted` draws counts per pixel rather than points (`map=`).
    static let predictedPointLimit = 5_000

    func predictedPanel(_ request: PlotRequest, modelWord: Word) throws -> (Panel, String) {
        let command = request.command
        let model = try requireModel(modelWord, verb: command.verb)
        guard let state = model.regression else {
            throw CommandError("`\(model.name)` is a classifier: plot predicted is for regression models (plot confusion \(model.name))", at: modelWord)
        }
        let set = !command.has("on") ? EvaluationSet.test : try evaluationSet(command, model: model)
        let (rows, truth, predicted) = try regressionEvaluation(model, on: set, at: modelWord)
        let m = RegressionMetrics(truth: truth, predicted: predicted)
        var (xAxis, yAxis) = try axisOptions(command)
        let values = (truth + predicted).filter(\.isFinite)
        if let low = values.min(), let high = values.max(), high > low, xAxis.limits == nil, yAxis.limits == nil, !xAxis.log, !yAxis.log {
            let pad = 0.03 * (high - low)
            xAxis.limits = (low - pad)...(high + pad)
            yAxis.limits = xAxis.limits
        }
        let xLabel = command.word("xlabel")?.text ?? "true \(state.targetColumn)"
        let yLabel = command.word("ylabel")?.text ?? "predicted \(state.targetColumn)"
        let title = command.word("title")?.text
            ?? "\(model.name): RMSE \(fixed(m.rmse, 4)), NMAD \(fixed(m.nmad, 4)), outliers \(fixed(100 * m.outlierFraction, 1))% (\(rows.count) \(set.rawValue) rows)"
        let overlays = try [
            ReferenceOverlay(.yOfX(Expression(parsing: "x")), label: "1:1", color: RGBA(0, 0, 0), lineWidth: 1),
            ReferenceOverlay(.yOfX(Expression(parsing: "x + 0.15 * (1 + x)")), label: "|Δz|/(1+z) = 0.15", color: RGBA(hex: 0xD55E00), dash: .dashed, lineWidth: 1),
            ReferenceOverlay(.yOfX(Expression(parsing: "x - 0.15 * (1 + x)")), color: RGBA(hex: 0xD55E00), dash: .dashed, lineWidth: 1),
        ] + request.overlays
        let map = command.text("map") ?? "auto"
        let note = "\(set.rawValue): \(rows.count) rows; RMSE \(fixed(m.rmse, 4)), MAE \(fixed(m.mae, 4)), NMAD \(fixed(m.nmad, 4)), outliers \(fixed(100 * m.outlierFraction, 2))%"
        if map == "density" || (map == "auto" && rows.count > Self.predictedPointLimit) {
            var plot = DensityPlot(x: truth, y: predicted, xLabel: xLabel, yLabel: yLabel, title: title, colormap: try colormapOption(command),
                                   shading: .eqHist, showColorBar: try command.yesNo("colorbar", default: true))
            plot.binSize = try command.int("pixel", default: 3)
            plot.xAxis = xAxis; plot.yAxis = yAxis; plot.overlays = overlays
            return (plot, note)
        }
        var plot = ScatterPlot(x: truth, y: predicted, xLabel: xLabel, yLabel: yLabel, title: title, colormap: try colormapOption(command))
        plot.markerSize = try command.double("size", default: 3)
        plot.alpha = try command.double("alpha")
        plot.xAxis = xAxis; plot.yAxis = yAxis; plot.overlays = overlays
        return (plot, note)
    }
}
