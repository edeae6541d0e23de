import Foundation

/// Dawid–Skene (1979): the true class of each row and each annotator's confusion matrix, estimated
/// together by expectation–maximisation from noisy answers, so a reliable annotator outweighs a
/// careless one. Follows crowd-kit's `DawidSkene` step for step — start from the vote shares
/// (majority vote's probabilities), M-step with counts clipped at machine epsilon and normalised
/// per true class, E-step in log space — so its labels match crowd-kit's (see DawidSkeneTests).
/// Deterministic: no random start, a fixed order of sums, ties to the lowest class index.
public struct DawidSkene: Sendable {
    public struct Answer: Sendable, Equatable {
        public var item: Int, annotator: Int, label: Int
        public init(item: Int, annotator: Int, label: Int) {
            self.item = item
            self.annotator = annotator
            self.label = label
        }
    }

    /// Per item: the class probabilities (empty for an item nobody answered).
    public private(set) var posteriors: [[Double]]
    /// `confusions[a][true][answered]`: how often annotator `a` answers `answered` for a row of class `true`.
    public private(set) var confusions: [[[Double]]]
    public private(set) var priors: [Double]
    public private(set) var iterations = 0

    /// The most probable class per item (nil for an item nobody answered); ties go to the lower index.
    public var labels: [Int?] {
        posteriors.map { p in p.isEmpty ? nil : p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } }
    }

    /// Each annotator's estimated accuracy: the chance they give the true class, weighted by the class priors.
    public var reliabilities: [Double] {
        confusions.map { m in priors.indices.reduce(0) { $0 + priors[$1] * m[$1][$1] } }
    }

    public init(answers: [Answer], items: Int, annotators: Int, classes: Int, maxIterations: Int = 100,
                tolerance: Double = 1e-10) throws {
        guard classes >= 1, items >= 0, annotators >= 1 else { throw LearnError("Dawid–Skene needs classes and annotators") }
        for a in answers where !(0..<items).contains(a.item) || !(0..<annotators).contains(a.annotator) || !(0..<classes).contains(a.label) {
            throw LearnError("answer (item \(a.item), annotator \(a.annotator), class \(a.label)) is out of range")
        }
        var byItem = [[Answer]](repeating: [], count: items)
        for a in answers { byItem[a.item].append(a) }
        // Vote shares: majority vote's probabilities, crowd-kit's starting point.
        var posteriors = byItem.map { list -> [Double] in
            guard !list.isEmpty else { return [] }
            var p = [Double](repeating: 0, count: classes)
            for a in list { p[a.label] += 1 }
            return p.map { $0 / Double(list.count) }
        }
        var priors = DawidSkene.priors(posteriors, classes: classes)
        var confusions = DawidSkene.mStep(byItem, posteriors, annotators: annotators, classes: classes)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let next = DawidSkene.eStep(byItem, priors: priors, confusions: confusions, classes: classes)
            var change = 0.0
            for (old, new) in zip(posteriors, next) { for (x, y) in zip(old, new) { change = max(change, abs(x - y)) } }
            posteriors = next
            priors = DawidSkene.priors(posteriors, classes: classes)
            confusions = DawidSkene.mStep(byItem, posteriors, annotators: annotators, classes: classes)
            if change < tolerance { break }
        }
        self.posteriors = posteriors
        self.priors = priors
        self.confusions = confusions
        self.iterations = iterations
    }

    private static func priors(_ posteriors: [[Double]], classes: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: classes)
        var answered = 0
        for p in posteriors where !p.isEmpty {
            answered += 1
            for c in 0..<classes { sum[c] += p[c] }
        }
        return sum.map { answered == 0 ? 0 : $0 / Double(answered) }
    }

    /// Expected counts of (true, answered) per annotator, clipped at epsilon where the annotator
    /// used the answer at all (as crowd-kit), each true class's row normalised to 1.
    private static func mStep(_ byItem: [[Answer]], _ posteriors: [[Double]], annotators: Int, classes: Int) -> [[[Double]]] {
        var counts = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: classes), count: classes), count: annotators)
        var used = [[Bool]](repeating: [Bool](repeating: false, count: classes), count: annotators)
        for (item, list) in byItem.enumerated() {
            for a in list {
                used[a.annotator][a.label] = true
                for c in 0..<classes { counts[a.annotator][c][a.label] += posteriors[item][c] }
            }
        }
        for a in 0..<annotators {
            for c in 0..<classes {
                for l in 0..<classes where used[a][l] { counts[a][c][l] = max(counts[a][c][l], Double.ulpOfOne) }
                let total = counts[a][c].reduce(0, +)
                if total > 0 { counts[a][c] = counts[a][c].map { $0 / total } }
            }
        }
        return counts
    }

    /// Posterior per item: prior × product of the annotators' confusion entries, in log space.
    private static func eStep(_ byItem: [[Answer]], priors: [Double], confusions: [[[Double]]], classes: Int) -> [[Double]] {
        byItem.map { list in
            guard !list.isEmpty else { return [] }
            var log = priors.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
            for a in list {
                for c in 0..<classes {
                    let e = confusions[a.annotator][c][a.label]
                    log[c] += e > 0 ? Foundation.log(e) : -Double.infinity
                }
            }
            let top = log.max() ?? 0
            guard top.isFinite else { return [Double](repeating: 1 / Double(classes), count: classes) }
            let scaled = log.map { exp($0 - top) }
            let total = scaled.reduce(0, +)
            return scaled.map { $0 / total }
        }
    }
}
