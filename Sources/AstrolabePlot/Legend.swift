/// A box listing classes with their marker, colour and name.
///
/// Placed inside the plot in a corner that covers no data, or outside on the right when every
/// corner would hide points: a legend must never hide the data a referee is asked to judge.
struct Legend {
    struct Entry {
        let name: String
        let color: RGBA
        let shape: MarkerShape
    }

    let entries: [Entry]

    struct Geometry {
        let width, height, padding, rowHeight, markerRadius, textOffset: Double
    }

    func geometry(canvas: CairoCanvas, style: FigureStyle) -> Geometry {
        let font = style.pixels(points: style.tickSize)
        canvas.setFont(size: font)
        let row = canvas.lineHeight() * 1.35
        let pad = style.pixels(points: 5)
        let radius = style.pixels(points: 3)
        let textOffset = radius * 2 + style.pixels(points: 5)
        let widest = entries.map { canvas.textWidth($0.name) }.max() ?? 0
        return Geometry(width: (pad * 2 + textOffset + widest).rounded(.up),
                        height: (pad * 2 + row * Double(entries.count)).rounded(.up),
                        padding: pad, rowHeight: row, markerRadius: radius, textOffset: textOffset)
    }

    func draw(canvas: CairoCanvas, style: FigureStyle, x: Double, y: Double, geometry g: Geometry) {
        canvas.fillRect(x: x, y: y, width: g.width, height: g.height, color: RGBA(255, 255, 255), alpha: 0.9)
        canvas.strokeRect(x: x + 0.5, y: y + 0.5, width: g.width - 1, height: g.height - 1,
                          color: RGBA(0xCC, 0xCC, 0xCC), lineWidth: 1)
        canvas.setFont(size: style.pixels(points: style.tickSize))
        for (i, e) in entries.enumerated() {
            let cy = y + g.padding + g.rowHeight * (Double(i) + 0.5)
            canvas.markerPath(e.shape, x: x + g.padding + g.markerRadius, y: cy, r: g.markerRadius)
            canvas.fillCurrentPath(color: e.color)
            canvas.text(e.name, x: x + g.padding + g.textOffset, y: cy, h: .left, v: .middle)
        }
    }
}

/// Where a legend or colour key goes: inside the plot area in a corner, outside on the right, or
/// nowhere. `auto` lets the figure choose (scatter: a corner that hides no point, else outside).
public enum LegendPlacement: String, Sendable, CaseIterable {
    case auto, none
    case topLeft = "top-left", topRight = "top-right", bottomLeft = "bottom-left", bottomRight = "bottom-right"
    case right = "outside"

    var isOutside: Bool { self == .right }

    /// Top-left corner of the legend box.
    func origin(axes: Axes, geometry g: Legend.Geometry, style: FigureStyle) -> (x: Double, y: Double) {
        let inset = style.pixels(points: 5)
        let l = Double(axes.left) + inset, r = Double(axes.right) - inset - g.width
        let t = Double(axes.top) + inset, b = Double(axes.bottom) - inset - g.height
        switch self {
        case .topLeft: return (l, t)
        case .topRight: return (r, t)
        case .bottomLeft: return (l, b)
        case .bottomRight: return (r, b)
        case .auto, .none, .right: return (Double(axes.right) + style.pixels(points: 8), Double(axes.top))
        }
    }
}
