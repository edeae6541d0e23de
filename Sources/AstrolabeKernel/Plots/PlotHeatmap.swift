import AstrolabeData
import AstrolabePlot
import Foundation

extension PlotKind {
    /// `plot heatmap X Y`: a 2-D histogram.
    nonisolated(unsafe) static let heatmap: PlotKind = PlotKind(
        "heatmap", arguments: xy,
        options: [.text("agg", "count (default) or mean(COL)"), .choice("how", Shading.self, "colour scale linear (default) or log"),
                  .text("bins", "bins on each axis (default 10)"), .int("binsx", 1...500, "bins along x (default bins=)"),
                  .int("binsy", 1...500, "bins along y (default bins=)"),
                  .choice("values", ["auto", "yes", "no"], "auto (default: up to 20×20 bins when all fit), yes or no")],
        // Common options a binned heatmap does not understand, and what to write instead.
        refused: [("log", "bin log10(COLUMN) instead of a log axis"),
                  ("invert", "heatmap axes cannot be inverted"),
                  ("clip", "give the bin range with xrange=/yrange= instead"),
                  ("by", "colour by the mean of a column with agg=mean(COLUMN)"),
                  ("legend", "a heatmap has a colour bar, not a legend")],
        help: """
            X and Y binned on a regular grid (numpy.histogram2d's bins; bins=N or binsx=/binsy=, over
            the data or xrange=/yrange=), cells coloured by count or agg=mean(COL), with a colour bar;
            how=log for a log colour scale; values=auto writes the numbers when the grid is 20×20 or less
            and every number fits its cell.
            """,
        overlayRefusal: "a heatmap; overlays are drawn on scatter, density, histogram and line plots",
        build: { session, request in
            let table = try session.currentTable(for: request.command.verb)
            try session.refuseOptions(request.command, kind: .heatmap)
            return BuiltPanel(panel: try session.heatmapPanel(request.command, table: table))
        })
}

/// `plot heatmap X Y`: two columns binned on a regular grid (numpy.histogram2d's bins), shown as
/// coloured cells with a colour bar — counts, or the mean of a third column.
extension Session {
    func heatmapPanel(_ command: ParsedCommand, table: Table) throws -> Panel {
        let xWord = command.positionals[1], yWord = command.positionals[2]
        let x = try numericValues(of: xWord, in: table), y = try numericValues(of: yWord, in: table)
        let (nx, ny) = try heatmapBins(command)
        let (xAxis, yAxis) = try axisOptions(command)
        var values: [Double]?
        var barLabel = "count"
        if let o = command.word("agg") {
            let text = o.text
            if text != "count" {
                guard text.hasPrefix("mean("), text.hasSuffix(")"), text.count > 6 else {
                    throw CommandError("heatmap agg= expects count or mean(COLUMN)", at: o,
                                       suggestion: nearestName(to: text, in: ["count", "mean"]))
                }
                let inner = String(text.dropFirst(5).dropLast())
                let word = Word(text: inner, raw: inner, quoted: false, offset: o.offset + (o.quoted ? 1 : 0) + 5)
                values = try numericValues(of: word, in: table)
                barLabel = "mean \(columnName(word))"
            }
        }
        var logColor = false
        if let o = command.word("how") {
            switch o.text {
            case "linear": logColor = false
            case "log": logColor = true
            default:
                throw CommandError("heatmap how= expects linear or log (the colour scale)", at: o,
                                   suggestion: nearestName(to: o.text, in: ["linear", "log"]))
            }
        }
        let grid: Histogram2D
        do {
            grid = try Histogram2D(x: x, y: y, values: values, xBins: nx, yBins: ny, xLimits: xAxis.limits, yLimits: yAxis.limits)
        } catch let error as PlotError {
            throw CommandError("cannot bin: \(error)", at: xWord)
        }
        var map = grid.heatmap(colormap: try colormapOption(command))
        map.xLabel = command.word("xlabel")?.text ?? columnName(xWord)
        map.yLabel = command.word("ylabel")?.text ?? columnName(yWord)
        map.title = command.word("title")?.text
        map.colorBarLabel = barLabel
        map.logColor = logColor
        map.showColorBar = try command.yesNo("colorbar")
        // Values in the cells: auto writes them when the grid is 20×20 or less and every value fits
        // its cell at the tick-label size; yes writes them all, shrinking text that does not fit.
        if let o = command.word("values") {
            switch o.text.lowercased() {
            case "auto": map.showValues = nx <= 20 && ny <= 20; map.showValuesOnlyIfAllFit = true
            case "yes", "true", "on", "1": map.showValues = true
            case "no", "false", "off", "0", "none": map.showValues = false
            default: throw CommandError("values= expects auto, yes or no", at: o, suggestion: nearestName(to: o.text, in: ["auto", "yes", "no"]))
            }
        } else {
            map.showValues = nx <= 20 && ny <= 20
            map.showValuesOnlyIfAllFit = true
        }
        if values != nil {
            // Means with three significant digits; counts stay whole numbers.
            map.cellText = map.values.map { $0.isFinite ? NumberFormatting.short($0, significant: 3) : "" }
        }
        return map
    }

    /// `bins=N` (both axes) or `binsx=N` / `binsy=M`; 10 × 10 by default.
    func heatmapBins(_ command: ParsedCommand) throws -> (Int, Int) {
        let both = try command.int("bins", default: 10, in: 1...500)
        return (try command.int("binsx", default: both), try command.int("binsy", default: both))
    }
}
