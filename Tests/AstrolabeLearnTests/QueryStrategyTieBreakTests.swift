import XCTest
@testable import AstrolabeLearn

final class QueryStrategyTieBreakTests: XCTestCase {
    func testKeyedTieBreakKeepsScoreOrderButShufflesTies() {
        // 1000 tied rows at the top score, then lower scores.
        let scores = [Double](repeating: 1.0, count: 1000) + [0.5, 0.2]
        let ids = scores.indices.map { "row-\($0)" }
        let plain = rankQueries(scores: scores, count: 5)
        XCTAssertEqual(plain, [0, 1, 2, 3, 4], "without keys ties go to the lower index")
        let keyed = rankQueries(scores: scores, count: 5, tieBreakKeys: tieBreakKeys(ids: ids, seed: 7))
        XCTAssertEqual(keyed, rankQueries(scores: scores, count: 5, tieBreakKeys: tieBreakKeys(ids: ids, seed: 7)), "same seed, same order")
        XCTAssertNotEqual(keyed, plain, "keys spread the questions over the tied rows")
        XCTAssertNotEqual(keyed, rankQueries(scores: scores, count: 5, tieBreakKeys: tieBreakKeys(ids: ids, seed: 8)))
        XCTAssertTrue(keyed.allSatisfy { $0 < 1000 }, "ties never outrank a higher score")
        // Strictly ordered scores are unaffected by the keys.
        XCTAssertEqual(rankQueries(scores: [0.1, 0.9, 0.5, .nan], count: 4,
                                   tieBreakKeys: tieBreakKeys(ids: ["a", "b", "c", "d"], seed: 3)), [1, 2, 0, 3])
    }

    /// The rows of a file sorted by class, and the same rows shuffled: with keys from the row ids,
    /// the tied rows chosen are the same rows (by id) in both orders — not the first rows of the file.
    func testAPermutationOfTheRowsPermutesTheChoice() {
        var generator = SeededGenerator(seed: 11)
        // Scores on a coarse grid, as a forest's vote fractions: many ties.
        let scores = (0..<500).map { _ in Double(generator.nextInt(below: 4)) / 4 }
        let ids = scores.indices.map { "4FGL J\($0)" }
        let chosen = rankQueries(scores: scores, count: 20, tieBreakKeys: tieBreakKeys(ids: ids, seed: 42)).map { ids[$0] }
        var order = Array(scores.indices)
        order.seededShuffle(using: &generator)
        let permutedScores = order.map { scores[$0] }, permutedIDs = order.map { ids[$0] }
        let permuted = rankQueries(scores: permutedScores, count: 20,
                                   tieBreakKeys: tieBreakKeys(ids: permutedIDs, seed: 42)).map { permutedIDs[$0] }
        XCTAssertEqual(permuted, chosen)
        XCTAssertGreaterThan(tieCount(scores, at: 0.75), 20, "the choice was among tied rows")
        XCTAssertNotEqual(chosen, rankQueries(scores: scores, count: 20).map { ids[$0] }, "not the earliest rows")
    }

    func testTieCount() {
        XCTAssertEqual(tieCount([1, 0.5, 1, .nan, 1], at: 1), 3)
        XCTAssertEqual(tieCount([1, .nan, .nan], at: .nan), 2)
        XCTAssertEqual(tieCount([], at: 0), 0)
    }
}
