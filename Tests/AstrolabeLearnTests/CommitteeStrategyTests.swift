import XCTest
@testable import AstrolabeLearn

/// Committee disagreement measures and diversity selection, against values worked out by hand
/// (the entropies and divergences with Python's math module from the same numbers).
final class CommitteeStrategyTests: XCTestCase {
    /// Three members, two rows, three classes. Votes: row 0 → 0, 1, 2; row 1 → 1, 1, 0 (member C
    /// ties 0.4/0.4 and votes for the lower class).
    let members: [[Double]] = [
        [0.6, 0.3, 0.1, 0.2, 0.5, 0.3],
        [0.2, 0.7, 0.1, 0.1, 0.8, 0.1],
        [0.1, 0.2, 0.7, 0.4, 0.4, 0.2],
    ]

    func testVoteEntropyUsesHardVotes() {
        let s = VoteEntropy().scores(memberProbabilities: members, classCount: 3)
        XCTAssertEqual(s[0], log(3.0), accuracy: 1e-12)  // one vote each
        XCTAssertEqual(s[1], -(2.0 / 3 * log(2.0 / 3) + 1.0 / 3 * log(1.0 / 3)), accuracy: 1e-12)
    }

    func testConsensusEntropyIsEntropyOfTheMean() {
        let s = ConsensusEntropy().scores(memberProbabilities: members, classCount: 3)
        XCTAssertEqual(s[0], 1.0888999753452238, accuracy: 1e-12)  // mean (0.3, 0.4, 0.3)
        XCTAssertEqual(s[1], 0.9833122247384489, accuracy: 1e-12)  // mean (0.2333, 0.5667, 0.2)
    }

    func testMaxDisagreementIsLargestKLFromConsensus() {
        let s = MaxDisagreement().scores(memberProbabilities: members, classCount: 3)
        XCTAssertEqual(s[0], 0.3446178372922425, accuracy: 1e-12)
        XCTAssertEqual(s[1], 0.12182788493866864, accuracy: 1e-12)
        XCTAssertEqual(CommitteeStrategies.named("KL")?.name, "max-disagreement")
        XCTAssertEqual(CommitteeStrategies.named("vote_entropy")?.name, "vote-entropy")
        XCTAssertNil(CommitteeStrategies.named("votes"))
    }

    func testCommitteeMembersDifferAndConsensusIsTheirMean() throws {
        let x = try FeatureMatrix(rows: (0..<40).map { [Double($0 % 7), Double(($0 * 13) % 11)] })
        let labels = (0..<40).map { ($0 % 7 + ($0 * 13) % 11) % 2 }
        var committee = Committee(members: [RandomForest(trees: 5), RandomForest(trees: 5)])
        try committee.fit(x, labels: labels, classCount: 2, seed: 9)
        let each = try committee.memberProbabilities(x)
        XCTAssertNotEqual(each[0], each[1], "members get different seeds")
        let mean = try committee.predictProbabilities(x)
        for i in mean.indices { XCTAssertEqual(mean[i], (each[0][i] + each[1][i]) / 2, accuracy: 1e-15) }
    }

    /// Pool on a line at 0, 1, 2, 10; one labelled point at 0.
    func testKCenterGreedyCoversThePool() throws {
        let pool = try FeatureMatrix(rows: [[0], [1], [2], [10]])
        let labelled = try FeatureMatrix(rows: [[0]])
        XCTAssertEqual(Diversity.kCenterGreedy(pool: pool, labelled: labelled, count: 2), [3, 2])
    }

    /// α = 4/5; similarities to the labelled point 1, 1/2, 1/3, 1/11. First pick: row 3
    /// (0.8·10/11 + 0.2·0.1 = 0.747); then row 1 (0.8·0.5 + 0.2·0.8 = 0.56) over row 2 (0.553).
    func testRankedBatchTradesUncertaintyForDiversity() throws {
        let pool = try FeatureMatrix(rows: [[0], [1], [2], [10]])
        let labelled = try FeatureMatrix(rows: [[0]])
        XCTAssertEqual(Diversity.rankedBatch(uncertainty: [0.9, 0.8, 0.1, 0.1], pool: pool,
                                             labelled: labelled, count: 2), [3, 1])
    }

    func testDensityIsMeanSimilarity() throws {
        let pool = try FeatureMatrix(rows: [[0], [1], [3]])
        let d = Diversity.density(pool, reference: pool)
        XCTAssertEqual(d[0], (1 + 0.5 + 0.25) / 3, accuracy: 1e-15)
        XCTAssertEqual(d[2], (0.25 + 1.0 / 3 + 1) / 3, accuracy: 1e-15)
        XCTAssertEqual(Diversity.densityWeighted(scores: [0.5, 0.5], density: [0.25, 1], beta: 2), [0.03125, 0.5])
    }
}
