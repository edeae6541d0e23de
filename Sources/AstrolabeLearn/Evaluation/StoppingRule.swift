import Foundation

/// What a stopping rule reads of one fit: the labels it was trained on and the stopping signals
/// against the previous fit's predictions over the rows both fits predicted (nil for the first fit).
public struct StoppingStep: Sendable, Equatable {
    public var labels: Int
    /// Cohen's kappa between this fit's predictions and the previous fit's.
    public var kappa: Double?
    /// Rows whose predicted class did not change, of `compared` rows predicted by both fits.
    public var unchanged: Int?
    public var compared: Int?
    /// The mean normalised entropy of this fit's probabilities (`StoppingSignals.meanNormalizedEntropy`).
    public var uncertainty: Double?

    public init(labels: Int, kappa: Double? = nil, unchanged: Int? = nil, compared: Int? = nil, uncertainty: Double? = nil) {
        self.labels = labels
        self.kappa = kappa
        self.unchanged = unchanged
        self.compared = compared
        self.uncertainty = uncertainty
    }
}

/// When to stop asking for labels. Each rule's decision after each fit is small-text's
/// (1.4) for the same predictions:
///
/// - `kappa`: stabilising predictions (Bloodgood & Vijay-Shanker 2009; small-text `KappaAverage`):
///   stop once the mean kappa between successive fits over the last `window` pairs is ≥ `threshold`.
/// - `uncertainty`: overall uncertainty (Zhu, Wang & Hovy 2008; `OverallUncertainty`): stop once the
///   mean normalised entropy of the predictions is < `threshold`.
/// - `change`: classification change (Zhu et al.; `ClassificationChange`): stop once at most a
///   `threshold` fraction of the predictions changed since the previous fit.
/// - `budget`: stop at `labels` labels.
public enum StoppingRule: Sendable, Equatable {
    case kappa(threshold: Double, window: Int)
    case uncertainty(threshold: Double)
    case change(threshold: Double)
    case budget(labels: Int)

    /// The names `rule=` takes.
    public static let names = ["kappa", "uncertainty", "change", "budget"]

    /// The defaults small-text uses (kappa 0.99 over 3, entropy 0.05, no change).
    public static let defaults: [StoppingRule] = [.kappa(threshold: 0.99, window: 3), .uncertainty(threshold: 0.05),
                                                  .change(threshold: 0)]

    public var name: String {
        switch self {
        case .kappa: "kappa"
        case .uncertainty: "uncertainty"
        case .change: "change"
        case .budget: "budget"
        }
    }

    /// The rule and its settings in words: "mean kappa ≥ 0.99 over 3 fits".
    public var summary: String {
        switch self {
        case .kappa(let t, let w): "mean kappa ≥ \(Self.number(t)) over \(w) fits"
        case .uncertainty(let t): "mean normalised entropy < \(Self.number(t))"
        case .change(let t): t == 0 ? "no prediction changed" : "≤ \(Self.number(t * 100))% of predictions changed"
        case .budget(let n): "\(n) labels"
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%g", x)
    }

    /// Whether the rule says stop after each step (each fit), in order.
    public func decisions(_ steps: [StoppingStep]) -> [Bool] {
        switch self {
        case .kappa(let threshold, let window):
            var kappas: [Double] = []
            return steps.map { step in
                guard let k = step.kappa else { return false }
                kappas.append(k)
                guard kappas.count >= window else { return false }
                kappas.removeFirst(kappas.count - window)
                return kappas.reduce(0, +) / Double(window) >= threshold
            }
        case .uncertainty(let threshold):
            return steps.map { step in step.uncertainty.map { $0 < threshold } ?? false }
        case .change(let threshold):
            return steps.map { step in
                guard let same = step.unchanged, let n = step.compared else { return false }
                return Double(same) >= Double(n) * (1 - threshold)
            }
        case .budget(let labels):
            return steps.map { $0.labels >= labels }
        }
    }

    /// The index of the first step at which the rule says stop, or nil.
    public func firstStop(_ steps: [StoppingStep]) -> Int? {
        decisions(steps).firstIndex(of: true)
    }

    /// The signal the rule reads at `step` in words ("kappa 0.995 (mean of 3)").
    public func signal(_ steps: [StoppingStep], at index: Int) -> String {
        let step = steps[index]
        switch self {
        case .kappa(_, let window):
            let kappas = steps[...index].compactMap(\.kappa).suffix(window)
            guard let last = kappas.last else { return "no kappa yet" }
            let mean = kappas.reduce(0, +) / Double(kappas.count)
            return String(format: "kappa %.3f, mean %.3f of %d", last, mean, kappas.count)
        case .uncertainty:
            return step.uncertainty.map { String(format: "entropy %.3f", $0) } ?? "no pool"
        case .change:
            guard let same = step.unchanged, let n = step.compared else { return "no previous fit" }
            return "\(n - same) of \(n) changed"
        case .budget(let labels):
            return "\(step.labels) of \(labels) labels"
        }
    }
}

/// The stopping signals of a sequence of fits whose predictions cover the same rows (a fixed
/// stopping set, as small-text's criteria take): kappa and unchanged rows against the previous fit,
/// and the mean normalised entropy of each fit.
public func stoppingSteps(labels: [Int], predictions: [[Int]], probabilities: [[Double]], classCount: Int) -> [StoppingStep] {
    var steps: [StoppingStep] = []
    for i in predictions.indices {
        var step = StoppingStep(labels: i < labels.count ? labels[i] : i)
        if i < probabilities.count {
            step.uncertainty = StoppingSignals.meanNormalizedEntropy(probabilities: probabilities[i], classCount: classCount)
        }
        if i > 0 {
            let rows = Array(predictions[i].indices)
            step.kappa = StoppingSignals.kappa(predictions[i - 1], predictions[i], classCount: classCount)
            let change = StoppingSignals.unchanged(rows: rows, previous: predictions[i - 1], rows: rows, current: predictions[i])
            step.unchanged = change.unchanged
            step.compared = change.compared
        }
        steps.append(step)
    }
    return steps
}
