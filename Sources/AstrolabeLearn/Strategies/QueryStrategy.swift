import Foundation

/// How an active learner decides which unlabelled rows it most wants a human to label.
///
/// A strategy turns a classifier's probabilities into one score per row; higher means more
/// wanted. Keeping strategies as pure functions of probabilities (rather than of a model) lets
/// the same strategy serve any classifier or committee, and lets `simulate` compare strategies on
/// identical predictions. Rows are `probabilities.count / classCount` (an incomplete trailing row
/// is ignored); a `classCount` below 1 gives no scores. Scores may tie (a forest's vote fractions
/// often do); a strategy does not break ties itself: `rankQueries` does, by keys drawn from the
/// rows' ids, so which tied row is asked does not depend on the order of the file.
public protocol QueryStrategy: Sendable {
    /// The name users type (`strategy=entropy`).
    var name: String { get }

    /// One score per row of `probabilities` (row-major, `classCount` wide). `seed` feeds the
    /// strategies that are random; the others ignore it.
    func scores(probabilities: [Double], classCount: Int, seed: UInt64) -> [Double]
}

extension QueryStrategy {
    /// Applies `score` to each complete row of `probabilities`; blocks of rows in parallel (each
    /// row's score depends on that row alone, so the scores do not depend on the threads).
    func scoreRows(_ probabilities: [Double], classCount: Int,
                   _ score: @Sendable (UnsafeBufferPointer<Double>) -> Double) -> [Double] {
        guard classCount >= 1 else { return [] }
        let rows = probabilities.count / classCount
        let blockRows = 16_384
        let blocks = (rows + blockRows - 1) / blockRows
        return [Double](unsafeUninitializedCapacity: rows) { buffer, initialized in
            let output = SharedOutput(buffer: buffer)
            // Waking the threads costs more than scoring a query loop's pool of tens of thousands.
            performConcurrently(count: blocks, workers: rows >= 16 * blockRows ? defaultWorkerCount : 1) { block in
                let start = block * blockRows, end = min(start + blockRows, rows)
                probabilities.withUnsafeBufferPointer { p in
                    for r in start..<end {
                        output.buffer[r] = score(UnsafeBufferPointer(rebasing: p[(r * classCount)..<((r + 1) * classCount)]))
                    }
                }
            }
            initialized = rows
        }
    }
}

/// A tie-break key per row, fixed by `seed` and the row's identity (its id), not by its position:
/// the same rows in another order get the same keys, so a query among tied rows picks the same
/// rows whether the file is sorted by class, by right ascension or shuffled. FNV-1a of the id's
/// bytes mixed with the seed through SplitMix64's finaliser; duplicate ids share a key (the row
/// index then decides between them).
public func tieBreakKeys(ids: [String], seed: UInt64) -> [UInt64] {
    ids.map { id in
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var z = seed &+ hash &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How many of `scores` equal `score` (NaN counts as equal to NaN): the size of a tie.
public func tieCount(_ scores: [Double], at score: Double) -> Int {
    scores.reduce(0) { $0 + (($1 == score || ($1.isNaN && score.isNaN)) ? 1 : 0) }
}

/// The indices of the `count` highest scores, best first.
///
/// Equal scores go to the lower index, or, with `tieBreakKeys` (one per score, see
/// `tieBreakKeys(ids:seed:)`), to the lower key: a forest's vote fractions tie often (many rows at
/// exactly 50/50), and breaking those ties by row order would always ask about the first rows of
/// the file — on a catalogue sorted by class, rows of one class only. Keys made from row ids make
/// the choice independent of row order: permuting the rows (and their keys with them) permutes
/// the result alike. NaN scores rank below every number (a row the model could not score is not a
/// good question). `secondary` (one per score, higher first; `ties=`) decides among equal scores
/// before the keys. `count` is clamped to `0...scores.count`. Uses a bounded heap, so asking for a
/// handful of queries among millions of rows does not sort them all.
public func rankQueries(scores: [Double], count: Int, tieBreakKeys: [UInt64]? = nil, secondary: [Double]? = nil) -> [Int] {
    let k = min(max(count, 0), scores.count)
    guard k > 0 else { return [] }
    precondition(tieBreakKeys == nil || tieBreakKeys?.count == scores.count, "one tie-break key per score")

    @inline(__always) func key(_ i: Int) -> UInt64 { tieBreakKeys?[i] ?? UInt64(i) }

    /// Whether row `a` should be queried before row `b`.
    @inline(__always) func before(_ a: Int, _ b: Int) -> Bool {
        let sa = scores[a].isNaN ? -Double.infinity : scores[a]
        let sb = scores[b].isNaN ? -Double.infinity : scores[b]
        if sa != sb { return sa > sb }
        if let secondary, secondary[a] != secondary[b] { return secondary[a] > secondary[b] }
        let ka = key(a), kb = key(b)
        return ka != kb ? ka < kb : a < b
    }

    // Min-heap under `before`: the root is the worst of the best k seen so far.
    var heap = [Int]()
    heap.reserveCapacity(k)
    func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < heap.count && before(heap[worst], heap[l]) { worst = l }
            if r < heap.count && before(heap[worst], heap[r]) { worst = r }
            if worst == i { return }
            heap.swapAt(i, worst)
            i = worst
        }
    }
    func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            if before(heap[parent], heap[i]) { heap.swapAt(parent, i); i = parent } else { return }
        }
    }
    for i in scores.indices {
        if heap.count < k {
            heap.append(i)
            siftUp(heap.count - 1)
        } else if let root = heap.first, before(i, root) {
            heap[0] = i
            siftDown(0)
        }
    }
    return heap.sorted(by: before)
}
