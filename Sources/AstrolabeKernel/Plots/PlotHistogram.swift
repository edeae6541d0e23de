import AstrolabeData
import AstrolabePlot

extension PlotKind {
    /// `plot histogram X`: counts per bin, with numpy's bin edges.
    nonisolated(unsafe) static let histogram: PlotKind = PlotKind(
        "histogram", arguments: [("X", .expression)],
        options: [.text("bins", "number of bins or auto (numpy's rule, the default)"),
                  .choice("mode", HistogramPlot.Mode.self, default: .overlay, "by class, overlay (default, translucent) or stack"),
                  .yesNo("density", default: false, "yes to normalise to unit area (per class when overlaid, in total when stacked)")],
        help: """
            counts per bin with numpy's bin edges (bins=auto or N); by=label one histogram per class,
            mode=overlay (translucent, outlined) or stack; density=yes normalises to unit area.
            """,
        build: { try $0.histogramPanel($1) })
}

extension Session {
    /// The histogram, and a line giving its bins.
    func histogramPanel(_ request: PlotRequest) throws -> BuiltPanel {
        let command = request.command
        let base = try columnPlotBase(command)
        var classes: (codes: [Int], names: [String])?
        if command.has("by") {
            switch try scatterColoring(command, table: base.table) {
            case .categories(let codes, let names): classes = (codes, names)
            case .continuous(_, let label):
                throw CommandError("histogram by= needs classes, and `\(label)` is numeric", at: command.word("by") ?? request.kindWord)
            case .single: break
            }
        }
        var plot = HistogramPlot(values: base.x, xLabel: base.xLabel, title: base.title, codes: classes?.codes, names: classes?.names ?? [],
                                 colors: try classColors(command, names: classes?.names ?? []))
        plot.yLabel = base.yLabelOption
        plot.bins = try binsOption(command)
        plot.mode = try command.choice("mode", HistogramPlot.Mode.self, default: .overlay)
        plot.density = try command.yesNo("density", default: false)
        plot.xAxis = base.xAxis; plot.yAxis = base.yAxis; plot.legend = base.legend; plot.overlays = request.overlays
        return BuiltPanel(panel: plot, note: binsNote(plot))
    }

    /// "N bins of width W from A to B" (nil when the bins cannot be made; drawing then says why).
    func binsNote(_ h: HistogramPlot) -> String? {
        guard let bins = try? h.binEdges() else { return nil }
        let width = (bins.edges[bins.count] - bins.edges[0]) / Double(bins.count)
        return "\(bins.count) bins of width \(NumberFormatting.short(width))\(h.xAxis.log ? " (in log10)" : "") from \(NumberFormatting.short(bins.edges[0])) to \(NumberFormatting.short(bins.edges[bins.count]))"
    }

    /// `bins=N` or `bins=auto` (numpy's rule; the default).
    func binsOption(_ command: ParsedCommand) throws -> HistogramBins.Rule {
        guard let o = command.word("bins"), o.text != "auto" else { return .auto }
        guard let n = Int(o.text), (1...10_000).contains(n) else {
            throw CommandError("bins= expects auto or a whole number of bins from 1 to 10000", at: o)
        }
        return .count(n)
    }
}
