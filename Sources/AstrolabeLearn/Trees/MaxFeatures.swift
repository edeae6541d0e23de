import Foundation

/// How many features a tree considers when it looks for the best split at one node.
///
/// Considering a random subset at each node is what decorrelates the trees of a random forest;
/// `.sqrt` is scikit-learn's default for classification.
public enum MaxFeatures: Equatable, Sendable {
    /// ⌊√features⌋, at least 1.
    case sqrt
    /// ⌊log₂ features⌋, at least 1.
    case log2
    /// Every feature (bagged trees rather than a random forest).
    case all
    /// A fixed number of features, at most the number there are.
    case count(Int)
    /// A fraction in (0, 1] of the features, rounded down, at least 1.
    case fraction(Double)

    /// The number of features to try for a matrix with `features` columns (≥ 1 when features ≥ 1).
    func resolved(features: Int) throws -> Int {
        guard features > 0 else { return 0 }
        let n: Int
        switch self {
        case .sqrt: n = Int(Double(features).squareRoot())
        case .log2: n = Int(Foundation.log2(Double(features)))
        case .all: n = features
        case .count(let k):
            guard k >= 1 else { throw LearnError("maxFeatures must be at least 1, got \(k)") }
            n = k
        case .fraction(let f):
            guard f > 0, f <= 1 else { throw LearnError("maxFeatures fraction must be in (0, 1], got \(f)") }
            n = Int(f * Double(features))
        }
        return min(max(n, 1), features)
    }
}

