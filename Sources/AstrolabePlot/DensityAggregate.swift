import AstrolabeData
import Dispatch

/// Step 1 of the datashader pipeline: reduce points to a grid of per-pixel counts.
///
/// Semantics follow datashader's `Canvas.points(..., agg=count())` so that our images can be
/// compared with theirs pixel for pixel:
/// - x in `[xmin, xmax]` maps linearly onto `width` bins via `Int(x * sx + tx)`, with
///   `sx = width / (xmax - xmin)`, `tx = -xmin * sx`;
/// - a point exactly on the upper bound goes into the last bin (bins are half-open except the last);
/// - points outside the ranges are dropped, NaN / infinite points are skipped; both are counted.
/// One deliberate difference: the bin index is clamped into the grid, so a rounding of `x * sx + tx`
/// up to `width` for x just below `xmax` cannot index out of bounds.
public enum DensityAggregate {
    /// Counts points per pixel. Work is split into chunks aggregated in parallel and summed, so the
    /// result does not depend on the number of threads. Honours `Cancellation`.
    public static func count(x: [Double], y: [Double],
                             xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                             width: Int, height: Int) throws -> CountGrid {
        guard x.count == y.count else {
            throw PlotError("x has \(x.count) values but y has \(y.count); they must be the same length")
        }
        guard width > 0, height > 0, width <= 1 << 15, height <= 1 << 15 else {
            throw PlotError("aggregate size \(width)×\(height) is outside 1…32768 pixels per side")
        }
        for (name, r) in [("x", xRange), ("y", yRange)] {
            guard r.lowerBound.isFinite, r.upperBound.isFinite, r.lowerBound < r.upperBound,
                  (r.upperBound - r.lowerBound).isFinite else {
                throw PlotError("\(name) range \(r.lowerBound)…\(r.upperBound) must be finite and non-empty")
            }
        }
        guard x.count < Int(UInt32.max) else {
            throw PlotError("\(x.count) points is more than a count grid can hold (\(UInt32.max))")
        }
        let n = x.count
        let cells = width * height
        // Chunks: enough to use both cores, few enough that summing the per-chunk grids stays cheap.
        let chunks = n < 65_536 ? 1 : min(8, max(2, n / 1_000_000))
        var partial = [UInt32](repeating: 0, count: cells * chunks)
        var nonFinite = [Int](repeating: 0, count: chunks)
        var outOfRange = [Int](repeating: 0, count: chunks)
        var cancelled = [Bool](repeating: false, count: chunks)

        let xmin = xRange.lowerBound, xmax = xRange.upperBound
        let ymin = yRange.lowerBound, ymax = yRange.upperBound
        let sx = Double(width) / (xmax - xmin), tx = -xmin * sx
        let sy = Double(height) / (ymax - ymin), ty = -ymin * sy

        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                partial.withUnsafeMutableBufferPointer { grids in
                    nonFinite.withUnsafeMutableBufferPointer { nf in
                        outOfRange.withUnsafeMutableBufferPointer { oor in
                            cancelled.withUnsafeMutableBufferPointer { cancel in
                                let job = AggregationJob(xs: xs, ys: ys, grids: grids, nonFinite: nf,
                                                         outOfRange: oor, cancelled: cancel, chunks: chunks,
                                                         width: width, height: height,
                                                         xmin: xmin, xmax: xmax, ymin: ymin, ymax: ymax,
                                                         sx: sx, tx: tx, sy: sy, ty: ty)
                                DispatchQueue.concurrentPerform(iterations: chunks) { job.run(chunk: $0) }
                            }
                        }
                    }
                }
            }
        }
        if cancelled.contains(true) { throw Cancelled() }

        var counts = [UInt32](repeating: 0, count: cells)
        counts.withUnsafeMutableBufferPointer { out in
            partial.withUnsafeBufferPointer { grids in
                for c in 0..<chunks {
                    let base = c * cells
                    for i in 0..<cells { out[i] &+= grids[base + i] }
                }
            }
        }
        return try CountGrid(width: width, height: height, counts: counts,
                             nonFinite: nonFinite.reduce(0, +), outOfRange: outOfRange.reduce(0, +))
    }
}

/// The shared, read-only description of one aggregation, handed to each worker.
///
/// Each chunk writes only its own grid and its own counters, so no synchronisation is needed;
/// `@unchecked Sendable` records that invariant for the compiler.
private struct AggregationJob: @unchecked Sendable {
    let xs: UnsafeBufferPointer<Double>
    let ys: UnsafeBufferPointer<Double>
    let grids: UnsafeMutableBufferPointer<UInt32>
    let nonFinite: UnsafeMutableBufferPointer<Int>
    let outOfRange: UnsafeMutableBufferPointer<Int>
    let cancelled: UnsafeMutableBufferPointer<Bool>
    let chunks: Int
    let width: Int, height: Int
    let xmin: Double, xmax: Double, ymin: Double, ymax: Double
    let sx: Double, tx: Double, sy: Double, ty: Double

    func run(chunk: Int) {
        let n = xs.count
        let start = n * chunk / chunks, end = n * (chunk + 1) / chunks
        let cells = width * height
        let grid = grids.baseAddress! + chunk * cells
        let lastX = width - 1, lastY = height - 1
        var skipped = 0, dropped = 0
        var i = start
        while i < end {
            // Check for Ctrl-C between blocks, not per point.
            if Cancellation.isRequested { cancelled[chunk] = true; return }
            let blockEnd = min(end, i + 262_144)
            while i < blockEnd {
                let x = xs[i], y = ys[i]
                i += 1
                guard x.isFinite, y.isFinite else { skipped += 1; continue }
                guard x >= xmin, x <= xmax, y >= ymin, y <= ymax else { dropped += 1; continue }
                var xi = x == xmax ? lastX : Int(x * sx + tx)
                var yi = y == ymax ? lastY : Int(y * sy + ty)
                xi = xi < 0 ? 0 : (xi > lastX ? lastX : xi)
                yi = yi < 0 ? 0 : (yi > lastY ? lastY : yi)
                grid[(lastY - yi) * width + xi] &+= 1
            }
        }
        nonFinite[chunk] = skipped
        outOfRange[chunk] = dropped
    }
}
