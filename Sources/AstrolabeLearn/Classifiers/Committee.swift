/// A committee of classifiers (query by committee): members are trained on the same labels with
/// different seeds (and possibly different kinds), and their disagreement says where a label helps.
///
/// As a classifier it predicts the consensus, the mean of the members' probabilities. Member `i`
/// is fitted with seed `seed + i`, so a committee of five forests is five different forests.
public struct Committee: Classifier, Sendable {
    public internal(set) var members: [any Classifier & Sendable]

    public init(members: [any Classifier & Sendable]) {
        self.members = members
    }

    public var classCount: Int { members.first?.classCount ?? 0 }

    public mutating func fit(_ x: FeatureMatrix, labels: [Int], classCount: Int, seed: UInt64) throws {
        guard !members.isEmpty else { throw LearnError("a committee needs at least one member") }
        for i in members.indices {
            try members[i].fit(x, labels: labels, classCount: classCount, seed: seed &+ UInt64(i))
        }
    }

    /// Each member's probabilities, in member order.
    public func memberProbabilities(_ x: FeatureMatrix) throws -> [[Double]] {
        try members.map { try $0.predictProbabilities(x) }
    }

    public func predictProbabilities(_ x: FeatureMatrix) throws -> [Double] {
        consensus(try memberProbabilities(x))
    }
}

/// The mean of several probability matrices of the same shape.
public func consensus(_ members: [[Double]]) -> [Double] {
    guard let first = members.first else { return [] }
    var mean = first
    for m in members.dropFirst() { for i in mean.indices { mean[i] += m[i] } }
    let scale = 1 / Double(members.count)
    for i in mean.indices { mean[i] *= scale }
    return mean
}

extension Committee: ArchivableClassifier {
    public func archive() throws -> ClassifierArchive {
        var a = ClassifierArchive(kind: "committee", classCount: classCount, columns: 0)
        a.members = try members.map { try ClassifierArchive($0) }
        return a
    }

    init(archive a: ClassifierArchive) throws {
        let list = try a.need(a.members).map { try $0.restore() }
        guard !list.isEmpty, list.allSatisfy({ $0.classCount == a.classCount }) else { throw a.damaged }
        self.init(members: list)
    }
}
