import Foundation

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
    /// Floyd and Rivest's SELECT (Communications of the ACM 18(3), 1975): on a large range, the
    /// pivot is first selected from a sample around rank k (recursively), so it lies just beside
    /// the k-th value and one partition discards nearly everything else: about n + min(k, n - k)
    /// comparisons, against about 3.4n for quickselect's median. Short ranges are finished by
    /// insertion sort, and a range that keeps splitting badly (more than 2·log2(n) rounds) is
    /// sorted, so the worst case is O(n log n). Deterministic: the sample is chosen by position,
    /// and whatever pivots are used, the value at rank k is the same.
    static func select(_ v: UnsafeMutableBufferPointer<Double>, _ k: Int, in range: Range<Int>) {
        precondition(range.contains(k) && range.lowerBound >= 0 && range.upperBound <= v.count)
        var left = range.lowerBound, right = range.upperBound - 1
        var rounds = 2 * (Int.bitWidth - range.count.leadingZeroBitCount)
        while right > left {
            if right - left < 24 {
                insertionSort(v, left ... right)
                return
            }
            if rounds == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: v[left ... right])
                rest.sort()
                return
            }
            rounds -= 1
            if right - left > 600 {
                // A sample of about n^(2/3) around rank k, placed so the k-th value is very
                // likely inside it; selecting within it leaves a pivot beside the k-th value at k.
                let n = Double(right - left + 1)
                let i = Double(k - left + 1)
                let z = log(n)
                let s = 0.5 * exp(2 * z / 3)
                let sd = 0.5 * (z * s * (n - s) / n).squareRoot() * (i < n / 2 ? -1 : 1)
                let newLeft = Swift.max(left, Int((Double(k) - i * s / n + sd).rounded(.down)))
                let newRight = Swift.min(right, Int((Double(k) + (n - i) * s / n + sd).rounded(.down)))
                if newLeft <= k, k <= newRight, newRight - newLeft < right - left {
                    select(v, k, in: newLeft ..< newRight + 1)
                }
            }
            // Partition around t = v[k], with t moved to the left end and a value >= t at the right.
            let t = v[k]
            var i = left, j = right
            v.swapAt(left, k)
            if t < v[right] { v.swapAt(right, left) }
            while i < j {
                v.swapAt(i, j)
                i += 1
                j -= 1
                while v[i] < t { i += 1 }
                while t < v[j] { j -= 1 }
            }
            if v[left] == t {
                v.swapAt(left, j)
            } else {
                j += 1
                v.swapAt(j, right)
            }
            // Now t is at j, with v[left ..< j] <= t <= v[j + 1 ... right].
            if j <= k { left = j + 1 }
            if k <= j { right = j - 1 }
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
