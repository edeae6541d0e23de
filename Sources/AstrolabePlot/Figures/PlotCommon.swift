import Foundation

/// Pieces every 2-D figure shares: class colours, reference overlays, the legend's empty corner.
enum PlotCommon {
    /// The colour of class `k`: the user's when given, else Okabe–Ito; -1 (unlabelled) is grey.
    static func classColor(_ k: Int, custom: [RGBA]?) -> RGBA {
        if k < 0 { return CategoricalPalette.unlabelled }
        if let custom, k < custom.count { return custom[k] }
        return CategoricalPalette.color(forClass: k)
    }

    /// Draws reference curves and regions clipped to the plot area.
    static func drawOverlays(_ overlays: [ReferenceOverlay], canvas: CairoCanvas, axes: Axes,
                             xAxis: AxisOptions, yAxis: AxisOptions, style: FigureStyle) throws {
        guard !overlays.isEmpty else { return }
        canvas.clip(x: Double(axes.left), y: Double(axes.top), width: Double(axes.width), height: Double(axes.height))
        // Regions first, so curves stay on top of every tint.
        for o in overlays { if case .region = o.shape { try o.draw(on: canvas, axes: axes, xAxis: xAxis, yAxis: yAxis, style: style) } }
        for o in overlays { if case .region = o.shape {} else { try o.draw(on: canvas, axes: axes, xAxis: xAxis, yAxis: yAxis, style: style) } }
        canvas.resetClip()
    }

    /// The first of top-left, top-right, bottom-left, bottom-right where a legend of geometry `g`
    /// covers nothing (`covers(x0, y0, x1, y1)` says whether data lies in a pixel rectangle).
    static func emptyCorner(axes: Axes, geometry g: Legend.Geometry, style: FigureStyle,
                            covers: (Double, Double, Double, Double) -> Bool) -> (x: Double, y: Double)? {
        let inset = style.pixels(points: 5)
        let l = Double(axes.left) + inset, r = Double(axes.right) - inset - g.width
        let t = Double(axes.top) + inset, b = Double(axes.bottom) - inset - g.height
        guard r > l, b > t else { return nil }
        for c in [(l, t), (r, t), (l, b), (r, b)] where !covers(c.0, c.1, c.0 + g.width, c.1 + g.height) {
            return c
        }
        return nil
    }
}
