/// One fitted classification tree, stored as a flat array of 16-byte nodes plus one flat array of
/// leaf class frequencies.
///
/// Flat arrays instead of node objects keep a tree in two contiguous allocations: prediction walks
/// them without reference counting or pointer chasing, and a forest of hundreds of trees stays
/// cheap to copy and to keep in a session. The two children of a node are stored next to each
/// other, so a node needs only one child index and four nodes share a cache line — prediction over
/// a whole catalogue is the hot path of every query loop. Node 0 is the root.
struct DecisionTree: Sendable, Equatable {
    struct Node: Sendable, Equatable {
        /// A sample goes to the left child when its feature value is `<=` this threshold.
        var threshold: Double
        /// Feature tested here, or `-1` for a leaf.
        var feature: Int32
        /// Internal node: index of the left child (the right child follows it).
        /// Leaf: index of the leaf, whose frequencies start at `next * classCount` in `leafValues`.
        var next: Int32
    }

    let classCount: Int
    private(set) var nodes: [Node] = []
    /// Class frequencies of the training samples (bootstrap-weighted) that reached each leaf;
    /// `classCount` values per leaf, each block summing to 1.
    private(set) var leafValues: [Double] = []

    /// Total weighted Gini decrease of the splits on each feature (scikit-learn's mean decrease
    /// in impurity, before normalisation).
    private(set) var impurityDecrease: [Double]

    init(classCount: Int, featureCount: Int) {
        self.classCount = classCount
        self.impurityDecrease = [Double](repeating: 0, count: featureCount)
        nodes = [Node(threshold: 0, feature: -1, next: 0)]  // the root, filled in by the builder
    }

    var nodeCount: Int { nodes.count }

    /// Makes `node` a leaf with the given (already normalised) class frequencies.
    mutating func setLeaf(_ node: Int, frequencies: UnsafeBufferPointer<Double>) {
        let leaf = leafValues.count / max(classCount, 1)
        nodes[node] = Node(threshold: 0, feature: -1, next: Int32(truncatingIfNeeded: leaf))
        leafValues.append(contentsOf: frequencies)
    }

    /// Makes `node` a split and appends its two children (to be filled in); returns the left
    /// child's index (the right child is the next one).
    mutating func setSplit(_ node: Int, feature: Int, threshold: Double,
                           impurityDecrease decrease: Double) -> Int {
        impurityDecrease[feature] += decrease
        let left = nodes.count
        nodes[node] = Node(threshold: threshold, feature: Int32(truncatingIfNeeded: feature),
                           next: Int32(truncatingIfNeeded: left))
        nodes.append(Node(threshold: 0, feature: -1, next: 0))
        nodes.append(Node(threshold: 0, feature: -1, next: 0))
        return left
    }

    /// The nodes rewritten for branch-free prediction: a leaf becomes a node that sends every row
    /// back to itself (threshold NaN, so `x <= threshold` is false and the walk takes `next + 1`,
    /// which is the leaf), so all rows can take exactly `depth` steps with no test for "at a leaf".
    private(set) var walkNodes: [Node] = []
    /// For each node of `walkNodes`, the leaf index whose values start at `leaf * classCount`.
    private(set) var leafOfNode: [Int32] = []
    /// Longest root-to-leaf path (0 for a single leaf).
    private(set) var depth = 0

    /// Builds `walkNodes`, `leafOfNode` and `depth`; builders call it once the tree is complete.
    mutating func prepareForPrediction() {
        walkNodes = nodes
        leafOfNode = [Int32](repeating: 0, count: nodes.count)
        var depths = [Int](repeating: 0, count: nodes.count)
        var deepest = 0
        for i in nodes.indices {
            let node = nodes[i]
            if node.feature < 0 {
                leafOfNode[i] = node.next
                walkNodes[i] = Node(threshold: .nan, feature: 0, next: Int32(truncatingIfNeeded: i - 1))
                deepest = max(deepest, depths[i])
            } else {
                // Children always come after their parent, so their depth is set before they are visited.
                let left = Int(node.next)
                depths[left] = depths[i] + 1
                depths[left + 1] = depths[i] + 1
            }
        }
        depth = deepest
    }

    /// Adds this tree's leaf values for each of `rowCount` rows (row-major, `columns` wide, NaN
    /// already imputed) into `sums` (row-major, `classCount` wide).
    ///
    /// Eight rows walk the tree in lockstep for exactly `depth` steps, without branches: each step
    /// is a dependent load, and eight independent walks let the core overlap them. The builder
    /// guarantees that every split has two children and that features are below `columns`.
    func accumulate(rows: UnsafeBufferPointer<Double>, rowCount: Int, columns: Int,
                    into sums: UnsafeMutableBufferPointer<Double>) {
        guard let base = rows.baseAddress, rowCount > 0 else { return }
        let classCount = self.classCount
        let depth = self.depth
        walkNodes.withUnsafeBufferPointer { nodes in
        leafOfNode.withUnsafeBufferPointer { leafOf in
        leafValues.withUnsafeBufferPointer { values in
            @inline(__always) func step(_ index: Int, _ row: UnsafePointer<Double>) -> Int {
                let node = nodes[index]
                return Int(node.next) &+ (row[Int(node.feature)] <= node.threshold ? 0 : 1)
            }
            @inline(__always) func add(node: Int, row r: Int) {
                let offset = Int(leafOf[node]) * classCount
                let out = r * classCount
                for c in 0..<classCount { sums[out + c] += values[offset + c] }
            }
            var r = 0
            while r + 8 <= rowCount {
                let p0 = base + r * columns, p1 = p0 + columns, p2 = p1 + columns, p3 = p2 + columns
                let p4 = p3 + columns, p5 = p4 + columns, p6 = p5 + columns, p7 = p6 + columns
                var i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0
                // Four branch-free steps at a time, then stop once all eight rows sit at leaves
                // (lopsided trees are much deeper than most of their paths).
                var done = 0
                while done < depth {
                    for _ in 0..<min(4, depth - done) {
                        i0 = step(i0, p0); i1 = step(i1, p1); i2 = step(i2, p2); i3 = step(i3, p3)
                        i4 = step(i4, p4); i5 = step(i5, p5); i6 = step(i6, p6); i7 = step(i7, p7)
                    }
                    done += 4
                    if nodes[i0].threshold.isNaN && nodes[i1].threshold.isNaN && nodes[i2].threshold.isNaN
                        && nodes[i3].threshold.isNaN && nodes[i4].threshold.isNaN && nodes[i5].threshold.isNaN
                        && nodes[i6].threshold.isNaN && nodes[i7].threshold.isNaN { break }
                }
                add(node: i0, row: r); add(node: i1, row: r + 1); add(node: i2, row: r + 2); add(node: i3, row: r + 3)
                add(node: i4, row: r + 4); add(node: i5, row: r + 5); add(node: i6, row: r + 6); add(node: i7, row: r + 7)
                r += 8
            }
            while r < rowCount {
                let p = base + r * columns
                var i = 0
                for _ in 0..<depth { i = step(i, p) }
                add(node: i, row: r)
                r += 1
            }
        }}}
    }

    /// Adds this tree's leaf values for the rows listed in `order` into `sums` (`classCount` per
    /// row). `values` is a column-major block (feature `f` of row `r` at `f * stride + r`, NaN
    /// already imputed): a split reads one feature of many rows, so they share cache lines.
    ///
    /// Node by node instead of row by row: the rows at a node are split into those going left and
    /// those going right, then each child takes its part. A row costs one compare per node on its
    /// path, with no chain of dependent loads, and a leaf's values are read once for all its rows.
    /// Trees grown to purity are lopsided (in B3, rows reach leaves after 2.4 splits on average
    /// while the deepest leaves are 10 levels down), so this does a third of the steps of a
    /// lockstep walk, which must take as many steps as the deepest of its rows.
    ///
    /// The split is branch-free and out of place: each row is written both to the front of the
    /// other buffer (`spare`, same size as `order`) and to its back, and the front or back cursor
    /// advances, so no load waits on a store just made. Children read the buffer their parent
    /// wrote. Both buffers are left scrambled: `order` must list the rows afresh for every
    /// tree. Each row receives exactly this tree's leaf value, so the sums
    /// equal `accumulate`'s bit for bit.
    func accumulatePartitioned(values block: UnsafePointer<Double>, stride: Int, order: UnsafeMutablePointer<Int32>,
                               spare: UnsafeMutablePointer<Int32>, count: Int, into sums: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        let classCount = self.classCount
        nodes.withUnsafeBufferPointer { nodes in
        leafValues.withUnsafeBufferPointer { values in
            guard let nodeBase = nodes.baseAddress, let valueBase = values.baseAddress else { return }
            // Depth-first; the right child is pushed first, so at most depth + 1 entries wait.
            // Entry: node, start, end, which buffer holds the rows (0: order, 1: spare).
            withUnsafeTemporaryAllocation(of: SIMD4<Int32>.self, capacity: depth + 2) { stack in
                guard let stackBase = stack.baseAddress else { return }
                stackBase[0] = SIMD4(0, 0, Int32(truncatingIfNeeded: count), 0)
                var top = 1
                while top > 0 {
                    top -= 1
                    let entry = stackBase[top]
                    let node = nodeBase[Int(entry[0])]
                    let start = Int(entry[1]), end = Int(entry[2])
                    let source = entry[3] == 0 ? order : spare
                    if node.feature < 0 {
                        let leaf = valueBase + Int(node.next) * classCount
                        // Straight-line code for the usual two or three classes.
                        if classCount == 3 {
                            let (v0, v1, v2) = (leaf[0], leaf[1], leaf[2])
                            for k in start..<end {
                                let out = sums + Int(source[k]) &* 3
                                out[0] += v0; out[1] += v1; out[2] += v2
                            }
                        } else if classCount == 2 {
                            let (v0, v1) = (leaf[0], leaf[1])
                            for k in start..<end {
                                let out = sums + Int(source[k]) &* 2
                                out[0] += v0; out[1] += v1
                            }
                        } else {
                            for k in start..<end {
                                let out = sums + Int(source[k]) &* classCount
                                for c in 0..<classCount { out[c] += leaf[c] }
                            }
                        }
                        continue
                    }
                    let target = entry[3] == 0 ? spare : order
                    let feature = block + Int(node.feature) &* stride
                    let threshold = node.threshold
                    var low = start, high = end - 1
                    for k in start..<end {
                        let r = source[k]
                        // 0 or 1 as a number, so the compiler emits setcc rather than a branch that
                        // would be mispredicted for half the rows.
                        let left = Int(unsafeBitCast(feature[Int(r)] <= threshold, to: UInt8.self))
                        target[low] = r
                        target[high] = r
                        low &+= left
                        high &-= 1 &- left
                    }
                    let child = node.next, other = 1 - entry[3]
                    if low < end { stackBase[top] = SIMD4(child &+ 1, Int32(truncatingIfNeeded: low), Int32(truncatingIfNeeded: end), other); top += 1 }
                    if low > start { stackBase[top] = SIMD4(child, Int32(truncatingIfNeeded: start), Int32(truncatingIfNeeded: low), other); top += 1 }
                }
            }
        }}
    }
}
