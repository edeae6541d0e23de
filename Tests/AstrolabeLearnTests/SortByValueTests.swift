import XCTest
@testable import AstrolabeLearn

/// The forest's own sort against the standard library's, on the inputs that break quicksorts:
/// sorted, reversed, all equal, few distinct values, infinities, and sizes around the
/// insertion-sort cutoff.
final class SortByValueTests: XCTestCase {
    func testAgreesWithStandardSort() {
        var g = SeededGenerator(seed: 8)
        for n in [0, 1, 2, 3, 15, 16, 17, 33, 100, 1000, 5000] {
            var inputs = [[Double]]()
            inputs.append((0..<n).map { _ in g.nextDouble() })
            inputs.append((0..<n).map { Double($0) })
            inputs.append((0..<n).map { Double(n - $0) })
            inputs.append([Double](repeating: 3, count: n))
            inputs.append((0..<n).map { _ in Double(g.nextInt(below: 4)) })
            inputs.append((0..<n).map { (i: Int) -> Double in
                if i % 7 != 0 { return Double(i % 5) }
                return i % 2 == 0 ? Double.infinity : -Double.infinity
            })
            for values in inputs {
                var items = values.enumerated().map { KeyedSample(value: $1, sample: $0) }
                items.withUnsafeMutableBufferPointer { sortByValue($0) }
                XCTAssertEqual(items.map(\.value), values.sorted(), "n = \(n)")
                XCTAssertEqual(items.map(\.sample).sorted(), Array(0..<n), "a permutation, n = \(n)")
            }
        }
    }
}
