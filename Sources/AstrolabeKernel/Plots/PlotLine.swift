import AstrolabeData
import AstrolabePlot

extension PlotKind {
    /// Line and step plots draw alike; step holds each value until the next x.
    static let lineHelp = """
        points joined in increasing x (order=rows: in table order); a missing value breaks the
        line; step holds each value until the next x. by= draws one line per class.
        """
    nonisolated(unsafe) static let lineOptions: [OptionSpec] = [.choice("order", LinePlot.Order.self, default: .x, "x (sort by x, the default) or rows (join rows in table order)")]

    /// `plot line X Y`: points joined in increasing x.
    nonisolated(unsafe) static let line: PlotKind = PlotKind(
        "line", arguments: xy, options: lineOptions, help: lineHelp, build: { try $0.linePanel($1, kind: .line) })
    /// `plot step X Y`: each value held until the next x.
    nonisolated(unsafe) static let step: PlotKind = PlotKind(
        "step", arguments: xy, options: lineOptions, help: lineHelp, build: { try $0.linePanel($1, kind: .step) })
}

extension Session {
    func linePanel(_ request: PlotRequest, kind: LinePlot.Kind) throws -> BuiltPanel {
        let command = request.command
        let base = try columnPlotBase(command)
        let (y, yLabel) = try columnPlotY(command, base: base)
        var plot = LinePlot(x: base.x, y: y, xLabel: base.xLabel, yLabel: yLabel, title: base.title, kind: kind)
        plot.order = try command.choice("order", LinePlot.Order.self, default: .x)
        if command.has("by") {
            switch try scatterColoring(command, table: base.table) {
            case .categories(let codes, let names):
                plot.codes = codes; plot.names = names; plot.colors = try classColors(command, names: names)
            case .continuous(_, let label):
                throw CommandError("line by= needs classes, and `\(label)` is numeric", at: command.word("by") ?? request.kindWord)
            case .single: break
            }
        }
        plot.xAxis = base.xAxis; plot.yAxis = base.yAxis; plot.legend = base.legend; plot.overlays = request.overlays
        return BuiltPanel(panel: plot)
    }
}
