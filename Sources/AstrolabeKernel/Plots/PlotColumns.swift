import AstrolabeData
import AstrolabePlot

/// What every plot of columns of the current table (scatter, density, histogram, line, step)
/// reads first, in this order, so that the first error met is the same for all of them.
struct ColumnPlotBase {
    let table: Table
    let title: String?
    let xAxis: AxisOptions, yAxis: AxisOptions
    let legend: LegendPlacement
    let x: [Double]
    let xLabel: String
    /// `ylabel=`, when given.
    let yLabelOption: String?
}

extension Session {
    func columnPlotBase(_ command: ParsedCommand) throws -> ColumnPlotBase {
        let table = try currentTable(for: command.verb)
        let title = command.word("title")?.text
        let (xAxis, yAxis) = try axisOptions(command)
        let legend = try command.choice("legend", LegendPlacement.self, default: .auto)
        let xWord = command.positionals[1]
        let x = try numericValues(of: xWord, in: table)
        // Axis titles default to what was typed; xlabel=/ylabel= give them units for publication.
        let xLabel = command.word("xlabel")?.text ?? columnName(xWord)
        let yLabelOption = command.word("ylabel")?.text
        return ColumnPlotBase(table: table, title: title, xAxis: xAxis, yAxis: yAxis, legend: legend, x: x, xLabel: xLabel,
                              yLabelOption: yLabelOption)
    }

    /// The Y argument's values and axis title (`ylabel=` or what was typed).
    func columnPlotY(_ command: ParsedCommand, base: ColumnPlotBase) throws -> (y: [Double], yLabel: String) {
        let yWord = command.positionals[2]
        let y = try numericValues(of: yWord, in: base.table)
        return (y, base.yLabelOption ?? columnName(yWord))
    }
}
