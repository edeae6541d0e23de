import Foundation

/// A table of values as coloured cells with row and column labels — confusion matrices,
/// correlation matrices, any small matrix a reader should read numbers from.
///
/// Cells are square and the colour scale is linear from `low` (default min(0, smallest)) to `high`
/// (default the largest value), with a colour bar. With `showValues` each cell carries its value
/// in black or white, whichever contrasts more with the cell (WCAG relative luminance), so the
/// numbers stay legible on the darkest and the lightest cells; text that cannot fit at 5 pt or
/// more is left out and reported. Column labels turn vertical when they are wider than a cell.
public struct Heatmap: Figure {
    /// Row-major: `values[r * columns + c]`. NaN cells are left white.
    public var values: [Double]
    public var rows: Int
    public var columns: Int
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var colormap: Colormap
    public var showValues: Bool
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
        guard rows > 0, columns > 0, rows <= 200, columns <= 200 else { throw PlotError("a heatmap needs 1–200 rows and columns, got \(rows)×\(columns)") }
        guard values.count == rows * columns else { throw PlotError("\(rows)×\(columns) cells need \(rows * columns) values, got \(values.count)") }
        guard rowLabels.count == rows, columnLabels.count == columns else {
            throw PlotError("give one label per row (\(rows)) and per column (\(columns)), got \(rowLabels.count) and \(columnLabels.count)")
        }
        if let cellText, cellText.count != values.count { throw PlotError("\(cellText.count) cell texts for \(values.count) cells") }
        let finite = values.filter(\.isFinite)
        let lo = low ?? min(0, finite.min() ?? 0)
        var hi = high ?? (finite.max() ?? 1)
        if !(hi > lo) { hi = lo + 1 }

        let m = Axes.Metrics(style)
        canvas.fill(RGBA(255, 255, 255))
        canvas.setFont(size: m.labelPx)
        let labelLine = canvas.lineHeight()
        canvas.setFont(size: m.titlePx)
        let titleLine = canvas.lineHeight()
        canvas.setFont(size: m.tickPx)
        let tickLine = canvas.lineHeight()
        let rowLabelWidth = rowLabels.map(canvas.textWidth).max() ?? 0
        let columnLabelWidth = columnLabels.map(canvas.textWidth).max() ?? 0

        var reservedRight = m.outer
        var barLabel = "0"
        if showColorBar {
            let ticks = Ticks.nice(min: lo, max: hi, maxTicks: 6)
            barLabel = Ticks.labels(for: ticks).max { canvas.textWidth($0) < canvas.textWidth($1) } ?? "0"
            reservedRight += ColorBar.width(canvas: canvas, style: style, widestTickLabel: barLabel)
            canvas.setFont(size: m.tickPx)
        }
        let left = m.outer + (yLabel.isEmpty ? 0 : labelLine + m.labelPad) + rowLabelWidth + m.tickPad + m.tickLength
        let top = m.outer + (title == nil ? tickLine / 2 : titleLine + m.titleGap)
        // Horizontal column labels if they fit under a cell, else vertical.
        func bottomFor(vertical: Bool) -> Double {
            m.outer + (xLabel.isEmpty ? 0 : labelLine + m.labelPad) + (vertical ? columnLabelWidth : tickLine) + m.tickPad + m.tickLength
        }
        var vertical = false
        var cell = min((Double(style.width) - left - reservedRight) / Double(columns), (Double(style.height) - top - bottomFor(vertical: false)) / Double(rows))
        if columnLabelWidth > cell * 0.95 {
            vertical = true
            cell = min((Double(style.width) - left - reservedRight) / Double(columns), (Double(style.height) - top - bottomFor(vertical: true)) / Double(rows))
        }
        cell = max(2, cell.rounded(.down))
        let gridW = cell * Double(columns), gridH = cell * Double(rows)
        // Centre the grid in the room left for it.
        let x0 = (left + max(0, (Double(style.width) - left - reservedRight - gridW) / 2)).rounded()
        let y0 = (top + max(0, (Double(style.height) - top - bottomFor(vertical: vertical) - gridH) / 2)).rounded()

        var notes: [String] = []
        var omitted = 0
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c, v = values[i]
                let x = x0 + Double(c) * cell, y = y0 + Double(r) * cell
                guard v.isFinite else { continue }
                let color = colormap.color(at: (v - lo) / (hi - lo))
                canvas.fillRect(x: x, y: y, width: cell, height: cell, color: color)
                guard showValues else { continue }
                let s = text(i)
                var size = m.tickPx
                canvas.setFont(size: size)
                while canvas.textWidth(s) > cell * 0.9 || canvas.lineHeight() > cell * 0.9, size > style.pixels(points: 5) {
                    size *= 0.9
                    canvas.setFont(size: size)
                }
                guard canvas.textWidth(s) <= cell * 0.9 else { omitted += 1; continue }
                canvas.text(s, x: x + cell / 2, y: y + cell / 2, h: .center, v: .middle, color: Heatmap.textColor(on: color))
            }
        }
        if omitted > 0 { notes.append("\(omitted) cell values do not fit their cells at 5 pt and are not written") }
        let lw = m.lineWidth
        canvas.strokeRect(x: x0 - lw / 2, y: y0 - lw / 2, width: gridW + lw, height: gridH + lw, color: RGBA(0, 0, 0), lineWidth: lw)
        canvas.setFont(size: m.tickPx)
        for (r, label) in rowLabels.enumerated() {
            let y = y0 + (Double(r) + 0.5) * cell
            canvas.line(x0 - lw - m.tickLength, y, x0 - lw, y, color: RGBA(0, 0, 0), lineWidth: lw)
            canvas.text(label, x: x0 - lw - m.tickLength - m.tickPad, y: y, h: .right, v: .middle)
        }
        let frameBottom = y0 + gridH + lw
        for (c, label) in columnLabels.enumerated() {
            let x = x0 + (Double(c) + 0.5) * cell
            canvas.line(x, frameBottom, x, frameBottom + m.tickLength, color: RGBA(0, 0, 0), lineWidth: lw)
            if vertical {
                canvas.text(label, x: x, y: frameBottom + m.tickLength + m.tickPad, h: .right, v: .middle, vertical: true)
            } else {
                canvas.text(label, x: x, y: frameBottom + m.tickLength + m.tickPad, h: .center, v: .top)
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
            ColorBar(colormap: colormap, label: colorBarLabel, ticks: ColorBar.linearTicks(low: lo, high: hi, maxTicks: n))
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
