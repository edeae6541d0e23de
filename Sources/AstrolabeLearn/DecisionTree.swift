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
}
