import CFastCSV
import Dispatch

/// Counting line breaks before parsing: each piece of the file is parsed knowing how many records
/// it holds, so the pieces can be laid out in the columns without moving them afterwards.
extension CSVReader {
    /// Line breaks (LF, plus CR when there are any) in each piece: at most one record ends at each.
    /// Pages of `release` are handed back as they are counted, so the whole file is never resident.
    static func lineBreakCounts(_ buffer: UnsafeBufferPointer<UInt8>, bounds: [Int], release: MappedFile?) -> [Int] {
        let pieces = bounds.count - 1
        let counts = Results.Counts(pieces)
        let shared = SharedBytes(buffer: buffer)
        DispatchQueue.concurrentPerform(iterations: pieces) { k in
            guard let base = shared.buffer.baseAddress, bounds[k] < bounds[k + 1] else { return }
            let start = base + bounds[k], end = base + bounds[k + 1]
            // Pieces are counted 2 MB at a time, each 2 MB handed back once counted. CR is rare
            // (old Mac files, or CRLF): a piece is counted again for it only if it holds one.
            var lf = 0, anyCR = false
            var at = start
            while at < end {
                let step = Swift.min(1 << 21, end - at)
                let counted = Self.count(0x0A, from: at, to: at + step, noting: 0x0D)
                lf += counted.count
                anyCR = anyCR || counted.sawOther
                at += step
                if at < end { release?.release((at - step - base) ..< (at - base)) }
            }
            let cr = anyCR ? Self.count(0x0D, from: start, to: end, noting: 0x0D).count : 0
            // CR is rare (old Mac files, or CRLF); counting both over-counts CRLF, which only
            // leaves room unused.
            counts.set(k, lf + cr)
            release?.release(bounds[k] ..< bounds[k + 1])
        }
        return counts.values
    }

    /// How many bytes in `[p, stop)` equal `target`, and whether any equals `other`: 64 bytes a
    /// step with AVX-512 where the CPU has it (`alab_count_bytes`, a compare into a mask and its
    /// bits counted), else `countInSwift`.
    static func count(_ target: UInt8, from p: UnsafePointer<UInt8>, to stop: UnsafePointer<UInt8>,
                      noting other: UInt8) -> (count: Int, sawOther: Bool) {
        if CSVChunkParser.bestVectorLevel >= 3 {
            var sawOther: Int32 = 0
            let counted = alab_count_bytes(p, Int64(stop - p), target, other, &sawOther)
            if counted >= 0 { return (Int(counted), sawOther != 0) }
        }
        return countInSwift(target, from: p, to: stop, noting: other)
    }

    /// `count` in Swift: sixteen bytes per compare and 64 per step, each hit (a lane of all
    /// ones, -1) subtracted from per-lane byte counters that are flushed before they can wrap,
    /// and the `other` hits only OR-ed together. No branch per hit, so no mispredictions on
    /// lines of varying length.
    static func countInSwift(_ target: UInt8, from p: UnsafePointer<UInt8>, to stop: UnsafePointer<UInt8>,
                             noting other: UInt8) -> (count: Int, sawOther: Bool) {
        @inline(__always) func hits(_ v: SIMD16<UInt8>, _ b: SIMD16<UInt8>) -> SIMD16<Int8> {
            unsafeBitCast(v .== b, to: SIMD16<Int8>.self)
        }
        let targets = SIMD16<UInt8>(repeating: target), others = SIMD16<UInt8>(repeating: other)
        var p = UnsafeRawPointer(p)
        let stop = UnsafeRawPointer(stop)
        var total = 0
        var seen = SIMD16<Int8>(repeating: 0)
        while stop - p >= 64 {
            var lanes = SIMD16<Int8>(repeating: 0)
            var steps = 0
            // At most 63 steps of at most four hits a lane: no counter passes 252.
            while steps < 63, stop - p >= 64 {
                let v0 = p.loadUnaligned(as: SIMD16<UInt8>.self)
                let v1 = (p + 16).loadUnaligned(as: SIMD16<UInt8>.self)
                let v2 = (p + 32).loadUnaligned(as: SIMD16<UInt8>.self)
                let v3 = (p + 48).loadUnaligned(as: SIMD16<UInt8>.self)
                lanes &-= (hits(v0, targets) &+ hits(v1, targets)) &+ (hits(v2, targets) &+ hits(v3, targets))
                seen |= (hits(v0, others) | hits(v1, others)) | (hits(v2, others) | hits(v3, others))
                p += 64
                steps += 1
            }
            total += Int(SIMD16<UInt16>(truncatingIfNeeded: SIMD16<UInt8>(truncatingIfNeeded: lanes)).wrappedSum())
        }
        var sawOther = seen != SIMD16<Int8>(repeating: 0)
        while p < stop {
            let b = p.load(as: UInt8.self)
            if b == target { total += 1 }
            if b == other { sawOther = true }
            p += 1
        }
        return (total, sawOther)
    }
}
