import AstrolabeData
import AstrolabeLearn
import AstrolabePlot

extension PlotKind {
    /// `plot audit MODEL [X Y]`: the audited rows' density by given label, the flagged rows ringed.
    nonisolated(unsafe) static let audit: PlotKind = PlotKind(
        "audit", arguments: [("MODEL", .model)] + xy, requiredArguments: 1,
        options: [.int("pixel", 1...200, "side of one bin in screen pixels (default 4)")],
        help: """
            the rows `audit MODEL` looked at, as a density image coloured by their given label, with the rows
            it flagged (their label looks wrong) ringed; X Y default to the model's first two features.
            """,
        build: { session, request in
            let (panel, note) = try session.auditPanel(request.command, modelWord: request.command.positionals[1])
            return BuiltPanel(panel: panel, note: note)
        })
}

extension Session {
    func auditPanel(_ command: ParsedCommand, modelWord: Word) throws -> (Panel, String) {
        let model = try requireModel(modelWord, verb: command.verb)
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: modelWord) }
        guard let audit = model.audit else {
            throw CommandError("`\(model.name)` has not been audited: run `audit \(quoteIfNeeded(model.name))` first", at: modelWord)
        }
        let axes = try modelAxes(command, model: model, table: table, modelWord: modelWord)
        let flagged = audit.rows.indices.filter { audit.issues.flagged[$0] }
        let title = command.word("title")?.text
            ?? "\(model.name): \(flagged.count) of \(audit.rows.count) given labels flagged by the audit"
        var plot = DensityPlot(x: audit.rows.map { axes.x[$0] }, y: audit.rows.map { axes.y[$0] }, xLabel: axes.xLabel, yLabel: axes.yLabel,
                               title: title, colormap: try colormapOption(command),
                               shading: .eqHist,
                               showColorBar: try command.yesNo("colorbar", default: true))
        let names = model.classes.map { "given \($0)" }
        plot.aggregation = .categories(codes: audit.given.map { Int32(clamping: $0) }, names: names,
                                       colors: try classColors(command, names: model.classes))
        plot.binSize = try command.int("pixel", default: 4)
        plot.minAlpha = 150
        plot.spreading = .dynamic(maxPx: 3)
        plot.ringed = flagged
        plot.ringName = "flagged (\(flagged.count))"
        let (xAxis, yAxis) = try axisOptions(command)
        plot.xAxis = xAxis; plot.yAxis = yAxis
        plot.legend = try command.choice("legend", LegendPlacement.self, default: .auto)
        let byClass = model.classes.indices.map { c in flagged.filter { audit.given[$0] == c }.count }
        let text = "\(model.name): \(flagged.count) flagged rows ringed ("
            + zip(model.classes, byClass).map { "given \($0): \($1)" }.joined(separator: ", ") + ")"
        return (plot, text)
    }
}
