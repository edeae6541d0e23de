/// A box listing classes (and reference curves) with their marker, line or patch, colour and name.
///
/// Placed inside the plot in a corner that covers no data, or outside (right, left, top, bottom);
/// a legend must never hide the data a referee is asked to judge. Above or below the plot the
/// entries run in a row (wrapping into as many rows as needed), beside it in a column.
struct Legend {
    /// What stands for an entry in front of its name.
    enum Swatch {
        case marker(MarkerShape)
        /// A short line (reference curves, line plots).
        case line(LineDash, widthPoints: Double)
        /// A filled square at some opacity (histogram classes, regions).
        case patch(alpha: Double)
        /// A black ring (highlighted points of a scatter plot).
        case ring
        /// Nothing: a line of text, such as the note that class colours repeat.
        case note
    }

    struct Entry {
        let name: String
        let color: RGBA
        let swatch: Swatch

        init(name: String, color: RGBA, shape: MarkerShape) {
            self.init(name: name, color: color, swatch: .marker(shape))
        }

        init(name: String, color: RGBA, swatch: Swatch) {
            self.name = name
            self.color = color
            self.swatch = swatch
        }

        /// "colours repeat after N classes", when `classCount` classes outnumber the palette.
        static func repeatNote(classCount: Int) -> Entry? {
            CategoricalPalette.repeatNote(classCount: classCount).map { Entry(name: $0, color: RGBA(0, 0, 0), swatch: .note) }
        }
    }

    let entries: [Entry]

    struct Geometry {
        let width, height, padding, rowHeight, markerRadius, textOffset: Double
        /// Entries per row (1 for a vertical legend) and the width of one column.
        var columns = 1
        var columnWidth = 0.0
    }

    /// The box size: one column, or with `maxRowWidth` as many columns as fit in that width, or
    /// with `maxHeight` as few columns as keep the box within that height (26 classes beside a
    /// publication figure).
    func geometry(canvas: CairoCanvas, style: FigureStyle, maxRowWidth: Double? = nil, maxHeight: Double? = nil) -> Geometry {
        let font = style.pixels(points: style.tickSize)
        canvas.setFont(size: font)
        let row = canvas.lineHeight() * 1.35
        let pad = style.pixels(points: 5)
        let radius = style.pixels(points: 3)
        let hasLines = entries.contains { if case .line = $0.swatch { return true } else { return false } }
        let swatchWidth = hasLines ? style.pixels(points: 16) : radius * 2
        let textOffset = swatchWidth + style.pixels(points: 5)
        let widest = entries.map { canvas.textWidth($0.name) }.max() ?? 0
        let column = textOffset + widest
        var columns = 1
        var wrapped: Int? // columns needed to stay within maxHeight
        if maxRowWidth == nil, let maxHeight, !entries.isEmpty, pad * 2 + row * Double(entries.count) > maxHeight {
            let perColumn = SafeArithmetic.int((maxHeight - pad * 2) / row, in: 1...entries.count)
            wrapped = (entries.count + perColumn - 1) / perColumn
        }
        if maxRowWidth != nil || wrapped != nil, !entries.isEmpty {
            let gap = style.pixels(points: 10)
            columns = wrapped ?? SafeArithmetic.int(((maxRowWidth ?? 0) - pad * 2 + gap) / (column + gap), in: 1...entries.count)
            let rows = (entries.count + columns - 1) / columns
            columns = (entries.count + rows - 1) / rows // balance the rows
            return Geometry(width: (pad * 2 + Double(columns) * column + Double(columns - 1) * gap).rounded(.up),
                            height: (pad * 2 + row * Double(rows)).rounded(.up),
                            padding: pad, rowHeight: row, markerRadius: radius, textOffset: textOffset,
                            columns: columns, columnWidth: column + gap)
        }
        return Geometry(width: (pad * 2 + column).rounded(.up),
                        height: (pad * 2 + row * Double(entries.count)).rounded(.up),
                        padding: pad, rowHeight: row, markerRadius: radius, textOffset: textOffset,
                        columns: 1, columnWidth: column)
    }

    func draw(canvas: CairoCanvas, style: FigureStyle, x: Double, y: Double, geometry g: Geometry) {
        canvas.fillRect(x: x, y: y, width: g.width, height: g.height, color: RGBA(255, 255, 255), alpha: 0.9)
        canvas.strokeRect(x: x + 0.5, y: y + 0.5, width: g.width - 1, height: g.height - 1,
                          color: RGBA(0xCC, 0xCC, 0xCC), lineWidth: 1)
        canvas.setFont(size: style.pixels(points: style.tickSize))
        for (i, e) in entries.enumerated() {
            let col = i % g.columns, row = i / g.columns
            let left = x + g.padding + Double(col) * g.columnWidth
            let cy = y + g.padding + g.rowHeight * (Double(row) + 0.5)
            switch e.swatch {
            case .marker(let shape):
                canvas.markerPath(shape, x: left + g.markerRadius, y: cy, r: g.markerRadius)
                canvas.fillCurrentPath(color: e.color)
            case .line(let dash, let width):
                canvas.polyline([(left, cy), (left + g.textOffset - style.pixels(points: 5), cy)], color: e.color,
                                lineWidth: max(1, style.pixels(points: width)), dash: dash)
            case .ring:
                canvas.ring(x: left + g.markerRadius, y: cy, r: g.markerRadius * 0.8, color: e.color,
                            lineWidth: max(1, style.pixels(points: 1.2)))
            case .patch(let alpha):
                let s = g.markerRadius * 2
                canvas.fillRect(x: left, y: cy - s / 2, width: s, height: s, color: e.color, alpha: alpha)
                canvas.strokeRect(x: left, y: cy - s / 2, width: s, height: s, color: e.color, lineWidth: 1)
            case .note:
                canvas.text(e.name, x: left, y: cy, h: .left, v: .middle)
                continue
            }
            canvas.text(e.name, x: left + g.textOffset, y: cy, h: .left, v: .middle)
        }
    }

    /// Lays out axes with room for `legend` where `placement` puts it, and says where the legend's
    /// top-left corner goes. `reservedRight` is kept for a colour bar (an outside-right legend goes
    /// beyond it); `autoCorner` picks an inside corner for `.auto` (nil: outside right).
    static func layout(_ legend: Legend?, placement: LegendPlacement, canvas: CairoCanvas, style: FigureStyle,
                       xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, hasTitle: Bool,
                       reservedRight: Double = 0, xOptions: AxisOptions, yOptions: AxisOptions,
                       autoCorner: ((Axes, Geometry) -> (x: Double, y: Double)?)? = nil)
        -> (axes: Axes, origin: (x: Double, y: Double)?, geometry: Geometry?) {
        func plain(right: Double = reservedRight, top: Double = 0, bottom: Double = 0, left: Double = 0) -> Axes {
            Axes.layout(canvas: canvas, style: style, xRange: xRange, yRange: yRange, hasTitle: hasTitle,
                        reservedRight: right, xOptions: xOptions, yOptions: yOptions,
                        reservedBottom: bottom, reservedTop: top, reservedLeft: left)
        }
        guard let legend, placement != .none, !legend.entries.isEmpty else { return (plain(), nil, nil) }
        let gap = style.pixels(points: 8), outer = style.pixels(points: 6)
        // In a style that keeps the axes' size, the figure grows by what the legend took from the
        // axes (Figure.renderFigure draws it again that much larger).
        func ask(_ axes: Axes) {
            guard style.growsForOutsideLegend else { return }
            let full = plain()
            canvas.outsideLegendRoom = (Double(max(0, full.width - axes.width)), Double(max(0, full.height - axes.height)))
        }
        switch placement {
        case .outsideTop, .outsideBottom:
            let g = legend.geometry(canvas: canvas, style: style, maxRowWidth: Double(style.width) - 2 * outer)
            let axes = placement == .outsideTop ? plain(top: g.height + gap) : plain(bottom: g.height + gap)
            ask(axes)
            let x = max(outer, min(Double(style.width) - outer - g.width, Double(axes.left) + (Double(axes.width) - g.width) / 2))
            let y = placement == .outsideTop ? Double(axes.top) - gap - g.height : Double(style.height) - outer - g.height
            return (axes, (x.rounded(), y.rounded()), g)
        case .outsideLeft:
            let g = legend.geometry(canvas: canvas, style: style, maxHeight: Double(style.height) - 2 * outer)
            let axes = plain(left: g.width + gap)
            ask(axes)
            return (axes, (outer, Double(axes.top)), g)
        case .topLeft, .topRight, .bottomLeft, .bottomRight:
            let g = legend.geometry(canvas: canvas, style: style)
            let axes = plain()
            return (axes, placement.origin(axes: axes, geometry: g, style: style), g)
        case .auto, .right, .none:
            let g = legend.geometry(canvas: canvas, style: style, maxHeight: Double(style.height) - 2 * outer)
            if placement == .auto, let autoCorner, !style.outsideLegendRoomGranted {
                let axes = plain()
                if let corner = autoCorner(axes, g) { return (axes, corner, g) }
            }
            let axes = plain(right: reservedRight + g.width + gap)
            ask(axes)
            return (axes, (Double(axes.right) + reservedRight + gap, Double(axes.top)), g)
        }
    }
}

/// Where a legend or colour key goes: inside the plot area in a corner, outside (right, left, top,
/// bottom), or nowhere. `auto` lets the figure choose (scatter: a corner that hides no point, else
/// outside right).
public enum LegendPlacement: String, Sendable, CaseIterable {
    case auto, none
    case topLeft = "top-left", topRight = "top-right", bottomLeft = "bottom-left", bottomRight = "bottom-right"
    case right = "outside"
    case outsideTop = "outside-top", outsideBottom = "outside-bottom", outsideLeft = "outside-left"

    /// Accepts `outside-right` for `outside`.
    public init?(rawValue: String) {
        let text = rawValue == "outside-right" ? "outside" : rawValue
        guard let match = LegendPlacement.allCases.first(where: { $0.rawValue == text }) else { return nil }
        self = match
    }

    var isOutside: Bool { self == .right || self == .outsideTop || self == .outsideBottom || self == .outsideLeft }

    /// Top-left corner of the legend box inside the plot area.
    func origin(axes: Axes, geometry g: Legend.Geometry, style: FigureStyle) -> (x: Double, y: Double) {
        let inset = style.pixels(points: 5)
        let l = Double(axes.left) + inset, r = Double(axes.right) - inset - g.width
        let t = Double(axes.top) + inset, b = Double(axes.bottom) - inset - g.height
        switch self {
        case .topLeft: return (l, t)
        case .bottomLeft: return (l, b)
        case .bottomRight: return (r, b)
        case .topRight: return (r, t)
        default: return (Double(axes.right) + style.pixels(points: 8), Double(axes.top))
        }
    }
}
