import Foundation

/// Queries the rows whose predicted class distribution has the most entropy: score = −Σ p ln p.
///
/// Unlike margin and least-confident it looks at every class, so it prefers rows the model spreads
/// over many classes — useful with many classes, such as blazar subtypes. Terms with p = 0 count
/// as 0 (the limit of p ln p).
public struct EntropySampling: QueryStrategy {
    public init() {}
    public var name: String { "entropy" }

    public func scores(probabilities: [Double], classCount: Int, seed: UInt64) -> [Double] {
        scoreRows(probabilities, classCount: classCount) { row in
            var entropy = 0.0
            for p in row {
                if p.isNaN { return .nan }
                if p > 0 { entropy -= p * log(p) }
            }
            return entropy
        }
    }
}
