import AstrolabeData
import XCTest
@testable import AstrolabePlot

final class DensityAggregateTests: XCTestCase {
    /// 4×2 grid over x ∈ [0, 4], y ∈ [0, 2]: bins are 1 wide; hand-placed points.
    func testCountsMatchHandComputedGrid() throws {
        let x: [Double] = [0, 0.5, 3.999, 4, 4, 1.5, .nan, 2, -0.1, 2.5, .infinity]
        let y: [Double] = [0, 0.5, 1.999, 2, 0, 1.5, 1, .nan, 1, 2.1, 1]
        let grid = try DensityAggregate.count(x: x, y: y, xRange: 0...4, yRange: 0...2, width: 4, height: 2)
        // Row 0 is the top (y in [1, 2]); row 1 the bottom (y in [0, 1)).
        // (0,0),(0.5,0.5) → col 0 bottom; (3.999,1.999),(4,2) → col 3 top (upper bound → last bin);
        // (4,0) → col 3 bottom; (1.5,1.5) → col 1 top. NaN/inf: 3 skipped; (-0.1,1),(2.5,2.1) outside.
        XCTAssertEqual(grid.counts, [0, 1, 0, 2,
                                     2, 0, 0, 1])
        XCTAssertEqual(grid.nonFinite, 3)
        XCTAssertEqual(grid.outOfRange, 2)
        XCTAssertEqual(grid.total, 6)
    }

    /// The parallel path must equal a plain serial count, whatever the chunking.
    func testParallelCountEqualsSerialReference() throws {
        var rng = SplitMix(seed: 7)
        let n = 300_001
        let x = (0..<n).map { _ in rng.unit() * 10 - 5 }
        let y = (0..<n).map { _ in rng.unit() * 2 }
        let w = 37, h = 23
        var expected = [UInt32](repeating: 0, count: w * h)
        for i in 0..<n {
            let xi = min(w - 1, Int((x[i] + 5) / 10 * Double(w)))
            let yi = min(h - 1, Int(y[i] / 2 * Double(h)))
            expected[(h - 1 - yi) * w + xi] += 1
        }
        let grid = try DensityAggregate.count(x: x, y: y, xRange: -5...5, yRange: 0...2, width: w, height: h)
        XCTAssertEqual(grid.total, n)
        // Bin edges computed two ways may differ by one ulp; demand near-total agreement.
        let differing = zip(grid.counts, expected).filter { $0 != $1 }.count
        XCTAssertLessThanOrEqual(differing, 2)
    }

    func testBadArgumentsThrow() {
        XCTAssertThrowsError(try DensityAggregate.count(x: [1, 2], y: [1], xRange: 0...1, yRange: 0...1, width: 2, height: 2))
        XCTAssertThrowsError(try DensityAggregate.count(x: [1], y: [1], xRange: 1...1, yRange: 0...1, width: 2, height: 2))
        XCTAssertThrowsError(try DensityAggregate.count(x: [1], y: [1], xRange: 0...1, yRange: 0...1, width: 0, height: 2))
        XCTAssertThrowsError(try DensityAggregate.count(x: [1], y: [1], xRange: 0...Double.infinity, yRange: 0...1, width: 2, height: 2))
    }

    func testEmptyInputGivesEmptyGrid() throws {
        let grid = try DensityAggregate.count(x: [], y: [], xRange: 0...1, yRange: 0...1, width: 3, height: 3)
        XCTAssertEqual(grid.total, 0)
        let image = Shading.eqHist.shade(grid, colormap: .viridis)
        XCTAssertTrue(stride(from: 3, to: image.pixels.count, by: 4).allSatisfy { image.pixels[$0] == 0 })
    }

    func testCancellationStopsAggregation() {
        Cancellation.request()
        defer { Cancellation.reset() }
        let x = [Double](repeating: 0.5, count: 100_000)
        XCTAssertThrowsError(try DensityAggregate.count(x: x, y: x, xRange: 0...1, yRange: 0...1, width: 4, height: 4)) {
            XCTAssertTrue($0 is Cancelled)
        }
    }
}

final class ShadingTests: XCTestCase {
    let first = Colormap.viridis.entry(0), last = Colormap.viridis.entry(255)

    func testConstantGridIsTopColourAndZerosAreTransparent() throws {
        let grid = try CountGrid(width: 3, height: 1, counts: [4, 0, 4])
        let image = Shading.eqHist.shade(grid, colormap: .viridis)
        // datashader: a single distinct value gives a zero-width span; np.interp returns the last colour.
        XCTAssertEqual(image.pixel(x: 0, y: 0), last)
        XCTAssertEqual(image.pixel(x: 2, y: 0), last)
        XCTAssertEqual(image.pixel(x: 1, y: 0).a, 0)
    }

    func testTwoLevelsUseBothEnds() throws {
        let grid = try CountGrid(width: 4, height: 1, counts: [1, 1000, 1, 0])
        for how in Shading.allCases {
            let image = how.shade(grid, colormap: .viridis)
            XCTAssertEqual(image.pixel(x: 0, y: 0), first, "\(how)")
            XCTAssertEqual(image.pixel(x: 1, y: 0), last, "\(how)")
            XCTAssertEqual(image.pixel(x: 3, y: 0).a, 0, "\(how)")
        }
    }

    /// Three levels with pixel counts 2, 1, 1: eq_hist CDF = 0.5, 0.75, 1 → span [0.5, 1] →
    /// positions 0, 0.5, 1, whatever the gaps between the counts (that is the point of eq_hist).
    func testEqHistSpacesLevelsByRankNotValue() throws {
        let grid = try CountGrid(width: 4, height: 1, counts: [3, 3, 10, 900])
        let map = Shading.eqHist.mapping(for: grid)
        XCTAssertEqual(map.position(ofCount: 3), 0, accuracy: 1e-12)
        XCTAssertEqual(map.position(ofCount: 10), 0.5, accuracy: 1e-12)
        XCTAssertEqual(map.position(ofCount: 900), 1, accuracy: 1e-12)
        let image = Shading.eqHist.shade(grid, colormap: .viridis)
        XCTAssertEqual((0..<4).map { image.pixel(x: $0, y: 0).description }, DatashaderReference.eqHist_3_3_10_900)
        // Linear and log, by their definitions (offset by the smallest count, as datashader does).
        XCTAssertEqual(Shading.linear.mapping(for: grid).position(ofCount: 10), 7.0 / 897, accuracy: 1e-15)
        XCTAssertEqual(Shading.log.mapping(for: grid).position(ofCount: 10), log1p(7) / log1p(897), accuracy: 1e-15)
    }

    /// Counts spanning more than 65536 values switch datashader's eq_hist to a 65536-bin histogram,
    /// where 3 and 10 share neighbouring bins: the middle level is no longer at exactly 0.5.
    func testEqHistHistogramBranchMatchesDatashader() throws {
        let grid = try CountGrid(width: 4, height: 1, counts: [3, 3, 10, 90000])
        let image = Shading.eqHist.shade(grid, colormap: .viridis)
        XCTAssertEqual((0..<4).map { image.pixel(x: $0, y: 0).description }, DatashaderReference.eqHist_3_3_10_90000)
    }

    /// Reference values from datashader 0.19.1: tf.shade(xr.DataArray(counts), cmap=viridis
    /// hex list, how='eq_hist') on a 1×6 uint32 grid [1, 2, 3, 5, 8, 0].
    func testEqHistMatchesDatashaderReference() throws {
        let grid = try CountGrid(width: 6, height: 1, counts: [1, 2, 3, 5, 8, 0])
        let image = Shading.eqHist.shade(grid, colormap: .viridis)
        let got = (0..<6).map { image.pixel(x: $0, y: 0).description }
        XCTAssertEqual(got, DatashaderReference.eqHist_1_2_3_5_8_0)
    }
}

/// A tiny deterministic generator for test data (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Double {
        let u = max(unit(), 1e-300), v = unit()
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
