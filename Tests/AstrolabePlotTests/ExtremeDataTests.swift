import Foundation
import XCTest
@testable import AstrolabePlot

/// Every figure kind on data at the edges of a double — values near ±9e307, a subnormal range,
/// a constant column, infinities and NaN mixed in — with every range option: each draws an image
/// or throws a `PlotError` naming the problem, and never traps (a trap would end this test run).
final class ExtremeDataTests: XCTestCase {
    /// 1e-310, a subnormal (written as a product: the literal itself draws an underflow warning).
    static let tiny = 1e-300 * 1e-10
    let style = FigureStyle(width: 200, height: 160)

    /// Named columns of 40 values each.
    static let columns: [(name: String, values: [Double])] = {
        let n = 40
        func make(_ f: (Int) -> Double) -> [Double] { (0..<n).map(f) }
        return [
            ("±9e307", make { i in i % 2 == 0 ? 9e307 : -9e307 }),
            ("huge graded", make { i in (i % 2 == 0 ? 9e307 : -9e307) * (0.5 + Double(i) / Double(2 * n)) }),
            ("huge positive", make { i in 1e307 + Double(i) * 2e306 }),
            ("subnormal", make { i in ExtremeDataTests.tiny + Double(i) * ExtremeDataTests.tiny / Double(n - 1) }),
            ("constant", make { _ in 3.5 }),
            ("constant 1e308", make { _ in 1e308 }),
            ("inf and NaN", make { i in [Double.infinity, -.infinity, .nan, 1, 2][i % 5] }),
            ("greatest finite", make { i in i % 2 == 0 ? Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude }),
        ]
    }()

    static let axisChoices: [(name: String, axis: AxisOptions)] = [
        ("plain", AxisOptions()),
        ("clip=4sigma", AxisOptions(clipSigma: 4)),
        ("log clip=4sigma", AxisOptions(log: true, clipSigma: 4)),
    ]

    /// The figures to try for columns x and y.
    func figures(_ x: [Double], _ y: [Double], axis: AxisOptions) -> [(String, any Figure)] {
        let codes = x.indices.map { $0 % 3 }
        var out: [(String, any Figure)] = []
        for coloring in [ScatterPlot.Coloring.single, .continuous(values: x, label: "x"), .categories(codes: codes, names: ["a", "b", "c"])] {
            var s = ScatterPlot(x: x, y: y, xLabel: "x", yLabel: "y", coloring: coloring)
            s.xAxis = axis; s.yAxis = axis
            out.append(("scatter \(coloring)", s))
        }
        for aggregation in [DensityPlot.Aggregation.count, .reduce(.mean, values: x, label: "mean x"),
                            .reduce(.sum, values: y, label: "sum y"), .categories(codes: codes.map(Int32.init), names: ["a", "b", "c"], colors: nil)] {
            // eq_hist for every aggregation; linear where the values themselves are mapped.
            for shading in [Shading.eqHist] + (aggregation.isReduction ? [.linear] : []) {
                var d = DensityPlot(x: x, y: y, xLabel: "x", yLabel: "y", shading: shading)
                d.aggregation = aggregation
                d.xAxis = axis; d.yAxis = axis
                out.append(("density \(aggregation) \(shading)", d))
            }
        }
        for density in [false, true] {
            for rule in [HistogramBins.Rule.auto, .count(10)] {
                var h = HistogramPlot(values: x, xLabel: "x", codes: codes, names: ["a", "b", "c"], bins: rule, density: density)
                h.xAxis = axis
                out.append(("histogram \(rule) density=\(density)", h))
            }
        }
        for kind in [LinePlot.Kind.line, .step] {
            var l = LinePlot(x: x, y: y, xLabel: "x", yLabel: "y", kind: kind)
            l.xAxis = axis; l.yAxis = axis
            out.append(("\(kind)", l))
        }
        if let grid = try? Histogram2D(x: x, y: y, values: x, xBins: 5, yBins: 4) {
            out.append(("heatmap", grid.heatmap()))
            var logMap = grid.heatmap()
            logMap.logColor = true
            out.append(("heatmap log colour", logMap))
        }
        return out
    }

    func testEveryKindOnExtremeDataDrawsOrExplains() throws {
        var drawn = 0, explained = 0
        for (xName, x) in Self.columns {
            for (yName, y) in [Self.columns[4], (xName, x)] {
                for (axisName, axis) in Self.axisChoices {
                    for (kind, figure) in figures(x, y, axis: axis) {
                        let what = "\(kind) of x=\(xName), y=\(yName), \(axisName)"
                        do {
                            let image = try figure.render(style: style)
                            XCTAssertEqual([image.width, image.height], [200, 160], what)
                            drawn += 1
                        } catch let error as PlotError {
                            XCTAssertFalse(error.message.isEmpty, what)
                            explained += 1
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(drawn, 0)
        XCTAssertGreaterThan(explained, 0)
    }

    /// Histogram bins over values whose span overflows: a message that says so, not NaN edges.
    func testHistogramOfHugeSpanIsAnError() {
        XCTAssertThrowsError(try HistogramBins(values: [-9e307, 9e307], rule: .auto)) { error in
            XCTAssertTrue("\(error)".contains("too wide a range"), "\(error)")
        }
        let constant = try? HistogramBins(values: [1e308, 1e308], rule: .count(4))
        XCTAssertEqual(constant?.count, 4)
        XCTAssertLessThan(constant?.edges.first ?? .nan, constant?.edges.last ?? .nan)
    }

    /// Axes on a subnormal range, or one whose width overflows, name the axis and the way out.
    func testUndrawableRangesNameTheAxis() {
        var s = ScatterPlot(x: [Self.tiny, 2 * Self.tiny], y: [1, 2], xLabel: "x", yLabel: "y")
        XCTAssertThrowsError(try s.render(style: style)) { XCTAssertTrue("\($0)".contains("the x values run from"), "\($0)") }
        s = ScatterPlot(x: [1, 2], y: [-9e307, 9e307], xLabel: "x", yLabel: "y")
        XCTAssertThrowsError(try s.render(style: style)) { XCTAssertTrue("\($0)".contains("the y values run from"), "\($0)") }
    }

    /// mean ± kσ of values near ±1e308 is computed without overflowing.
    func testMeanAndDeviationOfHugeValues() throws {
        let (mean, sd) = try XCTUnwrap(AxisRange.meanAndDeviation([-9e307, 9e307, .nan, .infinity]))
        XCTAssertEqual(mean, 0, accuracy: 1e293)
        XCTAssertEqual(sd, 9e307, accuracy: 1e294)
        XCTAssertNil(AxisRange.meanAndDeviation([.nan]))
        XCTAssertEqual(AxisRange.meanAndDeviation([0, 0])?.deviation, 0)
    }

    func testSafeIntegerConversion() {
        XCTAssertEqual(SafeArithmetic.int(.nan, in: 0...10), 0)
        XCTAssertEqual(SafeArithmetic.int(.infinity, in: 0...10), 10)
        XCTAssertEqual(SafeArithmetic.int(-1e300, in: 0...10), 0)
        XCTAssertEqual(SafeArithmetic.int(7.9, in: 0...10), 7)
        XCTAssertEqual(SafeArithmetic.fraction(0, -9e307, 9e307), 0.5)
        XCTAssertEqual(SafeArithmetic.fractionFromTop(9e307, -9e307, 9e307), 0)
    }
}

private extension DensityPlot.Aggregation {
    var isReduction: Bool { if case .reduce = self { return true } else { return false } }
}
