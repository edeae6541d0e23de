/// A sample's value for the feature being considered at a node.
struct KeyedSample {
    var value: Double
    var sample: Int
}

/// Sorts `items` by `value` in place without allocating: introsort with three-way partitioning.
///
/// Tree growing sorts every node's samples once per candidate feature, so this is the hottest loop
/// of a forest. The standard library's sort is a stable merge sort that allocates a buffer on every
/// call; stability is not needed here (the split search only looks at positions between distinct
/// values, so the order among equal values cannot change the tree). Three-way partitioning keeps
/// features with many repeated values (integer-valued pixels, flags) fast, and the heapsort
/// fallback bounds the worst case at O(n log n). Values must not be NaN.
func sortByValue(_ items: UnsafeMutableBufferPointer<KeyedSample>) {
    guard items.count > 1, let base = items.baseAddress else { return }
    introsort(base, count: items.count, depthLimit: 2 * (Int.bitWidth - items.count.leadingZeroBitCount))
}

private func introsort(_ a: UnsafeMutablePointer<KeyedSample>, count: Int, depthLimit: Int) {
    var a = a
    var n = count
    var depth = depthLimit
    while n > 16 {
        if depth == 0 {
            heapsort(a, count: n)
            return
        }
        depth -= 1
        let pivot = medianOfThree(a[0].value, a[n / 2].value, a[n - 1].value)
        // Three-way partition: [0, lt) < pivot, [lt, i) == pivot, (gt, n) > pivot.
        var lt = 0, i = 0, gt = n
        while i < gt {
            let v = a[i].value
            if v < pivot {
                swap(a, lt, i); lt += 1; i += 1
            } else if v > pivot {
                gt -= 1; swap(a, i, gt)
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
private func swap(_ a: UnsafeMutablePointer<KeyedSample>, _ i: Int, _ j: Int) {
    let t = a[i]; a[i] = a[j]; a[j] = t
}

@inline(__always)
private func medianOfThree(_ x: Double, _ y: Double, _ z: Double) -> Double {
    if x < y {
        if y < z { return y }
        return x < z ? z : x
    }
    if x < z { return x }
    return y < z ? z : y
}

private func insertionSort(_ a: UnsafeMutablePointer<KeyedSample>, count: Int) {
    guard count > 1 else { return }
    for i in 1..<count {
        let item = a[i]
        var j = i
        while j > 0 && a[j - 1].value > item.value {
            a[j] = a[j - 1]
            j -= 1
        }
        a[j] = item
    }
}

private func heapsort(_ a: UnsafeMutablePointer<KeyedSample>, count: Int) {
    func siftDown(_ start: Int, _ end: Int) {
        var root = start
        while true {
            var child = 2 * root + 1
            if child >= end { return }
            if child + 1 < end && a[child].value < a[child + 1].value { child += 1 }
            if a[root].value < a[child].value { swap(a, root, child); root = child } else { return }
        }
    }
    guard count > 1 else { return }
    for start in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(start, count) }
    for end in stride(from: count - 1, to: 0, by: -1) {
        swap(a, 0, end)
        siftDown(0, end)
    }
}
