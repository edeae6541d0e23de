/// Splits row indices into a training and a test part that keep each class's share.
///
/// Astronomical classes are badly unbalanced (46 radio galaxies among 3,800 blazars), and a plain
/// random split can leave a class out of the test set entirely. Each class is shuffled on its own
/// and `round(testFraction × size)` of its rows go to the test side, adjusted so that a class with
/// at least two rows has at least one on each side whenever `0 < testFraction < 1`. A class with a
/// single row goes to training. `testFraction` ≤ 0 (or NaN) puts everything in training, ≥ 1
/// everything in test. Labels may be any integers. Both index lists are sorted; the result depends
/// only on the labels, the fraction and the seed.
public func stratifiedSplit(labels: [Int], testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
    var byClass = [Int: [Int]]()
    for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }

    var generator = SeededGenerator(seed: seed)
    var train = [Int](), test = [Int]()
    train.reserveCapacity(labels.count)
    for label in byClass.keys.sorted() {
        guard var members = byClass[label] else { continue }
        members.seededShuffle(using: &generator)
        let n = members.count
        var testCount: Int
        if !(testFraction > 0) {
            testCount = 0
        } else if testFraction >= 1 {
            testCount = n
        } else {
            testCount = Int((testFraction * Double(n)).rounded())
            if n >= 2 { testCount = min(max(testCount, 1), n - 1) } else { testCount = 0 }
        }
        test.append(contentsOf: members[0..<testCount])
        train.append(contentsOf: members[testCount...])
    }
    return (train.sorted(), test.sorted())
}

/// Splits row indices three ways — training, validation and test — keeping each class's share in
/// each part. The ratios are relative weights (0.6:0.2:0.2, or 3:1:1); test rows are drawn first
/// (`stratifiedSplit` with the test share), then validation from the rest (with its share of what
/// remains), so `train:0:test` gives exactly `stratifiedSplit`'s result for the same seed.
public func stratifiedSplit(labels: [Int], ratios: (train: Double, validation: Double, test: Double),
                            seed: UInt64) -> (train: [Int], validation: [Int], test: [Int]) {
    let total = ratios.train + ratios.validation + ratios.test
    guard total > 0, total.isFinite else { return (Array(labels.indices), [], []) }
    let first = stratifiedSplit(labels: labels, testFraction: ratios.test / total, seed: seed)
    let remaining = ratios.train + ratios.validation
    guard ratios.validation > 0, remaining > 0 else { return (first.train, [], first.test) }
    let second = stratifiedSplit(labels: first.train.map { labels[$0] }, testFraction: ratios.validation / remaining,
                                 seed: seed &+ 0x5A11D)
    return (second.train.map { first.train[$0] }, second.test.map { first.train[$0] }, first.test)
}
