import Foundation

/// Lines (or steps) through points, one per class with `codes`: light curves, spectra, learning
/// curves.
///
/// Points are joined in increasing x (a stable sort, so rows with equal x keep their order) or, with
/// `order = .rows`, in row order (a track that doubles back). A missing value breaks the line
/// instead of being bridged, so a gap in the data is visible as a gap: in x order a row with a
/// missing y breaks the line at its x; a row with a missing x has no place on the axis and is left
/// out (and reported). Steps hold each value until the next x (`post`), as a binned rate does.
public struct LinePlot: Figure {
    public enum Kind: String, Sendable { case line, step }
    public enum Order: String, Sendable, CaseIterable { case x, rows }

    public var x: [Double]
    public var y: [Double]
    public var xLabel: String
    public var yLabel: String
    public var title: String?
    public var kind: Kind
    public var order: Order = .x
    /// Class of each row (-1: unlabelled, drawn grey); nil: one line.
    public var codes: [Int]?
    public var names: [String] = []
    public var colors: [RGBA]?
    /// Line width in points.
    public var lineWidth: Double = 1.5
    /// Series (by code) whose points also get a filled circle, as matplotlib's `marker="o"`.
    public var markedCodes: Set<Int> = []
    /// Half-width of a band drawn around each line (e.g. one standard deviation over repeats),
    /// one value per row: a translucent area from y − band to y + band in the line's colour.
    public var band: [Double]?
    /// The values the plotted quantity can take (accuracy and recall 0...1, an RMSE 0...): the
    /// band's edges are clipped to it, so mean ± sd never draws a negative recall.
    public var bandRange: ClosedRange<Double>?
    public var xAxis = AxisOptions()
    public var yAxis = AxisOptions()
    public var legend: LegendPlacement = .auto
    public var overlays: [ReferenceOverlay] = []

    /// Whether the segment from `a` to `b` touches the box (x0, y0)–(x1, y1): the segment clipped
    /// to the box's x and y slabs in turn (Liang–Barsky) leaves something.
    static func segment(from a: (Double, Double), to b: (Double, Double), meets box: (Double, Double, Double, Double)) -> Bool {
        var t0 = 0.0, t1 = 1.0
        let dx = b.0 - a.0, dy = b.1 - a.1
        for (p, q) in [(-dx, a.0 - box.0), (dx, box.2 - a.0), (-dy, a.1 - box.1), (dy, box.3 - a.1)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { t0 = max(t0, r) } else { t1 = min(t1, r) }
                if t0 > t1 { return false }
            }
        }
        return true
    }

    public init(x: [Double], y: [Double], xLabel: String, yLabel: String, title: String? = nil, kind: Kind = .line) {
        self.x = x
        self.y = y
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.title = title
        self.kind = kind
    }

    /// Rows of each line in drawing order: (class code, row indices).
    func lines() throws -> [(code: Int, rows: [Int])] {
        guard x.count == y.count else { throw PlotError("x has \(x.count) values but y has \(y.count); they must be the same length") }
        guard !x.isEmpty else { throw PlotError("nothing to plot: there are no points") }
        if let codes {
            guard codes.count == x.count else { throw PlotError("there are \(codes.count) class codes for \(x.count) points") }
            if let bad = codes.first(where: { $0 < -1 || $0 >= names.count }) {
                throw PlotError("class code \(bad) does not name one of the \(names.count) classes")
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in x.indices { groups[codes?[i] ?? 0, default: []].append(i) }
        return groups.keys.sorted().map { code in
            var rows = groups[code] ?? []
            if order == .x {
                rows = rows.filter { !x[$0].isNaN }
                // Stable: equal x keep their row order.
                rows = rows.enumerated().sorted { (x[$0.element], $0.offset) < (x[$1.element], $1.offset) }.map(\.element)
            }
            return (code, rows)
        }
    }

    /// Axis ranges (axis units) of the drawn points.
    public func dataRanges() throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        let ax = xAxis.transformed(x), ay = yAxis.transformed(y)
        let ok = ax.indices.filter { ax[$0].isFinite && ay[$0].isFinite }
        // The band's edges are in view too.
        let edges = try bandEdges()
        let ys = ok.map { ay[$0] } + (edges.map { e in ok.flatMap { [e.low[$0], e.high[$0]] }.filter(\.isFinite) } ?? [])
        guard let xr = try xAxis.range(ok.map { ax[$0] }, axis: "x"), let yr = try yAxis.range(ys, axis: "y") else {
            throw PlotError("nothing to plot: none of the \(x.count) points has finite x and y")
        }
        return (xr, yr)
    }

    /// The band's lower and upper edges in axis units (nil without a band).
    func bandEdges() throws -> (low: [Double], high: [Double])? {
        guard let band else { return nil }
        guard band.count == y.count else { throw PlotError("the band has \(band.count) values for \(y.count) points") }
        let range = bandRange ?? -Double.infinity...Double.infinity
        func clipped(_ v: Double) -> Double { v.isNaN ? v : min(max(v, range.lowerBound), range.upperBound) }
        return (yAxis.transformed(zip(y, band).map { clipped($0 - $1) }), yAxis.transformed(zip(y, band).map { clipped($0 + $1) }))
    }

    public func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] {
        try style.validate()
        let lines = try lines()
        let (xRange, yRange) = try dataRanges()
        let ax = xAxis.transformed(x), ay = yAxis.transformed(y)
        canvas.fill(RGBA(255, 255, 255))
        var entries: [Legend.Entry] = []
        if codes != nil {
            entries = lines.map { Legend.Entry(name: $0.code < 0 ? "unlabelled" : names[$0.code], color: PlotCommon.classColor($0.code, custom: colors),
                                               swatch: .line(.solid, widthPoints: lineWidth)) }
            if let note = Legend.Entry.repeatNote(classCount: names.count) { entries.append(note) }
        }
        entries += overlays.compactMap(\.legendEntry)
        let box = entries.isEmpty ? nil : Legend(entries: entries)
        let (axes, origin, geometry) = Legend.layout(box, placement: legend, canvas: canvas, style: style, xRange: xRange, yRange: yRange,
                                                     hasTitle: title != nil, xOptions: xAxis, yOptions: yAxis) { axes, g in
            PlotCommon.emptyCorner(axes: axes, geometry: g, style: style) { x0, y0, x1, y1 in
                // Any point inside the box, or any segment crossing it (a long flat line passes
                // under a corner box with neither end nor midpoint in it).
                for (_, rows) in lines {
                    var previous: (Double, Double)?
                    for i in rows {
                        guard ax[i].isFinite, ay[i].isFinite else { previous = nil; continue }
                        let p = (axes.px(ax[i]), axes.py(ay[i]))
                        if LinePlot.segment(from: previous ?? p, to: p, meets: (x0, y0, x1, y1)) { return true }
                        previous = p
                    }
                }
                return false
            }
        }
        canvas.clip(x: Double(axes.left), y: Double(axes.top), width: Double(axes.width), height: Double(axes.height))
        if let edges = try bandEdges() {
            // Under every line: one polygon per unbroken stretch, along the upper edge and back
            // along the lower one.
            for (code, rows) in lines {
                var stretch: [Int] = []
                func flush() {
                    if stretch.count > 1 {
                        let upper = stretch.map { (axes.px(ax[$0]), axes.py(edges.high[$0])) }
                        let lower = stretch.reversed().map { (axes.px(ax[$0]), axes.py(edges.low[$0])) }
                        canvas.fillPolygon(upper + lower, color: PlotCommon.classColor(code, custom: colors), alpha: 0.2)
                    }
                    stretch = []
                }
                for i in rows {
                    if ax[i].isFinite, edges.low[i].isFinite, edges.high[i].isFinite { stretch.append(i) } else { flush() }
                }
                flush()
            }
        }
        for (code, rows) in lines {
            var points: [(Double, Double)?] = []
            var last: (Double, Double)?
            for i in rows {
                guard ax[i].isFinite, ay[i].isFinite else { points.append(nil); last = nil; continue }
                let p = (axes.px(ax[i]), axes.py(ay[i]))
                if kind == .step, let l = last { points.append((p.0, l.1)) }
                points.append(p)
                last = p
            }
            canvas.polyline(points, color: PlotCommon.classColor(code, custom: colors), lineWidth: max(1, style.pixels(points: lineWidth)))
            if markedCodes.contains(code) {
                for case let p? in points { canvas.markerPath(.circle, x: p.0, y: p.1, r: max(2, style.pixels(points: 3))) }
                canvas.fillCurrentPath(color: PlotCommon.classColor(code, custom: colors))
            }
        }
        canvas.resetClip()
        try PlotCommon.drawOverlays(overlays, canvas: canvas, axes: axes, xAxis: xAxis, yAxis: yAxis, style: style)
        axes.drawDecorations(canvas: canvas, style: style, xLabel: xLabel, yLabel: yLabel, title: title)
        if let box, let origin, let geometry { box.draw(canvas: canvas, style: style, x: origin.x, y: origin.y, geometry: geometry) }
        var notes: [String] = []
        let noX = order == .x ? x.reduce(0) { $0 + ($1.isNaN ? 1 : 0) } : 0
        if noX > 0 { notes.append("\(noX) rows have no x value and are left out") }
        let gaps = x.indices.filter { !x[$0].isNaN && !(ax[$0].isFinite && ay[$0].isFinite) }.count
        if gaps > 0 { notes.append("\(gaps) rows have a missing or unplottable value; the line breaks there") }
        return notes
    }
}

extension LinePlot: XYAxesFigure {
    public var axisTitles: (x: String, y: String)? { (xLabel, yLabel) }
}
