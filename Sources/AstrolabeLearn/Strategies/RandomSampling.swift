/// Queries rows uniformly at random: each row gets an independent uniform score in [0, 1).
///
/// The baseline every active-learning curve must beat. Scores come from `SeededGenerator(seed:)`,
/// so a replayed session asks the same questions.
public struct RandomSampling: QueryStrategy {
    public init() {}
    public var name: String { "random" }

    public func scores(probabilities: [Double], classCount: Int, seed: UInt64) -> [Double] {
        guard classCount >= 1 else { return [] }
        var generator = SeededGenerator(seed: seed)
        return (0..<(probabilities.count / classCount)).map { _ in generator.nextDouble() }
    }
}
