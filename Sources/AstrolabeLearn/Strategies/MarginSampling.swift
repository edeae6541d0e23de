/// Queries the rows whose two most probable classes are closest: score = 1 − (p₁ − p₂).
///
/// A small margin means the model is torn between two answers, which is where one label moves the
/// decision boundary most. With one class the margin is p₁ itself.
public struct MarginSampling: QueryStrategy {
    public init() {}
    public var name: String { "margin" }

    public func scores(probabilities: [Double], classCount: Int, seed: UInt64) -> [Double] {
        scoreRows(probabilities, classCount: classCount) { row in
            if row.contains(where: \.isNaN) { return .nan }
            var first = -Double.infinity, second = -Double.infinity
            for p in row {
                if p > first { second = first; first = p } else if p > second { second = p }
            }
            if row.count < 2 { second = 0 }
            return 1 - (first - second)
        }
    }
}
