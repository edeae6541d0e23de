/// Replays an active-learning loop with an oracle (the true labels) answering, one query at a
/// time, and records the test accuracy after every label: the learning curve `simulate` draws and
/// the benchmarks compare with modAL.
public enum LearningCurve {
    /// How the simulated learner picks the next row.
    public enum Picker {
        /// The best score of a strategy on the classifier's probabilities (ties to the earliest
        /// pool row, as modAL's argmax).
        case strategy(any QueryStrategy)
        /// The best score of a committee strategy (the classifier must be a committee, possibly
        /// behind a `ScaledClassifier`).
        case committee(any CommitteeStrategy)
        /// Uniformly random pool positions from a seeded generator.
        case random(seed: UInt64)
        /// Given positions in the shrinking pool (to replay another tool's random draws).
        case positions([Int])
        /// Any other rule: given the fitted classifier, the training rows and the remaining pool
        /// rows, the position in the pool to label next (density-weighted and batch strategies,
        /// which need the rows' features, live in the kernel).
        case choose((_ fitted: any Classifier, _ training: [Int], _ remaining: [Int]) throws -> Int)
    }

    /// Accuracy on `test` after `initial.count`, `initial.count + 1`, …, `budget` labels.
    ///
    /// `pool` is the order candidates are kept in (a picked row is removed, the rest keep their
    /// order). The classifier is refitted from scratch semantics (same seed) after every label.
    public static func run(x: FeatureMatrix, labels: [Int], classCount: Int, test: [Int], initial: [Int],
                           pool: [Int], budget: Int, classifier: any Classifier, picker: Picker,
                           seed: UInt64) throws -> [Double] {
        var model = classifier
        var training = initial
        var remaining = pool
        let testX = try x.selecting(rows: test)
        let truth = test.map { labels[$0] }
        var generator: SeededGenerator?
        if case .random(let s) = picker { generator = SeededGenerator(seed: s) }
        var curve: [Double] = []
        var step = 0
        while true {
            try model.fit(x.selecting(rows: training), labels: training.map { labels[$0] },
                          classCount: classCount, seed: seed)
            let predicted = try model.predict(testX)
            curve.append(Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(max(truth.count, 1)))
            guard training.count < budget, !remaining.isEmpty else { break }
            let position: Int
            switch picker {
            case .strategy(let strategy):
                let p = try model.predictProbabilities(x.selecting(rows: remaining))
                position = rankQueries(scores: strategy.scores(probabilities: p, classCount: classCount, seed: seed),
                                       count: 1).first ?? 0
            case .committee(let strategy):
                let poolX = try x.selecting(rows: remaining)
                let members: [[Double]]
                if let scaled = model as? ScaledClassifier, let m = try scaled.memberProbabilities(poolX) {
                    members = m
                } else if let committee = model as? Committee {
                    members = try committee.memberProbabilities(poolX)
                } else {
                    throw LearnError("strategy \(strategy.name) needs a committee")
                }
                position = rankQueries(scores: strategy.scores(memberProbabilities: members, classCount: classCount),
                                       count: 1).first ?? 0
            case .random:
                position = generator?.nextInt(below: remaining.count) ?? 0
            case .choose(let rule):
                position = try rule(model, training, remaining)
                guard position >= 0, position < remaining.count else {
                    throw LearnError("the query rule chose position \(position) of a pool of \(remaining.count)")
                }
            case .positions(let list):
                guard step < list.count, list[step] >= 0, list[step] < remaining.count else {
                    throw LearnError("the given random picks run out or leave the pool at step \(step + 1)")
                }
                position = list[step]
            }
            training.append(remaining.remove(at: position))
            step += 1
        }
        return curve
    }

    /// Area under the budget curve: the trapezoid area of `curve` (one accuracy per label count,
    /// starting at `firstLabels`) divided by its width, so a model perfect from the start scores 1.
    /// This is B5's normalised AULC.
    public static func areaUnderCurve(_ curve: [Double]) -> Double {
        guard curve.count >= 2 else { return curve.first ?? 0 }
        var area = 0.0
        for i in 1..<curve.count { area += (curve[i] + curve[i - 1]) / 2 }
        return area / Double(curve.count - 1)
    }

    /// The fewest labels (counting from `firstLabels`) from which `curve` stays at or above
    /// `fraction` of `reference` until the end, or nil if its last point is below. "Stays" rather
    /// than "first touches": early curves on a handful of labels jump about.
    public static func labelsToReach(_ fraction: Double, of reference: Double, curve: [Double], firstLabels: Int) -> Int? {
        let threshold = fraction * reference
        guard let last = curve.last, last >= threshold else { return nil }
        let lastBelow = curve.lastIndex { $0 < threshold }
        return (lastBelow.map { $0 + 1 } ?? 0) + firstLabels
    }
}
