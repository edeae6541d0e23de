import Foundation
import XCTest
@testable import AstrolabeLearn

/// Strategy scores on hand-made probability rows. Entropy references are
/// `scipy.stats.entropy(row)` (natural log).
final class QueryStrategyTests: XCTestCase {
    let rows: [Double] = [
        0.5, 0.3, 0.2,
        0.4, 0.4, 0.2,
        1.0, 0.0, 0.0,
        1.0 / 3, 1.0 / 3, 1.0 / 3,
    ]

    private func assertClose(_ a: [Double], _ b: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-12, file: file, line: line) }
    }

    func testMargin() {
        // 1 − (p1 − p2): 1 − 0.2, 1 − 0, 1 − 1, 1 − 0
        assertClose(MarginSampling().scores(probabilities: rows, classCount: 3, seed: 0), [0.8, 1, 0, 1])
        // One class: margin is p1 itself.
        assertClose(MarginSampling().scores(probabilities: [1, 1], classCount: 1, seed: 0), [0, 0])
    }

    func testLeastConfident() {
        assertClose(LeastConfidentSampling().scores(probabilities: rows, classCount: 3, seed: 0),
                    [0.5, 0.6, 0, 2.0 / 3])
    }

    func testEntropy() {
        assertClose(EntropySampling().scores(probabilities: rows, classCount: 3, seed: 0),
                    [1.0296530140645737, 1.0549201679861442, 0, 1.0986122886681096])
    }

    /// A pool of many scoring blocks (50,000 rows, 3 classes): every row's score is its own
    /// closed form — margin 1 − (p₁ − p₂), least confident 1 − p₁, entropy −Σ p ln p — with NaN
    /// rows scored NaN, wherever the row falls among the blocks.
    func testScoresOfALargePoolAreEachRowsOwn() {
        let rows = 50_000
        var p: [Double] = []
        for r in 0..<rows {
            let a = Double(r % 97) / 97, b = Double(r % 89) / 89 * (1 - a)
            p += r % 1_013 == 0 ? [a, .nan, 1 - a] : [a, b, 1 - a - b]
        }
        let margin = MarginSampling().scores(probabilities: p, classCount: 3, seed: 0)
        let least = LeastConfidentSampling().scores(probabilities: p, classCount: 3, seed: 0)
        let entropy = EntropySampling().scores(probabilities: p, classCount: 3, seed: 0)
        XCTAssertEqual(margin.count, rows); XCTAssertEqual(least.count, rows); XCTAssertEqual(entropy.count, rows)
        for r in 0..<rows {
            let row = Array(p[(3 * r)..<(3 * r + 3)])
            if row.contains(where: \.isNaN) {
                XCTAssertTrue(margin[r].isNaN && least[r].isNaN && entropy[r].isNaN, "row \(r)")
                continue
            }
            let sorted = row.sorted(by: >)
            XCTAssertEqual(margin[r], 1 - (sorted[0] - sorted[1]), accuracy: 1e-12, "row \(r)")
            XCTAssertEqual(least[r], 1 - sorted[0], accuracy: 1e-12, "row \(r)")
            XCTAssertEqual(entropy[r], row.filter { $0 > 0 }.reduce(0) { $0 - $1 * log($1) }, accuracy: 1e-12, "row \(r)")
        }
    }

    func testRandomIsSeededAndUniform() {
        let strategy = RandomSampling()
        let a = strategy.scores(probabilities: rows, classCount: 3, seed: 5)
        XCTAssertEqual(a.count, 4)
        XCTAssertEqual(a, strategy.scores(probabilities: rows, classCount: 3, seed: 5))
        XCTAssertNotEqual(a, strategy.scores(probabilities: rows, classCount: 3, seed: 6))
        XCTAssertTrue(a.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    func testMalformedInputGivesNoCrash() {
        for strategy in StrategyKind.all.compactMap(\.scorer) {
            XCTAssertEqual(strategy.scores(probabilities: rows, classCount: 0, seed: 0), [], strategy.name)
            XCTAssertEqual(strategy.scores(probabilities: [], classCount: 3, seed: 0), [], strategy.name)
            // An incomplete trailing row is ignored.
            XCTAssertEqual(strategy.scores(probabilities: [0.5, 0.5, 0.1], classCount: 2, seed: 0).count, 1)
        }
        XCTAssertTrue(MarginSampling().scores(probabilities: [.nan, 0.5], classCount: 2, seed: 0)[0].isNaN)
        XCTAssertTrue(EntropySampling().scores(probabilities: [.nan, 0.5], classCount: 2, seed: 0)[0].isNaN)
    }

    func testRankQueriesTakesTopScoresLowerIndexFirst() {
        XCTAssertEqual(rankQueries(scores: [0.8, 1, 0, 1], count: 3), [1, 3, 0])
        XCTAssertEqual(rankQueries(scores: [0.8, 1, 0, 1], count: 10), [1, 3, 0, 2])
        XCTAssertEqual(rankQueries(scores: [0.8, 1, 0, 1], count: 0), [])
        XCTAssertEqual(rankQueries(scores: [0.8, 1, 0, 1], count: -2), [])
        XCTAssertEqual(rankQueries(scores: [], count: 3), [])
        XCTAssertEqual(rankQueries(scores: [.nan, 0.1, .nan, -1], count: 4), [1, 3, 0, 2])
        XCTAssertEqual(rankQueries(scores: [2, 2, 2, 2, 2], count: 2), [0, 1])
    }

    func testRankQueriesAgreesWithAFullSort() {
        var g = SeededGenerator(seed: 3)
        // Coarse scores so there are many ties.
        let scores = (0..<5000).map { _ in Double(g.nextInt(below: 50)) }
        let expected = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        for k in [1, 7, 100, 5000] {
            XCTAssertEqual(rankQueries(scores: scores, count: k), Array(expected.prefix(k)))
        }
    }

    func testLookupByName() {
        XCTAssertEqual(StrategyKind.named("Entropy")?.name, "entropy")
        XCTAssertEqual(StrategyKind.named("least_confident")?.name, "least-confident")
        XCTAssertEqual(StrategyKind.named("uncertainty")?.name, "least-confident")
        XCTAssertNil(StrategyKind.named("committee"))
    }
}
