/// How much each class's training rows count (scikit-learn's `class_weight`), for the rare classes
/// of astronomical catalogues: `balanced` weighs class c by n / (K · n_c), K the number of classes
/// present in the labels, so every class carries the same total weight; `balancedSubsample` does so
/// per bootstrap sample of a forest (plain `balanced` where there is no bootstrap, as scikit-learn
/// does); `explicit` gives listed classes their weight and the others 1.
///
/// `classWeights` is `sklearn.utils.class_weight.compute_class_weight` and `sampleWeights`
/// `compute_sample_weight` (with `indices` for a bootstrap), value for value.
public enum ClassWeighting: Sendable, Equatable {
    case none
    case balanced
    case balancedSubsample
    /// Class index → weight (positive); classes not listed weigh 1.
    case explicit([Int: Double])

    /// One weight per class index `0..<classCount` for rows labelled `labels`; 1 for classes the
    /// labels do not hold (they weigh nothing anyway). `counts`, when given, replaces the plain
    /// count of each row (a bootstrap's draw counts) for `balanced`.
    public func classWeights(labels: [Int], classCount: Int, counts: [Double]? = nil) -> [Double] {
        var weights = [Double](repeating: 1, count: classCount)
        switch self {
        case .none:
            return weights
        case .explicit(let table):
            for (c, w) in table where c >= 0 && c < classCount { weights[c] = w }
            return weights
        case .balanced, .balancedSubsample:
            var perClass = [Double](repeating: 0, count: classCount)
            var total = 0.0
            for (i, label) in labels.enumerated() where label >= 0 && label < classCount {
                let n = counts?[i] ?? 1
                perClass[label] += n
                total += n
            }
            let present = Double(perClass.filter { $0 > 0 }.count)
            for c in 0..<classCount where perClass[c] > 0 { weights[c] = total / (present * perClass[c]) }
            return weights
        }
    }

    /// One weight per row: its class's weight.
    public func sampleWeights(labels: [Int], classCount: Int) -> [Double] {
        let weights = classWeights(labels: labels, classCount: classCount)
        return labels.map { $0 >= 0 && $0 < classCount ? weights[$0] : 1 }
    }

    /// Whether every row weighs 1 whatever the labels.
    public var isNone: Bool { self == .none }
}
