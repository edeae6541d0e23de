import AstrolabeData
import AstrolabeLearn
import AstrolabePlot

extension PlotKind {
    /// `plot reliability MODEL`: the calibration curve of a model's probabilities.
    nonisolated(unsafe) static let reliability: PlotKind = PlotKind(
        "reliability", arguments: [("MODEL", .model)],
        options: [.choice("on", EvaluationSet.names, "the model's test (default), validation or train rows"),
                  .text("bins", "with reliability: equal-width probability bins (default 10)"),
                  .text("class", "with reliability: one class's probability against its frequency (default: the top probability against accuracy)")],
        help: """
            the reliability (calibration) curve of MODEL on its test rows (on=validation or on=train): in
            equal-width bins of the predicted probability (bins=10), the mean probability against the fraction
            that came true, as sklearn's calibration_curve, beside the diagonal of perfect calibration; by default
            the top probability against accuracy, class=C that class's probability against its frequency. The
            text lists every bin with its count.
            """,
        build: { try $0.reliabilityPanel($1.command, modelWord: $1.command.positionals[1]) })
}

extension Session {
    /// `plot reliability MODEL [on=] [bins=N] [class=C]`: the calibration curve and its bins.
    func reliabilityPanel(_ command: ParsedCommand, modelWord: Word) throws -> BuiltPanel {
        let (model, table) = try trainedModel(modelWord, verb: command.verb)
        let set = !command.has("on") ? EvaluationSet.test : try evaluationSet(command, model: model)
        guard let scored = try evaluationProbabilities(model, on: set, table: table) else {
            throw CommandError("no row of the \(set.rawValue) set of `\(model.name)` has a known class", at: modelWord)
        }
        let bins = try command.int("bins", default: 10, in: 1...100)
        let k = model.classes.count, n = scored.truth.count
        let positive: [Bool], predicted: [Double], what: String
        if let word = command.word("class") {
            guard let c = model.classes.firstIndex(of: word.text) else {
                throw CommandError("no class `\(word.text)` in model `\(model.name)` (\(model.classes.joined(separator: ", ")))",
                                   at: word, suggestion: nearestName(to: word.text, in: model.classes))
            }
            positive = scored.truth.map { $0 == c }
            predicted = (0..<n).map { scored.probabilities[$0 * k + c] }
            what = "p(\(word.text))"
        } else {
            let top = argmaxRows(scored.probabilities, classCount: k)
            positive = (0..<n).map { top[$0] == scored.truth[$0] }
            predicted = (0..<n).map { scored.probabilities[$0 * k + top[$0]] }
            what = "top probability"
        }
        let curve = ProbabilityMetrics.reliabilityCurve(positive: positive, predicted: predicted, bins: bins)
        let rowsText = set == .train ? "training labels" : "\(set.rawValue) rows"
        var plot = LinePlot(x: curve.map(\.meanPredicted) + [0, 1], y: curve.map(\.fractionPositive) + [0, 1],
                            xLabel: "mean \(what) in bin", yLabel: what == "top probability" ? "fraction correct" : "fraction of \(what.dropFirst(2).dropLast())",
                            title: command.word("title")?.text ?? "\(model.name): reliability on \(n) \(rowsText)")
        plot.order = .rows
        plot.codes = [Int](repeating: 0, count: curve.count) + [1, 1]
        plot.names = [model.calibration.map { "\(model.name) (\($0.method.rawValue))" } ?? model.name, "perfectly calibrated"]
        plot.colors = [RGBA(hex: 0x0072B2), RGBA(hex: 0x999999)]
        plot.markedCodes = [0]
        let (xAxis, yAxis) = try axisOptions(command)
        plot.xAxis = xAxis; plot.yAxis = yAxis
        if plot.xAxis.limits == nil { plot.xAxis.limits = 0...1 }
        if plot.yAxis.limits == nil { plot.yAxis.limits = 0...1 }
        plot.legend = try command.choice("legend", LegendPlacement.self)
        var binTable = TextTable(header: ["bin", "rows", "mean \(what)", "observed"], numericColumns: [1, 2, 3])
        for bin in curve {
            let b = bin.bin
            binTable.append(["\(fixed(Double(b) / Double(bins)))-\(fixed(Double(b + 1) / Double(bins)))", String(bin.count),
                          fixed(bin.meanPredicted), fixed(bin.fractionPositive)])
        }
        let ece = ProbabilityMetrics.expectedCalibrationError(truth: scored.truth, probabilities: scored.probabilities, classCount: k, bins: bins)
        let note = "\(model.name) on its \(n) \(rowsText), \(what) in \(bins) bins (expected calibration error \(fixed(ece))):\n" + binTable.rendered
        return BuiltPanel(panel: plot, note: note)
    }
}
