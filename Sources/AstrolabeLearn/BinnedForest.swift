/// A fitted forest rewritten for fast, exact prediction on binned rows packed into 64-bit words.
///
/// Every threshold the forest tests on feature `f` goes into one sorted list `T_f` of distinct
/// values. A value `x` becomes its bin, the number of thresholds below it; then for every
/// threshold `T_f[j]`, `x <= T_f[j]` exactly when `bin(x) <= j` (all thresholds below `x` have
/// indices below `j` if `x <= T_f[j]`, and `T_f[0...j]` are all below `x` otherwise). So the trees
/// can be walked on bins and give the very leaves — and the very probabilities — of the walk on
/// doubles, while a row's bins and its index in the block fit in one `UInt64`:
/// `row | bin_0 << shift_0 | bin_1 << shift_1 | ...`, each field as wide as its feature needs.
///
/// Splitting rows node by node (as `DecisionTree.accumulatePartitioned` does) then moves the packed
/// words themselves: a row costs one sequential load, an AND, a compare and two stores per node on
/// its path, with no gather from a feature column. A leaf records its offset for each of its rows;
/// a second, sequential pass adds the leaf values of a group of trees to each row's sums in tree
/// order, so the sums are bit-for-bit those of adding tree after tree.
///
/// `init` returns nil when the bins do not fit (many features, or tens of thousands of distinct
/// thresholds), when a threshold is NaN, or when the leaf values are too many for 32-bit offsets;
/// the forest then predicts with `accumulatePartitioned`.
struct BinnedForest: Sendable {
    /// Rows per prediction block: the row's index in its block takes the low `rowBits` bits.
    static let rowBits = 12
    static let blockRows = 1 << rowBits
    /// Trees whose leaf offsets are recorded before one pass adds their values.
    static let treesPerPass = 8

    struct Node: Sendable {
        /// Internal node: the bit field of the tested feature; 0 marks a leaf.
        var mask: UInt64
        /// Internal node: the threshold's index in its feature's list, shifted into the field;
        /// a row goes left when `row & mask <= bound`.
        var bound: UInt64
        /// Internal node: index (in `nodes`) of the left child, the right one follows it.
        /// Leaf: offset of its class values in `leafValues`.
        var next: Int
    }

    let classCount: Int
    /// Sorted distinct thresholds of each feature (empty for features no tree tests).
    let thresholds: [[Double]]
    /// Bit position of each feature's field (meaningless for features with no thresholds).
    let shifts: [Int]
    /// All trees' nodes, tree after tree; children indices are absolute.
    let nodes: [Node]
    /// Index in `nodes` of each tree's root.
    let roots: [Int]
    /// All trees' leaf class values, `classCount` per leaf.
    let leafValues: [Double]
    /// Longest root-to-leaf path over the trees.
    let depth: Int

    init?(trees: [DecisionTree], featureCount: Int) {
        guard let first = trees.first, featureCount > 0 else { return nil }
        classCount = first.classCount
        var lists = [[Double]](repeating: [], count: featureCount)
        for tree in trees {
            guard tree.classCount == classCount else { return nil }
            for node in tree.nodes where node.feature >= 0 {
                let f = Int(node.feature)
                guard f < featureCount, !node.threshold.isNaN else { return nil }
                lists[f].append(node.threshold)
            }
        }
        var shifts = [Int](repeating: 0, count: featureCount)
        var used = BinnedForest.rowBits
        for f in 0..<featureCount {
            lists[f].sort()
            var distinct: [Double] = []
            distinct.reserveCapacity(lists[f].count)
            // -0.0 and 0.0 compare equal, so they are one threshold (either one will do).
            for t in lists[f] where distinct.last.map({ $0 < t }) ?? true { distinct.append(t) }
            lists[f] = distinct
            // Bins run from 0 to `distinct.count`.
            let width = distinct.isEmpty ? 0 : Int.bitWidth - distinct.count.leadingZeroBitCount
            shifts[f] = used
            used += width
            guard used <= 64 else { return nil }
        }
        var nodes: [Node] = [], roots: [Int] = [], values: [Double] = []
        var depth = 0
        for tree in trees {
            let base = nodes.count
            roots.append(base)
            depth = max(depth, tree.depth)
            let leafBase = values.count
            values.append(contentsOf: tree.leafValues)
            for node in tree.nodes {
                if node.feature < 0 {
                    nodes.append(Node(mask: 0, bound: 0, next: leafBase + Int(node.next) * classCount))
                } else {
                    let f = Int(node.feature)
                    let list = lists[f]
                    let width = Int.bitWidth - list.count.leadingZeroBitCount
                    let rank = BinnedForest.countBelow(node.threshold, in: list)
                    nodes.append(Node(mask: ((1 << UInt64(width)) - 1) << UInt64(shifts[f]),
                                      bound: UInt64(rank) << UInt64(shifts[f]), next: base + Int(node.next)))
                }
            }
        }
        guard values.count <= Int(Int32.max) else { return nil }
        self.thresholds = lists
        self.shifts = shifts
        self.nodes = nodes
        self.roots = roots
        self.leafValues = values
        self.depth = depth
    }

    /// Number of values of the sorted `list` below `x` (its bin), without branches on the data.
    @inline(__always)
    static func countBelow(_ x: Double, in list: UnsafeBufferPointer<Double>) -> Int {
        guard let base = list.baseAddress, list.count > 0 else { return 0 }
        var low = 0, n = list.count
        while n > 1 {
            let half = n >> 1
            low = base[low &+ half] < x ? low &+ half : low
            n &-= half
        }
        return low &+ (base[low] < x ? 1 : 0)
    }

    static func countBelow(_ x: Double, in list: [Double]) -> Int {
        list.withUnsafeBufferPointer { countBelow(x, in: $0) }
    }

    /// Packs rows `start..<start + count` of `x` (row-major, `columns` wide; NaN replaced through
    /// `fill`) into `packed`, row `r` of the block as `r | bins`.
    func pack(_ x: UnsafePointer<Double>, columns: Int, start: Int, count: Int,
              fill: (Double, Int) -> Double, into packed: UnsafeMutablePointer<UInt64>) {
        for r in 0..<count { packed[r] = UInt64(r) }
        for f in 0..<min(columns, thresholds.count) {
            let shift = UInt64(shifts[f])
            thresholds[f].withUnsafeBufferPointer { list in
                guard !list.isEmpty else { return }
                for r in 0..<count {
                    let value = fill(x[(start + r) &* columns &+ f], f)
                    packed[r] |= UInt64(BinnedForest.countBelow(value, in: list)) << shift
                }
            }
        }
    }

    /// Adds, for each of the `count` packed rows, the leaf values of every tree (in tree order) into
    /// `sums` (`classCount` per row, in block order). `spare` holds `2 × blockRows` words and
    /// `offsets` `treesPerPass × blockRows` entries.
    func accumulate(packed: UnsafePointer<UInt64>, count: Int, spare: UnsafeMutablePointer<UInt64>,
                    offsets: UnsafeMutablePointer<Int32>, into sums: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        let rowMask = UInt64(BinnedForest.blockRows - 1)
        let classCount = self.classCount
        nodes.withUnsafeBufferPointer { nodes in
        leafValues.withUnsafeBufferPointer { values in
        withUnsafeTemporaryAllocation(of: SIMD4<Int>.self, capacity: depth + 2) { stack in
            guard let nodeBase = nodes.baseAddress, let valueBase = values.baseAddress,
                  let stackBase = stack.baseAddress else { return }
            let bufferA = spare, bufferB = spare + BinnedForest.blockRows
            var firstTree = 0
            while firstTree < roots.count {
                let treeCount = min(BinnedForest.treesPerPass, roots.count - firstTree)
                for t in 0..<treeCount {
                    let leafOffsets = offsets + t &* count
                    // Entry: node, start, end, buffer holding the rows (0 packed, 1 A, 2 B).
                    // Depth first, right child pushed first: at most depth + 1 entries wait.
                    stackBase[0] = SIMD4(roots[firstTree + t], 0, count, 0)
                    var top = 1
                    while top > 0 {
                        top -= 1
                        let entry = stackBase[top]
                        let node = nodeBase[entry[0]]
                        let start = entry[1], end = entry[2]
                        let source: UnsafePointer<UInt64> = entry[3] == 0 ? packed
                            : UnsafePointer(entry[3] == 1 ? bufferA : bufferB)
                        if node.mask == 0 {
                            let offset = Int32(truncatingIfNeeded: node.next)
                            for k in start..<end { leafOffsets[Int(truncatingIfNeeded: source[k] & rowMask)] = offset }
                            continue
                        }
                        let into = entry[3] == 1 ? 2 : 1
                        let target = into == 1 ? bufferA : bufferB
                        let mask = node.mask, bound = node.bound
                        var low = start, high = end &- 1
                        for k in start..<end {
                            let row = source[k]
                            // 0 or 1 as a number, so the compiler emits setcc rather than a branch
                            // that would be mispredicted for half the rows.
                            let left = Int(unsafeBitCast(row & mask <= bound, to: UInt8.self))
                            target[low] = row
                            target[high] = row
                            low &+= left
                            high &-= 1 &- left
                        }
                        let child = node.next
                        if low < end { stackBase[top] = SIMD4(child &+ 1, low, end, into); top += 1 }
                        if low > start { stackBase[top] = SIMD4(child, start, low, into); top += 1 }
                    }
                }
                // Tree order within each row, so the sums are those of adding tree after tree.
                if classCount == 3 {
                    for r in 0..<count {
                        let out = sums + r &* 3
                        var s0 = out[0], s1 = out[1], s2 = out[2]
                        for t in 0..<treeCount {
                            let leaf = valueBase + Int(offsets[t &* count &+ r])
                            s0 += leaf[0]; s1 += leaf[1]; s2 += leaf[2]
                        }
                        out[0] = s0; out[1] = s1; out[2] = s2
                    }
                } else if classCount == 2 {
                    for r in 0..<count {
                        let out = sums + r &* 2
                        var s0 = out[0], s1 = out[1]
                        for t in 0..<treeCount {
                            let leaf = valueBase + Int(offsets[t &* count &+ r])
                            s0 += leaf[0]; s1 += leaf[1]
                        }
                        out[0] = s0; out[1] = s1
                    }
                } else {
                    for t in 0..<treeCount {
                        for r in 0..<count {
                            let out = sums + r &* classCount
                            let leaf = valueBase + Int(offsets[t &* count &+ r])
                            for c in 0..<classCount { out[c] += leaf[c] }
                        }
                    }
                }
                firstTree += treeCount
            }
        }}}
    }
}
