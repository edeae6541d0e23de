import Foundation
import XCTest
@testable import AstrolabePlot

/// Aggregates, shaded images and spreading compared with datashader 0.19.1's own output on the same
/// points (Tests/Fixtures/datashader, made by make_datashader_fixtures.py beside it).
final class DatashaderFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        struct Points: Decodable { let x: [Double?]; let y: [Double]; let v: [Double?]; let cat: [Int] }
        struct Sparse: Decodable { let x: [Double?]; let y: [Double] }
        let width: Int, height: Int
        let x_range: [Double], y_range: [Double]
        let key: [String]
        let points: Points
        let count: [UInt32]
        let sum: [Double?], mean: [Double?], min: [Double?], max: [Double?], std: [Double?], any: [Double?]
        let count_cat: [UInt32]
        let shaded: [String: [String]]
        let sparse: Sparse
        let spread: [String: [String]]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/datashader/datashader_fixtures.json")
        guard let data = try? Data(contentsOf: url), let f = try? JSONDecoder().decode(Fixture.self, from: data) else {
            fatalError("cannot read \(url.path)")
        }
        return f
    }()

    var f: Fixture { Self.fixture }
    var x: [Double] { f.points.x.map { $0 ?? .nan } }
    var y: [Double] { f.points.y }
    var v: [Double] { f.points.v.map { $0 ?? .nan } }
    var xr: ClosedRange<Double> { f.x_range[0]...f.x_range[1] }
    var yr: ClosedRange<Double> { f.y_range[0]...f.y_range[1] }

    static func hex(_ image: RGBAImage) -> [String] {
        stride(from: 0, to: image.pixels.count, by: 4).map { i in
            (0..<4).map { String(format: "%02x", image.pixels[i + $0]) }.joined()
        }
    }

    static func color(_ s: String) -> RGBA {
        let v = UInt32(s.dropFirst(), radix: 16) ?? 0
        return RGBA(hex: v)
    }

    /// Pixel-exact comparison, reporting the first differences.
    func assertSame(_ got: [String], _ want: [String]?, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let want else { return XCTFail("fixture has no \(name)", file: file, line: line) }
        XCTAssertEqual(got.count, want.count, name, file: file, line: line)
        let diffs = zip(got, want).enumerated().filter { $0.element.0 != $0.element.1 }
        XCTAssertTrue(diffs.isEmpty, "\(name): \(diffs.count) pixels differ, first: \(diffs.prefix(4).map { "#\($0.offset) got \($0.element.0) want \($0.element.1)" })",
                      file: file, line: line)
    }

    func testCountIsExactlyDatashaders() throws {
        let grid = try DensityAggregate.count(x: x, y: y, xRange: xr, yRange: yr, width: f.width, height: f.height)
        XCTAssertEqual(grid.counts, f.count)
        XCTAssertEqual(grid.nonFinite, 5)
        XCTAssertEqual(grid.outOfRange + grid.total + grid.nonFinite, x.count)
    }

    func testColumnReductionsEqualDatashaders() throws {
        let cases: [(Reduction, [Double?])] = [(.sum, f.sum), (.mean, f.mean), (.min, f.min), (.max, f.max),
                                                (.std, f.std), (.any, f.any)]
        for (reduction, want) in cases {
            // ds.any() takes no column: it marks pixels with any point.
            let grid = try DensityAggregate.reduce(reduction, values: reduction == .any ? nil : v, x: x, y: y, xRange: xr, yRange: yr,
                                                   width: f.width, height: f.height)
            XCTAssertEqual(grid.values.count, want.count)
            for (i, (g, w)) in zip(grid.values, want).enumerated() {
                if reduction == .any {
                    XCTAssertEqual(g, w ?? 0, "any #\(i)")
                } else if let w {
                    // Same loop order as datashader: the same doubles, up to the last bit or two of std.
                    XCTAssertEqual(g, w, accuracy: abs(w) * 1e-14, "\(reduction) #\(i)")
                } else {
                    XCTAssertTrue(g.isNaN, "\(reduction) #\(i): empty pixel should be NaN, got \(g)")
                }
            }
        }
    }

    func testCategoricalCountsEqualDatashaders() throws {
        let grid = try DensityAggregate.countByCategory(x: x, y: y, codes: f.points.cat.map(Int32.init), categories: 4,
                                                        xRange: xr, yRange: yr, width: f.width, height: f.height)
        XCTAssertEqual(grid.counts, f.count_cat)
        XCTAssertEqual(grid.totals.counts, f.count)
    }

    func testCountShadingEqualsDatashaders() throws {
        let grid = try DensityAggregate.count(x: x, y: y, xRange: xr, yRange: yr, width: f.width, height: f.height)
        for how in Shading.allCases {
            assertSame(Self.hex(try how.shade(grid, colormap: .viridis, span: nil)), f.shaded["count_" + how.rawValue], how.rawValue)
        }
        for how in [Shading.linear, .log, .cbrt] {
            assertSame(Self.hex(try how.shade(grid, colormap: .viridis, span: 2...20)), f.shaded["count_span_" + how.rawValue],
                       "span " + how.rawValue)
        }
        XCTAssertThrowsError(try Shading.eqHist.shade(grid, colormap: .viridis, span: 2...20))
    }

    func testReductionShadingEqualsDatashaders() throws {
        for reduction in [Reduction.sum, .mean, .std] {
            // ds.any() takes no column: it marks pixels with any point.
            let grid = try DensityAggregate.reduce(reduction, values: reduction == .any ? nil : v, x: x, y: y, xRange: xr, yRange: yr,
                                                   width: f.width, height: f.height)
            for how in [Shading.eqHist, .linear] {
                let name = "\(reduction.rawValue)_\(how.rawValue)"
                assertSame(Self.hex(try how.shade(grid, colormap: .viridis)), f.shaded[name], name)
            }
        }
        let any = try DensityAggregate.reduce(.any, values: nil, x: x, y: y, xRange: xr, yRange: yr, width: f.width, height: f.height)
        assertSame(Self.hex(try Shading.eqHist.shade(any, colormap: .viridis)), f.shaded["any_eq_hist"], "any")
    }

    func testCategoricalShadingEqualsDatashaders() throws {
        let grid = try DensityAggregate.countByCategory(x: x, y: y, codes: f.points.cat.map(Int32.init), categories: 4,
                                                        xRange: xr, yRange: yr, width: f.width, height: f.height)
        let key = f.key.map(Self.color)
        for how in Shading.allCases {
            assertSame(Self.hex(try how.colorize(grid, colors: key)), f.shaded["cat_" + how.rawValue], "categorical " + how.rawValue)
        }
        assertSame(Self.hex(try Shading.log.colorize(grid, colors: key, minAlpha: 100)), f.shaded["cat_log_min_alpha_100"], "min_alpha")
        assertSame(Self.hex(try Shading.linear.colorize(grid, colors: key, span: 1...10)), f.shaded["cat_linear_span"], "span")
    }

    func testSpreadingEqualsDatashaders() throws {
        let sx = f.sparse.x.map { $0 ?? .nan }
        let grid = try DensityAggregate.count(x: sx, y: f.sparse.y, xRange: xr, yRange: yr, width: f.width, height: f.height)
        let image = Shading.eqHist.shade(grid, colormap: .viridis)
        assertSame(Self.hex(image), f.spread["image"], "sparse image")
        assertSame(Self.hex(try Spread.spread(image, px: 1)), f.spread["circle_1"], "spread 1")
        assertSame(Self.hex(try Spread.spread(image, px: 2)), f.spread["circle_2"], "spread 2")
        assertSame(Self.hex(try Spread.spread(image, px: 1, shape: .square)), f.spread["square_1"], "square 1")
        assertSame(Self.hex(try Spread.dynamicSpread(image)), f.spread["dynspread"], "dynspread")
        XCTAssertEqual(try Spread.dynamicRadius(image), 1, "datashader spreads this sparse image by 1 px")
        let dense = Shading.eqHist.shade(try DensityAggregate.count(x: x, y: y, xRange: xr, yRange: yr, width: f.width, height: f.height))
        assertSame(Self.hex(try Spread.dynamicSpread(dense)), f.spread["dynspread_dense"], "dynspread dense")
    }
}
