import Foundation
import XCTest
@testable import AstrolabePlot

/// Class colours past eight classes, sigma clipping, axes shared by panels of different kinds,
/// and publication figures that grow for an outside legend.
final class ClassColoursAndSharingTests: XCTestCase {
    let style = FigureStyle(width: 500, height: 400)

    func testPaletteKeepsOkabeItoAndStaysDistinctToThirtyTwoClasses() {
        let palette = CategoricalPalette.classes
        XCTAssertEqual(palette.count, 32)
        XCTAssertEqual(Array(palette.prefix(8)), CategoricalPalette.okabeIto)
        // Every pair, and each colour against the white background and the unlabelled grey, differs
        // by at least 30 in RGB (the generator guarantees ΔE00 ≥ 15).
        let all = palette + [RGBA(255, 255, 255), CategoricalPalette.unlabelled]
        for i in all.indices {
            for j in all.indices where j > i {
                let d = [all[i].r, all[i].g, all[i].b].enumerated().map { k, c -> Double in
                    let o = [all[j].r, all[j].g, all[j].b][k]
                    return pow(Double(c) - Double(o), 2)
                }.reduce(0, +).squareRoot()
                XCTAssertGreaterThan(d, 30, "\(all[i]) and \(all[j])")
            }
        }
        XCTAssertEqual(CategoricalPalette.color(forClass: 13), palette[13])
        XCTAssertEqual(CategoricalPalette.color(forClass: 32), palette[0])
        XCTAssertNil(CategoricalPalette.repeatNote(classCount: 32))
        XCTAssertEqual(CategoricalPalette.repeatNote(classCount: 40), "colours repeat after 32 classes")
    }

    /// Fourteen classes as lines: each class's own colour is drawn, none borrowed from another.
    func testFourteenLinesHaveFourteenColours() throws {
        let classes = 14
        var x: [Double] = [], y: [Double] = [], codes: [Int] = []
        for k in 0..<classes {
            for i in 0..<20 { x.append(Double(i)); y.append(Double(k) * 3 + sin(Double(i))); codes.append(k) }
        }
        var plot = LinePlot(x: x, y: y, xLabel: "x", yLabel: "y")
        plot.codes = codes
        plot.names = (0..<classes).map { "class \($0)" }
        plot.lineWidth = 4
        plot.legend = .none
        let image = try plot.render(style: style)
        var seen = Set<String>()
        for py in 0..<image.height { for px in 0..<image.width { seen.insert(image.pixel(x: px, y: py).description) } }
        let colours = (0..<classes).map { CategoricalPalette.color(forClass: $0).description }
        XCTAssertEqual(Set(colours).count, classes, "no class borrows another's colour")
        for (k, colour) in colours.enumerated() { XCTAssertTrue(seen.contains(colour), "class \(k)") }
    }

    /// Past 32 classes every kind's legend says the colours repeat, and a legend taller than the
    /// figure wraps into columns that fit.
    func testLegendsSayWhenColoursRepeat() throws {
        let classes = 40, n = 400
        let names = (0..<classes).map { "k\($0)" }, codes = (0..<n).map { $0 % classes }
        let x = (0..<n).map { Double($0) }, y = (0..<n).map { sin(Double($0)) }
        var scatter = ScatterPlot(x: x, y: y, xLabel: "x", yLabel: "y", coloring: .categories(codes: codes, names: names))
        scatter.legend = .right
        var density = DensityPlot(x: x, y: y, xLabel: "x", yLabel: "y")
        density.aggregation = .categories(codes: codes.map(Int32.init), names: names, colors: nil)
        let histogram = HistogramPlot(values: x, xLabel: "x", codes: codes, names: names)
        var line = LinePlot(x: x, y: y, xLabel: "x", yLabel: "y")
        line.codes = codes
        line.names = names
        let figures: [(String, any Figure)] = [("scatter", scatter), ("density", density), ("histogram", histogram), ("line", line)]
        for (kind, figure) in figures {
            let canvas = try CairoCanvas(width: 800, height: 600, fontFamily: style.fontFamily)
            canvas.textLog = []
            _ = try figure.draw(on: canvas, style: FigureStyle(width: 800, height: 600))
            XCTAssertTrue(canvas.textLog?.contains("colours repeat after 32 classes") == true, kind)
            XCTAssertTrue(canvas.textLog?.contains("k39") == true, kind)
        }
        // 41 rows do not fit 600 px: the box wraps into columns and stays inside the figure.
        let entries = names.map { Legend.Entry(name: $0, color: RGBA(0, 0, 0), shape: .circle) }
        let canvas = try CairoCanvas(width: 800, height: 600, fontFamily: style.fontFamily)
        let g = Legend(entries: entries).geometry(canvas: canvas, style: FigureStyle(width: 800, height: 600), maxHeight: 588)
        XCTAssertGreaterThan(g.columns, 1)
        XCTAssertLessThanOrEqual(g.height, 588)
    }

    /// clip=Nσ never shows room beyond the data: each end is the nearer of mean ± Nσ and the data's.
    func testSigmaClipStopsAtTheData() throws {
        // 200 values in 0…1 and one at 50: the upper end is cut at mean + 4σ, the lower end is the data's.
        let values = (0..<200).map { Double($0) / 199 } + [50]
        let r = try XCTUnwrap(try AxisOptions(clipSigma: 4).range(values))
        let (mean, sd) = try XCTUnwrap(AxisRange.meanAndDeviation(values))
        XCTAssertEqual(r.upperBound, mean + 4 * sd)
        XCTAssertLessThan(r.upperBound, 50)
        // The lower end is the data's (0) with a 5% margin of the span shown.
        XCTAssertEqual(r.lowerBound, -(mean + 4 * sd) * 0.05, accuracy: 1e-12)
        // Data well inside ±4σ: exactly the data with the usual margin.
        let uniform = (0...100).map { Double($0) }
        XCTAssertEqual(try AxisOptions(clipSigma: 4).range(uniform), AxisRange.of(uniform))
    }

    /// On a log axis clip=Nσ works in decades: a histogram of 1 … 1000 with one value at 1e30 bins
    /// only the values within mean ± 4σ of log10, so the outlier no longer stretches the bins.
    func testHistogramClipOnALogAxisCutsInDecades() throws {
        let values = (0..<300).map { pow(10, Double($0 % 30) / 10) } + [1e30]
        var plot = HistogramPlot(values: values, xLabel: "flux", bins: .count(10))
        plot.xAxis = AxisOptions(log: true, clipSigma: 4)
        let (bins, _, _, clipped) = try plot.layers()
        XCTAssertEqual(clipped, 1)
        XCTAssertEqual(bins.edges.last ?? .nan, log10(pow(10, 2.9)), accuracy: 1e-12)
        XCTAssertEqual(bins.edges.first, 0)
        let notes = try plot.renderFigure(style: style).notes
        XCTAssertTrue(notes.contains("1 values lie beyond mean ± 4σ and are not counted"), "\(notes)")
    }

    /// On a log axis the σ limits are in log10 and stop at the data: no empty decades below.
    func testScatterClipOnALogAxisShowsNoEmptyDecades() throws {
        // 1e3 … 1e6 evenly in log10, and one point at 1e40.
        let y = (0..<400).map { pow(10, 3 + Double($0 % 40) / 13) } + [1e40]
        let axis = AxisOptions(log: true, clipSigma: 4)
        let r = try XCTUnwrap(try axis.range(axis.transformed(y)))
        XCTAssertEqual(r.lowerBound, 3 - (r.upperBound - 3) * 0.05, accuracy: 1e-9)
        XCTAssertGreaterThan(r.lowerBound, 2.5)
        XCTAssertLessThan(r.upperBound, 40)
        XCTAssertGreaterThan(r.upperBound, 6)
    }

    /// share=x across a scatter, a histogram on a log axis and a 2-D histogram: one range for all,
    /// in data units.
    func testMixedPanelsShareTheirAxis() throws {
        let scatter = ScatterPlot(x: [0, 10, 20], y: [1, 2, 3], xLabel: "x", yLabel: "y")
        var histogram = HistogramPlot(values: [5, 50, 500], xLabel: "x")
        histogram.xAxis = AxisOptions(log: true)
        let map = try Histogram2D(x: [-100, 100], y: [0, 1], xBins: 4, yBins: 2).heatmap()
        var figure = PanelFigure(rows: 1, columns: 3, panels: [scatter, histogram, map])
        figure.shareX = true
        let panels = try figure.prepared()
        guard let s = panels[0] as? ScatterPlot, let h = panels[1] as? HistogramPlot, let m = panels[2] as? Heatmap else {
            return XCTFail("panels changed kind")
        }
        let union = try XCTUnwrap(s.xAxis.limits)
        XCTAssertLessThanOrEqual(union.lowerBound, -100)
        XCTAssertGreaterThanOrEqual(union.upperBound, 500)
        XCTAssertEqual(m.viewRange?.x, union)
        // The log panel cannot reach below zero: it keeps its own lower end and takes the shared upper one.
        let logLimits = try XCTUnwrap(h.xAxis.limits)
        XCTAssertGreaterThan(logLimits.lowerBound, 0)
        XCTAssertEqual(logLimits.upperBound, union.upperBound)
        let image = try figure.render(style: FigureStyle(width: 900, height: 300))
        XCTAssertEqual(image.width, 900)
    }

    /// The longest run of black pixels in any row: the top edge of the axes frame.
    func frameWidth(_ image: RGBAImage) -> Int {
        var best = 0
        for y in 0..<image.height {
            var run = 0
            for x in 0..<image.width {
                let p = image.pixel(x: x, y: y)
                if p.r < 60, p.g < 60, p.b < 60 { run += 1; best = max(best, run) } else { run = 0 }
            }
        }
        return best
    }

    func testPublicationAxesKeepTheirSizeWithAnOutsideLegend() throws {
        let n = 300
        let x = (0..<n).map { Double($0) }, y = (0..<n).map { sin(Double($0) / 20) }
        var plot = ScatterPlot(x: x, y: y, xLabel: "x", yLabel: "y",
                               coloring: .categories(codes: (0..<n).map { $0 % 5 }, names: ["alpha", "beta", "gamma", "delta", "epsilon"]))
        let publication = FigureStyle.publication(columns: 1)
        plot.legend = .none
        let bare = try plot.render(style: publication)
        plot.legend = .right
        let right = try plot.render(style: publication)
        XCTAssertEqual(bare.width, publication.width)
        XCTAssertGreaterThan(right.width, bare.width)
        XCTAssertEqual(right.height, bare.height)
        XCTAssertEqual(frameWidth(right), frameWidth(bare))
        // A screen figure keeps its size; the legend takes its room from the axes.
        let screen = try plot.render(style: style)
        XCTAssertEqual(screen.width, style.width)
        // The vector figure grows the same way.
        let pdf = String(decoding: try plot.renderVector(.pdf, style: publication), as: UTF8.self)
        let points = String(format: "%.0f", Double(right.width) * 72 / 300)
        XCTAssertTrue(pdf.contains("MediaBox [ 0 0 \(points)") || pdf.contains("MediaBox [0 0 \(points)"), "PDF width \(points) pt")
    }
}
