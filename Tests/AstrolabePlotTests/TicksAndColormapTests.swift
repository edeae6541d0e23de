import XCTest
@testable import AstrolabePlot

final class TicksTests: XCTestCase {
    func testSimpleRanges() {
        XCTAssertEqual(Ticks.nice(min: 0, max: 1, maxTicks: 6), [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(Ticks.nice(min: 0, max: 10, maxTicks: 6), [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(Ticks.nice(min: -3.7, max: 12.2, maxTicks: 4), [0, 5, 10])
    }

    func testAwkwardRanges() {
        // Decimal ticks are the doubles nearest their decimal spelling: no 0.30000000000000004.
        let t = Ticks.nice(min: 0.1, max: 0.35, maxTicks: 6)
        XCTAssertEqual(t, [0.1, 0.15, 0.2, 0.25, 0.3, 0.35])
        XCTAssertEqual(Ticks.labels(for: t), ["0.10", "0.15", "0.20", "0.25", "0.30", "0.35"])
        // Negative, crossing zero.
        XCTAssertEqual(Ticks.nice(min: -3.7, max: 12.2, maxTicks: 8), [-2, 0, 2, 4, 6, 8, 10, 12])
        // Tiny and huge.
        XCTAssertEqual(Ticks.nice(min: 1.2e-12, max: 1.9e-12, maxTicks: 5), [1.2e-12, 1.4e-12, 1.6e-12, 1.8e-12])
        XCTAssertEqual(Ticks.nice(min: 0, max: 3e15, maxTicks: 4), [0, 1e15, 2e15, 3e15])
        // Narrow range far from zero.
        XCTAssertEqual(Ticks.nice(min: 1000.01, max: 1000.05, maxTicks: 5), [1000.01, 1000.02, 1000.03, 1000.04, 1000.05])
        // Whole double range does not overflow.
        let wide = Ticks.nice(min: -Double.greatestFiniteMagnitude, max: Double.greatestFiniteMagnitude, maxTicks: 5)
        XCTAssertFalse(wide.isEmpty)
        XCTAssertTrue(wide.allSatisfy { $0.isFinite })
    }

    func testCountAxesTickOnlyWholeNumbers() {
        // 3 to 7 labels: a plain axis would tick every 0.5 and label 3.5; a count axis ticks 3…7.
        let plain = Ticks.axis(3...7, log: false, maxTicks: 9)
        XCTAssertTrue(plain.ticks.contains(3.5), "\(plain.ticks)")
        let counts = Ticks.axis(3...7, log: false, maxTicks: 9, integer: true)
        XCTAssertEqual(counts.ticks, [3, 4, 5, 6, 7])
        XCTAssertEqual(counts.labels, ["3", "4", "5", "6", "7"])
        XCTAssertTrue(counts.minor.allSatisfy { $0 == $0.rounded() }, "\(counts.minor)")
        // Wide count axes keep their nice steps and whole-number minor ticks.
        let wide = Ticks.axis(0...200, log: false, maxTicks: 6, integer: true)
        XCTAssertEqual(wide.ticks, Ticks.axis(0...200, log: false, maxTicks: 6).ticks)
        // A range holding fewer than two whole numbers keeps its usual ticks rather than none.
        XCTAssertEqual(Ticks.axis(3.1...3.9, log: false, maxTicks: 5, integer: true).ticks,
                       Ticks.axis(3.1...3.9, log: false, maxTicks: 5).ticks)
    }

    func testDegenerateInputs() {
        XCTAssertEqual(Ticks.nice(min: .nan, max: 1), [])
        XCTAssertEqual(Ticks.nice(min: 0, max: .infinity), [])
        let same = Ticks.nice(min: 5, max: 5)
        XCTAssertFalse(same.isEmpty)
        XCTAssertTrue(same.contains(5))
        XCTAssertEqual(Ticks.nice(min: 0, max: 0, maxTicks: 3), [-0.5, 0, 0.5])
        XCTAssertEqual(Ticks.nice(min: 10, max: 0, maxTicks: 3), [0, 5, 10], "reversed bounds are accepted")
    }

    func testEveryRangeGivesBoundedNiceTicks() {
        var rng = SplitMix(seed: 3)
        for _ in 0..<2000 {
            let e = Double(Int(rng.unit() * 40) - 20)
            let a = (rng.unit() * 2 - 1) * pow(10, e), b = a + rng.unit() * pow(10, e)
            let maxTicks = 2 + Int(rng.unit() * 9)
            let t = Ticks.nice(min: a, max: b, maxTicks: maxTicks)
            XCTAssertLessThanOrEqual(t.count, maxTicks)
            XCTAssertTrue(t.allSatisfy { $0 >= min(a, b) && $0 <= max(a, b) })
            if b > a { XCTAssertGreaterThanOrEqual(t.count, 1, "\(a) \(b) \(maxTicks)") }
            for (p, q) in zip(t, t.dropFirst()) { XCTAssertLessThan(p, q) }
        }
    }

    func testLabels() {
        XCTAssertEqual(Ticks.labels(for: [-1, -0.5, 0, 0.5, 1]), ["\u{2212}1.0", "\u{2212}0.5", "0.0", "0.5", "1.0"])
        XCTAssertEqual(Ticks.labels(for: [0, 100, 200]), ["0", "100", "200"])
        XCTAssertEqual(Ticks.labels(for: [0, 1e6, 2e6]), ["0", "1×10⁶", "2×10⁶"])
        XCTAssertEqual(Ticks.labels(for: [1e-5, 1.5e-5, 2e-5]), ["1×10⁻⁵", "1.5×10⁻⁵", "2×10⁻⁵"])
        XCTAssertEqual(Ticks.labels(for: [0.1 * 3]), ["0.3"])
        XCTAssertEqual(Ticks.labels(for: [0, 2e-12, 4e-12, 1e-11]), ["0", "2×10⁻¹²", "4×10⁻¹²", "1×10⁻¹¹"])
        XCTAssertEqual(Ticks.labels(for: [-3e7, 0, 3e7]), ["\u{2212}3×10⁷", "0", "3×10⁷"])
    }
}

final class ColormapTests: XCTestCase {
    func testEndpointsAreMatplotlibs() {
        // matplotlib.colors.to_hex(matplotlib.colormaps[name](0.0 / 1.0))
        XCTAssertEqual(Colormap.viridis.entry(0).description, "#440154")
        XCTAssertEqual(Colormap.viridis.entry(255).description, "#fde725")
        XCTAssertEqual(Colormap.inferno.entry(0).description, "#000004")
        XCTAssertEqual(Colormap.inferno.entry(255).description, "#fcffa4")
        XCTAssertEqual(Colormap.magma.entry(255).description, "#fcfdbf")
        XCTAssertEqual(Colormap.plasma.entry(0).description, "#0d0887")
        XCTAssertEqual(Colormap.cividis.entry(0).description, "#00224e")
        XCTAssertEqual(Colormap.grey.entry(255).description, "#ffffff")
        // viridis(0.5) in matplotlib is entry 128 = (0.127568, 0.566949, 0.550556) → #21918c.
        XCTAssertEqual(Colormap.viridis.entry(128).description, "#21918c")
    }

    func testAllTablesHave256EntriesAndLookupClamps() {
        for c in Colormap.builtIn { XCTAssertEqual(c.table.count, 256, c.name) }
        XCTAssertEqual(Colormap.viridis.color(at: -1), Colormap.viridis.entry(0))
        XCTAssertEqual(Colormap.viridis.color(at: .nan), Colormap.viridis.entry(0))
        XCTAssertEqual(Colormap.viridis.color(at: 2), Colormap.viridis.entry(255))
        XCTAssertEqual(Colormap.named("Gray"), .grey)
        XCTAssertNil(Colormap.named("jet"))
    }

    func testOkabeItoPalette() {
        XCTAssertEqual(Set(CategoricalPalette.okabeIto.map(\.description)),
                       ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"])
        XCTAssertEqual(CategoricalPalette.markerShape(forClass: 0), .circle)
        XCTAssertEqual(CategoricalPalette.markerShape(forClass: 8), .square)
    }
}
