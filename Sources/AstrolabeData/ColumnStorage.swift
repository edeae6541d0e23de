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
