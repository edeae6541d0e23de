/// Replays an active-learning loop with an oracle (the true labels) answering, one query at a
/// time, and records the test accuracy after every label: the learning curve `simulate` draws and
/// the benchmarks compare with modAL.
public enum LearningCurve {
    /// How the simulated learner picks the next row.
    public enum Picker {
        /// The best score of a strategy on the classifier's probabilities (ties to the lowest
        /// tie-break key when `run` is given keys, else to the earliest pool row, as modAL's argmax).
        case strategy(any QueryStrategy)
        /// The best score of a committee strategy (the classifier must be a committee, possibly
        /// behind a `ScaledClassifier`).
        case committee(any CommitteeStrategy)
        /// Uniformly random pool positions from a seeded generator.
        case random(seed: UInt64)
        /// Given positions in the shrinking pool (to replay another tool's random draws).
        case positions([Int])
        /// Any other rule: given the fitted classifier, the training rows, the remaining pool
        /// rows and how many to pick, the positions in the pool to label next, best first
        /// (a `PoolStrategy` through the caller, which knows the space the rows are measured in).
        case choose((_ fitted: any Classifier, _ training: [Int], _ remaining: [Int], _ count: Int) throws -> [Int])
    }

    /// A learning curve: test accuracy after each fit, and the number of labels of that fit.
    public struct Curve: Equatable, Sendable {
        public var labels: [Int]
        public var accuracy: [Double]
        /// Each fit's recall of every class (`classCount` values per fit; 0 for a class absent from
        /// the test rows), for the rare classes accuracy hides.
        public var recall: [[Double]] = []
        public init(labels: [Int], accuracy: [Double]) {
            self.labels = labels
            self.accuracy = accuracy
        }
    }

    /// Accuracy on `test` after `initial.count`, `initial.count + 1`, …, `budget` labels.
    ///
    /// `pool` is the order candidates are kept in (a picked row is removed, the rest keep their
    /// order). The classifier is refitted from scratch semantics (same seed) after every label.
    public static func run(x: FeatureMatrix, labels: [Int], classCount: Int, test: [Int], initial: [Int],
                           pool: [Int], budget: Int, classifier: any Classifier, picker: Picker,
                           seed: UInt64, tieBreakKeys: [UInt64]? = nil) throws -> [Double] {
        try run(x: x, labels: labels, classCount: classCount, test: test, initial: initial, pool: pool,
                budget: budget, batch: 1, classifier: classifier, picker: picker, seed: seed,
                tieBreakKeys: tieBreakKeys).accuracy
    }

    /// The loop answering `batch` queries per iteration before refitting: accuracy after
    /// `initial.count`, `initial.count + batch`, …, and `budget` labels (the last batch may be
    /// smaller so the curve ends at the budget). Each batch is the picker's best `batch` rows at
    /// once — a strategy's top scores, a batch strategy's diverse batch, or `batch` random draws —
    /// so with `batch` 1 this is the one-query-at-a-time loop. `tieBreakKeys` (one per row of `x`,
    /// from `tieBreakKeys(ids:seed:)`) break ties among a strategy's scores independently of the
    /// pool's order; without them ties go to the earliest pool row. `afterFit` hears the number of
    /// labels after each fit (progress; it may throw to stop the run, e.g. on Ctrl-C); `watch` sees
    /// each fitted model with its training rows and the pool left (stopping signals).
    public static func run(x: FeatureMatrix, labels: [Int], classCount: Int, test: [Int], initial: [Int],
                           pool: [Int], budget: Int, batch: Int, classifier: any Classifier, picker: Picker,
                           seed: UInt64, tieBreakKeys: [UInt64]? = nil, weak: [Int: Int] = [:],
                           afterFit: ((_ labels: Int) throws -> Void)? = nil,
                           watch: ((_ fitted: any Classifier, _ training: [Int], _ remaining: [Int]) throws -> Void)? = nil) throws -> Curve {
        guard batch >= 1 else { throw LearnError("a batch must hold at least 1 query, got \(batch)") }
        if let keys = tieBreakKeys, keys.count != x.rows {
            throw LearnError("\(keys.count) tie-break keys for \(x.rows) rows")
        }
        var model = classifier
        var training = initial
        var remaining = pool
        let testX = try x.selecting(rows: test)
        let truth = test.map { labels[$0] }
        var generator: SeededGenerator?
        if case .random(let s) = picker { generator = SeededGenerator(seed: s) }
        var curve = Curve(labels: [], accuracy: [])
        var step = 0
        // Weak labels (a label model's) train beside the answers, never on test rows; an answered row keeps its answer.
        let testSet = Set(test)
        let weakRows = weak.keys.filter { !testSet.contains($0) && (0..<x.rows).contains($0) }.sorted()
        while true {
            let answered = Set(training)
            let extra = weakRows.filter { !answered.contains($0) }
            try model.fit(x.selecting(rows: training + extra), labels: training.map { labels[$0] } + extra.map { weak[$0] ?? 0 },
                          classCount: classCount, seed: seed)
            let predicted = try model.predict(testX)
            curve.labels.append(training.count)
            curve.accuracy.append(Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(max(truth.count, 1)))
            curve.recall.append(classRecall(truth: truth, predicted: predicted, classCount: classCount))
            try afterFit?(training.count)
            try watch?(model, training, remaining)
            guard training.count < budget, !remaining.isEmpty else { break }
            let count = min(batch, budget - training.count, remaining.count)
            // Positions in `remaining` as it is now, best first.
            var positions: [Int] = []
            switch picker {
            case .strategy(let strategy):
                let p = try model.predictProbabilities(x.selecting(rows: remaining))
                positions = rankQueries(scores: strategy.scores(probabilities: p, classCount: classCount, seed: seed),
                                        count: count, tieBreakKeys: tieBreakKeys.map { keys in remaining.map { keys[$0] } })
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
                positions = rankQueries(scores: strategy.scores(memberProbabilities: members, classCount: classCount),
                                        count: count, tieBreakKeys: tieBreakKeys.map { keys in remaining.map { keys[$0] } })
            case .random, .positions:
                // Draws from the shrinking pool, one at a time, as modAL's random loop does.
                var left = Array(remaining.indices)
                for _ in 0..<count {
                    let draw: Int
                    if case .positions(let list) = picker {
                        guard step < list.count, list[step] >= 0, list[step] < left.count else {
                            throw LearnError("the given random picks run out or leave the pool at step \(step + 1)")
                        }
                        draw = list[step]
                    } else {
                        draw = generator?.nextInt(below: left.count) ?? 0
                    }
                    positions.append(left.remove(at: draw))
                    step += 1
                }
            case .choose(let rule):
                positions = try rule(model, training, remaining, count)
                guard !positions.isEmpty, positions.count <= count, positions.allSatisfy({ $0 >= 0 && $0 < remaining.count }),
                      Set(positions).count == positions.count else {
                    throw LearnError("the query rule chose positions \(positions) of a pool of \(remaining.count)")
                }
            }
            guard !positions.isEmpty else { break }
            training.append(contentsOf: positions.map { remaining[$0] })
            let taken = Set(positions)
            remaining = remaining.indices.filter { !taken.contains($0) }.map { remaining[$0] }
        }
        return curve
    }

    /// The recall of each class: rows of the class predicted as it over rows of the class (0 when none).
    static func classRecall(truth: [Int], predicted: [Int], classCount: Int) -> [Double] {
        var hits = [Double](repeating: 0, count: classCount), totals = [Double](repeating: 0, count: classCount)
        for (t, p) in zip(truth, predicted) where t >= 0 && t < classCount {
            totals[t] += 1
            if t == p { hits[t] += 1 }
        }
        return (0..<classCount).map { totals[$0] > 0 ? hits[$0] / totals[$0] : 0 }
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

    /// The same area when the points are `labels` apart (batches): trapezoids over the label
    /// counts, divided by the width. Equal to `areaUnderCurve(accuracy)` for one label per step.
    public static func areaUnderCurve(_ curve: Curve) -> Double {
        guard curve.accuracy.count >= 2, curve.labels.count == curve.accuracy.count,
              let first = curve.labels.first, let last = curve.labels.last, last > first else {
            return curve.accuracy.first ?? 0
        }
        if last - first == curve.labels.count - 1 { return areaUnderCurve(curve.accuracy) }
        var area = 0.0
        for i in 1..<curve.accuracy.count {
            area += Double(curve.labels[i] - curve.labels[i - 1]) * (curve.accuracy[i] + curve.accuracy[i - 1]) / 2
        }
        return area / Double(last - first)
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

    /// `labelsToReach` on a curve with its label counts: the label count of the first point from
    /// which the curve stays at or above the threshold.
    public static func labelsToReach(_ fraction: Double, of reference: Double, curve: Curve) -> Int? {
        let threshold = fraction * reference
        guard let last = curve.accuracy.last, last >= threshold else { return nil }
        let start = curve.accuracy.lastIndex { $0 < threshold }.map { $0 + 1 } ?? 0
        return start < curve.labels.count ? curve.labels[start] : nil
    }
}
