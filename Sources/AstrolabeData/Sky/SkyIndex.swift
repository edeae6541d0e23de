import Dispatch

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
    private let xyz: [Double]
    private let order: [Int32]
    /// Per node (heap numbering from 1): the split axis (0...2, or 3 for a leaf) and value.
    private let axes: [UInt8]
    private let splits: [Double]
    public let count: Int

    /// Indexes the positions with finite coordinates (others are never found).
    public init(ra: [Double], dec: [Double]) {
        var items: [Item] = []
        items.reserveCapacity(Swift.min(ra.count, dec.count))
        for i in 0 ..< Swift.min(ra.count, dec.count) {
            if let v = AngularSeparation.unitVector(ra: ra[i], dec: dec[i]) { items.append(Item(v: v, point: Int32(i))) }
        }
        count = items.count
        var nodes = 1
        while nodes * Self.leafSize < Swift.max(1, count) { nodes *= 2 }
        var axes = [UInt8](repeating: 3, count: 2 * nodes)
        var splits = [Double](repeating: 0, count: 2 * nodes)
        items.withUnsafeMutableBufferPointer { items in
            axes.withUnsafeMutableBufferPointer { axes in
                splits.withUnsafeMutableBufferPointer { splits in
                    Builder(items: items, axes: axes, splits: splits).build(node: 1, lo: 0, hi: items.count)
                }
            }
        }
        self.axes = axes
        self.splits = splits
        order = items.map(\.point)
        var xyz = [Double](repeating: 0, count: 3 * count)
        for (k, item) in items.enumerated() {
            xyz[3 * k] = item.v.x
            xyz[3 * k + 1] = item.v.y
            xyz[3 * k + 2] = item.v.z
        }
        self.xyz = xyz
    }

    struct Item {
        var v: SIMD3<Double>
        var point: Int32
    }

    /// Builds the tree in place over buffers. Subtrees cover disjoint ranges of the items and
    /// disjoint nodes, so the two halves of the top levels are built at the same time; the tree
    /// is the same whichever finishes first.
    struct Builder: @unchecked Sendable {
        let items: UnsafeMutableBufferPointer<Item>
        let axes: UnsafeMutableBufferPointer<UInt8>
        let splits: UnsafeMutableBufferPointer<Double>

        func build(node: Int, lo: Int, hi: Int, depth: Int = 0) {
            guard hi - lo > SkyIndex.leafSize, 2 * node + 1 < axes.count else { return }
            var low = SIMD3<Double>(repeating: .infinity), high = SIMD3<Double>(repeating: -.infinity)
            for k in lo ..< hi {
                low = pointwiseMin(low, items[k].v)
                high = pointwiseMax(high, items[k].v)
            }
            let spread = high - low
            let axis = spread.x >= spread.y && spread.x >= spread.z ? 0 : spread.y >= spread.z ? 1 : 2
            let mid = (lo + hi) / 2
            select(lo: lo, hi: hi, k: mid, axis: axis)
            axes[node] = UInt8(axis)
            splits[node] = Self.key(items[mid], axis)
            if depth < 3, hi - lo > 1 << 16 {
                DispatchQueue.concurrentPerform(iterations: 2) { side in
                    if side == 0 { build(node: 2 * node, lo: lo, hi: mid, depth: depth + 1) }
                    else { build(node: 2 * node + 1, lo: mid, hi: hi, depth: depth + 1) }
                }
            } else {
                build(node: 2 * node, lo: lo, hi: mid, depth: depth + 1)
                build(node: 2 * node + 1, lo: mid, hi: hi, depth: depth + 1)
            }
        }

        @inline(__always)
        static func key(_ item: Item, _ axis: Int) -> Double {
            axis == 0 ? item.v.x : axis == 1 ? item.v.y : item.v.z
        }

        /// Reorders items[lo..<hi] so that position k holds the element of rank k along `axis`,
        /// smaller ones before it and larger after (Hoare's quickselect; ties broken by point
        /// number, so the tree depends on nothing but the data).
        func select(lo: Int, hi: Int, k: Int, axis: Int) {
            @inline(__always) func less(_ a: Item, _ b: Item) -> Bool {
                let ka = Self.key(a, axis), kb = Self.key(b, axis)
                return ka < kb || (ka == kb && a.point < b.point)
            }
            var lo = lo, hi = hi - 1
            while lo < hi {
                let pivot = items[(lo + hi) / 2]
                var i = lo, j = hi
                while i <= j {
                    while less(items[i], pivot) { i += 1 }
                    while less(pivot, items[j]) { j -= 1 }
                    if i <= j { items.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { return }
            }
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
