import AstrolabeData

/// Grows one CART classification tree (Gini impurity, exact best split) on weighted samples.
///
/// This follows scikit-learn's `DecisionTreeClassifier` with `splitter="best"`: at each node it
/// draws features at random without replacement, sorts the node's samples by each one, and takes
/// the threshold with the lowest weighted Gini impurity among midpoints between consecutive
/// distinct values (first found wins ties). It sorts ranks rather than values (`RankedFeatures`),
/// which gives the same tree faster. Two deliberate differences: values are compared exactly
/// (scikit-learn treats values within 1e-7 as equal and converts to float32, which would make
/// fluxes of order 1e-12 erg/cm²/s unsplittable), and there is no recursion, so very deep trees
/// cannot exhaust a worker thread's stack.
///
/// Sample weights are bootstrap counts times class weights (`ClassWeighting`); `minSamplesLeaf` counts distinct samples, as in
/// scikit-learn.
struct TreeBuilder: Sendable {
    /// Training features as ranks (NaN already imputed).
    let features: RankedFeatures
    let labels: [Int]
    let classCount: Int
    let maxDepth: Int
    let minSamplesLeaf: Int
    let maxFeatures: Int
    /// Extremely randomised trees (scikit-learn's `splitter="random"`): each candidate feature gets
    /// one threshold drawn uniformly between its smallest and largest value in the node, instead of
    /// the best of all thresholds.
    var randomSplits = false
    /// Sums of squared class weights recomputed from the left side's class sums at every position,
    /// as scikit-learn does, instead of updated in O(1): the same numbers for whole-number weights
    /// (bootstrap counts), the same last bits as scikit-learn's for fractional ones (class weights),
    /// where near-ties between thresholds are decided by them.
    var recomputeSquares = false

    private struct Node {
        var start: Int
        var end: Int
        var depth: Int
        /// Index of this node in the tree (already allocated by its parent's split).
        var index: Int
    }

    /// Builds a tree on the samples with positive `weights` (one weight per training row).
    func build(weights: [Double], generator: inout SeededGenerator) throws -> DecisionTree {
        let rows = features.rows
        let featureCount = features.featureCount
        var samples = [Int]()
        samples.reserveCapacity(rows)
        for r in 0..<rows where weights[r] > 0 { samples.append(r) }

        var tree = DecisionTree(classCount: classCount, featureCount: featureCount)
        var keyed = [UInt64](repeating: 0, count: samples.count)
        var partitionScratch = [Int](repeating: 0, count: samples.count)
        var sortScratch = [UInt64](repeating: 0, count: samples.count)
        var histogram = [Int](repeating: 0, count: 256)
        var featureOrder = Array(0..<featureCount)
        var totals = [Double](repeating: 0, count: classCount)
        var leftCounts = [Double](repeating: 0, count: classCount)
        var stack = [Node(start: 0, end: samples.count, depth: 0, index: 0)]

        try features.ranks.withUnsafeBufferPointer { x in
        try labels.withUnsafeBufferPointer { y in
        try weights.withUnsafeBufferPointer { w in
        try samples.withUnsafeMutableBufferPointer { samples in
        try keyed.withUnsafeMutableBufferPointer { keyed in
        try partitionScratch.withUnsafeMutableBufferPointer { scratch in
        try totals.withUnsafeMutableBufferPointer { totals in
        try leftCounts.withUnsafeMutableBufferPointer { leftCounts in
        try sortScratch.withUnsafeMutableBufferPointer { sortScratch in
        try histogram.withUnsafeMutableBufferPointer { histogram in
            while let node = stack.popLast() {
                try Cancellation.check()
                let n = node.end - node.start

                // Weighted class counts of the node.
                for c in 0..<classCount { totals[c] = 0 }
                var totalWeight = 0.0
                for i in node.start..<node.end {
                    let s = samples[i]
                    totals[y[s]] += w[s]
                    totalWeight += w[s]
                }
                var classesPresent = 0
                var sumSquaresTotal = 0.0
                for c in 0..<classCount where totals[c] > 0 {
                    classesPresent += 1
                    sumSquaresTotal += totals[c] * totals[c]
                }

                var bestFeature = -1
                var bestRank = 0
                var bestThreshold: Double?
                var bestProxy = -Double.infinity
                let canSplit = node.depth < maxDepth && n >= 2 && n / 2 >= minSamplesLeaf
                    && classesPresent > 1
                if canSplit {
                    // Gini: minimising Σ_side w_side·gini_side is maximising
                    // Σ_side (Σ_k count_k²) / w_side, which updates in O(1) per sample moved.
                    var visited = 0
                    var foundVarying = false
                    var drawn = 0
                    // Keep drawing until `maxFeatures` features were looked at and at least one
                    // of them varies in this node (scikit-learn's rule).
                    while drawn < featureCount && (visited < maxFeatures || !foundVarying) {
                        let pick = drawn + generator.nextInt(below: featureCount - drawn)
                        featureOrder.swapAt(drawn, pick)
                        let f = featureOrder[drawn]
                        drawn += 1
                        visited += 1

                        let column = f * rows
                        var minRank = UInt32.max, maxRank = UInt32.min
                        for i in node.start..<node.end {
                            let rank = x[column + samples[i]]
                            minRank = min(minRank, rank)
                            maxRank = max(maxRank, rank)
                        }
                        guard minRank < maxRank else { continue }  // constant in this node
                        foundVarying = true
                        if randomSplits {
                            let levels = features.levels[f]
                            let low = levels[Int(minRank)], high = levels[Int(maxRank)]
                            var t = low + generator.nextDouble() * (high - low)
                            if !(t < high) || !t.isFinite { t = low }
                            // Largest rank whose value is <= t: samples up to it go left.
                            var lo = Int(minRank), hi = Int(maxRank)
                            while lo + 1 < hi {
                                let mid = (lo + hi) / 2
                                if levels[mid] <= t { lo = mid } else { hi = mid }
                            }
                            let cut = UInt32(lo)
                            for c in 0..<classCount { leftCounts[c] = 0 }
                            var leftWeight = 0.0, leftSize = 0
                            for i in node.start..<node.end {
                                let s = samples[i]
                                if x[column + s] <= cut {
                                    leftCounts[y[s]] += w[s]
                                    leftWeight += w[s]
                                    leftSize += 1
                                }
                            }
                            guard leftSize >= minSamplesLeaf, n - leftSize >= minSamplesLeaf else { continue }
                            var left2 = 0.0, right2 = 0.0
                            for c in 0..<classCount {
                                left2 += leftCounts[c] * leftCounts[c]
                                let r = totals[c] - leftCounts[c]
                                right2 += r * r
                            }
                            let proxy = left2 / leftWeight + right2 / (totalWeight - leftWeight)
                            if proxy > bestProxy {
                                bestProxy = proxy
                                bestFeature = f
                                bestRank = lo
                                bestThreshold = t
                            }
                            continue
                        }
                        for i in node.start..<node.end {
                            let s = samples[i]
                            keyed[i] = UInt64(x[column + s] - minRank) << 32 | UInt64(truncatingIfNeeded: s)
                        }
                        let slice = UnsafeMutableBufferPointer(rebasing: keyed[node.start..<node.end])
                        sortKeysByRank(slice, maxRank: maxRank - minRank, scratch: sortScratch,
                                       histogram: histogram)

                        for c in 0..<classCount { leftCounts[c] = 0 }
                        var leftWeight = 0.0
                        var sumSquaresLeft = 0.0
                        var sumSquaresRight = sumSquaresTotal
                        let lastLeft = n - minSamplesLeaf  // most samples the left side may hold
                        for i in 0..<(n - 1) {
                            let key = slice[i]
                            let sample = Int(truncatingIfNeeded: key & 0xFFFF_FFFF)
                            let k = y[sample]
                            let weight = w[sample]
                            let l = leftCounts[k]
                            let r = totals[k] - l
                            leftCounts[k] = l + weight
                            leftWeight += weight
                            if recomputeSquares {
                                sumSquaresLeft = 0
                                sumSquaresRight = 0
                                for c in 0..<classCount {
                                    let left = leftCounts[c], right = totals[c] - left
                                    sumSquaresLeft += left * left
                                    sumSquaresRight += right * right
                                }
                            } else {
                                sumSquaresLeft += 2 * l * weight + weight * weight
                                sumSquaresRight += -2 * r * weight + weight * weight
                            }
                            let leftSize = i + 1
                            if leftSize > lastLeft { break }
                            if leftSize < minSamplesLeaf { continue }
                            let rank = key >> 32
                            if !(rank < slice[i + 1] >> 32) { continue }
                            let rightWeight = totalWeight - leftWeight
                            let proxy = sumSquaresLeft / leftWeight + sumSquaresRight / rightWeight
                            if proxy > bestProxy {
                                bestProxy = proxy
                                bestFeature = f
                                bestRank = Int(truncatingIfNeeded: rank) + Int(minRank)
                            }
                        }
                    }
                }

                guard bestFeature >= 0 else {
                    for c in 0..<classCount { totals[c] /= totalWeight }
                    tree.setLeaf(node.index, frequencies: UnsafeBufferPointer(totals))
                    continue
                }
                let leftChild = tree.setSplit(
                    node.index, feature: bestFeature,
                    threshold: bestThreshold ?? features.threshold(feature: bestFeature, between: bestRank),
                    // w·gini(node) − wL·gini(left) − wR·gini(right), with w·gini = w − Σcount²/w.
                    impurityDecrease: bestProxy - sumSquaresTotal / totalWeight)

                // Stable partition: samples going left keep their order, then those going right.
                let column = bestFeature * rows
                var leftEnd = node.start
                var rightCount = 0
                for i in node.start..<node.end {
                    let s = samples[i]
                    if Int(x[column + s]) <= bestRank {
                        samples[leftEnd] = s
                        leftEnd += 1
                    } else {
                        scratch[rightCount] = s
                        rightCount += 1
                    }
                }
                for j in 0..<rightCount { samples[leftEnd + j] = scratch[j] }

                // Right first so the left subtree is grown first: depth-first order.
                stack.append(Node(start: leftEnd, end: node.end, depth: node.depth + 1,
                                  index: leftChild + 1))
                stack.append(Node(start: node.start, end: leftEnd, depth: node.depth + 1,
                                  index: leftChild))
            }
        }}}}}}}}}}
        tree.prepareForPrediction()
        return tree
    }
}

/// A threshold between two consecutive distinct sorted values `lower < upper` such that
/// `lower <= t < upper`: their midpoint, or `lower` when rounding (or an infinity) would put the
/// midpoint outside that interval — the same repair scikit-learn makes.
@inline(__always)
func midpoint(_ lower: Double, _ upper: Double) -> Double {
    let m = lower / 2 + upper / 2
    return (m >= lower && m < upper) ? m : lower
}
