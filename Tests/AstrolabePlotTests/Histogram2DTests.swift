import Foundation
import XCTest
@testable import AstrolabePlot

/// 2-D binning against numpy.histogram2d, and the binned heatmap it draws.
///
/// Reference values from numpy 2 in the peer venv:
///     i = np.arange(300); x = np.sin(0.37*i)*2 + (i%5)*0.1; y = np.cos(0.23*i)*(1 + (i%3)*0.5); w = (i%11)*0.3
///     np.histogram2d(x, y, bins=[4, 3])                                   # H[ix][iy]
///     np.histogram2d(x, y, bins=[5, 4], range=[[-1, 1], [-0.5, 1.5]])     # and weights=w, divided by the counts
///     np.histogram2d([0, .25, .5, .75, 1, 1, .5], [0, 0, 1, 1, 1, .5, .5], bins=[4, 2])
final class Histogram2DTests: XCTestCase {
    let i = (0..<300).map(Double.init)
    var x: [Double] { i.map { sin(0.37 * $0) * 2 + Double(Int($0) % 5) * 0.1 } }
    var y: [Double] { i.map { cos(0.23 * $0) * (1 + Double(Int($0) % 3) * 0.5) } }
    var w: [Double] { i.map { Double(Int($0) % 11) * 0.3 } }

    /// numpy's H[ix][iy] from our row-major counts[iy * nx + ix].
    func numpyLayout(_ h: Histogram2D, _ cells: [Double]) -> [[Double]] {
        (0..<h.xBins.count).map { ix in (0..<h.yBins.count).map { iy in cells[iy * h.xBins.count + ix] } }
    }

    func testCountsMatchNumpy() throws {
        let h = try Histogram2D(x: x, y: y, xBins: 4, yBins: 3)
        XCTAssertEqual(numpyLayout(h, h.counts), [[37, 29, 27], [11, 19, 21], [23, 19, 20], [28, 31, 35]])
        XCTAssertEqual(h.xBins.edges.first, -1.9891051764079783)
        XCTAssertEqual(h.xBins.edges.last, 2.3998694921465766)
        XCTAssertEqual(h.yBins.edges.first, -1.9999727303682435)
        XCTAssertEqual(h.yBins.edges.last, 1.99956370076439)
        XCTAssertNil(h.means)
    }

    func testRangeAndMeansMatchNumpy() throws {
        let h = try Histogram2D(x: x, y: y, values: w, xBins: 5, yBins: 4, xLimits: -1...1, yLimits: -0.5...1.5)
        XCTAssertEqual(numpyLayout(h, h.counts), [[2, 3, 7, 2], [2, 4, 5, 4], [1, 2, 2, 2], [2, 3, 4, 2], [3, 0, 1, 5]])
        XCTAssertEqual(h.outside, 300 - 56)
        let expected: [[Double]] = [[1.2, 2.1, 1.4142857142857144, 1.65], [1.7999999999999998, 1.425, 1.5, 0.975],
                                    [2.6999999999999997, 1.5, 1.65, 1.2], [1.5, 1.3999999999999997, 0.8999999999999999, 1.0499999999999998],
                                    [0.8999999999999999, .nan, 1.7999999999999998, 1.92]]
        let means = numpyLayout(h, h.means ?? [])
        for (a, b) in zip(means.joined(), expected.joined()) {
            if b.isNaN { XCTAssertTrue(a.isNaN) } else { XCTAssertEqual(a, b, accuracy: 1e-12) }
        }
    }

    func testValuesOnEdgesAndMissingPoints() throws {
        // The last bin is closed on the right, the others half-open, as in numpy.
        let h = try Histogram2D(x: [0, 0.25, 0.5, 0.75, 1, 1, 0.5, .nan, 0.3], y: [0, 0, 1, 1, 1, 0.5, 0.5, 0.2, .infinity],
                                xBins: 4, yBins: 2)
        XCTAssertEqual(numpyLayout(h, h.counts), [[1, 0], [1, 0], [0, 2], [0, 3]])
        XCTAssertEqual(h.nonFinite, 2)
        // A missing value is counted but leaves the mean to the others; a cell without values is NaN.
        let m = try Histogram2D(x: [0, 0, 1], y: [0, 0, 1], values: [2, .nan, .nan], xBins: 1, yBins: 1)
        XCTAssertEqual(m.counts, [3])
        XCTAssertEqual(m.means, [2])
        XCTAssertEqual(m.missingValues, 2)
        XCTAssertThrowsError(try Histogram2D(x: [.nan], y: [1], xBins: 2, yBins: 2))
        XCTAssertThrowsError(try Histogram2D(x: [1, 2], y: [1], xBins: 2, yBins: 2))
        XCTAssertThrowsError(try Histogram2D(x: [1], y: [1], xBins: 0, yBins: 2))
        XCTAssertThrowsError(try Histogram2D(x: [1], y: [1], xBins: 2, yBins: 2, xLimits: 3...3))
    }

    func testBinnedHeatmapPutsHighYOnTopAndColoursByValue() throws {
        // Two points in the lower-left bin, one in the upper-right: a 2×2 grid.
        let h = try Histogram2D(x: [0, 0.1, 1], y: [0, 0.1, 1], xBins: 2, yBins: 2)
        var map = h.heatmap(colormap: .viridis)
        XCTAssertEqual(map.values, [0, 1, 2, 0], "rows top-down: the top row is the highest y bin")
        map.showColorBar = false
        let style = FigureStyle(width: 400, height: 300)
        let image = try map.render(style: style)
        // Colours: linear from 0 to the largest count; cells fill the room as whole pixels.
        let two = Colormap.viridis.color(at: 1), one = Colormap.viridis.color(at: 0.5), zero = Colormap.viridis.color(at: 0)
        var n = [0, 0, 0]
        for yy in 0..<image.height {
            for xx in 0..<image.width {
                switch image.pixel(x: xx, y: yy) { case zero: n[0] += 1; case one: n[1] += 1; case two: n[2] += 1; default: break }
            }
        }
        XCTAssertGreaterThan(n[2], 1000)
        XCTAssertEqual(n[1], n[2], "cells the same size")
        XCTAssertEqual(n[0], 2 * n[2])
        // Lower-left cell (2 points) is below and left of the upper-right one (1 point).
        let twos = (0..<image.height).flatMap { yy in (0..<image.width).filter { image.pixel(x: $0, y: yy) == two }.map { ($0, yy) } }
        let ones = (0..<image.height).flatMap { yy in (0..<image.width).filter { image.pixel(x: $0, y: yy) == one }.map { ($0, yy) } }
        XCTAssertLessThan(twos.map(\.0).max() ?? 0, ones.map(\.0).min() ?? 0)
        XCTAssertGreaterThan(twos.map(\.1).min() ?? 0, ones.map(\.1).max() ?? 0)
        // Log colour: zero cells stay white, the colour bar gets decade ticks.
        map.logColor = true
        map.showColorBar = true
        let log = try map.render(style: style)
        XCTAssertGreaterThan((0..<log.height).flatMap { yy in (0..<log.width).filter { log.pixel(x: $0, y: yy) == Colormap.viridis.color(at: 1) } }.count, 1000)
        let canvas = try CairoCanvas(width: style.width, height: style.height, fontFamily: style.fontFamily)
        canvas.textLog = []
        map.values = [1, 10, 100, 0]
        _ = try map.draw(on: canvas, style: style)
        XCTAssertTrue(canvas.textLog?.contains("10") == true && canvas.textLog?.contains("10²") == true, "\(canvas.textLog ?? [])")
        let svg = String(decoding: try map.renderVector(.svg, style: style), as: UTF8.self)
        XCTAssertTrue(svg.contains("<svg"))
        // More bins than pixels: an error, not cells drawn off the figure.
        let fine = try Histogram2D(x: [0, 1], y: [0, 1], xBins: 500, yBins: 2).heatmap()
        XCTAssertThrowsError(try fine.render(style: style)) { XCTAssertTrue("\($0)".contains("fewer bins"), "\($0)") }
    }
}
