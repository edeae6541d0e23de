/// A vertical colour scale beside the plot, with labelled ticks.
///
/// The bar itself is drawn uniformly in colour position (0 at the bottom, 1 at the top); ticks are
/// placed by the same mapping that coloured the data, so with eq_hist or log shading the tick
/// spacing shows the non-linearity honestly.
struct ColorBar {
    let colormap: Colormap
    let label: String
    /// (colour position in [0, 1], tick label)
    let ticks: [(position: Double, label: String)]

    /// Horizontal space the bar needs, including the gap from the plot area.
    static func width(canvas: CairoCanvas, style: FigureStyle, widestTickLabel: String) -> Double {
        let m = Axes.Metrics(style)
        canvas.setFont(size: m.tickPx)
        let tickW = canvas.textWidth(widestTickLabel)
        canvas.setFont(size: m.labelPx)
        let labelLine = canvas.lineHeight()
        return (gap(style) + barWidth(style) + m.tickLength + m.tickPad + tickW + m.labelPad + labelLine).rounded(.up)
    }

    static func gap(_ style: FigureStyle) -> Double { style.pixels(points: 10) }
    static func barWidth(_ style: FigureStyle) -> Double { style.pixels(points: 10).rounded() }

    func draw(canvas: CairoCanvas, style: FigureStyle, axes: Axes) {
        let m = Axes.Metrics(style)
        let x0 = axes.right + Int(ColorBar.gap(style))
        let w = Int(ColorBar.barWidth(style))
        let h = axes.height
        var strip = [UInt8](repeating: 255, count: h * 4)
        for row in 0..<h {
            let c = colormap.color(at: 1 - (Double(row) + 0.5) / Double(h))
            strip[4 * row] = c.r; strip[4 * row + 1] = c.g; strip[4 * row + 2] = c.b
        }
        if let image = try? RGBAImage(width: 1, height: h, pixels: strip) {
            canvas.drawImage(image, x: x0, y: axes.top, scaleX: Double(w), scaleY: 1)
        }
        let lw = m.lineWidth
        canvas.strokeRect(x: Double(x0) - lw / 2, y: Double(axes.top) - lw / 2,
                          width: Double(w) + lw, height: Double(h) + lw, color: RGBA(0, 0, 0), lineWidth: lw)
        canvas.setFont(size: m.tickPx)
        let tickX = Double(x0 + w) + lw / 2
        var widest = 0.0
        for t in ticks {
            let y = Double(axes.top) + (1 - t.position) * Double(h)
            let ys = Int(lw) % 2 == 1 ? y.rounded(.down) + 0.5 : y.rounded()
            canvas.line(tickX, ys, tickX + m.tickLength, ys, color: RGBA(0, 0, 0), lineWidth: lw)
            canvas.text(t.label, x: tickX + m.tickLength + m.tickPad, y: ys, h: .left, v: .middle)
            widest = max(widest, canvas.textWidth(t.label))
        }
        canvas.setFont(size: m.labelPx)
        let labelX = tickX + m.tickLength + m.tickPad + widest + m.labelPad
        canvas.text(label, x: labelX, y: Double(axes.top) + Double(h) / 2, h: .center, v: .top, vertical: true)
    }

    /// Ticks for a linear value scale from `low` to `high`.
    static func linearTicks(low: Double, high: Double, maxTicks: Int) -> [(position: Double, label: String)] {
        guard high > low else { return [(0.5, Ticks.labels(for: [low])[0])] }
        let values = Ticks.nice(min: low, max: high, maxTicks: maxTicks)
        return zip(values, Ticks.labels(for: values)).map { (SafeArithmetic.fraction($0, low, high), $1) }
    }

    /// Ticks for values (sums, means, …) under any mapping: nice values placed by the mapping, dropping
    /// those that would collide.
    static func valueTicks(mapping: ShadeMapping, height: Double, minSpacing: Double) -> [(position: Double, label: String)] {
        let lo = mapping.minValue, hi = mapping.maxValue
        guard hi > lo else { return [(1, Ticks.labels(for: [hi])[0])] }
        let n = max(2, min(10, Int(height / minSpacing)))
        let values = Ticks.nice(min: lo, max: hi, maxTicks: n * 2)
        let labels = Ticks.labels(for: values)
        var chosen: [(position: Double, label: String)] = []
        for (v, label) in zip(values, labels) {
            let p = mapping.position(ofValue: v)
            if chosen.allSatisfy({ abs($0.position - p) * height >= minSpacing }) { chosen.append((p, label)) }
        }
        return chosen
    }

    /// Ticks for counts under a non-linear mapping: 1-2-5 decades, keeping the ones that do not
    /// collide, powers of ten first, then 5s, then 2s. The extremes are not forced (they are rarely round).
    static func countTicks(mapping: ShadeMapping, height: Double, minSpacing: Double) -> [(position: Double, label: String)] {
        let lo = mapping.minCount, hi = mapping.maxCount
        guard hi > 0 else { return [] }
        if mapping.how == .linear {
            let n = max(2, min(10, Int(height / minSpacing)))
            // Positions measured from minCount, as the linear shading does.
            return linearTicks(low: lo, high: hi, maxTicks: n)
        }
        guard hi > lo else { return [(1, Ticks.labels(for: [hi])[0])] }
        var candidates: [(value: Double, rank: Int)] = []
        var decade = 1.0
        while decade <= hi * 10 {
            for (m, rank) in [(1.0, 0), (2.0, 2), (5.0, 1)] {
                let v = m * decade
                if v >= lo, v <= hi { candidates.append((v, rank)) }
            }
            decade *= 10
        }
        var chosen: [(position: Double, value: Double)] = []
        for rank in 0...2 {
            for c in candidates where c.rank == rank {
                let p = mapping.position(ofCount: c.value)
                if chosen.allSatisfy({ abs($0.position - p) * height >= minSpacing }) {
                    chosen.append((p, c.value))
                }
            }
        }
        chosen.sort { $0.value < $1.value }
        let labels = chosen.map { Ticks.labels(for: [$0.value])[0] }
        return zip(chosen, labels).map { ($0.position, $1) }
    }
}
