/// Sorts 64-bit keys in place without allocating: introsort with three-way partitioning.
///
/// Tree growing sorts every node's samples once per candidate feature, so this is the hottest loop
/// of a forest. The keys are `rank << 32 | sample` (see `RankedFeatures`), so this is a plain
/// integer sort. The standard library's sort is a stable merge sort that allocates a buffer on
/// every call; three-way partitioning keeps features with many repeated values (integer-valued
/// pixels, flags) fast, and the heapsort fallback bounds the worst case at O(n log n).
func sortKeys(_ keys: UnsafeMutableBufferPointer<UInt64>) {
    guard keys.count > 1, let base = keys.baseAddress else { return }
    introsort(base, count: keys.count, depthLimit: 2 * (Int.bitWidth - keys.count.leadingZeroBitCount))
}

private func introsort(_ a: UnsafeMutablePointer<UInt64>, count: Int, depthLimit: Int) {
    var a = a
    var n = count
    var depth = depthLimit
    while n > 16 {
        if depth == 0 {
            heapsort(a, count: n)
            return
        }
        depth -= 1
        let pivot = medianOfThree(a[0], a[n / 2], a[n - 1])
        // Three-way partition: [0, lt) < pivot, [lt, i) == pivot, [gt, n) > pivot.
        var lt = 0, i = 0, gt = n
        while i < gt {
            let v = a[i]
            if v < pivot {
                a[i] = a[lt]; a[lt] = v; lt += 1; i += 1
            } else if v > pivot {
                gt -= 1; a[i] = a[gt]; a[gt] = v
            } else {
                i += 1
            }
        }
        // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
        if lt < n - gt {
            introsort(a, count: lt, depthLimit: depth)
            a += gt
            n -= gt
        } else {
            introsort(a + gt, count: n - gt, depthLimit: depth)
            n = lt
        }
    }
    insertionSort(a, count: n)
}

@inline(__always)
private func medianOfThree(_ x: UInt64, _ y: UInt64, _ z: UInt64) -> UInt64 {
    if x < y {
        if y < z { return y }
        return x < z ? z : x
    }
    if x < z { return x }
    return y < z ? z : y
}

private func insertionSort(_ a: UnsafeMutablePointer<UInt64>, count: Int) {
    guard count > 1 else { return }
    for i in 1..<count {
        let item = a[i]
        var j = i
        while j > 0 && a[j - 1] > item {
            a[j] = a[j - 1]
            j -= 1
        }
        a[j] = item
    }
}

private func heapsort(_ a: UnsafeMutablePointer<UInt64>, count: Int) {
    func siftDown(_ start: Int, _ end: Int) {
        var root = start
        while true {
            var child = 2 * root + 1
            if child >= end { return }
            if child + 1 < end && a[child] < a[child + 1] { child += 1 }
            if a[root] < a[child] { a.swapAt(root, child); root = child } else { return }
        }
    }
    guard count > 1 else { return }
    for start in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(start, count) }
    for end in stride(from: count - 1, to: 0, by: -1) {
        let t = a[0]; a[0] = a[end]; a[end] = t
        siftDown(0, end)
    }
}

private extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always) func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]; self[i] = self[j]; self[j] = t
    }
}

/// Sorts keys `rank << 32 | sample` by rank with a least-significant-digit radix sort on the rank
/// (8-bit digits), falling back to `sortKeys` for short inputs.
///
/// Ranks within a node span `0...maxRank` (the caller subtracts the node's smallest rank), so a
/// feature with few distinct values, or a deep node, needs one or two linear passes instead of
/// O(n log n) comparisons. The order of keys with equal rank is left as the radix passes leave it;
/// the split search does not depend on it. `scratch` must hold at least `keys.count` keys and
/// `histogram` 256 counters.
func sortKeysByRank(_ keys: UnsafeMutableBufferPointer<UInt64>, maxRank: UInt32,
                    scratch: UnsafeMutableBufferPointer<UInt64>,
                    histogram: UnsafeMutableBufferPointer<Int>) {
    let n = keys.count
    guard n > 1 else { return }
    if n < 64 {
        sortKeys(keys)
        return
    }
    let bits = UInt32.bitWidth - maxRank.leadingZeroBitCount
    let passes = (bits + 7) / 8
    var source = keys
    var target = UnsafeMutableBufferPointer(rebasing: scratch[0..<n])
    for pass in 0..<passes {
        let shift = UInt64(32 + 8 * pass)
        for d in 0..<256 { histogram[d] = 0 }
        for i in 0..<n { histogram[Int(truncatingIfNeeded: (source[i] >> shift) & 0xFF)] += 1 }
        var offset = 0
        for d in 0..<256 {
            let count = histogram[d]
            histogram[d] = offset
            offset += count
        }
        for i in 0..<n {
            let key = source[i]
            let d = Int(truncatingIfNeeded: (key >> shift) & 0xFF)
            target[histogram[d]] = key
            histogram[d] += 1
        }
        swap(&source, &target)
    }
    if passes % 2 == 1 {
        for i in 0..<n { keys[i] = source[i] }
    }
}
