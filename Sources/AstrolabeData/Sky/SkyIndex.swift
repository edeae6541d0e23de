/// A k-d tree over the unit vectors of sky positions: nearest neighbours and neighbours within a
/// radius in O(log n) per query, everywhere on the sphere alike (no special case for the poles or
/// for RA wrapping through 0, which unit vectors do not have).
///
/// The tree is implicit: `order` holds the point numbers permuted so that each node is a range of
/// it, split at its middle along the axis of widest spread; leaves hold at most `leafSize` points.
/// Building and querying are deterministic; queries only read, so they run in parallel.
public struct SkyIndex: Sendable {
    static let leafSize = 12

    /// Unit vectors in tree order (x, y, z interleaved), and the point each one is.
    private var xyz: [Double]
    private var order: [Int32]
    /// Per node (heap numbering from 1): the split axis (0...2, or 3 for a leaf) and value.
    private var axes: [UInt8]
    private var splits: [Double]
    public let count: Int

    /// Indexes the positions with finite coordinates (others are never found).
    public init(ra: [Double], dec: [Double]) {
        var points: [Int32] = []
        var vectors: [SIMD3<Double>] = []
        points.reserveCapacity(ra.count)
        vectors.reserveCapacity(ra.count)
        for i in 0 ..< Swift.min(ra.count, dec.count) {
            if let v = AngularSeparation.unitVector(ra: ra[i], dec: dec[i]) {
                points.append(Int32(i))
                vectors.append(v)
            }
        }
        count = points.count
        var nodes = 1
        while nodes * Self.leafSize < Swift.max(1, count) { nodes *= 2 }
        axes = [UInt8](repeating: 3, count: 2 * nodes)
        splits = [Double](repeating: 0, count: 2 * nodes)
        var local = Array(0 ..< count)
        Self.build(node: 1, lo: 0, hi: count, vectors: vectors, order: &local, axes: &axes, splits: &splits)
        order = local.map { points[$0] }
        xyz = [Double](repeating: 0, count: 3 * count)
        for (k, p) in local.enumerated() {
            xyz[3 * k] = vectors[p].x
            xyz[3 * k + 1] = vectors[p].y
            xyz[3 * k + 2] = vectors[p].z
        }
    }

    private static func build(node: Int, lo: Int, hi: Int, vectors: [SIMD3<Double>], order: inout [Int],
                              axes: inout [UInt8], splits: inout [Double]) {
        guard hi - lo > leafSize, 2 * node + 1 < axes.count else { return }
        var low = SIMD3<Double>(repeating: .infinity), high = SIMD3<Double>(repeating: -.infinity)
        for k in lo ..< hi {
            low = pointwiseMin(low, vectors[order[k]])
            high = pointwiseMax(high, vectors[order[k]])
        }
        let spread = high - low
        let axis = spread.x >= spread.y && spread.x >= spread.z ? 0 : spread.y >= spread.z ? 1 : 2
        let mid = (lo + hi) / 2
        select(&order, lo: lo, hi: hi, k: mid) { vectors[$0][axis] }
        axes[node] = UInt8(axis)
        splits[node] = vectors[order[mid]][axis]
        build(node: 2 * node, lo: lo, hi: mid, vectors: vectors, order: &order, axes: &axes, splits: &splits)
        build(node: 2 * node + 1, lo: mid, hi: hi, vectors: vectors, order: &order, axes: &axes, splits: &splits)
    }

    /// Reorders `order[lo..<hi]` so that position k holds the element of rank k by `key`, smaller
    /// ones before it and larger after (Hoare's quickselect, ties broken by point number so the
    /// tree does not depend on anything but the data).
    private static func select(_ order: inout [Int], lo: Int, hi: Int, k: Int, key: (Int) -> Double) {
        var lo = lo, hi = hi - 1
        func less(_ a: Int, _ b: Int) -> Bool {
            let ka = key(a), kb = key(b)
            return ka < kb || (ka == kb && a < b)
        }
        while lo < hi {
            let pivot = order[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while less(order[i], pivot) { i += 1 }
                while less(pivot, order[j]) { j -= 1 }
                if i <= j { order.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }

    /// Calls `body(point, squared chord)` for every indexed point within chord distance `radius`
    /// of `q` (in tree order). `radius` may shrink as the search goes (`body` returns the new
    /// one): the nearest-neighbour search narrows it to the best distance found so far.
    @inline(__always)
    func visit(near q: SIMD3<Double>, radius: Double, _ body: (Int, Double) -> Double) {
        var limit = radius
        xyz.withUnsafeBufferPointer { v in
            // Depth-first with an explicit stack of (node, lo, hi, lower bound of the distance):
            // the tree is at most ~40 levels deep, so 128 entries never overflow.
            withUnsafeTemporaryAllocation(of: (Int, Int, Int, Double).self, capacity: 128) { stack in
                var top = 0
                stack[0] = (1, 0, count, 0)
                top = 1
                while top > 0 {
                    top -= 1
                    let (node, lo, hi, gap) = stack[top]
                    guard gap <= limit else { continue }
                    let axis = node < axes.count ? Int(axes[node]) : 3
                    if axis == 3 {
                        let limitSquared = limit * limit
                        for k in lo ..< hi {
                            let dx = v[3 * k] - q.x, dy = v[3 * k + 1] - q.y, dz = v[3 * k + 2] - q.z
                            let d2 = dx * dx + dy * dy + dz * dz
                            if d2 <= limitSquared { limit = Swift.min(limit, body(k, d2)) }
                        }
                        continue
                    }
                    let mid = (lo + hi) / 2
                    let d = q[axis] - splits[node]
                    if d < 0 {
                        stack[top] = (2 * node + 1, mid, hi, Swift.max(gap, -d))
                        stack[top + 1] = (2 * node, lo, mid, gap)
                    } else {
                        stack[top] = (2 * node, lo, mid, Swift.max(gap, d))
                        stack[top + 1] = (2 * node + 1, mid, hi, gap)
                    }
                    top += 2
                }
            }
        }
    }

    /// The point number of tree position `k`.
    @inline(__always)
    func point(_ k: Int) -> Int { Int(order[k]) }

    /// The indexed point nearest to `q` within chord distance `radius`, with its chord distance;
    /// among equally near points the lowest point number.
    public func nearest(to q: SIMD3<Double>, radius: Double) -> (point: Int, chord: Double)? {
        var best = -1
        var bestSquared = Double.infinity
        visit(near: q, radius: radius) { k, d2 in
            if d2 < bestSquared || (d2 == bestSquared && order[k] < order[best]) {
                best = k
                bestSquared = d2
            }
            return bestSquared.squareRoot()
        }
        return best < 0 ? nil : (Int(order[best]), bestSquared.squareRoot())
    }

    /// Every indexed point within chord distance `radius` of `q`, in point-number order.
    public func within(_ radius: Double, of q: SIMD3<Double>) -> [Int] {
        var found: [Int] = []
        visit(near: q, radius: radius) { k, _ in
            found.append(Int(order[k]))
            return radius
        }
        return found.sorted()
    }
}
