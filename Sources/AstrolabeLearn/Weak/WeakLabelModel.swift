import Foundation

/// Combines the votes of labelling rules into a probabilistic label per row.
///
/// - `majority`: Snorkel's `MajorityLabelVoter` — the classes with the most votes share the
///   probability equally, a row no rule votes on is uniform, and a tie (or no vote) abstains.
/// - `generative`: Dawid–Skene EM (`DawidSkene`) with the rules as annotators and abstaining as a
///   response each rule's confusion matrix models, so a rule's accuracy is learned from how it
///   agrees with the others, without known labels. It starts from the majority vote's shares;
///   the class balance is estimated or given. Rows no rule votes on abstain; a tie abstains.
public struct WeakLabelModel: Sendable {
    public enum Method: String, CaseIterable, Sendable { case majority, generative }

    public let method: Method
    public let rows: Int, classes: Int
    /// rows × classes, row-major.
    public let probabilities: [Double]
    /// The label per row, or -1 (abstain: no vote or a tie).
    public let labels: [Int32]
    /// Estimated accuracy of each rule when it votes (generative only).
    public let accuracies: [Double]?
    /// Estimated (or given) class balance (generative only).
    public let priors: [Double]?
    public let iterations: Int

    /// The probability of the chosen label (0 where the model abstains).
    public func confidence(row: Int) -> Double {
        labels[row] < 0 ? 0 : probabilities[row * classes + Int(labels[row])]
    }

    /// EM stops when no row's probability moves by more than `tolerance` (or after `maxIterations`).
    public init(_ L: LabelMatrix, method: Method, balance: [Double]? = nil, maxIterations: Int = 100, tolerance: Double = 1e-10) throws {
        self.method = method
        rows = L.rows
        classes = L.classes
        let k = L.classes, m = L.rules
        switch method {
        case .majority:
            var p = [Double](repeating: 0, count: L.rows * k)
            var labels = [Int32](repeating: -1, count: L.rows)
            var counts = [Int](repeating: 0, count: k)
            for row in 0..<L.rows {
                for c in 0..<k { counts[c] = 0 }
                for j in 0..<m where L.votes[row * m + j] >= 0 { counts[Int(L.votes[row * m + j])] += 1 }
                var top = 0, winners = 0, first = 0
                for c in 0..<k {
                    if counts[c] > top { top = counts[c]; winners = 1; first = c } else if counts[c] == top { winners += 1 }
                }
                if top == 0 { winners = k }
                for c in 0..<k where counts[c] == top { p[row * k + c] = 1 / Double(winners) }
                if winners == 1, top > 0 { labels[row] = Int32(first) }
            }
            probabilities = p
            self.labels = labels
            accuracies = nil
            priors = nil
            iterations = 0
        case .generative:
            guard m >= 1 else { throw LearnError("the generative label model needs rules") }
            // Abstain is response k: every row answered by every rule.
            let model = try DawidSkene(matrix: L.votes, annotators: m, classes: k, responses: k + 1, abstain: k, priors: balance,
                                       maxIterations: maxIterations, tolerance: tolerance)
            probabilities = model.flatPosteriors
            var labels = [Int32](repeating: -1, count: L.rows)
            for row in 0..<L.rows where (0..<m).contains(where: { L.votes[row * m + $0] >= 0 }) {
                var best = 0, tie = false
                for c in 1..<max(1, k) {
                    let p = model.flatPosteriors[row * k + c], q = model.flatPosteriors[row * k + best]
                    if p > q { best = c; tie = false } else if p == q { tie = true }
                }
                if !tie { labels[row] = Int32(best) }
            }
            self.labels = labels
            accuracies = (0..<m).map(model.accuracy(of:))
            priors = model.priors
            iterations = model.iterations
        }
    }
}
