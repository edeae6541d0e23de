#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocating the arrays of survey-sized columns.
///
/// A million-row column is 8 MB; touching it for the first time costs one page fault per 4 KB
/// page, and for a table of a few columns those faults cost more than decoding the values. On
/// Linux the kernel backs memory with 2 MB pages where asked (`MADV_HUGEPAGE`; transparent huge
/// pages are usually in `madvise` mode), which numpy does for every large array. Columns here ask
/// too, before their memory is first written.
enum ColumnStorage {
    /// Below this size no 2 MB page fits. (numpy asks from 4 MB on; a million float32 values,
    /// 4.0 MB, are just under that, and their page faults were a tenth of their load time.) Only
    /// the aligned 2 MB pages inside the array are asked for, so none is wasted.
    static let hugePageThreshold = 2 << 20

    /// An array of `count` elements whose contents the caller will overwrite entirely (the
    /// elements are trivial values, so they need no initialisation beyond that).
    static func uninitialized<T: BitwiseCopyable>(_: T.Type, count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { adviseHugePages(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<T>.stride) }
            initialized = count
        }
    }

    /// Maps in, with one call and no page faults, the 4 KB pages of `[start, start + bytes)` (a
    /// piece of a column about to be written) that lie outside the 2 MB-aligned part of its array
    /// `[arrayStart, arrayStart + arrayBytes)`: the array's head and tail, which
    /// `adviseHugePages` leaves to 4 KB pages (each a page fault when first written; for an 8 MB
    /// column about a quarter of it). Only whole pages inside the range are touched. Does nothing
    /// off Linux or where the kernel lacks `MADV_POPULATE_WRITE` (before 5.14).
    static func populateSmallPages(_ start: UnsafeMutableRawPointer, bytes: Int,
                                   arrayStart: UnsafeMutableRawPointer, arrayBytes: Int) {
        #if os(Linux)
        let page = 4096, huge = 2 << 20
        let lo = Int(bitPattern: start), hi = lo + bytes
        let a = Int(bitPattern: arrayStart), z = a + arrayBytes
        var firstHuge = (a + huge - 1) / huge * huge, lastHuge = z / huge * huge
        if arrayBytes < hugePageThreshold || lastHuge <= firstHuge { firstHuge = z; lastHuge = z }
        for (from, to) in [(Swift.max(lo, a), Swift.min(hi, firstHuge)), (Swift.max(lo, lastHuge), Swift.min(hi, z))] {
            let first = (from + page - 1) / page * page, last = to / page * page
            guard last > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { continue }
            _ = madvise(pointer, last - first, 23 /* MADV_POPULATE_WRITE */)
        }
        #endif
    }

    /// Asks for 2 MB pages over the whole 2 MB-aligned part of `[start, start + bytes)`.
    static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard bytes >= hugePageThreshold else { return }
        let huge = 2 << 20
        let first = (Int(bitPattern: start) + huge - 1) / huge * huge
        let end = (Int(bitPattern: start) + bytes) / huge * huge
        guard end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(pointer, end - first, MADV_HUGEPAGE)
        #endif
    }
}
