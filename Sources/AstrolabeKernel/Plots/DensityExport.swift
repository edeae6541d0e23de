import AstrolabeData
import AstrolabePlot
import Foundation

/// `export density X Y to=PATH [bins=WxH] [xrange=LO:HI] [yrange=LO:HI]`: the count grid `plot
/// density` shades (`DensityAggregate.count`, datashader's `Canvas.points` with `ds.count()`),
/// written as a table — one row per pixel, `x_bin` and `y_bin` from 0 at the smallest x and y (as
/// datashader's aggregate indexes them), and `count` — so an aggregate computed elsewhere (datashader
/// on Dask, contrib/dask) can be compared with Astrolabe's own.
extension Session {
    func exportDensity(_ command: ParsedCommand) throws -> [Output] {
        let usage = "export density X Y to=PATH.csv|.parquet [bins=WxH] [xrange=LO:HI] [yrange=LO:HI]"
        let table = try currentTable(for: command.verb)
        let arguments = Array(command.positionals.dropFirst())
        guard arguments.count == 2 else {
            let at = arguments.dropFirst(2).first ?? command.positionals[0]
            throw CommandError("expected two columns or expressions: \(usage)", at: at)
        }
        guard let to = command.word("to") else {
            throw CommandError("expected to=PATH: \(usage)", at: command.positionals[0])
        }
        let ext = (to.text as NSString).pathExtension.lowercased()
        guard ext == "csv" || ext == "parquet" else {
            throw CommandError("export density writes .csv or .parquet files, not `\(to.text)`", at: to)
        }
        let x = try numericValues(of: arguments[0], in: table), y = try numericValues(of: arguments[1], in: table)
        let (width, height) = try densityBins(command)
        guard let xRange = try rangeOption(command, "xrange") ?? finiteRange(x),
              let yRange = try rangeOption(command, "yrange") ?? finiteRange(y) else {
            throw CommandError("no finite points to aggregate: give xrange= and yrange=", at: arguments[0])
        }
        let grid = try DensityAggregate.count(x: x, y: y, xRange: xRange, yRange: yRange, width: width, height: height)
        var xBin = [Double](), yBin = [Double](), counts = [Double]()
        for row in 0..<height {
            for column in 0..<width {
                xBin.append(Double(column)); yBin.append(Double(row))
                counts.append(Double(grid[column, height - 1 - row]))
            }
        }
        let out = try Table(name: "density", columns: [
            Column(name: "x_bin", values: .numeric(xBin), kind: .integer),
            Column(name: "y_bin", values: .numeric(yBin), kind: .integer),
            Column(name: "count", values: .numeric(counts), kind: .integer)])
        let full = resolve(to.text)
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            if ext == "parquet" { try ParquetWriter.write(out, to: full) } else { try TableWriter.writeCSV(out, to: full) }
        } catch let error as DataError {
            throw CommandError(error.message.replacingOccurrences(of: full, with: to.text), at: to)
        }
        var text = "wrote the \(width)×\(height) density of \(arguments[0].text), \(arguments[1].text) "
            + "(x \(shortest(xRange.lowerBound)):\(shortest(xRange.upperBound)), y \(shortest(yRange.lowerBound)):\(shortest(yRange.upperBound)); "
            + "\(grid.total) points) to \(to.text)"
        if grid.nonFinite + grid.outOfRange > 0 {
            text += "; skipped \(grid.nonFinite) non-finite and \(grid.outOfRange) out-of-range points"
        }
        return [.text(text)]
    }

    /// `bins=WxH` (default 400x400).
    private func densityBins(_ command: ParsedCommand) throws -> (Int, Int) {
        guard let word = command.word("bins") else { return (400, 400) }
        let parts = word.text.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], (1...10_000).contains(w), (1...10_000).contains(h) else {
            throw CommandError("bins= expects WIDTHxHEIGHT, each 1 to 10000, e.g. bins=400x300", at: word)
        }
        return (w, h)
    }

    /// The smallest and largest finite value (datashader's range when none is given); nil when
    /// there is none or they are equal.
    private func finiteRange(_ values: [Double]) -> ClosedRange<Double>? {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite { low = min(low, v); high = max(high, v) }
        return low < high ? low...high : nil
    }
}
