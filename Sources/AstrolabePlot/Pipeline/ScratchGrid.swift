import Foundation

/// Zeroed per-thread scratch for aggregation: one byte per cell, plus a 32-bit overflow grid that
/// receives 256 each time a byte wraps.
///
/// Points arrive in random order, so aggregation is a stream of random increments into a grid of
/// megabytes; its speed is set by cache and TLB misses, not arithmetic. Bytes make the grid 4×
/// smaller (1 MB for 1000×1000 pixels: it stays in a core's L2 cache; 6 MB for six categories
/// instead of 24), and the overflow grid is touched only by the few cells that pass 255, so most of
/// its pages are never even mapped (it comes from `calloc`, i.e. fresh zero pages). The byte grid is
/// backed by huge pages where Linux allows it (`MADV_HUGEPAGE`), which removes most TLB misses.
/// Measured in bench/plot: categorical aggregation of 10M points about 3× faster than 32-bit grids.
final class ScratchGrid {
    let bytes: UnsafeMutablePointer<UInt8>
    let overflow: UnsafeMutablePointer<UInt32>
    let count: Int

    init(count: Int) {
        self.count = count
        let huge = 2 << 20
        let n = max(1, count)
        let size = n >= huge ? (n + huge - 1) / huge * huge : n
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, n >= huge ? huge : 64, size) == 0, let r = raw,
              let o = calloc(n, MemoryLayout<UInt32>.stride) else {
            fatalError("out of memory allocating a \(n)-cell aggregation grid")
        }
        #if os(Linux)
        if n >= huge { _ = madvise(r, size, 14) } // MADV_HUGEPAGE
        #endif
        memset(r, 0, n)
        bytes = r.bindMemory(to: UInt8.self, capacity: n)
        overflow = o.bindMemory(to: UInt32.self, capacity: n)
    }

    /// Adds one to cell `i`.
    @inline(__always) func increment(_ i: Int) {
        let v = bytes[i] &+ 1
        bytes[i] = v
        if v == 0 { overflow[i] &+= 256 }
    }

    /// The count in cell `i`.
    @inline(__always) func value(_ i: Int) -> UInt32 { UInt32(bytes[i]) &+ overflow[i] }

    deinit {
        free(bytes)
        free(overflow)
    }
}

/// The scratch grids of one aggregation, one per chunk; each worker writes only its own.
struct GridPointers: @unchecked Sendable {
    let bytes: [UnsafeMutablePointer<UInt8>]
    let overflow: [UnsafeMutablePointer<UInt32>]

    init(_ grids: [ScratchGrid]) {
        bytes = grids.map(\.bytes)
        overflow = grids.map(\.overflow)
    }
}
