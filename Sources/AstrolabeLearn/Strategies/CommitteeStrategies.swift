import Foundation

/// How a committee's disagreement becomes one score per row; higher means more wanted.
///
/// Like `QueryStrategy`, a pure function of probabilities (each member's matrix, row-major,
/// `classCount` wide, all the same shape), so strategies can be compared on the same predictions.
public protocol CommitteeStrategy: Sendable {
    var name: String { get }
    func scores(memberProbabilities: [[Double]], classCount: Int) -> [Double]
}

/// Vote entropy (modAL's `vote_entropy_sampling`): each member votes for its most probable class
/// (ties to the lowest index); the score is the entropy of the vote shares.
public struct VoteEntropy: CommitteeStrategy {
    public init() {}
    public var name: String { "vote-entropy" }

    public func scores(memberProbabilities: [[Double]], classCount: Int) -> [Double] {
        guard classCount >= 1, let first = memberProbabilities.first else { return [] }
        let rows = first.count / classCount
        let share = 1 / Double(memberProbabilities.count)
        // Blocks of rows in parallel, each row's votes counted in member order and its entropy
        // summed in class order: the same numbers whatever the threads.
        let blockRows = 4096
        let blocks = (rows + blockRows - 1) / blockRows
        return [Double](unsafeUninitializedCapacity: rows) { buffer, initialized in
            let output = SharedOutput(buffer: buffer)
            performConcurrently(count: blocks, workers: defaultWorkerCount) { block in
                let start = block * blockRows, end = min(start + blockRows, rows)
                var votes = [Double](repeating: 0, count: (end - start) * classCount)
                votes.withUnsafeMutableBufferPointer { votes in
                    for member in memberProbabilities {
                        member.withUnsafeBufferPointer { p in
                            guard let base = p.baseAddress else { return }
                            // A member with fewer rows (not the same shape) votes for none beyond them.
                            for r in start..<min(end, p.count / classCount) {
                                votes[(r - start) * classCount + argmaxRow(base + r * classCount, classCount: classCount)] += 1
                            }
                        }
                    }
                    for r in start..<end {
                        var h = 0.0
                        for c in 0..<classCount {
                            let p = votes[(r - start) * classCount + c] * share
                            if p > 0 { h -= p * log(p) }
                        }
                        output.buffer[r] = h
                    }
                }
            }
            initialized = rows
        }
    }
}

/// Consensus entropy (modAL's `consensus_entropy_sampling`): the entropy of the members' mean
/// probabilities.
public struct ConsensusEntropy: CommitteeStrategy {
    public init() {}
    public var name: String { "consensus-entropy" }

    public func scores(memberProbabilities: [[Double]], classCount: Int) -> [Double] {
        EntropySampling().scores(probabilities: consensus(memberProbabilities), classCount: classCount, seed: 0)
    }
}

/// Maximum disagreement (modAL's `max_disagreement_sampling`): the largest Kullback–Leibler
/// divergence KL(member ‖ consensus) over the members. Terms with a member probability of 0 count 0.
public struct MaxDisagreement: CommitteeStrategy {
    public init() {}
    public var name: String { "max-disagreement" }

    public func scores(memberProbabilities: [[Double]], classCount: Int) -> [Double] {
        guard classCount >= 1, !memberProbabilities.isEmpty else { return [] }
        let mean = consensus(memberProbabilities)
        let rows = mean.count / classCount
        return (0..<rows).map { r in
            var largest = 0.0
            for member in memberProbabilities {
                var kl = 0.0
                for c in 0..<classCount {
                    let p = member[r * classCount + c], q = mean[r * classCount + c]
                    if p > 0 && q > 0 { kl += p * log(p / q) }
                }
                largest = max(largest, kl)
            }
            return largest
        }
    }
}
