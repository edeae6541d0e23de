import AstrolabeData
import Foundation
import XCTest
@testable import AstrolabePlot

/// `PanelFigure` asks its panels only what `AxesFigure` declares: a figure kind it has never
/// heard of becomes a panel by conforming, and shares ranges, titles and letters like the others.
final class AxesFigureTests: XCTestCase {
    /// One point with a margin of 1 around it, drawn as nothing: a kind unknown to the grid.
    struct Dot: XYAxesFigure {
        var x: Double, y: Double
        var title: String?
        var xAxis = AxisOptions(), yAxis = AxisOptions()
        var overlays: [ReferenceOverlay] = []
        var axisTitles: (x: String, y: String)? { ("g - r", "u - g") }
        func dataRanges() throws -> (ClosedRange<Double>, ClosedRange<Double>) { ((x - 1)...(x + 1), (y - 1)...(y + 1)) }
        func draw(on canvas: CairoCanvas, style: FigureStyle) throws -> [String] { [] }
    }

    func testANewKindSharesAxesTitlesAndLetters() throws {
        let scatter = ScatterPlot(x: [5, 10], y: [5, 10], xLabel: "g - r", yLabel: "u - g")
        var figure = PanelFigure(rows: 1, columns: 2, panels: [Dot(x: -10, y: 20), scatter])
        figure.shareX = true
        figure.shareY = true
        let (panels, xTitle, yTitle) = try figure.preparedWithTitles()
        let dot = try XCTUnwrap(panels[0] as? Dot), shared = try XCTUnwrap(panels[1] as? ScatterPlot)
        // One range for both: the dot's -11…21 and the scatter's own, in each axis.
        let x = try XCTUnwrap(dot.xAxis.limits), y = try XCTUnwrap(dot.yAxis.limits)
        XCTAssertEqual(shared.xAxis.limits, x)
        XCTAssertEqual(shared.yAxis.limits, y)
        XCTAssertEqual(x.lowerBound, -11)
        XCTAssertGreaterThanOrEqual(x.upperBound, 10)
        XCTAssertEqual(y.upperBound, 21)
        // The first column keeps its y tick labels; the second leaves them to it.
        XCTAssertTrue(dot.yAxis.showTickLabels)
        XCTAssertFalse(shared.yAxis.showTickLabels)
        // The same axis titles on both: drawn once by the figure, by neither panel.
        XCTAssertEqual(xTitle, "g - r")
        XCTAssertEqual(yTitle, "u - g")
        XCTAssertFalse(dot.xAxis.showTitle || dot.yAxis.showTitle || shared.xAxis.showTitle || shared.yAxis.showTitle)
        XCTAssertEqual(dot.title, "(a)")
        XCTAssertEqual(shared.title, "(b)")
    }

    func testAMatrixHeatmapKeepsItsOwnAxesAndDropsOverlays() throws {
        var matrix = Heatmap(values: [1, 2, 3, 4], rows: 2, columns: 2, rowLabels: ["a", "b"], columnLabels: ["a", "b"])
        XCTAssertFalse(matrix.hasNumericAxes)
        XCTAssertNil(try matrix.sharedRanges())
        XCTAssertNil(matrix.axisTitles)
        matrix.overlays = [ReferenceOverlay(.yOfX(try Expression(parsing: "x")), label: "y = x")]
        XCTAssertTrue(matrix.overlays.isEmpty)
    }
}
