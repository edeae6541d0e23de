import XCTest
@testable import AstrolabeData

/// describe statistics. Small cases are worked by hand (shown in comments); they agree with
/// `pandas.Series.describe()` / `numpy.percentile` on the same data.
final class SummaryTests: XCTestCase {
    func testFourValues() {
        // mean = 10/4 = 2.5; squared deviations 2.25+0.25+0.25+2.25 = 5, std = sqrt(5/3)
        // q25: position 0.25*3 = 0.75 -> 1 + 0.75*(2-1) = 1.75; median: 1.5 -> 2.5; q75: 2.25 -> 3.25
        let s = ColumnSummary.of([4, 1, .nan, 3, 2])
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.missing, 1)
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.std, 1.2909944487358056, accuracy: 1e-15)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.q25, 1.75)
        XCTAssertEqual(s.median, 2.5)
        XCTAssertEqual(s.q75, 3.25)
        XCTAssertEqual(s.max, 4)
    }

    func testOddCountAndUnevenSpacing() {
        // sorted [0, 1, 10, 100, 1000]; q25 at position 1 -> 1; median at 2 -> 10; q75 at 3 -> 100
        // mean = 1111/5 = 222.2
        let s = ColumnSummary.of([100, 0, 1000, 10, 1])
        XCTAssertEqual(s.q25, 1)
        XCTAssertEqual(s.median, 10)
        XCTAssertEqual(s.q75, 100)
        XCTAssertEqual(s.mean, 222.2, accuracy: 1e-12)
        // squared deviations from 222.2 sum to 763236.8; /4 = 190809.2; sqrt = 436.817...
        // (numpy: np.std([100,0,1000,10,1], ddof=1) = 436.8171242064578)
        XCTAssertEqual(s.std, 436.8171242064578, accuracy: 1e-9)
    }

    func testSixValuesInterpolation() {
        // sorted [1,2,3,4,5,6]: q25 position 1.25 -> 2.25; median 2.5 -> 3.5; q75 3.75 -> 4.75
        let s = ColumnSummary.of([6, 5, 4, 3, 2, 1])
        XCTAssertEqual(s.q25, 2.25)
        XCTAssertEqual(s.median, 3.5)
        XCTAssertEqual(s.q75, 4.75)
    }

    func testSingleValueHasNoStd() {
        let s = ColumnSummary.of([5])
        XCTAssertEqual(s.count, 1)
        XCTAssertTrue(s.std.isNaN)
        XCTAssertEqual(s.q25, 5)
        XCTAssertEqual(s.median, 5)
        XCTAssertEqual(s.max, 5)
    }

    func testNoValues() {
        let s = ColumnSummary.of([.nan, .nan])
        XCTAssertEqual(s.count, 0)
        XCTAssertEqual(s.missing, 2)
        XCTAssertTrue(s.mean.isNaN && s.min.isNaN && s.median.isNaN && s.max.isNaN)
        XCTAssertEqual(ColumnSummary.of([]).count, 0)
    }

    func testInfinitiesAreValues() {
        let s = ColumnSummary.of([1, 2, .infinity])
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(s.mean, .infinity)
        XCTAssertTrue(s.std.isNaN)
        XCTAssertEqual(s.median, 2)          // exactly on a value
        XCTAssertEqual(s.q75, .infinity)     // between 2 and inf
        XCTAssertEqual(s.q25, 1.5)
        XCTAssertEqual(s.max, .infinity)
        let both = ColumnSummary.of([-.infinity, .infinity])
        XCTAssertTrue(both.mean.isNaN)
        XCTAssertTrue(both.median.isNaN)
        XCTAssertEqual(both.min, -.infinity)
    }

    func testEqualityTreatsNaNAsEqual() {
        XCTAssertEqual(ColumnSummary.of([1]), ColumnSummary.of([.nan, 1]).with(missing: 0))
    }

    /// Seeded values (an LCG that numpy's side repeats exactly), every 17th missing.
    private func generated(_ n: Int, seed: UInt64, _ value: (UInt64) -> Double) -> [Double] {
        var state = seed
        return (0 ..< n).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return i % 17 == 3 ? .nan : value(state)
        }
    }

    /// Against numpy on the same seeded data (values k/8 - 40 with many repeats, and continuous
    /// values whose quartiles fall between ranks): `np.percentile(p, [25, 50, 75])`, `p.mean()`,
    /// `p.std(ddof=1)` of the present values `p`, computed in Python from the same generator.
    func testQuartilesMatchNumpyOnSeededData() {
        let repeats: (UInt64) -> Double = { Double(($0 >> 33) % 1000) / 8 - 40 }
        for (n, want) in [(1000, (941, -6.125, 24.5, 54.0, 23.442747077577046, 35.55008724775786)),
                          (1001, (942, -6.125, 24.0, 53.96875, 23.403264331210192, 35.55185123947639)),
                          (7, (6, 6.125, 35.625, 51.0625, 23.833333333333332, 38.019950903001785))] {
            let s = ColumnSummary.of(generated(n, seed: 2024, repeats))
            XCTAssertEqual(s.count, want.0, "\(n)")
            XCTAssertEqual(s.q25, want.1, "\(n)")
            XCTAssertEqual(s.median, want.2, "\(n)")
            XCTAssertEqual(s.q75, want.3, "\(n)")
            XCTAssertEqual(s.mean, want.4, accuracy: 1e-12, "\(n)")
            XCTAssertEqual(s.std, want.5, accuracy: 1e-12, "\(n)")
        }
        let continuous = generated(100_002, seed: 77) { Double($0 >> 11) / 9_007_199_254_740_992 * 100 - 30 }
        let s = ColumnSummary.of(continuous)
        XCTAssertEqual(s.count, 94119)
        XCTAssertEqual(s.q25, -0x1.3320a3af2137ap+2)
        XCTAssertEqual(s.median, 0x1.40ab6392e4898p+4)
        XCTAssertEqual(s.q75, 0x1.68b34199d2adep+5)
        XCTAssertEqual(s.min, -0x1.dffc3a53a6510p+4)
        XCTAssertEqual(s.max, 0x1.17fe59fc53f2ap+6)
        XCTAssertEqual(s.mean, 20.06246550410925, accuracy: 1e-11)
        XCTAssertEqual(s.std, 28.87827863770034, accuracy: 1e-11)
    }

    /// Selection gives exactly the quartiles of the sorting definition (`quantile(sorted:)`), on
    /// every size up to 300, on larger ones, and on shapes that trouble quickselect: sorted, reversed, organ pipe,
    /// all equal, two values, many repeats, infinities, missing values.
    func testSelectionAgreesWithSorting() {
        var state: UInt64 = 99
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % bound
        }
        var cases: [[Double]] = []
        for n in 1 ... 300 {
            cases.append((0 ..< n).map { _ in Double(next(1_000_000)) / 7 })
            cases.append((0 ..< n).map { _ in Double(next(3)) })
        }
        let n = 5000
        cases.append((0 ..< n).map(Double.init))
        cases.append((0 ..< n).reversed().map(Double.init))
        cases.append((0 ..< n).map { Double(Swift.min($0, n - $0)) })
        cases.append(Array(repeating: 4.5, count: n))
        cases.append((0 ..< n).map { $0 % 2 == 0 ? -1 : 1 })
        cases.append((0 ..< n).map { _ in [Double.infinity, -.infinity, .nan, 0, 1, 2][Int(next(6))] })
        cases.append((0 ..< 100_000).map { _ in Double(next(50)) - 25 })
        // Large enough for the sampled pivots (over 600 values), continuous and with repeats.
        for size in [601, 602, 999, 1000, 4097, 20_000, 65_537] {
            cases.append((0 ..< size).map { _ in Double(next(1_000_000_000)) / 3 })
            cases.append((0 ..< size).map { _ in Double(next(7)) })
        }
        for values in cases {
            let present = values.filter { !$0.isNaN }.sorted()
            guard !present.isEmpty else { continue }
            let s = ColumnSummary.of(values)
            let want = [0.25, 0.5, 0.75].map { ColumnSummary.quantile(sorted: present, $0) }
            for (got, expected) in zip([s.q25, s.median, s.q75], want) where got.bitPattern != expected.bitPattern {
                XCTFail("\(got) != \(expected) for \(values.count) values, first \(values.prefix(5))")
            }
            XCTAssertEqual(s.min, present.first)
            XCTAssertEqual(s.max, present.last)
        }
    }

    /// A float32 column is summarised as the doubles its values are exactly, without first
    /// converting it: the same summary as of the converted column, on two threads or one.
    func testFloat32ColumnsSummariseAsTheirDoubles() {
        for n in [5, 70_001] {
            let floats = generated(n, seed: 5) { Double(($0 >> 20) % 100_000) / 7 }.map(Float.init)
            XCTAssertEqual(ColumnSummary.of(float32: floats), ColumnSummary.of(floats.map(Double.init)), "\(n)")
            let column = Column(name: "f", values: .float32(floats))
            XCTAssertEqual(column.numericSummary, ColumnSummary.of(floats.map(Double.init)))
        }
    }

    func testTextSummaryTieGoesToSmallest() {
        let s = TextSummary.of(["b", "a", "b", "a", nil, "c"])
        XCTAssertEqual(s, TextSummary(count: 5, missing: 1, unique: 3, top: "a", topCount: 2))
    }

    func testTextSummaryEmpty() {
        XCTAssertEqual(TextSummary.of([nil]), TextSummary(count: 0, missing: 1, unique: 0, top: nil, topCount: 0))
    }
}

private extension ColumnSummary {
    func with(missing: Int) -> ColumnSummary {
        var copy = self
        copy.missing = missing
        return copy
    }
}
