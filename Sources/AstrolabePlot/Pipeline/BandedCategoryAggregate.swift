import AstrolabeData
import Dispatch
import Foundation

/// Categorical aggregation (`count_cat`) for grids too large for a core's cache, by bands of rows.
///
/// The plain parallel loop increments a random cell of a `width × height × categories` byte grid
/// per point: 6 MB for 1000×1000 pixels and six classes, far beyond a core's 1 MB L2 cache, so
/// nearly every increment waits on L3. Here each worker first sorts its points' cells into bands of
/// rows small enough that one band's grid fits in L2 (one streaming, cache-friendly pass that writes
/// a 4-byte key per point), then the bands are counted one at a time, each by one worker, into a
/// byte grid that stays in cache. Bands are disjoint, so no per-thread grids need adding up and the
/// result does not depend on the number of threads. Measured in bench/plot.
enum BandedCategoryAggregate {
    /// Bytes of one band's byte grid: comfortably inside a 1 MB L2 with room for the keys streaming by.
    static let bandBytes = 512 * 1024

    /// Whether banding pays: large inputs whose grid is larger than a band.
    static func worthwhile(points: Int, cells: Int) -> Bool { points >= 1_000_000 && cells > 2 * bandBytes }

    static func count(bins: Binning, xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, codes: UnsafeBufferPointer<Int32>,
                      categories k: Int) throws -> (counts: [UInt32], nonFinite: Int, outside: Int, uncategorised: Int) {
        let width = bins.width, height = bins.height
        let rowBytes = width * k
        let bandRows = max(1, min(height, bandBytes / max(1, rowBytes)))
        let bands = (height + bandRows - 1) / bandRows
        let n = xs.count
        guard n > 0 else { return ([UInt32](repeating: 0, count: width * height * k), 0, 0, 0) }
        let workers = DensityAggregate.parallelChunks(n)
        // Per worker and band: a buffer able to hold every point of that worker (only touched pages
        // are ever backed by memory), and how many it holds.
        let perWorker = (n + workers - 1) / workers
        let buffers = (0..<workers * bands).map { _ in KeyBuffer(capacity: perWorker) }
        var skipped = [Int](repeating: 0, count: workers * 3)
        let shared = BandJob(xs: xs, ys: ys, codes: codes, bins: bins, k: k, bandRows: bandRows, bands: bands,
                             workers: workers, keys: buffers.map(\.base))
        var fill = [Int](repeating: 0, count: workers * bands)
        var cancelled = false
        fill.withUnsafeMutableBufferPointer { f in
            skipped.withUnsafeMutableBufferPointer { s in
                let out = Outputs(fill: f.baseAddress!, skipped: s.baseAddress!)
                var flags = [Bool](repeating: false, count: workers)
                flags.withUnsafeMutableBufferPointer { fl in
                    let flag = UnsafeSendable(fl.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                        if !shared.split(worker: w, out: out) { flag.p[w] = true }
                    }
                }
                cancelled = flags.contains(true)
            }
        }
        withExtendedLifetime(buffers) {}
        if cancelled { throw Cancelled() }
        // Every band writes all of its cells, so the output needs no zeroing first: its pages are
        // first touched by the workers counting the bands, in parallel.
        let cellCount = width * height * k
        let counts = [UInt32](unsafeUninitializedCapacity: cellCount) { c, initialized in
            fill.withUnsafeBufferPointer { f in
                let target = UnsafeSendable(c.baseAddress!), filled = UnsafeSendable(UnsafeMutablePointer(mutating: f.baseAddress!))
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    // Worker w counts bands w, w + workers, …: every band by exactly one worker.
                    let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: bandRows * rowBytes)
                    defer { scratch.deallocate() }
                    var wraps: [Int32] = []
                    for band in stride(from: w, to: bands, by: workers) {
                        shared.countBand(band, fill: filled.p, into: target.p, scratch: scratch, wraps: &wraps)
                    }
                }
            }
            initialized = cellCount
        }
        withExtendedLifetime(buffers) {}
        func total(_ o: Int) -> Int { stride(from: o, to: skipped.count, by: 3).reduce(0) { $0 + skipped[$1] } }
        return (counts, total(0), total(1), total(2))
    }
}

/// Keys (cell within the band × categories + code) of one worker's points in one band.
private final class KeyBuffer {
    let base: UnsafeMutablePointer<UInt32>
    let bytes: Int
    init(capacity: Int) {
        bytes = max(1, capacity) * 4
        // mmap: pages are backed only when written, so a band's worst case costs nothing.
        let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else { fatalError("out of memory for aggregation keys") }
        base = p.bindMemory(to: UInt32.self, capacity: max(1, capacity))
    }
    deinit { munmap(base, bytes) }
}

private struct UnsafeSendable<T>: @unchecked Sendable { let p: UnsafeMutablePointer<T>; init(_ p: UnsafeMutablePointer<T>) { self.p = p } }

private struct Outputs: @unchecked Sendable {
    let fill: UnsafeMutablePointer<Int>
    let skipped: UnsafeMutablePointer<Int>
}

/// The read-only description of a banded aggregation; each worker writes only its own slots.
private struct BandJob: @unchecked Sendable {
    let xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>, codes: UnsafeBufferPointer<Int32>
    let bins: Binning
    let k: Int, bandRows: Int, bands: Int, workers: Int
    let keys: [UnsafeMutablePointer<UInt32>]

    /// Sorts worker w's points into its band buffers; false if Ctrl-C stopped it.
    func split(worker w: Int, out: Outputs) -> Bool {
        let n = xs.count
        var i = n * w / workers
        let end = n * (w + 1) / workers
        let bandCells = bandRows * bins.width
        // Raw pointers in the hot loop: no bounds checks, no copy-on-write checks.
        let fill = UnsafeMutablePointer<Int>.allocate(capacity: bands)
        fill.initialize(repeating: 0, count: bands)
        let lists = UnsafeMutablePointer<UnsafeMutablePointer<UInt32>>.allocate(capacity: bands)
        for b in 0..<bands { lists[b] = keys[w * bands + b] }
        defer { fill.deallocate(); lists.deallocate() }
        var nonFinite = 0, outside = 0, other = 0
        let base = w * bands
        let x = xs.baseAddress!, y = ys.baseAddress!, cs = codes.baseAddress!
        while i < end {
            if Cancellation.isRequested { return false }
            let blockEnd = Swift.min(end, i + 1 << 18)
            while i < blockEnd {
                let c = bins.cell(x[i], y[i])
                let code = Int(cs[i])
                i += 1
                if c < 0 { if c == -1 { nonFinite += 1 } else { outside += 1 }; continue }
                guard code >= 0 && code < k else { other += 1; continue }
                let band = c / bandCells
                lists[band][fill[band]] = UInt32(truncatingIfNeeded: (c - band * bandCells) * k + code)
                fill[band] += 1
            }
        }
        for b in 0..<bands { out.fill[base + b] = fill[b] }
        out.skipped[3 * w] = nonFinite; out.skipped[3 * w + 1] = outside; out.skipped[3 * w + 2] = other
        return true
    }

    /// Counts one band from every worker's keys in a cached byte grid, then writes it out. A byte
    /// that wraps past 255 records its cell; each record adds 256 when the band is written out.
    func countBand(_ band: Int, fill: UnsafeMutablePointer<Int>, into counts: UnsafeMutablePointer<UInt32>,
                   scratch: UnsafeMutablePointer<UInt8>, wraps: inout [Int32]) {
        let bandCells = bandRows * bins.width
        let rows = Swift.min(bandRows, bins.height - band * bandRows)
        let size = rows * bins.width * k
        memset(scratch, 0, size)
        wraps.removeAll(keepingCapacity: true)
        for w in 0..<workers {
            let list = keys[w * bands + band], m = fill[w * bands + band]
            for j in 0..<m {
                let cell = Int(list[j])
                let v = scratch[cell] &+ 1
                scratch[cell] = v
                if v == 0 { wraps.append(Int32(truncatingIfNeeded: cell)) }
            }
        }
        let out = counts + band * bandCells * k
        for j in 0..<size { out[j] = UInt32(scratch[j]) }
        for j in wraps { out[Int(j)] &+= 256 }
    }
}
