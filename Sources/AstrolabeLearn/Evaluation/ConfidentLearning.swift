/// Confident learning (Northcutt, Jiang & Chuang 2021) as cleanlab 2.9 computes it: which given
/// labels look wrong, from out-of-fold class probabilities.
///
/// `findLabelIssues` is `cleanlab.filter.find_label_issues(labels, pred_probs)` with its defaults
/// (`filter_by="prune_by_noise_rate"`, `min_examples_per_class=1`, `frac_noise=1`), step by step:
/// per-class thresholds (the mean self-confidence of each class, summed pairwise as numpy sums),
/// the confident joint (rows confidently in a class, by given label), its calibration to the label
/// counts (rounded preserving row totals), at least one kept per class, then per given class `k` and
/// other class `j` the `C[k][j]` rows of class `k` with the largest margin `p[j] − p[k]`, and last
/// every row dropped whose given label is (within 1e-6) its most probable class. `quality` is
/// `cleanlab.rank.get_label_quality_scores(method="self_confidence")`: the probability of the given
/// label. Rows tied on the margin at a cut are taken in row order (numpy's unstable quicksort leaves
/// that order unspecified; with continuous probabilities there are no such ties).
public struct LabelIssues: Sendable, Equatable {
    /// Whether each row's given label looks wrong.
    public var flagged: [Bool]
    /// The self-confidence of each row: its out-of-fold probability of its given label.
    public var quality: [Double]
    /// The most probable class of each row (ties to the lowest index): the label an audit suggests.
    public var suggested: [Int]
    /// The per-class thresholds (mean self-confidence of the class, at least 2e-6; 2 for an absent class).
    public var thresholds: [Double]
    /// The calibrated confident joint, `[given][true]`, summing to the number of rows.
    public var confidentJoint: [[Int]]
}

/// Flags the rows of `labels` (each in `0..<classCount`) whose label looks wrong given the
/// row-major `probabilities` (`labels.count × classCount`): see `LabelIssues`.
public func findLabelIssues(labels: [Int], probabilities: [Double], classCount k: Int) throws -> LabelIssues {
    let n = labels.count
    guard k >= 2 else { throw LearnError("confident learning needs at least two classes") }
    guard probabilities.count == n * k else {
        throw LearnError("expected \(n) × \(k) probabilities, got \(probabilities.count)")
    }
    guard labels.allSatisfy({ $0 >= 0 && $0 < k }) else { throw LearnError("labels must be class indices 0..<\(k)") }
    guard probabilities.allSatisfy(\.isFinite) else { throw LearnError("probabilities must be finite numbers") }
    return probabilities.withUnsafeBufferPointer { p in
        labels.withUnsafeBufferPointer { y in
            var counts = [Int](repeating: 0, count: k)
            for i in 0..<n { counts[y[i]] += 1 }
            let thresholds = confidentThresholds(y, p, k: k, counts: counts)
            let joint = calibrate(confidentJoint(y, p, k: k, thresholds: thresholds), counts: counts)
            let prune = keepAtLeastOnePerClass(transpose(joint))
            var flagged = pruneByNoiseRate(y, p, k: k, counts: counts, prune: prune)
            var quality = [Double](repeating: 0, count: n)
            var suggested = [Int](repeating: 0, count: n)
            for i in 0..<n {
                let row = i * k
                quality[i] = p[row + y[i]]
                suggested[i] = argmaxRow(p, row, k, boost: -1, by: 0)
                // cleanlab's _reduce_issues: no issue where the given label, raised by 1e-6, is the argmax.
                if flagged[i], argmaxRow(p, row, k, boost: y[i], by: 1e-6) == y[i] { flagged[i] = false }
            }
            return LabelIssues(flagged: flagged, quality: quality, suggested: suggested, thresholds: thresholds, confidentJoint: joint)
        }
    }
}

/// The first index of the largest value of one row, with `by` added to column `boost` (none when -1).
@inline(__always)
private func argmaxRow(_ p: UnsafeBufferPointer<Double>, _ row: Int, _ k: Int, boost: Int, by: Double) -> Int {
    var best = 0
    var bestValue = boost == 0 ? p[row] + by : p[row]
    for c in 1..<k {
        let v = c == boost ? p[row + c] + by : p[row + c]
        if v > bestValue || (bestValue.isNaN && !v.isNaN) { best = c; bestValue = v }
    }
    return best
}

/// `get_confident_thresholds`: each class's mean probability over the rows labelled with it.
private func confidentThresholds(_ y: UnsafeBufferPointer<Int>, _ p: UnsafeBufferPointer<Double>, k: Int, counts: [Int]) -> [Double] {
    var byClass = counts.map { [Double](repeating: 0, count: $0) }
    var filled = [Int](repeating: 0, count: k)
    for i in 0..<y.count {
        let c = y[i]
        byClass[c][filled[c]] = p[i * k + c]
        filled[c] += 1
    }
    return (0..<k).map { c in
        guard counts[c] > 0 else { return 2 }
        let mean = byClass[c].withUnsafeBufferPointer { numpySum($0) } / Double(counts[c])
        return max(mean, 2e-6)
    }
}

/// The uncalibrated confident joint `[given][guess]`: each row confidently in at least one class
/// (p ≥ threshold − 1e-6) counted under that class, or its argmax when several; diagonal at least 1.
private func confidentJoint(_ y: UnsafeBufferPointer<Int>, _ p: UnsafeBufferPointer<Double>, k: Int, thresholds: [Double]) -> [[Int]] {
    let cut = thresholds.map { $0 - 1e-6 }
    var joint = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
    for i in 0..<y.count {
        let row = i * k
        var confident = 0, first = -1
        for c in 0..<k where p[row + c] >= cut[c] {
            confident += 1
            if first < 0 { first = c }
        }
        guard confident > 0 else { continue }
        let guess = confident > 1 ? argmaxRow(p, row, k, boost: -1, by: 0) : first
        joint[y[i]][guess] += 1
    }
    for c in 0..<k { joint[c][c] = max(joint[c][c], 1) }
    return joint
}

/// `calibrate_confident_joint`: each row scaled to its label count, the whole to the row count,
/// rounded preserving each row's total.
private func calibrate(_ joint: [[Int]], counts: [Int]) -> [[Int]] {
    let k = joint.count
    var scaled = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    for i in 0..<k {
        let rowSum = max(Double(joint[i].reduce(0, +)), 1e-100)
        for j in 0..<k { scaled[i][j] = Double(joint[i][j]) / rowSum * Double(counts[i]) }
    }
    let flat = scaled.flatMap { $0 }
    let total = max(flat.withUnsafeBufferPointer { numpySum($0) }, 1e-100)
    let n = Double(counts.reduce(0, +))
    return scaled.map { row in roundPreservingSum(row.map { $0 / total * n }) }
}

/// cleanlab's `round_preserving_sum`: round half to even, then move the largest remainders by one
/// until the rounded total is the rounded sum.
func roundPreservingSum(_ floats: [Double]) -> [Int] {
    var ints = floats.map { $0.rounded(.toNearestOrEven) }
    let target = floats.withUnsafeBufferPointer { numpySum($0) }.rounded(.toNearestOrEven)
    var sum = ints.withUnsafeBufferPointer { numpySum($0) }.rounded(.toNearestOrEven)
    var guardCount = 0
    while abs(sum - target) > 1e-6, guardCount < 1000 {
        let diff = (target - sum).rounded(.toNearestOrEven)
        let increment: Double = diff < 0 ? -1 : 1
        let changes = min(Int(abs(diff)), floats.count)
        // argsort(floats − ints) (stable), reversed for +1, as is for −1.
        var order = Array(floats.indices).sorted { (floats[$0] - ints[$0], $0) < (floats[$1] - ints[$1], $1) }
        if increment > 0 { order.reverse() }
        for i in order.prefix(changes) { ints[i] += increment }
        sum = ints.withUnsafeBufferPointer { numpySum($0) }.rounded(.toNearestOrEven)
        guardCount += 1
    }
    return ints.map { Int($0) }
}

private func transpose(_ m: [[Int]]) -> [[Int]] {
    m.indices.map { j in m.indices.map { i in m[i][j] } }
}

/// `_keep_at_least_n_per_class` with n = 1 and frac_noise = 1 on the transposed joint `[true][given]`:
/// a diagonal raised to 1 takes what it gained evenly from the column's other non-zero entries.
private func keepAtLeastOnePerClass(_ m: [[Int]]) -> [[Int]] {
    let k = m.count
    var out = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
    for j in 0..<k {
        let diagonal = m[j][j], raised = max(diagonal, 1)
        let nonZero = (0..<k).filter { m[$0][j] != 0 }.count
        let share = Double(raised - diagonal) / max(Double(nonZero) - 1, 1)
        for i in 0..<k {
            let value = i == j ? Double(raised) : max(Double(m[i][j]) - share, 0)
            out[i][j] = Int(value)  // numpy's astype(int): toward zero
        }
    }
    return out
}

/// `_prune_by_count` for every given class `c`: of its rows, the `prune[j][c]` with the largest
/// `p[j] − p[c]` for each other class `j` (ties in row order). Classes with one row are left alone.
private func pruneByNoiseRate(_ y: UnsafeBufferPointer<Int>, _ p: UnsafeBufferPointer<Double>, k: Int, counts: [Int],
                              prune: [[Int]]) -> [Bool] {
    let n = y.count
    var flagged = [Bool](repeating: false, count: n)
    var members = [[Int32]](repeating: [], count: k)
    for c in 0..<k { members[c].reserveCapacity(counts[c]) }
    for i in 0..<n { members[y[i]].append(Int32(truncatingIfNeeded: i)) }
    for c in 0..<k where counts[c] > 1 {
        for j in 0..<k where j != c && prune[j][c] > 0 {
            let take = prune[j][c]
            let rows = members[c]
            if take >= rows.count {
                for r in rows { flagged[Int(r)] = true }
                continue
            }
            var margins = [Double](repeating: 0, count: rows.count)
            for (m, r) in rows.enumerated() { margins[m] = p[Int(r) * k + j] - p[Int(r) * k + c] }
            for m in largest(margins, count: take) { flagged[Int(rows[m])] = true }
        }
    }
    return flagged
}

/// The positions of the `count` largest values (ties to the lower position), in no particular
/// order: a selection (Hoare's FIND, median-of-three pivots) under the strict order of value, then
/// position, so the set is exactly that of a full stable sort. Values must not be NaN.
func largest(_ values: [Double], count: Int) -> [Int] {
    var order = Array(0..<values.count)
    guard count > 0 else { return [] }
    guard count < order.count else { return order }
    values.withUnsafeBufferPointer { v in
        order.withUnsafeMutableBufferPointer { o in
            @inline(__always) func better(_ a: Int, _ b: Int) -> Bool { v[a] > v[b] || (v[a] == v[b] && a < b) }
            let target = count - 1
            var low = 0, high = o.count - 1
            while low < high {
                let mid = low + (high - low) / 2
                if better(o[mid], o[low]) { o.swapAt(mid, low) }
                if better(o[high], o[low]) { o.swapAt(high, low) }
                if better(o[high], o[mid]) { o.swapAt(high, mid) }
                let pivot = o[mid]
                var i = low, j = high
                while i <= j {
                    while i <= high && better(o[i], pivot) { i += 1 }
                    while j >= low && better(pivot, o[j]) { j -= 1 }
                    if i <= j { o.swapAt(i, j); i += 1; j -= 1 }
                }
                if target <= j { high = j } else if target >= i { low = i } else { break }
            }
        }
    }
    return Array(order.prefix(count))
}

/// numpy's pairwise summation of a contiguous float64 array (`np.sum`, `np.mean`): blocks of up to
/// 128 summed in eight interleaved partial sums, larger arrays split in halves (multiples of 8).
func numpySum(_ a: UnsafeBufferPointer<Double>) -> Double {
    guard let base = a.baseAddress else { return 0 }
    return 0 + pairwise(base, a.count)
}

private func pairwise(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    if n < 8 {
        var res = -0.0
        for i in 0..<n { res += a[i] }
        return res
    }
    if n <= 128 {
        var r = (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])
        var i = 8
        while i < n - n % 8 {
            r.0 += a[i]; r.1 += a[i + 1]; r.2 += a[i + 2]; r.3 += a[i + 3]
            r.4 += a[i + 4]; r.5 += a[i + 5]; r.6 += a[i + 6]; r.7 += a[i + 7]
            i += 8
        }
        var res = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
        while i < n { res += a[i]; i += 1 }
        return res
    }
    var n2 = n / 2
    n2 -= n2 % 8
    return pairwise(a, n2) + pairwise(a + n2, n - n2)
}
