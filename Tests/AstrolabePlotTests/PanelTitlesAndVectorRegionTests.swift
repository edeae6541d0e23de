import AstrolabeData
import Foundation
import XCTest
@testable import AstrolabePlot

/// Multi-panel figures draw a shared axis title once; region overlays are vector paths in PDF/SVG.
final class PanelTitlesAndVectorRegionTests: XCTestCase {
    /// Every string a figure draws, in order.
    func drawnText(_ figure: some Figure, style: FigureStyle) throws -> [String] {
        let canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
        canvas.textLog = []
        _ = try figure.draw(on: canvas, style: style)
        return canvas.textLog ?? []
    }

    func scatter(_ x: [Double], _ y: [Double], xLabel: String = "g - r [mag]", yLabel: String = "u - g [mag]") -> Panel {
        ScatterPlot(x: x, y: y, xLabel: xLabel, yLabel: yLabel)
    }

    func testSharedAxesDrawEachTitleOnce() throws {
        let style = FigureStyle(width: 800, height: 600)
        let panels = [scatter([0, 1], [0, 1]), scatter([2, 3], [1, 2]), scatter([0, 3], [2, 5]), scatter([1, 2], [0, 4])]
        var figure = PanelFigure(rows: 2, columns: 2, panels: panels)
        // Not shared: every panel carries both titles (4 each).
        var text = try drawnText(figure, style: style)
        XCTAssertEqual(text.filter { $0 == "g - r [mag]" }.count, 4)
        XCTAssertEqual(text.filter { $0 == "u - g [mag]" }.count, 4)
        figure.shareX = true
        figure.shareY = true
        text = try drawnText(figure, style: style)
        XCTAssertEqual(text.filter { $0 == "g - r [mag]" }.count, 1, "one x title under the bottom row")
        XCTAssertEqual(text.filter { $0 == "u - g [mag]" }.count, 1, "one y title left of the first column")
        // Only x shared: one x title, y titles stay on every panel.
        figure.shareY = false
        text = try drawnText(figure, style: style)
        XCTAssertEqual(text.filter { $0 == "g - r [mag]" }.count, 1)
        XCTAssertEqual(text.filter { $0 == "u - g [mag]" }.count, 4)
        // Different titles on a shared axis: each panel keeps its own.
        figure.panels[1] = scatter([2, 3], [1, 2], xLabel: "r - i [mag]")
        text = try drawnText(figure, style: style)
        XCTAssertEqual(text.filter { $0 == "g - r [mag]" }.count, 3)
        XCTAssertEqual(text.filter { $0 == "r - i [mag]" }.count, 1)
    }

    func testAHeatmapPanelKeepsEveryPanelsTitles() throws {
        // A heatmap draws its own titles: it keeps them, and so does every panel.
        var map = Heatmap(values: [1, 2, 3, 4], rows: 2, columns: 2, rowLabels: [], columnLabels: [], showValues: false)
        map.numericAxes = (x: 0...1, y: 0...1)
        map.xLabel = "g - r [mag]"
        map.yLabel = "u - g [mag]"
        var figure = PanelFigure(rows: 1, columns: 2, panels: [map, scatter([0, 1], [0, 1])])
        figure.shareX = true
        figure.shareY = true
        let text = try drawnText(figure, style: FigureStyle(width: 800, height: 400))
        XCTAssertEqual(text.filter { $0 == "g - r [mag]" }.count, 2)
        XCTAssertEqual(text.filter { $0 == "u - g [mag]" }.count, 2)
        // A 2-D histogram's axes are numeric and shared: the scatter beside it leaves the y tick
        // labels to it, as it would to a first panel of any kind.
        guard let s = try figure.prepared()[1] as? ScatterPlot else { return XCTFail("not a scatter") }
        XCTAssertFalse(s.yAxis.showTickLabels)
        // A matrix heatmap (a confusion matrix) has no numeric axis: the scatter keeps its labels.
        let matrix = Heatmap(values: [1, 2, 3, 4], rows: 2, columns: 2, rowLabels: ["a", "b"], columnLabels: ["a", "b"])
        figure.panels[0] = matrix
        guard let t = try figure.prepared()[1] as? ScatterPlot else { return XCTFail("not a scatter") }
        XCTAssertTrue(t.yAxis.showTickLabels)
    }

    func testAutoCellValuesAreAllWrittenOrNone() throws {
        let style = FigureStyle(width: 400, height: 300)
        func written(_ values: [Double], side: Int) throws -> [String] {
            var map = Heatmap(values: values, rows: side, columns: side, rowLabels: [], columnLabels: [], showValues: true)
            map.numericAxes = (x: 0...1, y: 0...1)
            map.showValuesOnlyIfAllFit = true
            map.showColorBar = false
            let cells = Set(values.map { String(Int($0)) })
            return try drawnText(map, style: style).filter { cells.contains($0) }
        }
        // 3×3 cells of ~80 px: every value is written.
        XCTAssertEqual(try written((11...19).map(Double.init), side: 3).count, 9)
        // 15×15 cells of ~16 px: six-digit counts cannot all fit at tick size, so none is written.
        XCTAssertEqual(try written((0..<225).map { Double(100_000 + $0) }, side: 15).count, 0)
    }

    func testSharedTitleIsPlacedUnderAndLeftOfTheGrid() throws {
        // The ink of the figure's x title lies in the bottom strip, below every panel's plot area,
        // and the y title in the left strip; the panels are all the same size.
        let style = FigureStyle(width: 800, height: 600)
        var figure = PanelFigure(rows: 2, columns: 2, panels: [scatter([0, 1], [0, 1]), scatter([2, 3], [1, 2]),
                                                               scatter([0, 3], [2, 5]), scatter([1, 2], [0, 4])])
        figure.shareX = true
        figure.shareY = true
        figure.letters = false
        let shared = try figure.render(style: style)
        // The same figure with the titles blanked: the only difference is the two titles' ink.
        var blank = figure
        blank.panels = blank.panels.map { p in
            guard var s = p as? ScatterPlot else { return p }
            s.xLabel = "\u{2009}"; s.yLabel = "\u{2009}" // same on every panel, draws no ink
            return s
        }
        let plain = try blank.render(style: style)
        var rows: [Int] = [], columns: [Int] = []
        for y in 0..<style.height {
            for x in 0..<style.width where shared.pixel(x: x, y: y) != plain.pixel(x: x, y: y) {
                rows.append(y); columns.append(x)
            }
        }
        XCTAssertFalse(rows.isEmpty)
        let bottomInk = zip(rows, columns).filter { $0.0 > style.height / 2 }, leftInk = zip(rows, columns).filter { $0.0 <= style.height / 2 || $0.1 < 40 }
        XCTAssertGreaterThan(rows.max() ?? 0, style.height - 40, "x title at the bottom edge")
        XCTAssertTrue(bottomInk.allSatisfy { $0.0 > style.height - 40 || $0.1 < 40 }, "no x title inside the panels")
        XCTAssertTrue(leftInk.allSatisfy { $0.1 < 40 || $0.0 > style.height - 40 }, "y title only in the left strip")
        XCTAssertGreaterThan(columns.filter { $0 < 40 }.count, 20, "the y title has ink left of the first column")
    }

    func testRegionIsAVectorPathInSVGAndPDF() throws {
        var plot = ScatterPlot(x: [1, 9], y: [1, 9], xLabel: "x", yLabel: "y")
        plot.xAxis.limits = 0...10
        plot.yAxis.limits = 0...10
        plot.legend = .none
        plot.overlays = [ReferenceOverlay(.region(try Expression(parsing: "y > x and x < 5")), color: RGBA(0, 0, 255), alpha: 0.5)]
        let style = FigureStyle(width: 400, height: 300)
        let svg = String(decoding: try plot.renderVector(.svg, style: style), as: UTF8.self)
        XCTAssertFalse(svg.contains("<image"), "the region is not embedded as an image")
        // The tint is a path filled with the region colour at half opacity.
        let paths = svg.components(separatedBy: "<path").dropFirst()
        let tint = paths.filter { $0.contains("fill:rgb(0%,0%,100%)") && $0.contains("fill-opacity:0.5") }
        XCTAssertEqual(tint.count, 1, "one path for the region")
        let pdf = try plot.renderVector(.pdf, style: style)
        XCTAssertEqual(String(decoding: pdf.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertFalse(String(decoding: pdf, as: UTF8.self).contains("/Subtype /Image"), "no image XObject in the PDF")

        // The PNG keeps its look: inside, blue at alpha 128/255 over white; outside, white.
        let image = try plot.render(style: style)
        let canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
        let axes = Axes.layout(canvas: canvas, style: style, xRange: 0...10, yRange: 0...10, hasTitle: false, reservedRight: 0)
        let inside = image.pixel(x: Int(axes.px(2)), y: Int(axes.py(8)))
        let expected = Int((255 * (1 - 128.0 / 255)).rounded()) // white under blue at 128/255: 127
        XCTAssertEqual(Int(inside.r), expected, accuracy: 1)
        XCTAssertEqual(Int(inside.g), expected, accuracy: 1)
        XCTAssertEqual(inside.b, 255)
        XCTAssertEqual(image.pixel(x: Int(axes.px(7)), y: Int(axes.py(9))), RGBA(255, 255, 255), "x ≥ 5 is outside")
        XCTAssertEqual(image.pixel(x: Int(axes.px(3)), y: Int(axes.py(1))), RGBA(255, 255, 255), "y < x is outside")
        // Edges on whole pixels: a column of the region is tinted exactly from the first row inside.
        let col = Int(axes.px(1))
        let tinted = (axes.top..<axes.bottom).filter { image.pixel(x: col, y: $0).b == 255 && image.pixel(x: col, y: $0).r < 255 }
        XCTAssertGreaterThan(tinted.count, 50)
        XCTAssertTrue(tinted.allSatisfy { abs(Int(image.pixel(x: col, y: $0).r) - expected) <= 1 }, "no partly covered pixels")
    }
}
