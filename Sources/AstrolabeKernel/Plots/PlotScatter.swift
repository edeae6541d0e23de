import AstrolabeData
import AstrolabePlot

extension PlotKind {
    /// `plot scatter X Y`: one marker per row.
    nonisolated(unsafe) static let scatter: PlotKind = PlotKind(
        "scatter", arguments: xy,
        options: [.model("highlight", "model whose queried rows to ring"), .double("size", 0.1...72, "marker diameter in points"),
                  .double("alpha", 0.01...1, default: 0.8, "marker opacity 0–1"),
                  .columns("xerr", "x error bars from a column (symmetric) or LO,HI columns (lengths below, above)"),
                  .columns("yerr", "y error bars, COLUMN or LO,HI")],
        help: """
            one marker per row, coloured by a text column or the labels (by=label), with a legend,
            or by a numeric column with a colour bar. highlight=MODEL rings every row the model has asked about.
            xerr=COL / yerr=COL draw error bars; yerr=LO,HI takes two columns (lengths below and above).
            """,
        build: { try $0.scatterPanel($1) })
}

extension Session {
    func scatterPanel(_ request: PlotRequest) throws -> BuiltPanel {
        let command = request.command
        let base = try columnPlotBase(command)
        let table = base.table
        let (y, yLabel) = try columnPlotY(command, base: base)
        let coloring = try scatterColoring(command, table: table)
        var highlighted: [Int] = []
        if let option = command.word("highlight") {
            let model = try requireModel(option, verb: command.verb)
            highlighted = model.asked.sorted()
        }
        var plot = ScatterPlot(x: base.x, y: y, xLabel: base.xLabel, yLabel: yLabel, title: base.title,
                               coloring: coloring, highlighted: highlighted, colormap: try colormapOption(command))
        plot.markerSize = try command.double("size", default: 4)
        plot.alpha = try command.double("alpha", default: 0.8)
        if case .categories(_, let names) = coloring { plot.classColors = try classColors(command, names: names) }
        plot.xError = try errorBars(command, "xerr", table: table)
        plot.yError = try errorBars(command, "yerr", table: table)
        plot.legend = base.legend
        plot.xAxis = base.xAxis; plot.yAxis = base.yAxis; plot.overlays = request.overlays
        return BuiltPanel(panel: plot)
    }

    /// `xerr=COL` / `yerr=COL` (symmetric) or `yerr=LO,HI` (two columns: lengths below and above).
    func errorBars(_ command: ParsedCommand, _ key: String, table: Table) throws -> ScatterPlot.ErrorBars? {
        guard let o = command.word(key) else { return nil }
        let parts = o.text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 1 || parts.count == 2, !parts.contains(where: \.isEmpty) else {
            throw CommandError("\(key)= expects a column (symmetric errors) or LO,HI (two columns: lengths below and above)", at: o)
        }
        var offset = o.offset + (o.quoted ? 1 : 0)
        var columns: [[Double]] = []
        for part in parts {
            let word = Word(text: part, raw: part, quoted: false, offset: offset)
            let values = try numericValues(of: word, in: table)
            if let bad = values.firstIndex(where: { $0 < 0 }) {
                throw CommandError("\(key)= lengths must not be negative; `\(part)` is \(NumberFormatting.short(values[bad])) in row \(bad + 1)",
                                   offset: offset, length: part.count)
            }
            columns.append(values)
            offset += part.count + 1
        }
        return parts.count == 1 ? ScatterPlot.ErrorBars(symmetric: columns[0]) : ScatterPlot.ErrorBars(lower: columns[0], upper: columns[1])
    }
}
