import Foundation

/// A table of values as coloured cells with row and column labels — confusion matrices,
/// correlation matrices, any small matrix a reader should read numbers from.
///
/// Cells are square and the colour scale is linear from `low` (default min(0, smallest)) to `high`
/// (default the largest value), with a colour bar. With `showValues` each cell carries its value
/// in black or white, whichever contrasts more with the cell (WCAG relative luminance), so the
/// numbers stay legible on the darkest and the lightest cells; text that cannot fit at 5 pt or
/// more is left out and reported. Column labels turn vertical when they are wider than a cell.
///
/// With `numericAxes` the cells are the bins of two numeric axes (a 2-D histogram, `Histogram2D`):
/// the axes get nice tick values instead of one label per cell, cells may be oblong
/// (`squareCells = false`) and are whole pixels so neighbours never show seams. `logColor` colours
/// by log10 of the value (non-positive cells left white) with decade ticks on the colour bar.
public struct Heatmap: Figure {
    /// Row-major: `values[r * columns + c]`. NaN cells are left white.
    public var values: [Double]
    public var rows: Int
    public var columns: Int
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var colormap: Colormap
    public var showValues: Bool
    /// With `showValues`: write the values only if every one fits its cell at the tick-label size
    /// (`values=auto`), rather than shrinking some and leaving out others.
    public var showValuesOnlyIfAllFit = false
    /// Text in each cell instead of the formatted value (same layout as `values`).
    public var cellText: [String]?
    public var xLabel: String = ""
    public var yLabel: String = ""
    public var title: String?
    public var colorBarLabel: String = ""
    /// Colour scale ends; nil: min(0, smallest value) … largest value.
    public var low: Double?
    public var high: Double?
    public var showColorBar = true
    /// Data ranges of the x axis (columns, left to right) and the y axis (rows, bottom to top);
    /// nil: one label per row and column.
    public var numericAxes: (x: ClosedRange<Double>, y: ClosedRange<Double>)?
    /// Square cells (a matrix); otherwise cells fill the room, each a whole number of pixels.
    public var squareCells = true
    /// Colour by log10 of the value; cells ≤ 0 stay white.
    public var logColor = false
    /// With `numericAxes`: the ranges the axes show (a multi-panel figure's shared axes), the
    /// cells drawn where their bins fall; nil on an axis: its bins' range.
    public var viewRange: (x: ClosedRange<Double>?, y: ClosedRange<Double>?)?
    /// Tick labels are drawn (off for inner panels of a figure sharing the axis).
    public var showXTickLabels = true, showYTickLabels = true

    public init(values: [Double], rows: Int, columns: Int, rowLabels: [String], columnLabels: [String],
                colormap: Colormap = .blues, showValues: Bool = true) {
        self.values = values
        self.rows = rows
        self.columns = columns
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.colormap = colormap
        self.showValues = showValues
    }

    /// The text shown in cell i: the caller's, or the shortest exact decimal (integers as integers).
    func text(_ i: Int) -> String {
        if let cellText { return cellText[i] }
        let v = values[i]
        guard v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return Ticks.fixed(v, decimals: 2)
    }

    /// Geometry of the cell grid: left, top, cell side.
    struct Layout { let left, top, cell: Double }

    public func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
        try style.validate()
        let maxCells = numericAxes == nil ? 200 : 500
        guard rows > 0, columns > 0, rows <= maxCells, columns <= maxCells else {
            throw PlotError("a heatmap needs 1–\(maxCells) rows and columns, got \(rows)×\(columns)")
        }
        guard values.count == rows * columns else { throw PlotError("\(rows)×\(columns) cells need \(rows * columns) values, got \(values.count)") }
        if numericAxes == nil, rowLabels.count != rows || columnLabels.count != columns {
            throw PlotError("give one label per row (\(rows)) and per column (\(columns)), got \(rowLabels.count) and \(columnLabels.count)")
        }
        if let cellText, cellText.count != values.count { throw PlotError("\(cellText.count) cell texts for \(values.count) cells") }
        // Colour scale in colour units: the values, or their log10 (non-positive values have no colour).
        let colourValues = logColor ? values.map { $0 > 0 ? Foundation.log10($0) : .nan } : values
        let finite = colourValues.filter(\.isFinite)
        var lo: Double, hi: Double
        if logColor {
            lo = low.map { $0 > 0 ? Foundation.log10($0) : .nan } ?? (finite.min() ?? 0)
            hi = high.map { $0 > 0 ? Foundation.log10($0) : .nan } ?? (finite.max() ?? 1)
            guard lo.isFinite, hi.isFinite else { throw PlotError("a log colour scale needs positive ends, got \(low ?? 0)…\(high ?? 0)") }
        } else {
            lo = low ?? min(0, finite.min() ?? 0)
            hi = high ?? (finite.max() ?? 1)
        }
        if !(hi > lo) { hi = lo + 1 }
        let barTicks: [(position: Double, label: String)]
        if logColor {
            let (t, labels, _) = Ticks.axis(lo...hi, log: true, maxTicks: 6)
            barTicks = zip(t, labels).map { (($0 - lo) / (hi - lo), $1) }
        } else {
            barTicks = ColorBar.linearTicks(low: lo, high: hi, maxTicks: 6)
        }

        let m = Axes.Metrics(style)
        canvas.fill(RGBA(255, 255, 255))
        canvas.setFont(size: m.labelPx)
        let labelLine = canvas.lineHeight()
        canvas.setFont(size: m.titlePx)
        let titleLine = canvas.lineHeight()
        canvas.setFont(size: m.tickPx)
        let tickLine = canvas.lineHeight()
        // Numeric axes: nice ticks along each axis instead of a label per cell.
        let shown = numericAxes.map { (x: viewRange?.x ?? $0.x, y: viewRange?.y ?? $0.y) }
        let xTicks = shown.map { Ticks.nice(min: $0.x.lowerBound, max: $0.x.upperBound, maxTicks: 8) } ?? []
        let yTicks = shown.map { Ticks.nice(min: $0.y.lowerBound, max: $0.y.upperBound, maxTicks: 8) } ?? []
        let shownRowLabels = numericAxes == nil ? rowLabels : Ticks.labels(for: yTicks)
        let shownColumnLabels = numericAxes == nil ? columnLabels : Ticks.labels(for: xTicks)
        let rowLabelWidth = shownRowLabels.map(canvas.textWidth).max() ?? 0
        let columnLabelWidth = shownColumnLabels.map(canvas.textWidth).max() ?? 0

        var reservedRight = m.outer
        if showColorBar {
            let barLabel = barTicks.map(\.label).max { canvas.textWidth($0) < canvas.textWidth($1) } ?? "0"
            reservedRight += ColorBar.width(canvas: canvas, style: style, widestTickLabel: barLabel)
            canvas.setFont(size: m.tickPx)
        }
        if numericAxes != nil, let last = shownColumnLabels.last { reservedRight = max(reservedRight, canvas.textWidth(last) / 2 + m.outer) }
        let left = m.outer + (yLabel.isEmpty ? 0 : labelLine + m.labelPad) + rowLabelWidth + m.tickPad + m.tickLength
        let top = m.outer + (title == nil ? tickLine / 2 : titleLine + m.titleGap)
        // Horizontal column labels if they fit under a cell, else vertical.
        func bottomFor(vertical: Bool) -> Double {
            m.outer + (xLabel.isEmpty ? 0 : labelLine + m.labelPad) + (vertical ? columnLabelWidth : tickLine) + m.tickPad + m.tickLength
        }
        func cellSize(vertical: Bool) -> (w: Double, h: Double) {
            let w = (Double(style.width) - left - reservedRight) / Double(columns)
            let h = (Double(style.height) - top - bottomFor(vertical: vertical)) / Double(rows)
            return squareCells ? (min(w, h), min(w, h)) : (w, h)
        }
        var vertical = false
        var (cellW, cellH) = cellSize(vertical: false)
        if numericAxes == nil, columnLabelWidth > cellW * 0.95 {
            vertical = true
            (cellW, cellH) = cellSize(vertical: true)
        }
        if numericAxes != nil, cellW < 1 || cellH < 1 {
            let roomW = Int(Double(style.width) - left - reservedRight), roomH = Int(Double(style.height) - top - bottomFor(vertical: false))
            throw PlotError("\(columns)×\(rows) bins need at least one pixel each, and the plot area is \(max(0, roomW))×\(max(0, roomH)) px: use fewer bins or a larger figure")
        }
        let minCell = numericAxes == nil ? 2.0 : 1.0
        cellW = max(minCell, cellW.rounded(.down))
        cellH = max(minCell, cellH.rounded(.down))
        var gridW = cellW * Double(columns), gridH = cellH * Double(rows)
        // A shared view range: the frame fills the room and the cells sit where their bins fall,
        // each edge on a whole pixel so neighbours never show seams.
        var cellRect: (Int, Int) -> (x: Double, y: Double, w: Double, h: Double) = { r, c in
            (Double(c) * cellW, Double(r) * cellH, cellW, cellH)
        }
        if let bins = numericAxes, let view = shown, viewRange != nil {
            gridW = (Double(style.width) - left - reservedRight).rounded(.down)
            gridH = (Double(style.height) - top - bottomFor(vertical: false)).rounded(.down)
            guard gridW >= 1, gridH >= 1 else { throw PlotError("the plot area has no room: make the figure larger") }
            let cols = columns, rws = rows, gw = gridW, gh = gridH
            func edge(_ k: Int, _ n: Int, _ b: ClosedRange<Double>, _ v: ClosedRange<Double>, _ length: Double) -> Double {
                let value = b.lowerBound + (b.upperBound - b.lowerBound) * Double(k) / Double(n)
                return (SafeArithmetic.fraction(value, v.lowerBound, v.upperBound) * length).rounded()
            }
            cellRect = { r, c in
                let xa = edge(c, cols, bins.x, view.x, gw), xb = edge(c + 1, cols, bins.x, view.x, gw)
                // Row 0 is the highest y bin.
                let ya = gh - edge(rws - r, rws, bins.y, view.y, gh), yb = gh - edge(rws - r - 1, rws, bins.y, view.y, gh)
                return (xa, ya, xb - xa, yb - ya)
            }
            // The narrowest cell decides whether values fit.
            cellW = max(1, (0..<columns).map { cellRect(0, $0).w }.min() ?? 1)
            cellH = max(1, (0..<rows).map { cellRect($0, 0).h }.min() ?? 1)
        }
        // Centre the grid in the room left for it.
        let x0 = (left + max(0, (Double(style.width) - left - reservedRight - gridW) / 2)).rounded()
        let y0 = (top + max(0, (Double(style.height) - top - bottomFor(vertical: vertical) - gridH) / 2)).rounded()

        var notes: [String] = []
        var showValues = self.showValues
        if showValues, showValuesOnlyIfAllFit {
            canvas.setFont(size: m.tickPx)
            let lineFits = canvas.lineHeight() <= cellH * 0.9
            showValues = lineFits && values.indices.allSatisfy { canvas.textWidth(text($0)) <= cellW * 0.9 }
        }
        var omitted = 0
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c, v = colourValues[i]
                let rect = cellRect(r, c)
                let x = x0 + rect.x, y = y0 + rect.y
                guard v.isFinite, rect.w > 0, rect.h > 0 else { continue }
                let color = colormap.color(at: SafeArithmetic.fraction(v, lo, hi))
                canvas.fillRect(x: x, y: y, width: rect.w, height: rect.h, color: color)
                guard showValues else { continue }
                let s = text(i)
                var size = m.tickPx
                canvas.setFont(size: size)
                while canvas.textWidth(s) > cellW * 0.9 || canvas.lineHeight() > cellH * 0.9, size > style.pixels(points: 5) {
                    size *= 0.9
                    canvas.setFont(size: size)
                }
                guard canvas.textWidth(s) <= cellW * 0.9, canvas.lineHeight() <= cellH else { omitted += 1; continue }
                canvas.text(s, x: x + rect.w / 2, y: y + rect.h / 2, h: .center, v: .middle, color: Heatmap.textColor(on: color))
            }
        }
        if omitted > 0 { notes.append("\(omitted) cell values do not fit their cells at 5 pt and are not written") }
        let lw = m.lineWidth
        canvas.strokeRect(x: x0 - lw / 2, y: y0 - lw / 2, width: gridW + lw, height: gridH + lw, color: RGBA(0, 0, 0), lineWidth: lw)
        canvas.setFont(size: m.tickPx)
        // Tick positions: cell centres for labelled rows and columns, data values on numeric axes.
        let rowPositions: [Double], columnPositions: [Double]
        if let axes = shown {
            let xr = axes.x, yr = axes.y
            columnPositions = xTicks.map { x0 + SafeArithmetic.fraction($0, xr.lowerBound, xr.upperBound) * gridW }
            rowPositions = yTicks.map { y0 + SafeArithmetic.fractionFromTop($0, yr.lowerBound, yr.upperBound) * gridH }
        } else {
            columnPositions = (0..<columns).map { x0 + (Double($0) + 0.5) * cellW }
            rowPositions = (0..<rows).map { y0 + (Double($0) + 0.5) * cellH }
        }
        func snap(_ v: Double) -> Double { Int(lw) % 2 == 1 ? v.rounded(.down) + 0.5 : v.rounded() }
        for (y, label) in zip(rowPositions, shownRowLabels) {
            let ys = numericAxes == nil ? y : snap(y)
            canvas.line(x0 - lw - m.tickLength, ys, x0 - lw, ys, color: RGBA(0, 0, 0), lineWidth: lw)
            if showYTickLabels { canvas.text(label, x: x0 - lw - m.tickLength - m.tickPad, y: ys, h: .right, v: .middle) }
        }
        let frameBottom = y0 + gridH + lw
        for (x, label) in zip(columnPositions, shownColumnLabels) {
            let xs = numericAxes == nil ? x : snap(x)
            canvas.line(xs, frameBottom, xs, frameBottom + m.tickLength, color: RGBA(0, 0, 0), lineWidth: lw)
            if !showXTickLabels {
                continue
            } else if vertical {
                canvas.text(label, x: xs, y: frameBottom + m.tickLength + m.tickPad, h: .right, v: .middle, vertical: true)
            } else {
                canvas.text(label, x: xs, y: frameBottom + m.tickLength + m.tickPad, h: .center, v: .top)
            }
        }
        canvas.setFont(size: m.labelPx)
        if !xLabel.isEmpty {
            let labelTop = frameBottom + m.tickLength + m.tickPad + (vertical ? columnLabelWidth : tickLine) + m.labelPad
            canvas.text(xLabel, x: x0 + gridW / 2, y: labelTop, h: .center, v: .top)
        }
        if !yLabel.isEmpty {
            canvas.text(yLabel, x: x0 - lw - m.tickLength - m.tickPad - rowLabelWidth - m.labelPad, y: y0 + gridH / 2, h: .center, v: .bottom, vertical: true)
        }
        if let title, !title.isEmpty {
            canvas.setFont(size: m.titlePx)
            canvas.text(title, x: x0 + gridW / 2, y: m.outer, h: .center, v: .top)
        }
        if showColorBar {
            let box = Axes(xRange: 0...1, yRange: 0...1, left: Int(x0), top: Int(y0), width: Int(gridW), height: Int(gridH),
                           xTicks: [], xTickLabels: [], yTicks: [], yTickLabels: [])
            let n = max(2, min(8, Int(gridH / (m.tickPx * 2.5))))
            let ticks = logColor ? barTicks : ColorBar.linearTicks(low: lo, high: hi, maxTicks: n)
            ColorBar(colormap: colormap, label: colorBarLabel, ticks: ticks)
                .draw(canvas: canvas, style: style, axes: box)
        }
        return notes
    }

    /// Black or white, whichever has the higher contrast ratio with `background` (WCAG 2).
    static func textColor(on background: RGBA) -> RGBA {
        func linear(_ c: UInt8) -> Double {
            let v = Double(c) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        let l = 0.2126 * linear(background.r) + 0.7152 * linear(background.g) + 0.0722 * linear(background.b)
        return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? RGBA(0, 0, 0) : RGBA(255, 255, 255)
    }
}

/// As a panel: a 2-D histogram (`numericAxes`) shares its binned ranges, its cells drawn within
/// the shared range; a matrix (a confusion matrix) has no numeric axis and keeps its own. Either
/// lays out and draws its own axis titles, and neither carries overlays.
extension Heatmap: AxesFigure {
    public var hasNumericAxes: Bool { numericAxes != nil }

    public func sharedRanges() throws -> (x: ClosedRange<Double>, y: ClosedRange<Double>)? { numericAxes }

    public mutating func share(x: ClosedRange<Double>?, y: ClosedRange<Double>?, hideXTickLabels: Bool, hideYTickLabels: Bool) throws {
        viewRange = (x: x ?? viewRange?.x, y: y ?? viewRange?.y)
        if hideXTickLabels { showXTickLabels = false }
        if hideYTickLabels { showYTickLabels = false }
    }

    public var axisTitles: (x: String, y: String)? { nil }

    public mutating func hideAxisTitles(x: Bool, y: Bool) {}

    public var overlays: [ReferenceOverlay] {
        get { [] }
        set {}
    }
}
