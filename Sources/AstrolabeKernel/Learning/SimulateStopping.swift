import AstrolabeLearn

/// The stopping signals of one simulated curve, on a fixed stopping set of pool rows (as
/// small-text's criteria take them; Bloodgood & Vijay-Shanker's stop set need not be labelled).
final class StoppingWatcher {
    let model: ActiveModel
    let stoppingSet: [Int]
    private(set) var steps: [StoppingStep] = []
    private var previous: [Int]?

    init(model: ActiveModel, stoppingSet: [Int]) {
        self.model = model
        self.stoppingSet = stoppingSet
    }

    /// At most `limit` rows of the starting pool, evenly spread over it.
    static func stoppingSet(_ pool: [Int], limit: Int = 1000) -> [Int] {
        let step = max(1, (pool.count + limit - 1) / limit)
        return Array(stride(from: 0, to: pool.count, by: step).map { pool[$0] })
    }

    func observe(_ fitted: any Classifier, labels: Int) throws {
        let k = model.classes.count
        let probabilities = try fitted.predictProbabilities(model.x.selecting(rows: stoppingSet))
        let predicted = argmaxRows(probabilities, classCount: k)
        var step = StoppingStep(labels: labels,
                                uncertainty: StoppingSignals.meanNormalizedEntropy(probabilities: probabilities, classCount: k))
        if let previous {
            step.kappa = StoppingSignals.kappa(previous, predicted, classCount: k)
            let rows = Array(predicted.indices)
            let change = StoppingSignals.unchanged(rows: rows, previous: previous, rows: rows, current: predicted)
            step.unchanged = change.unchanged
            step.compared = change.compared
        }
        previous = predicted
        steps.append(step)
    }
}

extension Session {
    /// Where each default stopping rule would have stopped each strategy's loop (mean over the
    /// repeats; a repeat that never stops counts at the budget) and the test accuracy that cost
    /// against going on to the budget.
    func simulationStoppingReport(_ run: SimulationRun, strategies: [String]) -> String {
        var table = TextTable(header: ["rule", "stops when", "strategy", "stops at", "stopped in", "acc@stop", "lost vs budget"],
                              numericColumns: [3, 5, 6])
        for rule in StoppingRule.defaults {
            for name in strategies {
                let curves = run.curves[name] ?? []
                let stepsPerRepeat = run.stopping[name] ?? []
                var at: [Double] = [], accuracy: [Double] = [], lost: [Double] = []
                var stopped = 0
                for (curve, steps) in zip(curves, stepsPerRepeat) where !curve.accuracy.isEmpty {
                    let index = min(rule.firstStop(steps) ?? curve.accuracy.count - 1, curve.accuracy.count - 1)
                    if rule.firstStop(steps) != nil { stopped += 1 }
                    at.append(Double(curve.labels[index]))
                    accuracy.append(curve.accuracy[index])
                    lost.append(curve.accuracy[curve.accuracy.count - 1] - curve.accuracy[index])
                }
                table.append([rule.name, rule.summary, name, String(format: "%.1f", meanAndDeviation(at).0), "\(stopped) of \(curves.count)",
                              fixed(meanAndDeviation(accuracy).0), fixed(meanAndDeviation(lost).0)])
            }
        }
        return "stopping rules (signals on up to 1,000 pool rows; labels where each rule first said stop, "
            + "mean over repeats, the budget where it never did):\n" + table.rendered
    }
}

extension Session {
    /// For each adaptive strategy: which arm the bandit chose, as shares of the queries in up to
    /// five spans of the labelling budget (all repeats together), and its final arm probabilities.
    func banditReport(_ run: SimulationRun, strategies: [String], first: Int, budget: Int) -> String {
        var text = ""
        for name in strategies {
            guard let bandits = run.bandits[name], !bandits.isEmpty else { continue }
            let arms = AdaptiveBandit.arms
            let spans = min(5, max(1, budget - first))
            let width = Double(budget - first) / Double(spans)
            var counts = [[Int]](repeating: [Int](repeating: 0, count: arms.count), count: spans)
            for bandit in bandits {
                for choice in bandit.choices {
                    let span = min(spans - 1, max(0, Int(Double(choice.labels - first) / width)))
                    counts[span][choice.arm] += 1
                }
            }
            var table = TextTable(header: ["labels"] + arms, numericColumns: Set(1...arms.count))
            for (s, row) in counts.enumerated() {
                let total = max(1, row.reduce(0, +))
                let from = first + Int((Double(s) * width).rounded()), to = first + Int((Double(s + 1) * width).rounded())
                table.append(["\(from)–\(to)"] + row.map { String(format: "%.0f%%", 100 * Double($0) / Double(total)) })
            }
            var final = [Double](repeating: 0, count: arms.count)
            for bandit in bandits { for (i, p) in bandit.armProbabilities.enumerated() { final[i] += p / Double(bandits.count) } }
            table.append(["final p"] + final.map { fixed($0, 2) })
            text += "\n\(name): the strategy its bandit chose, share of the queries asked at each span of labels "
                + "(\(bandits.count) repeat\(bandits.count == 1 ? "" : "s")), and the arms' final probabilities:\n" + table.rendered
        }
        return text
    }
}
