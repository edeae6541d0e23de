import Foundation
import XCTest
@testable import AstrolabeLearn

/// The EXP4.P bandit of `strategy=adaptive` (libact's ALBL): its parameters, one update by hand,
/// and seeded draws.
final class AdaptiveSamplingTests: XCTestCase {
    func testParametersAsLibact() {
        let bandit = AdaptiveBandit(budget: 40, seed: 1)
        // N = K = 5 arms: pmin = sqrt(ln 5 / 5 / 40).
        XCTAssertEqual(bandit.pmin, (log(5.0) / 5 / 40).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(bandit.armProbabilities, [Double](repeating: 0.2, count: 5))
    }

    /// One round by hand: margin and entropy advise pool position 3, the others elsewhere; the row
    /// asked is the one the first draw gives, and the update follows libact's formula.
    func testOneUpdateByHand() throws {
        let bandit = AdaptiveBandit(budget: 10, seed: 7)
        let poolRows = Array(100..<110)
        let advice: [[Int]?] = [[3, 1], [3, 2], [5, 3], [7, 3], nil]
        let round = bandit.draw(advice: advice, poolRows: poolRows, count: 1, labels: 5)
        let asked = try XCTUnwrap(round.positions.first)
        // q: 0.2 per advising arm, plus the random arm's 0.2 / 10 everywhere.
        XCTAssertEqual(round.q[3], 0.4 + 0.02, accuracy: 1e-15)
        XCTAssertEqual(round.q.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(bandit.askedRows, [poolRows[asked]])
        bandit.reward(correct: [true], rows: 200)
        let q = round.q[asked]
        let iwacc = (1 / q) / 200 / 10
        let pmin = bandit.pmin
        let bonus = (log(5.0 / 0.1) / 5 / 10).squareRoot()
        for i in 0..<5 {
            let advised: Double = i == 4 ? 0.1 : (advice[i]?.first == asked ? 1 : 0)
            let expected = exp(pmin / 2 * (iwacc * advised / q + bonus / 0.2))
            XCTAssertEqual(bandit.weights[i], expected, accuracy: 1e-12, "arm \(i)")
        }
    }

    func testSeededDrawsRepeat() {
        func run(_ seed: UInt64) -> [Int] {
            let bandit = AdaptiveBandit(budget: 20, seed: seed)
            var asked: [Int] = []
            for round in 0..<10 {
                let advice: [[Int]?] = [[round], [round + 1], [round + 2], [round + 3], nil]
                asked += bandit.draw(advice: advice, poolRows: Array(0..<30), count: 2, labels: round).positions
                bandit.reward(correct: bandit.askedRows.map { $0 % 2 == 0 }, rows: 30)
            }
            return asked
        }
        XCTAssertEqual(run(3), run(3))
        XCTAssertNotEqual(run(3), run(4))
        XCTAssertEqual(Set(run(3)).count <= 20, true)
    }
}

/// `ties=`: a secondary criterion decides among equal scores before the draw by row id.
final class TieBreakTests: XCTestCase {
    func testSecondaryDecidesAmongTies() {
        let scores = [0.5, 1.0, 1.0, 1.0, 0.2]
        let keys: [UInt64] = [4, 3, 2, 1, 0]
        XCTAssertEqual(rankQueries(scores: scores, count: 2, tieBreakKeys: keys), [3, 2])
        XCTAssertEqual(rankQueries(scores: scores, count: 2, tieBreakKeys: keys, secondary: [0, 0.1, 0.9, 0.5, 1]), [2, 3])
        // Higher scores still come first whatever the secondary says.
        XCTAssertEqual(rankQueries(scores: scores, count: 4, tieBreakKeys: keys, secondary: [9, 0, 0, 0, 9]), [3, 2, 1, 0])
    }

    func testDiverseTiesGoFarthestFromTheLabels() throws {
        let pool = try FeatureMatrix(rows: 3, columns: 1, values: [0, 5, 10])
        let labelled = try FeatureMatrix(rows: 1, columns: 1, values: [1])
        XCTAssertEqual(Diversity.distanceToNearest(pool: pool, labelled: labelled), [1, 4, 9])
        let candidates = QueryPool(probabilities: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], classCount: 2, seed: 1, tieBreakKeys: [0, 1, 2],
                                   memberProbabilities: { nil }, poolSpace: { pool }, labelledSpace: { labelled },
                                   refitting: { throw LearnError("no refit") })
        var diverse = candidates
        diverse.ties = .diverse
        let margin = try XCTUnwrap(StrategyKind.named("margin"))
        XCTAssertEqual(try margin.select(candidates, count: 1).ranked, [0])
        XCTAssertEqual(try margin.select(diverse, count: 1).ranked, [2])
    }
}
