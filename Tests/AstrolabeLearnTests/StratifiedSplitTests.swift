import XCTest
@testable import AstrolabeLearn

final class StratifiedSplitTests: XCTestCase {
    func testKeepsClassSharesAndPartitionsTheRows() {
        // 60 of class 0, 30 of class 1, 10 of class 7, interleaved.
        let labels = (0..<100).map { $0 % 10 == 0 ? 7 : ($0 % 3 == 0 ? 1 : 0) }
        let counts = Dictionary(grouping: labels, by: { $0 }).mapValues(\.count)
        let split = stratifiedSplit(labels: labels, testFraction: 0.25, seed: 1)
        XCTAssertEqual((split.train + split.test).sorted(), Array(0..<100))
        XCTAssertEqual(split.train, split.train.sorted())
        XCTAssertEqual(split.test, split.test.sorted())
        for (label, n) in counts {
            let inTest = split.test.filter { labels[$0] == label }.count
            XCTAssertEqual(inTest, Int((0.25 * Double(n)).rounded()), "class \(label)")
        }
    }

    func testDeterministicForASeed() {
        let labels = (0..<50).map { $0 % 3 }
        let a = stratifiedSplit(labels: labels, testFraction: 0.3, seed: 9)
        let b = stratifiedSplit(labels: labels, testFraction: 0.3, seed: 9)
        let c = stratifiedSplit(labels: labels, testFraction: 0.3, seed: 10)
        XCTAssertEqual(a.train, b.train)
        XCTAssertEqual(a.test, b.test)
        XCTAssertNotEqual(a.test, c.test)
    }

    func testSmallClassesReachBothSides() {
        // Class 1 has 2 members, class 2 has 1, class 3 has 20.
        let labels = [1, 1, 2] + [Int](repeating: 3, count: 20)
        for fraction in [0.01, 0.5, 0.99] {
            let split = stratifiedSplit(labels: labels, testFraction: fraction, seed: 4)
            XCTAssertEqual(split.test.filter { labels[$0] == 1 }.count, 1, "fraction \(fraction)")
            XCTAssertEqual(split.train.filter { labels[$0] == 1 }.count, 1)
            XCTAssertTrue(split.train.contains(2))  // a singleton stays in training
            XCTAssertGreaterThanOrEqual(split.test.filter { labels[$0] == 3 }.count, 1)
            XCTAssertGreaterThanOrEqual(split.train.filter { labels[$0] == 3 }.count, 1)
        }
    }

    func testDegenerateFractionsAndInputs() {
        let labels = [0, 0, 1, 1]
        XCTAssertEqual(stratifiedSplit(labels: labels, testFraction: 0, seed: 0).test, [])
        XCTAssertEqual(stratifiedSplit(labels: labels, testFraction: .nan, seed: 0).test, [])
        XCTAssertEqual(stratifiedSplit(labels: labels, testFraction: -1, seed: 0).train, [0, 1, 2, 3])
        XCTAssertEqual(stratifiedSplit(labels: labels, testFraction: 1, seed: 0).test, [0, 1, 2, 3])
        let empty = stratifiedSplit(labels: [], testFraction: 0.5, seed: 0)
        XCTAssertEqual(empty.train, [])
        XCTAssertEqual(empty.test, [])
    }
}

final class ThreeWaySplitTests: XCTestCase {
    func testPartitionsRowsAndKeepsClassShares() {
        // 100 of class 0, 50 of class 1, 20 of class 2.
        let labels = [Int](repeating: 0, count: 100) + [Int](repeating: 1, count: 50) + [Int](repeating: 2, count: 20)
        let split = stratifiedSplit(labels: labels, ratios: (0.6, 0.2, 0.2), seed: 3)
        XCTAssertEqual((split.train + split.validation + split.test).sorted(), Array(labels.indices))
        for (label, n) in [(0, 100), (1, 50), (2, 20)] {
            // test: round(0.2 n); validation: round(0.25 × the remaining 0.8 n).
            let test = Int((0.2 * Double(n)).rounded())
            let validation = Int((0.25 * Double(n - test)).rounded())
            XCTAssertEqual(split.test.filter { labels[$0] == label }.count, test, "class \(label)")
            XCTAssertEqual(split.validation.filter { labels[$0] == label }.count, validation, "class \(label)")
            XCTAssertEqual(split.train.filter { labels[$0] == label }.count, n - test - validation, "class \(label)")
        }
        // Relative weights: 3:1:1 is 0.6:0.2:0.2.
        let weights = stratifiedSplit(labels: labels, ratios: (3, 1, 1), seed: 3)
        XCTAssertEqual(weights.validation, split.validation)
        XCTAssertEqual(weights.test, split.test)
    }

    func testNoValidationIsTheTwoWaySplit() {
        let labels = (0..<40).map { $0 % 3 }
        let three = stratifiedSplit(labels: labels, ratios: (0.75, 0, 0.25), seed: 8)
        let two = stratifiedSplit(labels: labels, testFraction: 0.25, seed: 8)
        XCTAssertEqual(three.train, two.train)
        XCTAssertEqual(three.test, two.test)
        XCTAssertEqual(three.validation, [])
    }
}
