/// One fitted classification tree, stored as parallel flat arrays indexed by node.
///
/// Flat arrays instead of node objects keep a tree in a few contiguous allocations: prediction
/// walks them without reference counting or pointer chasing, and a forest of hundreds of trees
/// stays cheap to copy and to keep in a session. Node 0 is the root.
struct DecisionTree: Sendable, Equatable {
    /// Feature tested at each internal node; `-1` marks a leaf.
    var feature: [Int] = []
    /// A sample goes left when its feature value is `<=` this threshold.
    var threshold: [Double] = []
    /// Child node indices (unused, `-1`, for leaves).
    var left: [Int] = []
    var right: [Int] = []
    /// For a leaf, where its `classCount` class frequencies start in `leafValues`; `-1` otherwise.
    var valueOffset: [Int] = []
    /// Class frequencies of the training samples (bootstrap-weighted) that reached each leaf; each
    /// leaf's block sums to 1.
    var leafValues: [Double] = []

    var nodeCount: Int { feature.count }

    /// Appends a leaf with the given (already normalised) class frequencies; returns its index.
    mutating func appendLeaf(frequencies: UnsafeBufferPointer<Double>) -> Int {
        let node = feature.count
        feature.append(-1)
        threshold.append(0)
        left.append(-1)
        right.append(-1)
        valueOffset.append(leafValues.count)
        leafValues.append(contentsOf: frequencies)
        return node
    }

    /// Appends an internal node whose children are filled in later; returns its index.
    mutating func appendSplit(feature f: Int, threshold t: Double) -> Int {
        let node = feature.count
        feature.append(f)
        threshold.append(t)
        left.append(-1)
        right.append(-1)
        valueOffset.append(-1)
        return node
    }

    /// Offset in `leafValues` of the leaf that `row` (one row of features, no NaN) falls into.
    ///
    /// The builder guarantees every internal node has both children and that node indices are in
    /// range, so the walk always ends at a leaf.
    @inline(__always)
    func leafOffset(row: UnsafePointer<Double>,
                    feature: UnsafeBufferPointer<Int>, threshold: UnsafeBufferPointer<Double>,
                    left: UnsafeBufferPointer<Int>, right: UnsafeBufferPointer<Int>,
                    valueOffset: UnsafeBufferPointer<Int>) -> Int {
        var node = 0
        while true {
            let f = feature[node]
            if f < 0 { return valueOffset[node] }
            node = row[f] <= threshold[node] ? left[node] : right[node]
        }
    }

    /// Adds this tree's leaf frequencies for each of `rowCount` rows (row-major, `columns` wide,
    /// NaN already imputed) into `sums` (row-major, `classCount` wide).
    func accumulate(rows: UnsafeBufferPointer<Double>, rowCount: Int, columns: Int,
                    classCount: Int, into sums: UnsafeMutableBufferPointer<Double>) {
        guard let base = rows.baseAddress, rowCount > 0 else { return }
        feature.withUnsafeBufferPointer { feature in
        threshold.withUnsafeBufferPointer { threshold in
        left.withUnsafeBufferPointer { left in
        right.withUnsafeBufferPointer { right in
        valueOffset.withUnsafeBufferPointer { valueOffset in
        leafValues.withUnsafeBufferPointer { values in
            for r in 0..<rowCount {
                let offset = leafOffset(row: base + r * columns, feature: feature,
                                        threshold: threshold, left: left, right: right,
                                        valueOffset: valueOffset)
                let out = r * classCount
                for c in 0..<classCount { sums[out + c] += values[offset + c] }
            }
        }}}}}}
    }
}
