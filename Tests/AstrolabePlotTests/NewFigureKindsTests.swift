import AstrolabeData
import Foundation
import XCTest
@testable import AstrolabePlot

/// Histogram, line/step, error bars, reference overlays, heatmaps, panels and legend placement.
/// Reference values come from numpy 2 (`numpy.histogram`), quoted in each test.
final class NewFigureKindsTests: XCTestCase {
    let style = FigureStyle(width: 400, height: 300)
    let white = RGBA(255, 255, 255)

    func pixels(_ image: RGBAImage, where match: (RGBA) -> Bool) -> [(x: Int, y: Int)] {
        var out: [(Int, Int)] = []
        for y in 0..<image.height { for x in 0..<image.width where match(image.pixel(x: x, y: y)) { out.append((x, y)) } }
        return out
    }

    /// The plot area a figure without legend or colour bar gets (the same layout call the plots make).
    func plainAxes(x: ClosedRange<Double>, y: ClosedRange<Double>, style: FigureStyle, title: Bool = false, log: Bool = false) throws -> Axes {
        let canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
        return Axes.layout(canvas: canvas, style: style, xRange: x, yRange: y, hasTitle: title, reservedRight: 0,
                           xOptions: AxisOptions(log: log), yOptions: AxisOptions(log: log))
    }

    // MARK: Histogram bins against numpy

    func testHistogramBinsMatchNumpy() throws {
        // v = [sin(0.7 i) * 3 + (i % 7) * 0.25 for i in range(500)]; np.histogram(v, 'auto') → 10 bins:
        let v: [Double] = (0..<500).map { (i: Int) -> Double in
            let wave: Double = sin(Double(i) * 0.7) * 3
            return wave + Double(i % 7) * 0.25
        }
        let auto = try HistogramBins(values: v + [.nan], rule: .auto)
        XCTAssertEqual(auto.count, 10)
        XCTAssertEqual(auto.edges.first, -2.9990107691006176)
        XCTAssertEqual(auto.edges.last, 4.499431741659075)
        XCTAssertEqual(auto.counts(v + [Double.nan, Double.infinity]), [41, 62, 62, 44, 39, 42, 47, 55, 69, 39])
        // Values exactly on edges: np.histogram([0, .1, …, 1.0], 10) → [1, 1, 2, 0, 1, 2, 1, 0, 1, 2].
        let w = (0...10).map { Double($0) / 10 }
        XCTAssertEqual(try HistogramBins(values: w, rule: .count(10)).counts(w), [1, 1, 2, 0, 1, 2, 1, 0, 1, 2])
        // Heavy tails: Freedman–Diaconis wins. t = [tan(((i+.5)/1000-.5)*3) …]; 'auto' → 64 bins, edges[1] = -13.376358757229124.
        let t: [Double] = (0..<1000).map { (i: Int) -> Double in tan(((Double(i) + 0.5) / 1000 - 0.5) * 3) }
        let heavy = try HistogramBins(values: t, rule: .auto)
        XCTAssertEqual(heavy.count, 64)
        XCTAssertEqual(heavy.edges[1], -13.376358757229124, accuracy: 1e-12)
        // One distinct value: numpy's ±0.5.
        XCTAssertEqual(try HistogramBins(values: [3, 3], rule: .count(2)).edges, [2.5, 3, 3.5])
        XCTAssertThrowsError(try HistogramBins(values: [.nan], rule: .auto))
    }

    func testHistogramDensityAndStacking() throws {
        let values: [Double] = (0..<300).map { (i: Int) -> Double in Double(i % 17) + Double(i) / 300 }
        let codes = (0..<300).map { $0 % 3 == 0 ? 1 : 0 }
        var plot = HistogramPlot(values: values, xLabel: "v", codes: codes, names: ["a", "b"], bins: .count(12), density: true)
        let bins = try plot.binEdges()
        let width = (bins.edges[12] - bins.edges[0]) / 12
        // Overlaid: each class integrates to 1 on its own.
        for layer in try plot.layers().layers {
            XCTAssertEqual(layer.heights.reduce(0, +) * width, 1, accuracy: 1e-12, layer.name)
        }
        // Stacked: the whole stack integrates to 1, class b holds a third of it.
        plot.mode = .stack
        let stacked = try plot.layers().layers
        XCTAssertEqual(stacked.map { $0.heights.reduce(0, +) * width }.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(stacked[1].heights.reduce(0, +) * width, 100.0 / 300, accuracy: 1e-12)
        let figure = try plot.renderFigure(style: style)
        XCTAssertEqual([figure.image.width, figure.image.height], [400, 300])
        XCTAssertEqual(try plot.render(style: style), figure.image, "deterministic")
        // Overlaid, each class has its solid outline.
        plot.mode = .overlay
        let overlaid = try plot.render(style: style)
        for k in 0..<2 { XCTAssertFalse(pixels(overlaid) { $0 == CategoricalPalette.color(forClass: k) }.isEmpty, "class \(k)") }
    }

    func testHistogramBarsReachTheRightHeight() throws {
        // Two bins: 3 values in the first, 1 in the second; the y axis runs 0 … 3 × 1.05.
        var plot = HistogramPlot(values: [0, 0.2, 0.4, 1], xLabel: "v", bins: .count(2))
        plot.legend = .none
        let image = try plot.render(style: style)
        let axes = try plainAxes(x: try plot.dataRanges().0, y: 0...3.15, style: style)
        let blue = CategoricalPalette.color(forClass: 0)
        func isBar(_ c: RGBA) -> Bool { c != white && c.b > c.r + 40 } // translucent blue fill
        let midFirst = Int(axes.px(0.25)), midSecond = Int(axes.px(0.75))
        XCTAssertTrue(isBar(image.pixel(x: midFirst, y: Int(axes.py(2.8)))), "first bar reaches 3")
        XCTAssertEqual(image.pixel(x: midFirst, y: Int(axes.py(3.1))), white, "…and not above")
        XCTAssertTrue(isBar(image.pixel(x: midSecond, y: Int(axes.py(0.8)))), "second bar reaches 1")
        XCTAssertEqual(image.pixel(x: midSecond, y: Int(axes.py(1.3))), white)
        _ = blue
    }

    // MARK: Lines

    func testLineBreaksAtMissingValuesAndSortsByX() throws {
        var plot = LinePlot(x: [4, 0, 1, 2, 3], y: [1, 1, 1, .nan, 1], xLabel: "x", yLabel: "y")
        XCTAssertEqual(try plot.lines().map(\.rows), [[1, 2, 3, 4, 0]], "x order, stable")
        plot.xAxis.limits = -0.5...4.5
        plot.yAxis.limits = 0...2
        let image = try plot.render(style: style)
        let axes = try plainAxes(x: -0.5...4.5, y: 0...2, style: style)
        let row = Int(axes.py(1))
        let line = CategoricalPalette.color(forClass: 0)
        func near(_ x: Double) -> Bool { (row - 1...row + 1).contains { image.pixel(x: Int(x), y: $0) == line } }
        XCTAssertTrue(near(axes.px(0.5)), "joined from x=0 to x=1")
        XCTAssertTrue(near(axes.px(3.5)), "joined from x=3 to x=4")
        XCTAssertFalse(near(axes.px(2)), "broken at the missing y (x=2)")
        plot.order = .rows
        XCTAssertEqual(try plot.lines().map(\.rows), [[0, 1, 2, 3, 4]])
    }

    func testBandSpansEachLineByItsHalfWidth() throws {
        // y = 1 with a band of ±0.5 over x in 0...3, broken where the band is missing (x = 2).
        var plot = LinePlot(x: [0, 1, 2, 3], y: [1, 1, 1, 1], xLabel: "x", yLabel: "y")
        plot.xAxis.limits = -0.5...3.5
        plot.yAxis.limits = 0...2
        let axes = try plainAxes(x: -0.5...3.5, y: 0...2, style: style)
        func tinted(_ image: RGBAImage, _ x: Double, _ y: Double) -> Bool { image.pixel(x: Int(axes.px(x)), y: Int(axes.py(y))) != white }
        let bare = try plot.render(style: style)
        XCTAssertFalse(tinted(bare, 0.5, 1.3), "no band without one")
        plot.band = [0.5, 0.5, .nan, 0.5]
        let banded = try plot.render(style: style)
        XCTAssertTrue(tinted(banded, 0.5, 1.3) && tinted(banded, 0.5, 0.7), "inside ±0.5 around the line")
        XCTAssertFalse(tinted(banded, 0.5, 1.7) || tinted(banded, 0.5, 0.3), "outside the band")
        XCTAssertFalse(tinted(banded, 2.5, 1.3), "broken where the band is missing")
        plot.band = [0.5]
        XCTAssertThrowsError(try plot.render(style: style), "one band value per point")
    }

    func testStepHoldsValueUntilNextX() throws {
        var plot = LinePlot(x: [0, 1, 2], y: [0, 2, 0], xLabel: "x", yLabel: "y", kind: .step)
        plot.xAxis.limits = -0.5...2.5
        plot.yAxis.limits = -0.5...2.5
        let image = try plot.render(style: style)
        let axes = try plainAxes(x: -0.5...2.5, y: -0.5...2.5, style: style)
        let line = CategoricalPalette.color(forClass: 0)
        // Post steps: y = 0 on [0, 1), y = 2 on [1, 2).
        func has(_ x: Double, _ y: Double) -> Bool { (-1...1).contains { image.pixel(x: Int(axes.px(x)), y: Int(axes.py(y)) + $0) == line } }
        XCTAssertTrue(has(0.5, 0))
        XCTAssertTrue(has(1.5, 2))
        XCTAssertFalse(has(0.5, 1), "no diagonal")
    }

    // MARK: Error bars

    func testAsymmetricErrorBars() throws {
        var plot = ScatterPlot(x: [5], y: [5], xLabel: "x", yLabel: "y")
        plot.yError = .init(lower: [1], upper: [3])
        plot.xAxis.limits = 0...10
        plot.yAxis.limits = 0...10
        let image = try plot.render(style: style)
        let axes = try plainAxes(x: 0...10, y: 0...10, style: style)
        let cx = Int(axes.px(5))
        func bar(_ y: Double) -> Bool { (-1...1).contains { image.pixel(x: cx + $0, y: Int(axes.py(y))) != white } }
        XCTAssertTrue(bar(7.5), "upper bar reaches 5 + 3")
        XCTAssertFalse(bar(8.5))
        XCTAssertTrue(bar(4.3), "lower bar reaches 5 − 1")
        XCTAssertFalse(bar(3.5))
        // The range grows to hold the bars.
        plot.xAxis.limits = nil; plot.yAxis.limits = nil
        let (_, yr) = try plot.dataRanges()
        XCTAssertLessThanOrEqual(yr.lowerBound, 4)
        XCTAssertGreaterThanOrEqual(yr.upperBound, 8)
        plot.yError = .init(lower: [1, 2], upper: [1])
        XCTAssertThrowsError(try plot.render(style: style))
    }

    // MARK: Overlays

    func testCurveOverlayIsDrawnWhereItsConditionHolds() throws {
        var plot = ScatterPlot(x: [1, 9], y: [1, 9], xLabel: "x", yLabel: "y")
        plot.xAxis.limits = 0...10
        plot.yAxis.limits = 0...10
        let red = RGBA(hex: 0xD55E00)
        plot.overlays = [ReferenceOverlay(.yOfX(try Expression(parsing: "0*x + 5")), condition: try Expression(parsing: "x < 5"), color: red)]
        let image = try plot.render(style: style)
        let axes = try plainAxes(x: 0...10, y: 0...10, style: style)
        let hits = pixels(image) { $0 == red }
        XCTAssertFalse(hits.isEmpty)
        for p in hits {
            XCTAssertLessThanOrEqual(abs(Double(p.y) + 0.5 - axes.py(5)), 1.5, "on y = 5")
            XCTAssertLessThanOrEqual(Double(p.x), axes.px(5) + 1, "only where x < 5")
        }
        XCTAssertGreaterThan(hits.count, Int(Double(axes.width) * 0.45), "the whole left half")
    }

    func testPoleDoesNotDrawAVerticalLine() throws {
        // y = 1/(x − 5): no segment may join −∞ to +∞ at x = 5.
        var plot = ScatterPlot(x: [1, 9], y: [1, 9], xLabel: "x", yLabel: "y")
        plot.xAxis.limits = 0...10
        plot.yAxis.limits = -10...10
        plot.overlays = [ReferenceOverlay(.yOfX(try Expression(parsing: "1/(x-5)")), color: RGBA(hex: 0xD55E00))]
        let image = try plot.render(style: style)
        let axes = try plainAxes(x: 0...10, y: -10...10, style: style)
        let column = Int(axes.px(5))
        let redInColumn = (axes.top..<axes.bottom).filter { image.pixel(x: column, y: $0) == RGBA(hex: 0xD55E00) }.count
        XCTAssertLessThan(redInColumn, axes.height / 4)
    }

    func testRegionTintsOnlyInside() throws {
        var plot = ScatterPlot(x: [1, 9], y: [1, 9], xLabel: "x", yLabel: "y")
        plot.xAxis.limits = 0...10
        plot.yAxis.limits = 0...10
        plot.overlays = [ReferenceOverlay(.region(try Expression(parsing: "y > x")), color: RGBA(0, 0, 255), alpha: 0.5)]
        let image = try plot.render(style: style)
        let axes = try plainAxes(x: 0...10, y: 0...10, style: style)
        let above = image.pixel(x: Int(axes.px(2)), y: Int(axes.py(8))), below = image.pixel(x: Int(axes.px(8)), y: Int(axes.py(2)))
        XCTAssertEqual(below, white)
        XCTAssertGreaterThan(Int(above.b), Int(above.r) + 60, "tinted blue: \(above)")
        // On a log axis the curve is sampled in data units: y = x is the diagonal of a log–log plot too.
        plot.xAxis = AxisOptions(log: true, limits: 1...100)
        plot.yAxis = AxisOptions(log: true, limits: 1...100)
        plot.overlays = [ReferenceOverlay(.yOfX(try Expression(parsing: "x")), color: RGBA(hex: 0xD55E00))]
        let log = try plot.render(style: style)
        let logAxes = try plainAxes(x: 0...2, y: 0...2, style: style, log: true)
        // The diagonal is antialiased: look for a clearly vermillion pixel at (10, 10).
        let mid = (-2...2).contains { let c = log.pixel(x: Int(logAxes.px(1)), y: Int(logAxes.py(1)) + $0); return Int(c.r) > Int(c.b) + 80 }
        XCTAssertTrue(mid, "passes through (10, 10)")
    }

    // MARK: Heatmap

    func testHeatmapCellsAndTextContrast() throws {
        var map = Heatmap(values: [0, 10, 5, 10], rows: 2, columns: 2, rowLabels: ["a", "b"], columnLabels: ["a", "b"], showValues: false)
        map.showColorBar = false
        let image = try map.render(style: style)
        XCTAssertEqual([image.width, image.height], [400, 300])
        let lightest = Colormap.blues.color(at: 0), darkest = Colormap.blues.color(at: 1), middle = Colormap.blues.color(at: 0.5)
        let light = pixels(image) { $0 == lightest }.count, dark = pixels(image) { $0 == darkest }.count, mid = pixels(image) { $0 == middle }.count
        XCTAssertGreaterThan(light, 1000)
        XCTAssertEqual(Double(dark), 2 * Double(light), accuracy: Double(light) * 0.05, "two cells of 10, one of 0")
        XCTAssertEqual(Double(mid), Double(light), accuracy: Double(light) * 0.05)
        XCTAssertEqual(Heatmap.textColor(on: darkest), RGBA(255, 255, 255))
        XCTAssertEqual(Heatmap.textColor(on: lightest), RGBA(0, 0, 0))
        XCTAssertThrowsError(try Heatmap(values: [1], rows: 2, columns: 2, rowLabels: ["a", "b"], columnLabels: ["a", "b"]).render(style: style))
        map.showValues = true
        let pdf = try map.renderVector(.pdf, style: style)
        XCTAssertEqual(String(decoding: pdf.prefix(5), as: UTF8.self), "%PDF-")
    }

    // MARK: Panels and legends

    func testPanelsShareRangesAndLetterTitles() throws {
        let a = ScatterPlot(x: [0, 1], y: [0, 1], xLabel: "x", yLabel: "y")
        let b = ScatterPlot(x: [5, 10], y: [-3, 2], xLabel: "x", yLabel: "y")
        var figure = PanelFigure(rows: 1, columns: 2, panels: [a, b])
        figure.shareX = true
        figure.shareY = true
        let prepared = try figure.prepared()
        guard let pa = prepared[0] as? ScatterPlot, let pb = prepared[1] as? ScatterPlot else { return XCTFail() }
        XCTAssertEqual(pa.xAxis.limits, pb.xAxis.limits)
        XCTAssertEqual(pa.yAxis.limits, pb.yAxis.limits)
        XCTAssertTrue(pa.xAxis.limits?.contains(0) == true && pa.xAxis.limits?.contains(10) == true)
        XCTAssertTrue(pa.yAxis.showTickLabels)
        XCTAssertFalse(pb.yAxis.showTickLabels, "second column drops repeated y labels")
        XCTAssertEqual(pa.title, "(a)")
        XCTAssertEqual(pb.title, "(b)")
        let image = try figure.render(style: FigureStyle(width: 800, height: 300))
        XCTAssertEqual([image.width, image.height], [800, 300])
        let svg = try figure.renderVector(.svg, style: FigureStyle(width: 800, height: 300))
        XCTAssertTrue(String(decoding: svg, as: UTF8.self).contains("<svg"))
        XCTAssertThrowsError(try PanelFigure(rows: 1, columns: 2, panels: [a]).render(style: style))
    }

    func testOutsideLegendsLeaveRoom() throws {
        let canvas = try CairoCanvas(width: 400, height: 300, fontFamily: style.fontFamily)
        let legend = Legend(entries: ["a", "b", "c"].enumerated().map { Legend.Entry(name: $1, color: CategoricalPalette.color(forClass: $0), shape: .circle) })
        let plain = Axes.layout(canvas: canvas, style: style, xRange: 0...1, yRange: 0...1, hasTitle: false, reservedRight: 0)
        for placement in [LegendPlacement.outsideTop, .outsideBottom, .outsideLeft, .right] {
            let (axes, origin, g) = Legend.layout(legend, placement: placement, canvas: canvas, style: style, xRange: 0...1, yRange: 0...1,
                                                  hasTitle: false, xOptions: AxisOptions(), yOptions: AxisOptions())
            let o = try XCTUnwrap(origin), geometry = try XCTUnwrap(g)
            // The box lies outside the plot area and inside the figure.
            let overlaps = o.x < Double(axes.right) && o.x + geometry.width > Double(axes.left)
                && o.y < Double(axes.bottom) && o.y + geometry.height > Double(axes.top)
            XCTAssertFalse(overlaps, "\(placement)")
            XCTAssertTrue(o.x >= 0 && o.y >= 0 && o.x + geometry.width <= 400 && o.y + geometry.height <= 300, "\(placement)")
            XCTAssertLessThan(axes.width * axes.height, plain.width * plain.height, "\(placement) takes room from the plot")
        }
        let top = Legend.layout(legend, placement: .outsideTop, canvas: canvas, style: style, xRange: 0...1, yRange: 0...1,
                                hasTitle: false, xOptions: AxisOptions(), yOptions: AxisOptions())
        XCTAssertEqual(top.geometry?.columns, 3, "a row above the plot")
        XCTAssertEqual(LegendPlacement(rawValue: "outside-right"), .right)
    }

    // MARK: Banded categorical aggregation

    func testBandedCategoricalAggregateEqualsPlainCounting() throws {
        // 1.2M points (banding engages from 1M): a dense cluster so cells pass 255, NaNs, points
        // outside the range and points without a class.
        let n = 1_200_000
        var x = [Double](repeating: 0, count: n), y = x
        var codes = [Int32](repeating: 0, count: n)
        var state: UInt64 = 12345
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        for i in 0..<n {
            if i % 10 == 0 { x[i] = 0.5 + next() * 0.001; y[i] = 0.5 + next() * 0.001 } else { x[i] = next(); y[i] = next() }
            codes[i] = Int32(i % 7) - 1 // -1 … 5: one seventh has no class
        }
        x[3] = .nan; y[4] = .infinity; x[5] = 2
        let grid = try DensityAggregate.countByCategory(x: x, y: y, codes: codes, categories: 6, xRange: 0...1, yRange: 0...1,
                                                        width: 700, height: 500)
        XCTAssertTrue(BandedCategoryAggregate.worthwhile(points: n, cells: 700 * 500 * 6))
        // Plain single-threaded reference.
        let bins = try Binning(x: x, y: y, xRange: 0...1, yRange: 0...1, width: 700, height: 500)
        var expected = [UInt32](repeating: 0, count: 700 * 500 * 6)
        var nonFinite = 0, outside = 0, other = 0
        for i in 0..<n {
            let c = bins.cell(x[i], y[i])
            if c == -1 { nonFinite += 1; continue }
            if c < 0 { outside += 1; continue }
            guard codes[i] >= 0 else { other += 1; continue }
            expected[c * 6 + Int(codes[i])] += 1
        }
        XCTAssertTrue(grid.counts == expected, "banded counts equal plain counts")
        XCTAssertGreaterThan(expected.max() ?? 0, 255, "some cell wrapped a byte")
        XCTAssertEqual([grid.nonFinite, grid.outOfRange, grid.uncategorised], [nonFinite, outside, other])
    }
}
