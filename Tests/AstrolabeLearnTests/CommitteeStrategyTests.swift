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

    /// A pool of several thousand rows (many blocks), 4 classes, 5 members whose votes are chosen
    /// first: member m votes v for row r, its row puts the largest value at v, the same value again
    /// at a later class (a tie, lost by the later class) and sometimes NaN at an earlier one (NaN
    /// loses to any number). The scores must be the entropies of those chosen votes.
    func testVoteEntropyOnAManyBlockPoolMatchesTheChosenVotes() {
        let rows = 10_000, k = 4, memberCount = 5
        func vote(_ r: Int, _ m: Int) -> Int { (r % 7 == 0) ? r % k : (r / 3 + m * (r % 5)) % k }
        var members = [[Double]](repeating: [], count: memberCount)
        for m in 0..<memberCount {
            for r in 0..<rows {
                let v = vote(r, m)
                var row = [Double](repeating: 0.1, count: k)
                row[v] = 0.6
                if v + 1 < k, r % 2 == 0 { row[v + 1] = 0.6 }
                if v > 0, r % 3 == 0 { row[v - 1] = .nan }
                members[m] += row
            }
        }
        let scores = VoteEntropy().scores(memberProbabilities: members, classCount: k)
        XCTAssertEqual(scores.count, rows)
        for r in 0..<rows {
            var counts = [Int](repeating: 0, count: k)
            for m in 0..<memberCount { counts[vote(r, m)] += 1 }
            let expected = counts.filter { $0 > 0 }.reduce(0.0) { h, n in
                let p = Double(n) / Double(memberCount)
                return h - p * log(p)
            }
            XCTAssertEqual(scores[r], expected, accuracy: 1e-12, "row \(r), votes \(counts)")
        }
        XCTAssertEqual(scores[0], 0)  // row 0: every member votes 0
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
        XCTAssertEqual(StrategyKind.named("KL")?.name, "max-disagreement")
        XCTAssertEqual(StrategyKind.named("kl_max_disagreement")?.name, "max-disagreement")
        XCTAssertEqual(StrategyKind.named("vote_entropy")?.name, "vote-entropy")
        XCTAssertNil(StrategyKind.named("votes"))
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

/// Learning-curve summaries and the simulated loop, by hand and for determinism.
final class LearningCurveTests: XCTestCase {
    func testAreaAndLabelsToReach() {
        // Trapezoids: (0.5+0.7)/2 + (0.7+0.9)/2 = 1.4 over width 2.
        XCTAssertEqual(LearningCurve.areaUnderCurve([0.5, 0.7, 0.9]), 0.7, accuracy: 1e-15)
        // 95% of 1.0: touches at index 1, dips at 2, stays from 3 on → 10 + 3 labels.
        XCTAssertEqual(LearningCurve.labelsToReach(0.95, of: 1, curve: [0.5, 0.96, 0.9, 0.95, 0.97], firstLabels: 10), 13)
        XCTAssertNil(LearningCurve.labelsToReach(0.95, of: 1, curve: [0.96, 0.5], firstLabels: 10))
    }

    func testSimulationIsDeterministicAndRandomPicksReplay() throws {
        let data = try LabelledDataset.load("wine")
        let rows = Array(0..<data.labels.count)
        let test = rows.filter { $0 % 4 == 1 }, initial = [0, 60, 140], pool = rows.filter { $0 % 4 != 1 && ![0, 60, 140].contains($0) }
        let x = try FeatureScaler(.standard, fitting: data.features).transform(data.features)
        func run(_ picker: LearningCurve.Picker) throws -> [Double] {
            try LearningCurve.run(x: x, labels: data.labels, classCount: 3, test: test, initial: initial, pool: pool,
                                  budget: 20, classifier: LogisticRegression(), picker: picker, seed: 1)
        }
        let margin = try run(.strategy(MarginSampling()))
        XCTAssertEqual(margin.count, 18)
        XCTAssertEqual(margin, try run(.strategy(MarginSampling())))
        XCTAssertEqual(try run(.random(seed: 5)), try run(.random(seed: 5)))
        // Position 0 every time takes the pool in order.
        XCTAssertEqual(try run(.positions([Int](repeating: 0, count: 17))).count, 18)
        XCTAssertThrowsError(try run(.positions([0])))
        // Warm start converges to the same optimum as a cold start.
        var warm = LogisticRegression(); warm.warmStart = true
        let warmCurve = try LearningCurve.run(x: x, labels: data.labels, classCount: 3, test: test, initial: initial, pool: pool,
                                              budget: 20, classifier: warm, picker: .strategy(MarginSampling()), seed: 1)
        XCTAssertEqual(warmCurve, margin)
    }
}
