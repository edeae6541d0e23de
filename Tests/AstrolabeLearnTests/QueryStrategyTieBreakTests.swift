import XCTest
@testable import AstrolabeLearn

final class QueryStrategyTieBreakTests: XCTestCase {
    func testSeededTieBreakKeepsScoreOrderButShufflesTies() {
        // 1000 tied rows at the top score, then lower scores.
        let scores = [Double](repeating: 1.0, count: 1000) + [0.5, 0.2]
        let plain = rankQueries(scores: scores, count: 5)
        XCTAssertEqual(plain, [0, 1, 2, 3, 4], "without a seed ties go to the lower index")
        let seeded = rankQueries(scores: scores, count: 5, tieBreakSeed: 7)
        XCTAssertEqual(seeded, rankQueries(scores: scores, count: 5, tieBreakSeed: 7), "same seed, same order")
        XCTAssertNotEqual(seeded, plain, "a seed spreads the questions over the tied rows")
        XCTAssertNotEqual(seeded, rankQueries(scores: scores, count: 5, tieBreakSeed: 8))
        XCTAssertTrue(seeded.allSatisfy { $0 < 1000 }, "ties never outrank a higher score")
        // Strictly ordered scores are unaffected by the seed.
        XCTAssertEqual(rankQueries(scores: [0.1, 0.9, 0.5, .nan], count: 4, tieBreakSeed: 3), [1, 2, 0, 3])
    }
}
