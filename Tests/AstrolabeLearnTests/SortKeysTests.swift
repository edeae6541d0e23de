import XCTest
@testable import AstrolabeLearn

/// The forest's own sort against the standard library's, on the inputs that break quicksorts
/// (sorted, reversed, all equal, few distinct values) and sizes around the insertion-sort cutoff;
/// and the ranks it sorts, against values worked by hand.
final class SortKeysTests: XCTestCase {
    func testAgreesWithStandardSort() {
        var g = SeededGenerator(seed: 8)
        for n in [0, 1, 2, 3, 15, 16, 17, 33, 100, 1000, 5000] {
            var inputs = [[UInt64]]()
            inputs.append((0..<n).map { _ in g.next() })
            inputs.append((0..<n).map { UInt64($0) })
            inputs.append((0..<n).map { UInt64(n - $0) })
            inputs.append([UInt64](repeating: 3, count: n))
            inputs.append((0..<n).map { _ in UInt64(g.nextInt(below: 4)) << 32 })
            inputs.append((0..<n).map { (i: Int) -> UInt64 in UInt64(i % 5) << 32 | UInt64(i) })
            for keys in inputs {
                var sorted = keys
                sorted.withUnsafeMutableBufferPointer { sortKeys($0) }
                XCTAssertEqual(sorted, keys.sorted(), "n = \(n)")
            }
        }
    }

    func testRadixSortOrdersByRank() {
        var g = SeededGenerator(seed: 12)
        var scratch = [UInt64](repeating: 0, count: 5000)
        var histogram = [Int](repeating: 0, count: 256)
        for n in [0, 1, 2, 63, 64, 65, 300, 5000] {
            for maxRank: UInt32 in [1, 255, 256, 70_000, UInt32.max] {
                let keys = (0..<n).map { i -> UInt64 in
                    let rank = UInt64(g.next() % (UInt64(maxRank) + 1))
                    return rank << 32 | UInt64(i)
                }
                var sorted = keys
                sorted.withUnsafeMutableBufferPointer { k in
                    scratch.withUnsafeMutableBufferPointer { s in
                        histogram.withUnsafeMutableBufferPointer { h in
                            sortKeysByRank(k, maxRank: maxRank, scratch: s, histogram: h)
                        }
                    }
                }
                XCTAssertEqual(sorted.map { $0 >> 32 }, keys.map { $0 >> 32 }.sorted(), "n \(n) max \(maxRank)")
                XCTAssertEqual(sorted.sorted(), keys.sorted(), "a permutation, n \(n)")
            }
        }
    }

    func testRanksAndThresholds() throws {
        // Feature 0: 5, NaN, 1, 5, -inf → NaN takes the median of (5, 1, 5, -inf) = (1 + 5)/2 = 3,
        // distinct sorted values -inf 1 3 5. Feature 1 is constant.
        let x = try FeatureMatrix(rows: [[5, 2], [.nan, 2], [1, 2], [5, 2], [-.infinity, 2]])
        let ranked = RankedFeatures(x, imputer: MedianImputer(fitting: x))
        XCTAssertEqual(ranked.levels, [[-.infinity, 1, 3, 5], [2]])
        XCTAssertEqual(Array(ranked.ranks[0..<5]), [3, 2, 1, 3, 0])
        XCTAssertEqual(Array(ranked.ranks[5..<10]), [0, 0, 0, 0, 0])
        // Between -inf and 1 the midpoint is -inf itself: still separates -inf (≤) from 1 (>).
        XCTAssertEqual(ranked.threshold(feature: 0, between: 0), -.infinity)
        XCTAssertEqual(ranked.threshold(feature: 0, between: 1), 2)
        XCTAssertEqual(ranked.threshold(feature: 0, between: 2), 4)
    }
}
