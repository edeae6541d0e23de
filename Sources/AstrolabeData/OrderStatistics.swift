/// The k-th smallest of unsorted values without sorting them (selection), for quantiles of
/// survey-sized columns: a full sort of ten million values costs about a second, selecting the
/// few ranks a `describe` needs a tenth of that.
///
/// The values must not contain NaN (the caller has set missing values aside); `<` then orders
/// them totally, except that -0.0 and +0.0 are equal, so which of the two lands at a rank is not
/// specified (as with any sort that is not stable).
enum OrderStatistics {
    /// Rearranges `v[range]` so that `v[k]` holds the value a sort would put there, every value
    /// before it is `<=` it and every value after it `>=` (C++'s `nth_element`). `k` must lie in
    /// `range`, and `range` in `v`.
    ///
    /// Hoare partitioning around the median of three (Wirth's `find`, which keeps both scans
    /// inside the range and splits runs of equal values evenly), narrowed to the side holding
    /// `k`; short ranges are finished by insertion sort, and a range that keeps splitting badly
    /// (more than 2·log2(n) rounds) is sorted, so the worst case is O(n log n). Deterministic:
    /// no random pivots.
    static func select(_ v: UnsafeMutableBufferPointer<Double>, _ k: Int, in range: Range<Int>) {
        precondition(range.contains(k) && range.lowerBound >= 0 && range.upperBound <= v.count)
        var lo = range.lowerBound, hi = range.upperBound - 1
        var rounds = 2 * (Int.bitWidth - range.count.leadingZeroBitCount)
        while hi > lo {
            if hi - lo < 24 {
                insertionSort(v, lo ... hi)
                return
            }
            if rounds == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: v[lo ... hi])
                rest.sort()
                return
            }
            rounds -= 1
            let mid = lo + (hi - lo) / 2
            // Median of three, ordered in place: v[lo] <= v[mid] <= v[hi].
            if v[mid] < v[lo] { v.swapAt(mid, lo) }
            if v[hi] < v[mid] {
                v.swapAt(hi, mid)
                if v[mid] < v[lo] { v.swapAt(mid, lo) }
            }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while pivot < v[j] { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // Now v[lo ... j] <= pivot <= v[i ... hi], and everything strictly between equals it.
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return
            }
        }
    }

    /// The smallest of `v[range]` (non-empty).
    static func minimum(_ v: UnsafeMutableBufferPointer<Double>, in range: Range<Int>) -> Double {
        var m = v[range.lowerBound]
        for i in range where v[i] < m { m = v[i] }
        return m
    }

    private static func insertionSort(_ v: UnsafeMutableBufferPointer<Double>, _ range: ClosedRange<Int>) {
        guard range.count > 1 else { return }
        for i in range.lowerBound + 1 ... range.upperBound {
            let x = v[i]
            var j = i - 1
            while j >= range.lowerBound, x < v[j] {
                v[j + 1] = v[j]
                j -= 1
            }
            v[j + 1] = x
        }
    }
}
