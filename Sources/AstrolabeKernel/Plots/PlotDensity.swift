import AstrolabeData
import AstrolabePlot

extension PlotKind {
    /// `plot density X Y`: every point counted into pixels (datashader semantics).
    nonisolated(unsafe) static let density: PlotKind = PlotKind(
        "density", arguments: xy,
        options: [.text("agg", "count (default), any, sum(COL), mean(COL), min(COL), max(COL), std(COL)"),
                  .choice("how", Shading.self, "shading eq_hist (default), log, cbrt or linear"),
                  .text("span", "value range LO:HI fixed to the colour scale (not with eq_hist)"),
                  .int("min_alpha", 0...255, default: 40, "by class, opacity of the sparsest pixels"),
                  .text("spread", "grow sparse pixels by N px, or auto (default: up to 3 px where sparse), 0 for none"),
                  .int("pixel", 1...200, "side of one bin in screen pixels (default 1)")],
        help: """
            every point counted into pixels (datashader semantics) and shaded by histogram equalisation;
            agg=mean(COL) etc. shows a column instead of counts; by=label blends class colours.
            """,
        build: { try $0.densityPanel($1) })
}

extension Session {
    func densityPanel(_ request: PlotRequest) throws -> BuiltPanel {
        let command = request.command
        let base = try columnPlotBase(command)
        let (y, yLabel) = try columnPlotY(command, base: base)
        var plot = DensityPlot(x: base.x, y: y, xLabel: base.xLabel, yLabel: yLabel, title: base.title, colormap: try colormapOption(command),
                               shading: try command.choice("how", Shading.self, default: .eqHist),
                               showColorBar: try command.yesNo("colorbar", default: true))
        plot.binSize = try command.int("pixel", default: 1)
        plot.aggregation = try densityAggregation(command, table: base.table)
        if case .categories(let codes, let names, _) = plot.aggregation {
            plot.aggregation = .categories(codes: codes, names: names, colors: try classColors(command, names: names))
        }
        plot.span = try rangeOption(command, "span")
        plot.minAlpha = try command.int("min_alpha", default: 40)
        plot.spreading = try spreadOption(command)
        plot.legend = base.legend
        plot.xAxis = base.xAxis; plot.yAxis = base.yAxis; plot.overlays = request.overlays
        return BuiltPanel(panel: plot)
    }
}
