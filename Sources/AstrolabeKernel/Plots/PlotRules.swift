import AstrolabeData
import AstrolabeLearn
import AstrolabePlot

extension PlotKind {
    /// `plot rules X Y`: where each labelling rule fires, conflicts marked.
    nonisolated(unsafe) static let rules: PlotKind = PlotKind(
        "rules", arguments: xy,
        options: [.int("min_alpha", 0...255, default: 110, "opacity of the sparsest pixels"),
                  .text("spread", "grow sparse pixels by N px, or auto (default: up to 3 px where sparse), 0 for none"),
                  .int("pixel", 1...200, "side of one bin in screen pixels (default 1)")],
        refused: [("by", "the categories are the rules")],
        help: """
            where each labelling rule (`rule`) fires: a density image by category, one colour per rule (a row
            several agreeing rules vote on counts for the one firing on fewest rows), rows where rules vote
            different classes in black as `conflict`, rows no rule votes on in light grey.
            """,
        build: { session, request in
            try session.refuseOptions(request.command, kind: .rules)
            return try session.rulesPanel(request)
        })
}

extension Session {
    func rulesPanel(_ request: PlotRequest) throws -> BuiltPanel {
        let command = request.command
        let base = try columnPlotBase(command)
        let (y, yLabel) = try columnPlotY(command, base: base)
        guard !rules(of: base.table).isEmpty else {
            throw CommandError("no rules on \(baseName(of: base.table)): add them with `rule NAME: CLASS when CONDITION`", at: request.kindWord)
        }
        let (matrix, list, _) = try labelMatrix(of: base.table, at: request.kindWord)
        let m = matrix.rules
        var codes = [Int32](repeating: -1, count: matrix.rows)
        // A row several agreeing rules vote on counts for the one firing on fewest rows (the most specific).
        let coverage = LabelMatrixSummary(matrix).rules.map(\.coverage)
        var conflicts = 0, silent = 0
        for row in 0..<matrix.rows {
            var chosen = -1, differ = false
            for j in 0..<m where matrix.votes[row * m + j] >= 0 {
                if chosen < 0 { chosen = j; continue }
                if matrix.votes[row * m + j] != matrix.votes[row * m + chosen] { differ = true }
                if coverage[j] < coverage[chosen] { chosen = j }
            }
            if differ { codes[row] = Int32(m); conflicts += 1 } else if chosen >= 0 { codes[row] = Int32(chosen) } else { codes[row] = Int32(m + 1); silent += 1 }
        }
        let names = list.map { "\($0.name) → \($0.className)" } + ["conflict (\(conflicts))", "no vote (\(silent))"]
        let colors = (0..<m).map { CategoricalPalette.color(forClass: $0) } + [RGBA(hex: 0x000000), RGBA(hex: 0xDDDDDD)]
        let title = base.title ?? "\(plural(m, "rule")) on \(base.table.name): \(conflicts) conflicts, \(silent) rows without a vote"
        var plot = DensityPlot(x: base.x, y: y, xLabel: base.xLabel, yLabel: yLabel, title: title, colormap: try colormapOption(command),
                               shading: .eqHist, showColorBar: try command.yesNo("colorbar", default: true))
        plot.binSize = try command.int("pixel", default: 1)
        plot.aggregation = .categories(codes: codes, names: names, colors: colors)
        plot.minAlpha = try command.int("min_alpha", default: 110)
        plot.spreading = try spreadOption(command)
        plot.legend = base.legend
        plot.xAxis = base.xAxis; plot.yAxis = base.yAxis; plot.overlays = request.overlays
        return BuiltPanel(panel: plot)
    }
}
