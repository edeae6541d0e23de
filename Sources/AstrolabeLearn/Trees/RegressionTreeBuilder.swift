import AstrolabeData

/// Grows one least-squares regression tree on ranked features: the trees gradient boosting fits
/// to its residuals, and the trees of the regression forest (scikit-learn's `DecisionTreeRegressor`,
/// `criterion="squared_error"`, `splitter="best"` or `"random"`).
///
/// Every node draws features in a seeded random order and looks at them until `maxFeatures` were
/// looked at and one of them varies in the node (scikit-learn's rule); the first best split found
/// wins. It takes the threshold that most reduces the weighted squared error of the targets:
/// Σw·y over each side squared, over its weight, is scikit-learn's proxy (and `friedman_mse` picks
/// the same split, since nL·nR/n·(meanL − meanR)² is exactly that reduction). A split must beat
/// "no split"; one that only ties it leaves the same predictions, so trees predict as
/// scikit-learn's do. Samples carry weights (bootstrap counts; rows of weight 0 are left out) and
/// `minSamplesLeaf` counts distinct samples, as in scikit-learn. Leaf values are what `leafValue`
/// makes of each leaf's samples (the weighted mean for a forest, a Newton step for boosting). The
/// tree is a `DecisionTree` with one value per leaf.
struct RegressionTreeBuilder: Sendable {
    let features: RankedFeatures
    let maxDepth: Int
    let minSamplesLeaf: Int
    /// Features looked at per node (nil: all of them).
    var maxFeatures: Int? = nil
    /// One random threshold per feature instead of the best one (extra trees).
    var randomSplits = false

    func build(targets: [Double], weights: [Double]? = nil, generator: inout SeededGenerator,
               leafValue: (UnsafeBufferPointer<Int>) -> Double) throws -> DecisionTree {
        let rows = features.rows
        let featureCount = features.featureCount
        let w = weights ?? [Double](repeating: 1, count: rows)
        var samples = (0..<rows).filter { w[$0] > 0 }
        let used = samples.count
        var tree = DecisionTree(classCount: 1, featureCount: featureCount)
        var keyed = [UInt64](repeating: 0, count: used)
        var sortScratch = [UInt64](repeating: 0, count: used)
        var histogram = [Int](repeating: 0, count: 256)
        var scratch = [Int](repeating: 0, count: used)
        var order = Array(0..<featureCount)
        let limit = min(maxFeatures ?? featureCount, featureCount)
        var stack = [(start: 0, end: used, depth: 0, index: 0)]
        try features.ranks.withUnsafeBufferPointer { x in
        try targets.withUnsafeBufferPointer { y in
        try w.withUnsafeBufferPointer { w in
        try samples.withUnsafeMutableBufferPointer { samples in
        try keyed.withUnsafeMutableBufferPointer { keyed in
        try sortScratch.withUnsafeMutableBufferPointer { sortScratch in
        try histogram.withUnsafeMutableBufferPointer { histogram in
        try scratch.withUnsafeMutableBufferPointer { scratch in
            while let node = stack.popLast() {
                try Cancellation.check()
                let n = node.end - node.start
                var sum = 0.0, sumSquares = 0.0, total = 0.0
                for i in node.start..<node.end {
                    let s = samples[i], t = y[s], weight = w[s]
                    sum += weight * t
                    sumSquares += weight * t * t
                    total += weight
                }
                var best = (feature: -1, rank: 0, threshold: Double?.none)
                var bestProxy = sum * sum / total  // a split must beat "no split"
                let impurity = sumSquares / total - (sum / total) * (sum / total)
                if node.depth < maxDepth && n >= 2 * minSamplesLeaf && n >= 2 && impurity > 1e-14 * max(1, sumSquares / total) {
                    order.seededShuffle(using: &generator)
                    var visited = 0, foundVarying = false
                    for f in order {
                        if visited >= limit && foundVarying { break }
                        visited += 1
                        let column = f * rows
                        var minRank = UInt32.max, maxRank = UInt32.min
                        for i in node.start..<node.end {
                            let rank = x[column + samples[i]]
                            minRank = min(minRank, rank)
                            maxRank = max(maxRank, rank)
                        }
                        guard minRank < maxRank else { continue }
                        foundVarying = true
                        if randomSplits {
                            guard let (cut, t) = randomCut(feature: f, minRank: minRank, maxRank: maxRank, generator: &generator) else { continue }
                            var left = 0.0, leftWeight = 0.0, leftSize = 0
                            for i in node.start..<node.end {
                                let s = samples[i]
                                if x[column + s] <= cut { left += w[s] * y[s]; leftWeight += w[s]; leftSize += 1 }
                            }
                            guard leftSize >= minSamplesLeaf, n - leftSize >= minSamplesLeaf else { continue }
                            let right = sum - left
                            let proxy = left * left / leftWeight + right * right / (total - leftWeight)
                            if proxy > bestProxy * (1 + 1e-12) { bestProxy = proxy; best = (f, Int(cut), t) }
                            continue
                        }
                        for i in node.start..<node.end {
                            let s = samples[i]
                            keyed[i] = UInt64(x[column + s] - minRank) << 32 | UInt64(truncatingIfNeeded: s)
                        }
                        let slice = UnsafeMutableBufferPointer(rebasing: keyed[node.start..<node.end])
                        sortKeysByRank(slice, maxRank: maxRank - minRank, scratch: sortScratch, histogram: histogram)
                        var left = 0.0, leftWeight = 0.0
                        for i in 0..<(n - 1) {
                            let key = slice[i]
                            let s = Int(truncatingIfNeeded: key & 0xFFFF_FFFF)
                            left += w[s] * y[s]
                            leftWeight += w[s]
                            let leftSize = i + 1
                            if leftSize < minSamplesLeaf { continue }
                            if n - leftSize < minSamplesLeaf { break }
                            guard key >> 32 < slice[i + 1] >> 32 else { continue }
                            let right = sum - left
                            let proxy = left * left / leftWeight + right * right / (total - leftWeight)
                            if proxy > bestProxy * (1 + 1e-12) {
                                bestProxy = proxy
                                best = (f, Int(key >> 32) + Int(minRank), nil)
                            }
                        }
                    }
                }
                guard best.feature >= 0 else {
                    let value = leafValue(UnsafeBufferPointer(rebasing: samples[node.start..<node.end]))
                    [value].withUnsafeBufferPointer { tree.setLeaf(node.index, frequencies: $0) }
                    continue
                }
                let leftChild = tree.setSplit(node.index, feature: best.feature,
                                              threshold: best.threshold ?? features.threshold(feature: best.feature, between: best.rank),
                                              impurityDecrease: bestProxy - sum * sum / total)
                let column = best.feature * rows
                var leftEnd = node.start, rightCount = 0
                for i in node.start..<node.end {
                    let s = samples[i]
                    if Int(x[column + s]) <= best.rank {
                        samples[leftEnd] = s
                        leftEnd += 1
                    } else {
                        scratch[rightCount] = s
                        rightCount += 1
                    }
                }
                for j in 0..<rightCount { samples[leftEnd + j] = scratch[j] }
                stack.append((leftEnd, node.end, node.depth + 1, leftChild + 1))
                stack.append((node.start, leftEnd, node.depth + 1, leftChild))
            }
        }}}}}}}}
        tree.prepareForPrediction()
        return tree
    }

    /// Extra trees' cut for `feature` in a node spanning ranks `minRank...maxRank`: a threshold drawn
    /// uniformly between the node's smallest and largest value, and the largest rank at or below it
    /// (rows up to it go left); nil when the draw is unusable.
    private func randomCut(feature f: Int, minRank: UInt32, maxRank: UInt32,
                           generator: inout SeededGenerator) -> (UInt32, Double)? {
        let levels = features.levels[f]
        let low = levels[Int(minRank)], high = levels[Int(maxRank)]
        var t = low + generator.nextDouble() * (high - low)
        if !(t < high) || !t.isFinite { t = low }
        var lo = Int(minRank), hi = Int(maxRank)
        while lo + 1 < hi {
            let mid = (lo + hi) / 2
            if levels[mid] <= t { lo = mid } else { hi = mid }
        }
        return (UInt32(lo), t)
    }

    /// The weighted mean of `targets` over a leaf's samples (a regression forest's leaf value).
    static func weightedMean(_ leaf: UnsafeBufferPointer<Int>, targets: [Double], weights: [Double]?) -> Double {
        var sum = 0.0, total = 0.0
        for s in leaf {
            let weight = weights?[s] ?? 1
            sum += weight * targets[s]
            total += weight
        }
        return total > 0 ? sum / total : 0
    }
}
