import XCTest
@testable import AstrolabeLearn

/// Simulated loops answering a batch of queries per iteration, against a loop written out here.
final class LearningCurveBatchTests: XCTestCase {
    struct Setup {
        var x: FeatureMatrix
        var labels: [Int]
        var test: [Int], initial: [Int], pool: [Int]
    }

    func setup() throws -> Setup {
        let data = try LabelledDataset.load("wine")
        let rows = Array(0..<data.labels.count)
        let initial = [0, 60, 140]
        return Setup(x: try FeatureScaler(.standard, fitting: data.features).transform(data.features), labels: data.labels,
                     test: rows.filter { $0 % 4 == 1 }, initial: initial,
                     pool: rows.filter { $0 % 4 != 1 && !initial.contains($0) })
    }

    /// The loop by hand: fit, score the test rows, take the `batch` pool rows of smallest margin
    /// between the two most probable classes (ties to the earlier pool position), refit.
    func referenceMarginLoop(_ s: Setup, budget: Int, batch: Int) throws -> (labels: [Int], accuracy: [Double]) {
        var training = s.initial, remaining = s.pool
        var labels: [Int] = [], accuracy: [Double] = []
        while true {
            var model = LogisticRegression()
            try model.fit(s.x.selecting(rows: training), labels: training.map { s.labels[$0] }, classCount: 3, seed: 1)
            let p = try model.predictProbabilities(s.x.selecting(rows: s.test))
            var right = 0
            for (i, row) in s.test.enumerated() {
                let q = Array(p[(i * 3)..<(i * 3 + 3)])
                let best = q.indices.max { q[$0] < q[$1] || (q[$0] == q[$1] && $0 > $1) } ?? 0
                if best == s.labels[row] { right += 1 }
            }
            labels.append(training.count)
            accuracy.append(Double(right) / Double(s.test.count))
            guard training.count < budget, !remaining.isEmpty else { break }
            let pool = try model.predictProbabilities(s.x.selecting(rows: remaining))
            let margins = remaining.indices.map { i -> Double in
                let q = pool[(i * 3)..<(i * 3 + 3)].sorted(by: >)
                return q[0] - q[1]
            }
            let n = min(batch, budget - training.count)
            let chosen = remaining.indices.sorted { margins[$0] < margins[$1] || (margins[$0] == margins[$1] && $0 < $1) }.prefix(n)
            training += chosen.map { remaining[$0] }
            let taken = Set(chosen)
            remaining = remaining.indices.filter { !taken.contains($0) }.map { remaining[$0] }
        }
        return (labels, accuracy)
    }

    func run(_ s: Setup, budget: Int, batch: Int, picker: LearningCurve.Picker) throws -> LearningCurve.Curve {
        try LearningCurve.run(x: s.x, labels: s.labels, classCount: 3, test: s.test, initial: s.initial, pool: s.pool,
                              budget: budget, batch: batch, classifier: LogisticRegression(), picker: picker, seed: 1)
    }

    func testBatchOfOneIsTheOneQueryLoop() throws {
        let s = try setup()
        let reference = try referenceMarginLoop(s, budget: 20, batch: 1)
        let curve = try run(s, budget: 20, batch: 1, picker: .strategy(MarginSampling()))
        XCTAssertEqual(curve.labels, Array(3...20))
        XCTAssertEqual(curve.labels, reference.labels)
        XCTAssertEqual(curve.accuracy, reference.accuracy)
        // The one-label-per-step entry point gives the same accuracies.
        XCTAssertEqual(try LearningCurve.run(x: s.x, labels: s.labels, classCount: 3, test: s.test, initial: s.initial, pool: s.pool,
                                             budget: 20, classifier: LogisticRegression(), picker: .strategy(MarginSampling()), seed: 1),
                       curve.accuracy)
        XCTAssertEqual(LearningCurve.areaUnderCurve(curve), LearningCurve.areaUnderCurve(curve.accuracy))
    }

    func testBatchesTakeTheTopScoresAndEndAtTheBudget() throws {
        let s = try setup()
        let reference = try referenceMarginLoop(s, budget: 30, batch: 4)
        let curve = try run(s, budget: 30, batch: 4, picker: .strategy(MarginSampling()))
        XCTAssertEqual(curve.labels, [3, 7, 11, 15, 19, 23, 27, 30])
        XCTAssertEqual(curve.labels, reference.labels)
        XCTAssertEqual(curve.accuracy, reference.accuracy)
        XCTAssertEqual(curve, try run(s, budget: 30, batch: 4, picker: .strategy(MarginSampling())))
        // Random batches: deterministic for a seed, and N draws per iteration.
        let random = try run(s, budget: 30, batch: 4, picker: .random(seed: 5))
        XCTAssertEqual(random, try run(s, budget: 30, batch: 4, picker: .random(seed: 5)))
        XCTAssertEqual(random.labels, curve.labels)
        // A batch of random draws takes the same rows as that many single draws.
        let single = try run(s, budget: 11, batch: 1, picker: .random(seed: 5))
        let batched = try run(s, budget: 11, batch: 8, picker: .random(seed: 5))
        XCTAssertEqual(batched.labels, [3, 11])
        XCTAssertEqual(batched.accuracy.last, single.accuracy.last)
        XCTAssertThrowsError(try run(s, budget: 30, batch: 0, picker: .random(seed: 5)))
    }

    func testAreaAndLabelsToReachOverUnevenSteps() {
        // Trapezoids over label counts 10, 14, 16: 4 × 0.6 + 2 × 0.85 = 4.1 over width 6.
        let curve = LearningCurve.Curve(labels: [10, 14, 16], accuracy: [0.5, 0.7, 1.0])
        XCTAssertEqual(LearningCurve.areaUnderCurve(curve), 4.1 / 6, accuracy: 1e-15)
        XCTAssertEqual(LearningCurve.labelsToReach(0.95, of: 1, curve: curve), 16)
        XCTAssertEqual(LearningCurve.labelsToReach(0.6, of: 1, curve: curve), 14)
        XCTAssertNil(LearningCurve.labelsToReach(0.95, of: 1, curve: LearningCurve.Curve(labels: [1, 2], accuracy: [1, 0.5])))
    }
}
