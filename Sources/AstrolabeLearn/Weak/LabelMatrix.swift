import Foundation

/// The votes of labelling rules on a table's rows: `votes[row * rules + j]` is the class rule `j`
/// gives row `row`, or -1 where it abstains (Snorkel's label matrix L).
public struct LabelMatrix: Sendable {
    public let rows: Int, rules: Int, classes: Int
    public let votes: [Int32]

    public init(rows: Int, rules: Int, classes: Int, votes: [Int32]) throws {
        guard rows >= 0, rules >= 0, classes >= 1, votes.count == rows * rules else {
            throw LearnError("label matrix of \(votes.count) votes is not \(rows) rows × \(rules) rules")
        }
        if let bad = votes.first(where: { $0 < -1 || $0 >= Int32(classes) }) { throw LearnError("vote \(bad) is not a class or -1") }
        self.rows = rows
        self.rules = rules
        self.classes = classes
        self.votes = votes
    }

    /// One column per rule: the rows it fires on (a mask) voting `polarity[j]`.
    public init(fires: [[Bool]], polarity: [Int], rows: Int, classes: Int) throws {
        guard fires.count == polarity.count, fires.allSatisfy({ $0.count == rows }) else {
            throw LearnError("one mask of \(rows) rows per rule")
        }
        let m = polarity.count
        var votes = [Int32](repeating: -1, count: rows * m)
        for (j, mask) in fires.enumerated() {
            for row in 0..<rows where mask[row] { votes[row * m + j] = Int32(polarity[j]) }
        }
        try self.init(rows: rows, rules: m, classes: classes, votes: votes)
    }
}

/// Snorkel's `LFAnalysis.lf_summary` of a label matrix: per rule its polarity (the classes it
/// votes), coverage, overlaps and conflicts (fractions of all rows), and, on rows with a known
/// label, correct and incorrect votes and the empirical accuracy; plus the set's totals.
public struct LabelMatrixSummary: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var polarity: [Int]
        public var coverage: Double, overlaps: Double, conflicts: Double
        public var correct: Int, incorrect: Int
        /// correct / (correct + incorrect); nan where the rule votes on no known row.
        public var empiricalAccuracy: Double
    }

    public var rules: [Rule]
    /// Fraction of rows at least one rule votes on (`label_coverage`).
    public var coverage: Double
    /// Fraction of rows two or more rules vote on (`label_overlap`).
    public var overlap: Double
    /// Fraction of rows with two different classes among the votes (`label_conflict`).
    public var conflict: Double
    /// Rows with a known label the summary's correct/incorrect counts are over.
    public var known: Int

    /// `gold[row]`: the known class, or -1.
    public init(_ L: LabelMatrix, gold: [Int]? = nil) {
        let n = L.rows, m = L.rules
        var covered = [Int](repeating: 0, count: m), overlapped = covered, conflicted = covered
        var correct = covered, incorrect = covered
        var polarity = [Set<Int>](repeating: [], count: m)
        var anyVote = 0, multi = 0, conflicting = 0, known = 0
        L.votes.withUnsafeBufferPointer { v in
            for row in 0..<n {
                var count = 0
                var first: Int32 = -1, differ = false
                for j in 0..<m where v[row * m + j] >= 0 {
                    count += 1
                    if first < 0 { first = v[row * m + j] } else if v[row * m + j] != first { differ = true }
                }
                if count > 0 { anyVote += 1 }
                if count > 1 { multi += 1 }
                if differ { conflicting += 1 }
                let truth = gold.map { row < $0.count ? $0[row] : -1 } ?? -1
                if truth >= 0 { known += 1 }
                for j in 0..<m where v[row * m + j] >= 0 {
                    let vote = v[row * m + j]
                    covered[j] += 1
                    polarity[j].insert(Int(vote))
                    if count > 1 { overlapped[j] += 1 }
                    // A conflict for j: another rule votes a class other than j's.
                    if differ, (0..<m).contains(where: { $0 != j && v[row * m + $0] >= 0 && v[row * m + $0] != vote }) { conflicted[j] += 1 }
                    if truth >= 0 { if Int(vote) == truth { correct[j] += 1 } else { incorrect[j] += 1 } }
                }
            }
        }
        let rows = Double(max(n, 1))
        rules = (0..<m).map { j in
            Rule(polarity: polarity[j].sorted(), coverage: Double(covered[j]) / rows, overlaps: Double(overlapped[j]) / rows,
                 conflicts: Double(conflicted[j]) / rows, correct: correct[j], incorrect: incorrect[j],
                 empiricalAccuracy: correct[j] + incorrect[j] > 0 ? Double(correct[j]) / Double(correct[j] + incorrect[j]) : .nan)
        }
        coverage = Double(anyVote) / rows
        overlap = Double(multi) / rows
        conflict = Double(conflicting) / rows
        self.known = known
    }
}
