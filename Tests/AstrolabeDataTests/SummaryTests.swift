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
