import Foundation

/// A rectangular plot area with its data ranges, ticks and the text around it.
///
/// Layout is computed from the real text extents (tick labels, axis labels, title) so nothing is
/// clipped at any size or dpi, and the plot area is a whole number of pixels — for density plots it
/// is exactly the aggregate's canvas.
struct Axes {
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    /// Plot area in pixels: left, top, width, height.
    let left: Int, top: Int, width: Int, height: Int
    let xTicks: [Double], xTickLabels: [String]
    let yTicks: [Double], yTickLabels: [String]
    /// Unlabelled minor ticks (axis units).
    var xMinor: [Double] = [], yMinor: [Double] = []
    /// Larger values to the left / to the bottom.
    var xInverted = false, yInverted = false
    /// Room kept outside the axis labels (for a legend left of or below the plot).
    var reservedLeft = 0.0, reservedBottom = 0.0
    /// Draw tick labels (off for inner panels of a grid sharing an axis).
    var showXTickLabels = true, showYTickLabels = true
    /// Draw the axis titles (off when a multi-panel figure draws them once for all panels).
    var showXTitle = true, showYTitle = true
    /// Right edge of the plot area plus the gap, where a legend or colour bar may start.
    var right: Int { left + width }
    var bottom: Int { top + height }

    /// Pixel x of data value `v` (continuous, left edge of the area at `xRange.lowerBound`).
    func px(_ v: Double) -> Double {
        let f = SafeArithmetic.fraction(v, xRange.lowerBound, xRange.upperBound)
        return Double(left) + (xInverted ? 1 - f : f) * Double(width)
    }

    /// Pixel y of data value `v` (the top of the area is `yRange.upperBound`).
    func py(_ v: Double) -> Double {
        let f = SafeArithmetic.fractionFromTop(v, yRange.lowerBound, yRange.upperBound)
        return Double(top) + (yInverted ? 1 - f : f) * Double(height)
    }

    /// Sizes in pixels derived from the style (matplotlib's defaults, in points).
    struct Metrics {
        let tickPx, labelPx, titlePx: Double
        let tickLength, tickPad, labelPad, outer, titleGap: Double
        let lineWidth: Double

        init(_ style: FigureStyle) {
            tickPx = style.pixels(points: style.tickSize)
            labelPx = style.pixels(points: style.labelSize)
            titlePx = style.pixels(points: style.titleSize)
            tickLength = style.pixels(points: 3.5)
            tickPad = style.pixels(points: 3.5)
            labelPad = style.pixels(points: 4)
            outer = style.pixels(points: 6)
            titleGap = style.pixels(points: 6)
            // Whole pixels keep the frame and ticks crisp.
            lineWidth = max(1, style.pixels(points: 0.8).rounded())
        }
    }

    /// Lays out axes filling the figure, leaving `reservedRight` pixels on the right (for a legend
    /// or colour bar) and room for the labels.
    static func layout(canvas: CairoCanvas, style: FigureStyle, xRange: ClosedRange<Double>,
                       yRange: ClosedRange<Double>, hasTitle: Bool, reservedRight: Double,
                       xOptions: AxisOptions = AxisOptions(), yOptions: AxisOptions = AxisOptions(),
                       reservedBottom: Double = 0, reservedTop: Double = 0, reservedLeft: Double = 0) -> Axes {
        let m = Metrics(style)
        canvas.setFont(size: m.labelPx)
        let labelLine = canvas.lineHeight()
        canvas.setFont(size: m.titlePx)
        let titleLine = canvas.lineHeight()
        canvas.setFont(size: m.tickPx)
        let tickLine = canvas.lineHeight()

        let top = m.outer + (hasTitle ? titleLine + m.titleGap : tickLine / 2) + reservedTop
        let xTitleRoom = xOptions.showTitle ? labelLine + m.labelPad : 0
        let yTitleRoom = yOptions.showTitle ? labelLine + m.labelPad : 0
        let bottom = m.outer + xTitleRoom + tickLine + m.tickPad + m.tickLength + reservedBottom
        let estimatedHeight = max(10, Double(style.height) - top - bottom)
        // Y ticks: about one per 2.5 label heights.
        let yMax = max(2, min(10, Int(estimatedHeight / (tickLine * 2.5))))
        let (yTicks, yLabels, yMinor) = Ticks.axis(yRange, log: yOptions.log, maxTicks: yMax, integer: yOptions.integerTicks)
        let yLabelWidth = yLabels.map(canvas.textWidth).max() ?? 0
        let left = m.outer + yTitleRoom + yLabelWidth + m.tickPad + m.tickLength + reservedLeft

        // X ticks: as many as fit with a gap of two digits between labels.
        var rightPad = m.outer + reservedRight
        let estimatedWidth = max(10, Double(style.width) - left - rightPad)
        var xMax = max(2, min(10, Int(estimatedWidth / (m.tickPx * 4))))
        var xTicks: [Double] = [], xLabels: [String] = [], xMinor: [Double] = []
        while true {
            (xTicks, xLabels, xMinor) = Ticks.axis(xRange, log: xOptions.log, maxTicks: xMax, integer: xOptions.integerTicks)
            let widest = xLabels.map(canvas.textWidth).max() ?? 0
            let gap = canvas.textWidth("00")
            if xMax <= 2 || Double(xTicks.count) * (widest + gap) <= estimatedWidth { break }
            xMax -= 1
        }
        // The last x tick label is centred on its tick and may stick out past the frame.
        if let last = xLabels.last, reservedRight == 0 {
            rightPad = max(rightPad, canvas.textWidth(last) / 2 + m.outer / 2)
        }
        let l = Int(left.rounded(.up)), t = Int(top.rounded(.up))
        let w = max(10, style.width - l - Int(rightPad.rounded(.up)))
        let h = max(10, style.height - t - Int(bottom.rounded(.up)))
        return Axes(xRange: xRange, yRange: yRange, left: l, top: t, width: w, height: h,
                    xTicks: xTicks, xTickLabels: xLabels, yTicks: yTicks, yTickLabels: yLabels,
                    xMinor: xMinor, yMinor: yMinor, xInverted: xOptions.inverted, yInverted: yOptions.inverted,
                    reservedLeft: reservedLeft, reservedBottom: reservedBottom,
                    showXTickLabels: xOptions.showTickLabels, showYTickLabels: yOptions.showTickLabels,
                    showXTitle: xOptions.showTitle, showYTitle: yOptions.showTitle)
    }

    /// Draws the frame, ticks, tick labels, axis labels and title (after the data, so they stay on top).
    func drawDecorations(canvas: CairoCanvas, style: FigureStyle, xLabel: String, yLabel: String, title: String?) {
        let m = Metrics(style)
        let black = RGBA(0, 0, 0)
        let lw = m.lineWidth
        // Frame just outside the plot area so it never covers a data pixel.
        let half = lw / 2
        canvas.strokeRect(x: Double(left) - half, y: Double(top) - half,
                          width: Double(width) + lw, height: Double(height) + lw, color: black, lineWidth: lw)
        // Snap tick lines to pixel centres for odd widths so they are one crisp pixel wide.
        func snap(_ v: Double) -> Double {
            Int(lw) % 2 == 1 ? v.rounded(.down) + 0.5 : v.rounded()
        }
        canvas.setFont(size: m.tickPx)
        let frameBottom = Double(bottom) + lw, frameLeft = Double(left) - lw
        for (v, label) in zip(xTicks, xTickLabels) {
            let x = snap(px(v))
            canvas.line(x, frameBottom, x, frameBottom + m.tickLength, color: black, lineWidth: lw)
            if showXTickLabels { canvas.text(label, x: x, y: frameBottom + m.tickLength + m.tickPad, h: .center, v: .top) }
        }
        for v in xMinor {
            let x = snap(px(v))
            canvas.line(x, frameBottom, x, frameBottom + m.tickLength * 0.55, color: black, lineWidth: lw)
        }
        for v in yMinor {
            let y = snap(py(v))
            canvas.line(frameLeft - m.tickLength * 0.55, y, frameLeft, y, color: black, lineWidth: lw)
        }
        for (v, label) in zip(yTicks, yTickLabels) {
            let y = snap(py(v))
            canvas.line(frameLeft - m.tickLength, y, frameLeft, y, color: black, lineWidth: lw)
            if showYTickLabels { canvas.text(label, x: frameLeft - m.tickLength - m.tickPad, y: y, h: .right, v: .middle) }
        }
        canvas.setFont(size: m.labelPx)
        let centreX = Double(left) + Double(width) / 2, centreY = Double(top) + Double(height) / 2
        if showXTitle { canvas.text(xLabel, x: centreX, y: Double(style.height) - m.outer - reservedBottom, h: .center, v: .bottom) }
        if showYTitle { canvas.text(yLabel, x: m.outer + reservedLeft, y: centreY, h: .center, v: .top, vertical: true) }
        if let title, !title.isEmpty {
            canvas.setFont(size: m.titlePx)
            canvas.text(title, x: centreX, y: m.outer, h: .center, v: .top)
        }
    }
}
