/// The few numpy routines datashader's shading is built from, reproduced operation for operation
/// (same formulas, same order of floating-point steps) so our colours equal datashader's instead of
/// differing by a level where a value sits on a boundary.
enum NumPy {
    /// `numpy.interp(x, xp, fp, left, right)` for increasing `xp` (numpy's compiled algorithm:
    /// exact hits return `fp[j]`, otherwise `slope * (x - xp[j]) + fp[j]`).
    @inline(__always)
    static func interp(_ x: Double, _ xp: UnsafeBufferPointer<Double>, _ fp: UnsafeBufferPointer<Double>,
                       left: Double? = nil, right: Double? = nil) -> Double {
        let n = xp.count
        guard n > 0 else { return .nan }
        if x.isNaN { return .nan }
        let lval = left ?? fp[0], rval = right ?? fp[n - 1]
        if x > xp[n - 1] { return rval }
        if x < xp[0] { return lval }
        if x == xp[n - 1] { return fp[n - 1] }
        // Largest j with xp[j] <= x (x < xp[n-1] here, so j < n-1).
        var lo = 0, hi = n - 1
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if xp[mid] <= x { lo = mid } else { hi = mid }
        }
        let j = lo
        if xp[j] == x { return fp[j] }
        let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
        var r = slope * (x - xp[j]) + fp[j]
        if r.isNaN {
            r = slope * (x - xp[j + 1]) + fp[j + 1]
            if r.isNaN, fp[j] == fp[j + 1] { r = fp[j] }
        }
        return r
    }

    static func interp(_ x: Double, _ xp: [Double], _ fp: [Double], left: Double? = nil, right: Double? = nil) -> Double {
        xp.withUnsafeBufferPointer { a in fp.withUnsafeBufferPointer { b in interp(x, a, b, left: left, right: right) } }
    }

    /// `numpy.linspace(start, stop, num)` (endpoint included, last value exactly `stop`).
    static func linspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
        guard num > 1 else { return num == 1 ? [start] : [] }
        let div = Double(num - 1), delta = stop - start, step = delta / div
        if !delta.isFinite, start.isFinite, stop.isFinite {
            // numpy would give infinities here; halves keep every edge finite and in order.
            let half = (stop / 2 - start / 2) / div
            var y = (0..<num).map { i in (start / 2 + Double(i) * half) * 2 }
            y[num - 1] = stop
            return y
        }
        var y = (0..<num).map { i -> Double in
            step == 0 ? Double(i) / div * delta + start : Double(i) * step + start
        }
        y[num - 1] = stop
        return y
    }

    /// `numpy.histogram(values, bins)` over `[min, max]` of the values: counts per bin and the bin
    /// edges, with numpy's edge corrections (values within an ulp of an edge go where numpy puts them).
    /// `weights` counts a value more than once (used when histogramming distinct values).
    static func histogram(_ values: [Double], weights: [Double]? = nil, bins: Int) -> (counts: [Double], edges: [Double]) {
        var first = values.min() ?? 0, last = values.max() ?? 1
        if values.isEmpty { first = 0; last = 1 }
        if first == last { first -= 0.5; last += 0.5 }
        let edges = linspace(first, last, bins + 1)
        var counts = [Double](repeating: 0, count: bins)
        let denom = last - first, numer = Double(bins)
        for (i, v) in values.enumerated() where v >= first && v <= last {
            var k = SafeArithmetic.int((v - first) / denom * numer, in: 0...bins)
            if k == bins { k -= 1 }
            if v < edges[k] { k -= 1 }
            if k != bins - 1, v >= edges[k + 1] { k += 1 }
            counts[k] += weights?[i] ?? 1
        }
        return (counts, edges)
    }
}
