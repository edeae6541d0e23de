import AstrolabeData
import Dispatch
import Foundation

/// Step 1 of the datashader pipeline: reduce points to a grid of per-pixel values.
///
/// Semantics follow datashader's `Canvas.points(..., agg=...)` so that our images can be compared
/// with theirs pixel for pixel:
/// - x in `[xmin, xmax]` maps linearly onto `width` bins via `Int(x * sx + tx)`, with
///   `sx = width / (xmax - xmin)`, `tx = -xmin * sx`; an index that rounds to `width` goes into the
///   last bin (so a point exactly on the upper bound is counted there);
/// - points outside the ranges are dropped, NaN / infinite points are skipped; both are counted,
///   because a figure that silently drops data misleads.
/// - Column reductions (`sum`, `mean`, …) skip points whose value is NaN, as datashader does.
///
/// Counts are integers, so they are aggregated in parallel (one private grid per core, then summed):
/// the result is the same for any number of threads. Floating-point reductions run in row order in
/// one pass, exactly as datashader's numba loop does, so sums, means and standard deviations are
/// not merely close to datashader's but the same doubles.
public enum DensityAggregate {
    /// Counts points per pixel (datashader `ds.count()`). Honours `Cancellation`.
    public static func count(x: [Double], y: [Double],
                             xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                             width: Int, height: Int) throws -> CountGrid {
        let bins = try Binning(x: x, y: y, xRange: xRange, yRange: yRange, width: width, height: height)
        let cells = width * height
        let n = x.count
        let chunks = parallelChunks(n)
        let partial = (0..<chunks).map { _ in ScratchGrid(count: cells) }
        let grids = GridPointers(partial)
        var skipped = [Int](repeating: 0, count: chunks * 2)
        var cancelled = false
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                do {
                    skipped.withUnsafeMutableBufferPointer { skip in
                        let job = Job(xs: xs, ys: ys, grids: grids,
                                      skip: skip.baseAddress!, chunks: chunks, bins: bins)
                        cancelled = job.run { job, chunk, start, end in
                            let grid = job.grids.bytes[chunk], overflow = job.grids.overflow[chunk]
                            var nonFinite = 0, outside = 0
                            for i in start..<end {
                                let c = job.bins.cell(job.xs[i], job.ys[i])
                                if c >= 0 {
                                    let v = grid[c] &+ 1
                                    grid[c] = v
                                    if v == 0 { overflow[c] &+= 256 }
                                } else if c == -1 { nonFinite += 1 } else { outside += 1 }
                            }
                            job.skip[2 * chunk] += nonFinite
                            job.skip[2 * chunk + 1] += outside
                        }
                    }
                }
            }
        }
        if cancelled { throw Cancelled() }
        let counts = sumChunks(grids, cells: cells)
        withExtendedLifetime(partial) {}
        return try CountGrid(width: width, height: height, counts: counts,
                             nonFinite: stride(from: 0, to: skipped.count, by: 2).reduce(0) { $0 + skipped[$1] },
                             outOfRange: stride(from: 1, to: skipped.count, by: 2).reduce(0) { $0 + skipped[$1] })
    }

    /// Counts points per pixel and category (datashader `ds.count_cat(column)` / `ds.by(column)`).
    ///
    /// `codes[i]` in `0..<categories` names the category of point i; other codes (for example -1
    /// for "no label") are skipped and counted in `uncategorised`. Large aggregates are counted by
    /// bands of rows that fit a core's cache (`BandedCategoryAggregate`); `banded` forces either
    /// method (the counts are the same; only the speed differs — bench/plot compares them).
    public static func countByCategory(x: [Double], y: [Double], codes: [Int32], categories: Int,
                                       xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                                       width: Int, height: Int, banded: Bool? = nil) throws -> CategoryGrid {
        let bins = try Binning(x: x, y: y, xRange: xRange, yRange: yRange, width: width, height: height)
        guard codes.count == x.count else {
            throw PlotError("there are \(codes.count) category codes for \(x.count) points")
        }
        guard (1...256).contains(categories) else {
            throw PlotError("a categorical aggregate needs 1…256 categories, got \(categories)")
        }
        let k = categories
        let cells = width * height * k
        guard cells <= 1 << 31 else { throw PlotError("\(width)×\(height) pixels × \(k) categories is too large an aggregate") }
        if banded ?? BandedCategoryAggregate.worthwhile(points: x.count, cells: cells) {
            let r = try x.withUnsafeBufferPointer { xs in
                try y.withUnsafeBufferPointer { ys in
                    try codes.withUnsafeBufferPointer { cs in
                        try BandedCategoryAggregate.count(bins: bins, xs: xs, ys: ys, codes: cs, categories: k)
                    }
                }
            }
            return try CategoryGrid(width: width, height: height, categories: k, counts: r.counts,
                                    nonFinite: r.nonFinite, outOfRange: r.outside, uncategorised: r.uncategorised)
        }
        let chunks = parallelChunks(x.count)
        let partial = (0..<chunks).map { _ in ScratchGrid(count: cells) }
        let grids = GridPointers(partial)
        var skipped = [Int](repeating: 0, count: chunks * 3)
        var cancelled = false
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                codes.withUnsafeBufferPointer { cs in
                    do {
                        skipped.withUnsafeMutableBufferPointer { skip in
                            let job = Job(xs: xs, ys: ys, grids: grids,
                                          skip: skip.baseAddress!, codes: cs.baseAddress!, chunks: chunks, bins: bins)
                            cancelled = job.run { job, chunk, start, end in
                                let codeBase = job.codes!
                                let grid = job.grids.bytes[chunk], overflow = job.grids.overflow[chunk]
                                var nonFinite = 0, outside = 0, other = 0
                                for i in start..<end {
                                    let c = job.bins.cell(job.xs[i], job.ys[i])
                                    let code = Int(codeBase[i])
                                    if c >= 0 {
                                        if code >= 0 && code < k {
                                            let j = c * k + code
                                            let v = grid[j] &+ 1
                                            grid[j] = v
                                            if v == 0 { overflow[j] &+= 256 }
                                        } else { other += 1 }
                                    } else if c == -1 { nonFinite += 1 } else { outside += 1 }
                                }
                                job.skip[3 * chunk] += nonFinite
                                job.skip[3 * chunk + 1] += outside
                                job.skip[3 * chunk + 2] += other
                            }
                        }
                    }
                }
            }
        }
        if cancelled { throw Cancelled() }
        let counts = sumChunks(grids, cells: cells)
        withExtendedLifetime(partial) {}
        func total(_ offset: Int) -> Int { stride(from: offset, to: skipped.count, by: 3).reduce(0) { $0 + skipped[$1] } }
        return try CategoryGrid(width: width, height: height, categories: k, counts: counts,
                                nonFinite: total(0), outOfRange: total(1), uncategorised: total(2))
    }

    /// A reduction of a value column per pixel (datashader `ds.sum`, `ds.mean`, `ds.min`, `ds.max`,
    /// `ds.std`, `ds.any`, `ds.count(column)`). Empty pixels are NaN (0 for counts, false for any).
    /// `values` nil (only for `count` and `any`) counts every point, as `ds.count()` / `ds.any()` do.
    public static func reduce(_ reduction: Reduction, values column: [Double]?, x: [Double], y: [Double],
                              xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                              width: Int, height: Int) throws -> ValueGrid {
        let bins = try Binning(x: x, y: y, xRange: xRange, yRange: yRange, width: width, height: height)
        guard column != nil || reduction == .count || reduction == .any else {
            throw PlotError("the \(reduction.rawValue) reduction needs a value column")
        }
        let values = column ?? [Double](repeating: 0, count: x.count)
        guard values.count == x.count else {
            throw PlotError("there are \(values.count) values for \(x.count) points")
        }
        let cells = width * height
        var count = [UInt32](repeating: 0, count: cells)
        // sum for sum/mean/std (NaN-initialised for `sum`, as datashader's), min, max.
        var acc = [Double](repeating: reduction == .min || reduction == .max || reduction == .sum ? .nan : 0, count: cells)
        var m2 = [Double](repeating: 0, count: reduction == .std ? cells : 0)
        var nonFinite = 0, outside = 0, missing = 0
        try x.withUnsafeBufferPointer { xs in
            try y.withUnsafeBufferPointer { ys in
                try values.withUnsafeBufferPointer { vs in
                    try count.withUnsafeMutableBufferPointer { cnt in
                        try acc.withUnsafeMutableBufferPointer { a in
                            try m2.withUnsafeMutableBufferPointer { m in
                                var i = 0
                                while i < xs.count {
                                    try Cancellation.check()
                                    let end = Swift.min(xs.count, i + 1 << 18)
                                    while i < end {
                                        let c = bins.cell(xs[i], ys[i])
                                        let v = vs[i]
                                        i += 1
                                        if c < 0 { if c == -1 { nonFinite += 1 } else { outside += 1 }; continue }
                                        if v.isNaN { missing += 1; continue }
                                        switch reduction {
                                        case .count, .any: break
                                        case .sum: a[c] = a[c].isNaN ? v : a[c] + v
                                        case .mean: a[c] += v
                                        case .min: if a[c].isNaN || a[c] > v { a[c] = v }
                                        case .max: if a[c].isNaN || a[c] < v { a[c] = v }
                                        case .std:
                                            // datashader's m2 update, with sum and count before this point.
                                            let n = Double(cnt[c])
                                            if n > 0 {
                                                let u1 = a[c] / n, u = (a[c] + v) / (n + 1)
                                                m[c] += (v - u1) * (v - u)
                                            }
                                            a[c] += v
                                        }
                                        cnt[c] &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var out: [Double]
        switch reduction {
        case .count: out = count.map(Double.init)
        case .any: out = count.map { $0 > 0 ? 1 : 0 }
        case .sum, .min, .max: out = acc
        case .mean: out = (0..<cells).map { count[$0] > 0 ? acc[$0] / Double(count[$0]) : .nan }
        case .std: out = (0..<cells).map { count[$0] > 0 ? (m2[$0] / Double(count[$0])).squareRoot() : .nan }
        }
        return try ValueGrid(width: width, height: height, reduction: reduction, values: out,
                             nonFinite: nonFinite, outOfRange: outside, missingValues: missing)
    }

    /// The exact bounds of the points with finite x and y (datashader's automatic ranges), scanned
    /// in parallel. Throws when no point has finite x and y.
    public static func bounds(x: [Double], y: [Double]) throws -> (ClosedRange<Double>, ClosedRange<Double>) {
        guard x.count == y.count else {
            throw PlotError("x has \(x.count) values but y has \(y.count); they must be the same length")
        }
        let parts = parallelChunks(x.count)
        var found = [Double](repeating: 0, count: parts * 4)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                found.withUnsafeMutableBufferPointer { f in
                    let job = BoundsJob(xs: xs, ys: ys, out: f.baseAddress!, parts: parts)
                    DispatchQueue.concurrentPerform(iterations: parts) { job.run($0) }
                }
            }
        }
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        for p in 0..<parts {
            xlo = Swift.min(xlo, found[4 * p]); xhi = Swift.max(xhi, found[4 * p + 1])
            ylo = Swift.min(ylo, found[4 * p + 2]); yhi = Swift.max(yhi, found[4 * p + 3])
        }
        guard xlo <= xhi, ylo <= yhi else { throw PlotError("nothing to plot: no point has finite x and y") }
        return (xlo...xhi, ylo...yhi)
    }

    /// Chunks for integer aggregation: one per core (integer sums do not depend on the split), none
    /// for small inputs where starting threads costs more than it saves.
    static func parallelChunks(_ n: Int) -> Int {
        n < 200_000 ? 1 : Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, 8))
    }

    /// Adds the per-chunk grids, in parallel over cells.
    static func sumChunks(_ grids: GridPointers, cells: Int) -> [UInt32] {
        // The first grid is written, the others added: no zeroing pass over the output first.
        [UInt32](unsafeUninitializedCapacity: cells) { o, initialized in
            let job = SumJob(out: o.baseAddress!, grids: grids, cells: cells)
            let parts = cells < 100_000 ? 1 : 16
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let start = cells * part / parts, end = cells * (part + 1) / parts
                if job.grids.bytes.isEmpty {
                    for i in start..<end { job.out[i] = 0 }
                    return
                }
                let b0 = job.grids.bytes[0], o0 = job.grids.overflow[0]
                for i in start..<end { job.out[i] = UInt32(b0[i]) &+ o0[i] }
                for (b, o) in zip(job.grids.bytes.dropFirst(), job.grids.overflow.dropFirst()) {
                    for i in start..<end { job.out[i] &+= UInt32(b[i]) &+ o[i] }
                }
            }
            initialized = cells
        }
    }
}

/// Reductions of a value column per pixel, with datashader's names.
public enum Reduction: String, Sendable, CaseIterable {
    case count, any, sum, mean, min, max, std

    /// Accepts datashader's spelling as well (`count_cat` is categorical, not here).
    public static func named(_ name: String) -> Reduction? { Reduction(rawValue: name.lowercased()) }
}

/// Maps data coordinates to pixel cells exactly as datashader does.
struct Binning: Sendable {
    let width: Int, height: Int
    let xmin: Double, xmax: Double, ymin: Double, ymax: Double
    let sx: Double, tx: Double, sy: Double, ty: Double

    init(x: [Double], y: [Double], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
         width: Int, height: Int) throws {
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
        self.width = width
        self.height = height
        xmin = xRange.lowerBound; xmax = xRange.upperBound
        ymin = yRange.lowerBound; ymax = yRange.upperBound
        sx = Double(width) / (xmax - xmin); tx = -xmin * sx
        sy = Double(height) / (ymax - ymin); ty = -ymin * sy
        // A subnormal span makes the scale infinite, and `cell` would convert NaN to Int.
        guard sx.isFinite, tx.isFinite, sy.isFinite, ty.isFinite else {
            throw PlotError("the range \(xmin)…\(xmax) × \(ymin)…\(ymax) is too narrow to bin into pixels")
        }
    }

    /// The cell (row 0 at the top) of a point; -1 for a NaN or infinite coordinate, -2 outside.
    @inline(__always) func cell(_ x: Double, _ y: Double) -> Int {
        // One comparison chain for the common case; NaN fails every comparison.
        guard x >= xmin, x <= xmax, y >= ymin, y <= ymax else {
            return x.isFinite && y.isFinite ? -2 : -1
        }
        var xi = Int(x * sx + tx), yi = Int(y * sy + ty)
        if xi >= width { xi = width - 1 }
        if yi >= height { yi = height - 1 }
        if xi < 0 { xi = 0 }
        if yi < 0 { yi = 0 }
        return (height - 1 - yi) * width + xi
    }
}

/// The shared, read-only description of one parallel aggregation, handed to each worker.
///
/// Each chunk writes only its own grid and its own counters, so no synchronisation is needed;
/// `@unchecked Sendable` records that invariant for the compiler.
private struct Job: @unchecked Sendable {
    let xs: UnsafeBufferPointer<Double>
    let ys: UnsafeBufferPointer<Double>
    let grids: GridPointers
    let skip: UnsafeMutablePointer<Int>
    /// Category codes, for categorical aggregation.
    var codes: UnsafePointer<Int32>? = nil
    let chunks: Int
    let bins: Binning

    /// Runs `body` over blocks of each chunk in parallel; true if Ctrl-C stopped it.
    func run(_ body: @escaping @Sendable (Job, Int, Int, Int) -> Void) -> Bool {
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: chunks)
        flags.initialize(repeating: false, count: chunks)
        defer { flags.deallocate() }
        let f = FlagPointer(p: flags)
        let n = xs.count
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var i = n * chunk / chunks
            let end = n * (chunk + 1) / chunks
            while i < end {
                // Check for Ctrl-C between blocks, not per point.
                if Cancellation.isRequested { f.p[chunk] = true; return }
                let blockEnd = Swift.min(end, i + 1 << 18)
                body(self, chunk, i, blockEnd)
                i = blockEnd
            }
        }
        return (0..<chunks).contains { flags[$0] }
    }
}

private struct BoundsJob: @unchecked Sendable {
    let xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>
    let out: UnsafeMutablePointer<Double>
    let parts: Int

    func run(_ p: Int) {
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        for i in (xs.count * p / parts)..<(xs.count * (p + 1) / parts) {
            let a = xs[i], b = ys[i]
            guard a.isFinite, b.isFinite else { continue }
            xlo = Swift.min(xlo, a); xhi = Swift.max(xhi, a)
            ylo = Swift.min(ylo, b); yhi = Swift.max(yhi, b)
        }
        out[4 * p] = xlo; out[4 * p + 1] = xhi; out[4 * p + 2] = ylo; out[4 * p + 3] = yhi
    }
}

private struct FlagPointer: @unchecked Sendable { let p: UnsafeMutablePointer<Bool> }

private struct SumJob: @unchecked Sendable {
    let out: UnsafeMutablePointer<UInt32>
    let grids: GridPointers
    let cells: Int
}
