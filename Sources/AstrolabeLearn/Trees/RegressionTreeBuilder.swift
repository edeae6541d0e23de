import AstrolabeData

/// Grows one least-squares regression tree on ranked features: the trees gradient boosting fits
/// to its residuals.
///
/// Every node tries every feature (in a seeded random order; the first best split found wins, as in
/// scikit-learn) and takes the threshold that most reduces the squared error of the targets —
/// scikit-learn's `friedman_mse` picks the same split, since nL·nR/n·(meanL − meanR)² is exactly
/// that reduction. Leaf values are not the mean target: `leafValue` is given each leaf's samples
/// (boosting puts a Newton step there). The tree is a `DecisionTree` with one value per leaf.
struct RegressionTreeBuilder {
    let features: RankedFeatures
    let maxDepth: Int
    let minSamplesLeaf: Int

    func build(targets: [Double], generator: inout SeededGenerator,
               leafValue: ([Int]) -> Double) throws -> DecisionTree {
        let rows = features.rows
        let featureCount = features.featureCount
        var samples = Array(0..<rows)
        var tree = DecisionTree(classCount: 1, featureCount: featureCount)
        var keyed = [UInt64](repeating: 0, count: rows)
        var sortScratch = [UInt64](repeating: 0, count: rows)
        var histogram = [Int](repeating: 0, count: 256)
        var scratch = [Int](repeating: 0, count: rows)
        var order = Array(0..<featureCount)
        var stack = [(start: 0, end: rows, depth: 0, index: 0)]
        while let node = stack.popLast() {
            try Cancellation.check()
            let n = node.end - node.start
            var sum = 0.0, sumSquares = 0.0
            for i in node.start..<node.end {
                let t = targets[samples[i]]
                sum += t
                sumSquares += t * t
            }
            var bestFeature = -1, bestRank = 0
            var bestProxy = sum * sum / Double(n)  // a split must beat "no split"
            let impurity = sumSquares / Double(n) - (sum / Double(n)) * (sum / Double(n))
            if node.depth < maxDepth && n >= 2 * minSamplesLeaf && n >= 2 && impurity > 1e-14 * max(1, sumSquares / Double(n)) {
                order.seededShuffle(using: &generator)
                for f in order {
                    let column = f * rows
                    var minRank = UInt32.max, maxRank = UInt32.min
                    for i in node.start..<node.end {
                        let rank = features.ranks[column + samples[i]]
                        minRank = min(minRank, rank)
                        maxRank = max(maxRank, rank)
                    }
                    guard minRank < maxRank else { continue }
                    for i in node.start..<node.end {
                        let s = samples[i]
                        keyed[i] = UInt64(features.ranks[column + s] - minRank) << 32 | UInt64(truncatingIfNeeded: s)
                    }
                    keyed.withUnsafeMutableBufferPointer { k in
                        sortScratch.withUnsafeMutableBufferPointer { scratch in
                            histogram.withUnsafeMutableBufferPointer { h in
                                sortKeysByRank(UnsafeMutableBufferPointer(rebasing: k[node.start..<node.end]),
                                               maxRank: maxRank - minRank, scratch: scratch, histogram: h)
                            }
                        }
                    }
                    var left = 0.0
                    for i in 0..<(n - 1) {
                        let key = keyed[node.start + i]
                        left += targets[Int(truncatingIfNeeded: key & 0xFFFF_FFFF)]
                        let leftSize = i + 1
                        if leftSize < minSamplesLeaf { continue }
                        if n - leftSize < minSamplesLeaf { break }
                        guard key >> 32 < keyed[node.start + i + 1] >> 32 else { continue }
                        let right = sum - left
                        let proxy = left * left / Double(leftSize) + right * right / Double(n - leftSize)
                        if proxy > bestProxy * (1 + 1e-12) {
                            bestProxy = proxy
                            bestFeature = f
                            bestRank = Int(key >> 32) + Int(minRank)
                        }
                    }
                }
            }
            guard bestFeature >= 0 else {
                let value = leafValue(Array(samples[node.start..<node.end]))
                [value].withUnsafeBufferPointer { tree.setLeaf(node.index, frequencies: $0) }
                continue
            }
            let leftChild = tree.setSplit(node.index, feature: bestFeature,
                                          threshold: features.threshold(feature: bestFeature, between: bestRank),
                                          impurityDecrease: bestProxy - sum * sum / Double(n))
            let column = bestFeature * rows
            var leftEnd = node.start, rightCount = 0
            for i in node.start..<node.end {
                let s = samples[i]
                if Int(features.ranks[column + s]) <= bestRank {
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
        tree.prepareForPrediction()
        return tree
    }
}
