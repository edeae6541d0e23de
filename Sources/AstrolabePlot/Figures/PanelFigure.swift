import Foundation

/// One panel of a multi-panel figure: any figure that can share axes (`AxesFigure`: scatter,
/// density, histogram and line plots, heatmaps).
public typealias Panel = any AxesFigure

/// Several figures in a grid on one page, each panel lettered (a), (b), … in reading order.
///
/// Every panel is drawn exactly as it would be alone at its share of the page (same dpi and font
/// sizes, so text stays legible), into its own clipped cell. Panels that share an axis get the
/// union of their ranges, so they can be compared by eye; inner panels then omit the repeated tick
/// labels (x labels except on the lowest panel of each column, y labels except in the first
/// column), and the plot areas keep the same size because the room for the labels stays.
/// Any kinds share: scatter, density, histogram and line panels, and 2-D histograms (heatmaps with
/// numeric axes) whose cells are then drawn within the shared range; a confusion matrix has no
/// numeric axis and keeps its own.
/// When the panels sharing an axis all have the same title for it (and no panel is a heatmap,
/// which lays out and draws its own titles), that title is drawn once for the figure — under the bottom row (x) or left of the first column (y) — instead of on every
/// panel; the strip it needs is taken from the whole figure, so all panels stay the same size.
public struct PanelFigure: Figure {
    public var rows: Int
    public var columns: Int
    /// Row-major; nil leaves a cell empty.
    public var panels: [Panel?]
    public var shareX = false
    public var shareY = false
    public var letters = true

    public init(rows: Int, columns: Int, panels: [Panel?]) {
        self.rows = rows
        self.columns = columns
        self.panels = panels
    }

    /// The panels with shared ranges, shared axis titles and letters applied.
    func prepared() throws -> [Panel?] { try preparedWithTitles().panels }

    /// The prepared panels and the axis titles the figure draws once for all of them (nil: each
    /// panel draws its own).
    func preparedWithTitles() throws -> (panels: [Panel?], xTitle: String?, yTitle: String?) {
        guard rows >= 1, columns >= 1, rows * columns <= 64 else { throw PlotError("a figure holds 1 to 64 panels, got \(rows)×\(columns)") }
        guard panels.count == rows * columns else { throw PlotError("a \(rows)×\(columns) figure needs \(rows * columns) panel slots, got \(panels.count)") }
        var out = panels
        if shareX || shareY { try shareRanges(&out) }
        let (xTitle, yTitle) = commonTitles(out)
        if xTitle != nil || yTitle != nil {
            for i in out.indices { out[i]?.hideAxisTitles(x: xTitle != nil, y: yTitle != nil) }
        }
        if letters {
            var k = 0
            for i in out.indices {
                guard var p = out[i] else { continue }
                let letter = "(" + (k < 26 ? String(UnicodeScalar(UInt8(97 + k))) : "\(k + 1)") + ")"
                p.title = p.title.map { "\(letter) \($0)" } ?? letter
                out[i] = p
                k += 1
            }
        }
        return (out, xTitle, yTitle)
    }

    /// Gives every panel with numeric axes the union of their ranges on the shared axes, and
    /// hides the tick labels of inner panels.
    func shareRanges(_ out: inout [Panel?]) throws {
        // The union of every panel's range in data units, so log and linear panels, and the
        // binned axes of a 2-D histogram, share one range.
        var xr: ClosedRange<Double>?, yr: ClosedRange<Double>?
        func union(_ a: ClosedRange<Double>?, _ b: ClosedRange<Double>) -> ClosedRange<Double> {
            a.map { min($0.lowerBound, b.lowerBound)...max($0.upperBound, b.upperBound) } ?? b
        }
        for p in out.compactMap({ $0 }) {
            guard let (a, b) = try p.sharedRanges() else { continue }
            xr = union(xr, a)
            yr = union(yr, b)
        }
        // Lowest filled row of each column keeps its x labels; the first column its y labels.
        let lowest = (0..<columns).map { c in (0..<rows).last { out[$0 * columns + c]?.hasNumericAxes == true } ?? rows - 1 }
        for i in out.indices {
            guard var p = out[i], p.hasNumericAxes else { continue }
            // y labels are hidden only where the first panel of the row shows them.
            let hideY = shareY && i % columns != 0 && out[i - i % columns]?.hasNumericAxes == true
            try p.share(x: shareX ? xr : nil, y: shareY ? yr : nil,
                        hideXTickLabels: shareX && i / columns != lowest[i % columns], hideYTickLabels: hideY)
            out[i] = p
        }
    }

    /// One title per shared axis when every panel with axes gives it the same text. A panel that
    /// draws its own axis titles (a heatmap) keeps them, so with one in the figure every panel does.
    func commonTitles(_ out: [Panel?]) -> (x: String?, y: String?) {
        let filled = out.compactMap { $0 }
        guard filled.allSatisfy({ $0.axisTitles != nil }) else { return (nil, nil) }
        let titles = filled.compactMap(\.axisTitles)
        func common(_ pick: ((x: String, y: String)) -> String) -> String? {
            guard let first = titles.first.map(pick), !first.isEmpty, titles.allSatisfy({ pick($0) == first }) else { return nil }
            return first
        }
        return (shareX ? common(\.x) : nil, shareY ? common(\.y) : nil)
    }

    public func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
        try style.validate()
        let (panels, xTitle, yTitle) = try preparedWithTitles()
        canvas.fill(RGBA(255, 255, 255))
        // Strips for the figure's own axis titles: the title line and the outer margin.
        let m = Axes.Metrics(style)
        canvas.setFont(size: m.labelPx)
        let titleStrip = Int((canvas.lineHeight() + m.outer).rounded(.up))
        let left = yTitle == nil ? 0 : titleStrip
        let gridWidth = style.width - left, gridHeight = style.height - (xTitle == nil ? 0 : titleStrip)
        var notes: [String] = []
        for (i, panel) in panels.enumerated() {
            guard let panel else { continue }
            let r = i / columns, c = i % columns
            let x0 = left + gridWidth * c / columns, x1 = left + gridWidth * (c + 1) / columns
            let y0 = gridHeight * r / rows, y1 = gridHeight * (r + 1) / rows
            var sub = style
            sub.growsForOutsideLegend = false // panels keep their cells; only a whole figure grows
            sub.width = x1 - x0
            sub.height = y1 - y0
            guard sub.width >= 100, sub.height >= 100 else {
                throw PlotError("each panel needs at least 100×100 pixels; make the figure larger (it is \(style.width)×\(style.height) for \(rows)×\(columns) panels)")
            }
            try canvas.inPanel(x: Double(x0), y: Double(y0), width: Double(sub.width), height: Double(sub.height)) {
                notes += try panel.draw(on: canvas, style: sub).map { "panel \(i + 1): \($0)" }
            }
        }
        canvas.setFont(size: m.labelPx)
        if let xTitle {
            canvas.text(xTitle, x: Double(left) + Double(gridWidth) / 2, y: Double(style.height) - m.outer, h: .center, v: .bottom)
        }
        if let yTitle {
            canvas.text(yTitle, x: m.outer, y: Double(gridHeight) / 2, h: .center, v: .top, vertical: true)
        }
        return notes
    }
}
