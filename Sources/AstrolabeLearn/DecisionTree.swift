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

    /// Adds this tree's leaf frequencies for each of `rowCount` rows (row-major, `columns` wide,
    /// NaN already imputed) into `sums` (row-major, `classCount` wide).
    ///
    /// The builder guarantees that every split has two children, that features are below
    /// `columns`, and that leaf indices are in range, so every walk ends at a leaf.
    func accumulate(rows: UnsafeBufferPointer<Double>, rowCount: Int, columns: Int,
                    into sums: UnsafeMutableBufferPointer<Double>) {
        guard let base = rows.baseAddress, rowCount > 0 else { return }
        let classCount = self.classCount
        nodes.withUnsafeBufferPointer { nodes in
            leafValues.withUnsafeBufferPointer { values in
                /// Leaf reached by the row starting at `row`.
                @inline(__always) func leaf(_ row: UnsafePointer<Double>) -> Int {
                    var node = nodes[0]
                    while node.feature >= 0 {
                        node = nodes[Int(node.next) + (row[Int(node.feature)] <= node.threshold ? 0 : 1)]
                    }
                    return Int(node.next)
                }
                /// One step down for a row: unchanged once it is at a leaf.
                @inline(__always) func step(_ index: inout Int, _ row: UnsafePointer<Double>) -> Bool {
                    let node = nodes[index]
                    guard node.feature >= 0 else { return false }
                    index = Int(node.next) + (row[Int(node.feature)] <= node.threshold ? 0 : 1)
                    return true
                }
                @inline(__always) func add(leaf: Int, row r: Int) {
                    let offset = leaf * classCount
                    let out = r * classCount
                    for c in 0..<classCount { sums[out + c] += values[offset + c] }
                }

                // Walk four rows in lockstep: each step is a dependent load, and interleaving four
                // independent walks lets the memory system overlap them.
                var r = 0
                while r + 4 <= rowCount {
                    let row0 = base + r * columns, row1 = row0 + columns
                    let row2 = row1 + columns, row3 = row2 + columns
                    var i0 = 0, i1 = 0, i2 = 0, i3 = 0
                    while true {
                        let a = step(&i0, row0), b = step(&i1, row1)
                        let c = step(&i2, row2), d = step(&i3, row3)
                        if !(a || b || c || d) { break }
                    }
                    add(leaf: Int(nodes[i0].next), row: r)
                    add(leaf: Int(nodes[i1].next), row: r + 1)
                    add(leaf: Int(nodes[i2].next), row: r + 2)
                    add(leaf: Int(nodes[i3].next), row: r + 3)
                    r += 4
                }
                while r < rowCount {
                    add(leaf: leaf(base + r * columns), row: r)
                    r += 1
                }
            }
        }
    }
}
