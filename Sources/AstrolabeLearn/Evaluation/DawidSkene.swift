import Foundation

/// Dawid–Skene (1979): the true class of each row and each annotator's confusion matrix, estimated
/// together by expectation–maximisation from noisy answers, so a reliable annotator outweighs a
/// careless one. Follows crowd-kit's `DawidSkene` step for step — start from the vote shares
/// (majority vote's probabilities), M-step with counts clipped at machine epsilon and normalised
/// per true class, E-step in log space — so its labels match crowd-kit's (see DawidSkeneTests).
/// Deterministic: no random start, a fixed order of sums, ties to the lowest class index.
///
/// Answers may use more `responses` than there are classes: a response index ≥ `classes` is an
/// outcome that is never a true class — a labelling rule's abstain (WeakLabelModel) — which the
/// confusion matrices model (how often a rule stays silent on each class) but which casts no vote
/// in the starting shares. Class priors are estimated, or fixed when given.
/// Storage is flat (answers grouped by item, posteriors items × classes); the E-step runs over
/// fixed blocks of items on several threads, each item independent, so results do not depend on
/// the thread count.
public struct DawidSkene: Sendable {
    public struct Answer: Sendable, Equatable {
        public var item: Int, annotator: Int, label: Int
        public init(item: Int, annotator: Int, label: Int) {
            self.item = item
            self.annotator = annotator
            self.label = label
        }
    }

    public let items: Int, classes: Int, responses: Int
    /// Posterior class probabilities, items × classes (row-major); rows of unanswered items are zero.
    public private(set) var flatPosteriors: [Double]
    /// Whether each item got any answer.
    public let answered: [Bool]
    /// `confusions[a][true][response]`: how often annotator `a` gives `response` for a row of class `true`.
    public private(set) var confusions: [[[Double]]]
    public private(set) var priors: [Double]
    public private(set) var iterations = 0

    /// Per item: the class probabilities (empty for an item nobody answered).
    public var posteriors: [[Double]] {
        (0..<items).map { answered[$0] ? Array(flatPosteriors[$0 * classes..<($0 + 1) * classes]) : [] }
    }

    /// The most probable class per item (nil for an item nobody answered); ties go to the lower index.
    public var labels: [Int?] {
        (0..<items).map { item in
            guard answered[item] else { return nil }
            var best = 0
            for c in 1..<max(1, classes) where flatPosteriors[item * classes + c] > flatPosteriors[item * classes + best] { best = c }
            return best
        }
    }

    /// Each annotator's estimated accuracy: the chance they give the true class, weighted by the class priors.
    public var reliabilities: [Double] {
        confusions.map { m in priors.indices.reduce(0) { $0 + priors[$1] * m[$1][$1] } }
    }

    /// The chance annotator `a` is right when it answers a class (not a response beyond the classes):
    /// Σ_c π_c e[c][c] / Σ_c π_c Σ_{r<classes} e[c][r] — Snorkel's LF accuracy, conditioned on voting.
    public func accuracy(of a: Int) -> Double {
        var right = 0.0, voted = 0.0
        for c in 0..<classes {
            right += priors[c] * confusions[a][c][c]
            for r in 0..<classes { voted += priors[c] * confusions[a][c][r] }
        }
        return voted > 0 ? right / voted : .nan
    }

    public init(answers: [Answer], items: Int, annotators: Int, classes: Int, responses: Int? = nil,
                priors fixed: [Double]? = nil, maxIterations: Int = 100, tolerance: Double = 1e-10) throws {
        let responses = responses ?? classes
        guard classes >= 1, items >= 0, annotators >= 1, responses >= classes else { throw LearnError("Dawid–Skene needs classes and annotators") }
        for a in answers where !(0..<items).contains(a.item) || !(0..<annotators).contains(a.annotator) || !(0..<responses).contains(a.label) {
            throw LearnError("answer (item \(a.item), annotator \(a.annotator), class \(a.label)) is out of range")
        }
        // Answers grouped by item, in the order given (a counting sort).
        var offsets = [Int](repeating: 0, count: items + 1)
        for a in answers { offsets[a.item + 1] += 1 }
        for i in 0..<items { offsets[i + 1] += offsets[i] }
        var fill = offsets
        var who = [Int32](repeating: 0, count: answers.count), what = [Int32](repeating: 0, count: answers.count)
        for a in answers {
            who[fill[a.item]] = Int32(a.annotator)
            what[fill[a.item]] = Int32(a.label)
            fill[a.item] += 1
        }
        try self.init(grouped: Grouped(offsets: offsets, who: who, what: what), annotators: annotators, classes: classes,
                      responses: responses, priors: fixed, maxIterations: maxIterations, tolerance: tolerance)
    }

    /// A dense matrix of answers, `matrix[item * annotators + a]`: a response index, or -1 for no
    /// answer — or, with `abstain` given, for that response (a rule abstaining: every annotator then
    /// answers every item). Abstains are kept implicit, so the work grows with the votes, not the matrix.
    public init(matrix: [Int32], annotators: Int, classes: Int, responses: Int? = nil, abstain: Int? = nil,
                priors fixed: [Double]? = nil, maxIterations: Int = 100, tolerance: Double = 1e-10) throws {
        let responses = responses ?? classes
        if let abstain, !(classes..<responses).contains(abstain) { throw LearnError("the abstain response must be beyond the classes") }
        guard classes >= 1, annotators >= 1, responses >= classes, matrix.count % annotators == 0 else {
            throw LearnError("Dawid–Skene needs classes, annotators and a whole number of rows")
        }
        let items = matrix.count / annotators
        var offsets = [Int](repeating: 0, count: items + 1)
        var who: [Int32] = [], what: [Int32] = []
        who.reserveCapacity(matrix.count)
        what.reserveCapacity(matrix.count)
        for item in 0..<items {
            for a in 0..<annotators {
                let r = matrix[item * annotators + a]
                guard r >= 0 else { continue }
                guard r < responses else { throw LearnError("answer (item \(item), annotator \(a), class \(r)) is out of range") }
                who.append(Int32(a))
                what.append(r)
            }
            offsets[item + 1] = who.count
        }
        try self.init(grouped: Grouped(offsets: offsets, who: who, what: what, implicit: abstain.map(Int32.init)), annotators: annotators,
                      classes: classes, responses: responses, priors: fixed, maxIterations: maxIterations, tolerance: tolerance)
    }

    /// Answers grouped by item: item i's are `who[offsets[i]..<offsets[i+1]]` with responses `what[…]`.
    /// With `implicit`, every annotator not listed for an item gave that response.
    struct Grouped {
        var offsets: [Int], who: [Int32], what: [Int32]
        var implicit: Int32? = nil
        var items: Int { offsets.count - 1 }
    }

    private init(grouped g: Grouped, annotators: Int, classes: Int, responses: Int, priors fixed: [Double]?,
                 maxIterations: Int, tolerance: Double) throws {
        if let fixed, fixed.count != classes || fixed.contains(where: { !($0 >= 0) }) || !(fixed.reduce(0, +) > 0) {
            throw LearnError("class balance needs \(classes) non-negative shares")
        }
        let fixedPriors = fixed.map { p in p.map { $0 / p.reduce(0, +) } }
        items = g.items
        self.classes = classes
        self.responses = responses
        answered = (0..<g.items).map { g.implicit != nil || g.offsets[$0 + 1] > g.offsets[$0] }
        // Vote shares: majority vote's probabilities, crowd-kit's starting point (uniform where
        // every answer is a response beyond the classes).
        var posteriors = [Double](repeating: 0, count: g.items * classes)
        for item in 0..<g.items where answered[item] {
            var votes = 0
            for k in g.offsets[item]..<g.offsets[item + 1] where Int(g.what[k]) < classes {
                posteriors[item * classes + Int(g.what[k])] += 1
                votes += 1
            }
            for c in 0..<classes {
                posteriors[item * classes + c] = votes == 0 ? 1 / Double(classes) : posteriors[item * classes + c] / Double(votes)
            }
        }
        var priors = fixedPriors ?? DawidSkene.priors(posteriors, answered: answered, classes: classes)
        var confusions = DawidSkene.mStep(g, posteriors, annotators: annotators, classes: classes, responses: responses)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let change = DawidSkene.eStep(g, &posteriors, answered: answered, priors: priors, confusions: confusions, classes: classes)
            if fixedPriors == nil { priors = DawidSkene.priors(posteriors, answered: answered, classes: classes) }
            confusions = DawidSkene.mStep(g, posteriors, annotators: annotators, classes: classes, responses: responses)
            if change < tolerance { break }
        }
        flatPosteriors = posteriors
        self.priors = priors
        self.confusions = confusions
        self.iterations = iterations
    }

    private static func priors(_ posteriors: [Double], answered: [Bool], classes: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: classes)
        var count = 0
        for item in answered.indices where answered[item] {
            count += 1
            for c in 0..<classes { sum[c] += posteriors[item * classes + c] }
        }
        return sum.map { count == 0 ? 0 : $0 / Double(count) }
    }

    /// Expected counts of (true, response) per annotator, clipped at epsilon where the annotator
    /// used the response at all (as crowd-kit), each true class's row normalised to 1.
    private static func mStep(_ g: Grouped, _ posteriors: [Double], annotators: Int, classes: Int, responses: Int) -> [[[Double]]] {
        var counts = [Double](repeating: 0, count: annotators * classes * responses)
        var used = [Bool](repeating: false, count: annotators * responses)
        var listed = [Int](repeating: 0, count: annotators)
        var total = [Double](repeating: 0, count: classes)
        g.offsets.withUnsafeBufferPointer { offsets in
            g.who.withUnsafeBufferPointer { who in
                g.what.withUnsafeBufferPointer { what in
                    posteriors.withUnsafeBufferPointer { p in
                        counts.withUnsafeMutableBufferPointer { counts in
                            used.withUnsafeMutableBufferPointer { used in
                                listed.withUnsafeMutableBufferPointer { listed in
                                    for item in 0..<g.items {
                                        for k in offsets[item]..<offsets[item + 1] {
                                            let a = Int(who[k]), r = Int(what[k])
                                            used[a * responses + r] = true
                                            listed[a] += 1
                                            for c in 0..<classes { counts[(a * classes + c) * responses + r] += p[item * classes + c] }
                                        }
                                    }
                                }
                            }
                        }
                        if g.implicit != nil {
                            for item in 0..<g.items { for c in 0..<classes { total[c] += p[item * classes + c] } }
                        }
                    }
                }
            }
        }
        if let implicit = g.implicit.map(Int.init) {
            // Each annotator gave the implicit response on every item it is not listed for: the
            // class mass of all items less that of its listed answers.
            for a in 0..<annotators where listed[a] < g.items {
                used[a * responses + implicit] = true
                for c in 0..<classes {
                    var mass = 0.0
                    for r in 0..<responses where r != implicit { mass += counts[(a * classes + c) * responses + r] }
                    counts[(a * classes + c) * responses + implicit] = max(0, total[c] - mass)
                }
            }
        }
        return (0..<annotators).map { a in
            (0..<classes).map { c in
                var row = (0..<responses).map { counts[(a * classes + c) * responses + $0] }
                for r in 0..<responses where used[a * responses + r] { row[r] = max(row[r], Double.ulpOfOne) }
                let total = row.reduce(0, +)
                return total > 0 ? row.map { $0 / total } : row
            }
        }
    }

    /// Posterior per item: prior × product of the annotators' confusion entries, in log space, in
    /// place; returns the largest change of any probability.
    private static func eStep(_ g: Grouped, _ posteriors: inout [Double], answered: [Bool], priors: [Double],
                              confusions: [[[Double]]], classes: Int) -> Double {
        let responses = confusions.first?.first?.count ?? classes
        var table = [Double](repeating: 0, count: confusions.count * classes * responses)
        for (a, m) in confusions.enumerated() {
            for c in 0..<classes {
                for r in 0..<responses {
                    let e = m[c][r]
                    table[(a * classes + c) * responses + r] = e > 0 ? Foundation.log(e) : -Double.infinity
                }
            }
        }
        var logConfusion = table
        var logPriors = priors.map { $0 > 0 ? Foundation.log($0) : -Double.infinity }
        if let implicit = g.implicit.map(Int.init) {
            // Every annotator's implicit response is in the baseline; a listed answer replaces it.
            for a in 0..<confusions.count where confusions[a].contains(where: { $0[implicit] > 0 }) {
                for c in 0..<classes {
                    let base = (a * classes + c) * responses + implicit
                    logPriors[c] += logConfusion[base]
                    for r in 0..<responses where r != implicit { logConfusion[base - implicit + r] -= logConfusion[base] }
                }
            }
        }
        let block = 16_384
        let blocks = (g.items + block - 1) / block
        let changes = ConcurrentSlots(count: max(1, blocks), initialValue: 0.0)
        posteriors.withUnsafeMutableBufferPointer { out in
            let output = SharedOutput(buffer: out)
            g.who.withUnsafeBufferPointer { whoBuffer in
                g.what.withUnsafeBufferPointer { whatBuffer in
                    let who = SharedOutput(buffer: UnsafeMutableBufferPointer(mutating: whoBuffer))
                    let what = SharedOutput(buffer: UnsafeMutableBufferPointer(mutating: whatBuffer))
                    let logBase = logPriors, logTable = logConfusion
                    performConcurrently(count: blocks, workers: blocks > 1 ? defaultWorkerCount : 1) { b in
                        var log = [Double](repeating: 0, count: classes)
                        var change = 0.0
                        for item in b * block..<min(g.items, (b + 1) * block) where answered[item] {
                            for c in 0..<classes { log[c] = logBase[c] }
                            for k in g.offsets[item]..<g.offsets[item + 1] {
                                let base = Int(who.buffer[k]) * classes * responses + Int(what.buffer[k])
                                for c in 0..<classes { log[c] += logTable[base + c * responses] }
                            }
                            var top = -Double.infinity
                            for c in 0..<classes { top = max(top, log[c]) }
                            var total = 0.0
                            if top.isFinite {
                                for c in 0..<classes { log[c] = exp(log[c] - top); total += log[c] }
                            }
                            for c in 0..<classes {
                                let p = top.isFinite ? log[c] / total : 1 / Double(classes)
                                change = max(change, abs(output.buffer[item * classes + c] - p))
                                output.buffer[item * classes + c] = p
                            }
                        }
                        changes.buffer[b] = change
                    }
                }
            }
        }
        return changes.array.max() ?? 0
    }
}
