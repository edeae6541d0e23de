/// Correctly rounded decimal → binary64 conversion of `w × 10^q` for an exact 64-bit significand
/// `w`, by the Eisel–Lemire algorithm (as in fast_float: D. Lemire, "Number Parsing at a Gigabyte
/// per Second", Software: Practice and Experience 51(8), 2021; and N. Mushtak, D. Lemire, "Fast
/// Number Parsing Without Fallback", 2023, which proves the 128-bit product always suffices when
/// `w` is exact). One or two 64×64→128-bit multiplications by a truncated power of five replace
/// the big-number arithmetic of a general converter; only numbers written with more than 19
/// significant digits (so `w` had to be truncated) can be ambiguous, and the caller settles those.
enum EiselLemire {
    /// The IEEE double nearest to `w × 10^q` (ties to even), as a non-negative `Double`.
    static func convert(_ w: UInt64, _ q: Int) -> Double {
        if w == 0 || q < PowersOfFive.smallestExponent { return 0 }
        if q > PowersOfFive.largestExponent { return .infinity }
        let (mantissa, power2) = compute(w, q)
        return Double(bitPattern: UInt64(power2) << 52 | mantissa)
    }

    /// The 52 stored mantissa bits and the biased binary exponent (0 for subnormals and zero,
    /// 0x7FF for infinity), for 1 <= w and q within the table.
    @inline(__always)
    static func compute(_ w: UInt64, _ q: Int) -> (mantissa: UInt64, power2: Int) {
        let lz = w.leadingZeroBitCount
        let normalized = w << UInt64(lz)
        // The product's top 55 bits (52 + an implicit bit + 2 for rounding) must be right; the
        // low word of the power is only needed when the high product's low bits are all ones.
        let index = 2 * (q - PowersOfFive.smallestExponent)
        let table = PowersOfFive.table
        var (high, low) = normalized.multipliedFullWidth(by: table[index])
        let precisionMask: UInt64 = 0xFFFF_FFFF_FFFF_FFFF >> 55
        if high & precisionMask == precisionMask {
            let second = normalized.multipliedFullWidth(by: table[index + 1])
            let (sum, carry) = low.addingReportingOverflow(second.high)
            low = sum
            if carry { high &+= 1 }
        }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit + 64 - 52 - 3)
        var mantissa = high >> shift
        // floor(log2(10^q)) + 63, via 217706 / 2^16 ≈ log2(10); the bias of binary64 is 1023.
        var power2 = (((152170 + 65536) * q) >> 16) + 63 + upperBit - lz + 1023
        if power2 <= 0 {
            // Subnormal (or zero): shift into place, then round half up on the last bit shifted out.
            if -power2 + 1 >= 64 { return (0, 0) }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            // Rounding may carry into the smallest normal number.
            return (mantissa & ~(UInt64(1) << 52), mantissa < (UInt64(1) << 52) ? 0 : 1)
        }
        // An exact halfway case (possible only for small |q|) rounds to even rather than up.
        if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, (mantissa << shift) == high {
            mantissa &= ~UInt64(1)
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (UInt64(2) << 52) {
            mantissa = UInt64(1) << 52
            power2 += 1
        }
        mantissa &= ~(UInt64(1) << 52)
        if power2 >= 0x7FF { return (0, 0x7FF) }
        return (mantissa, power2)
    }
}
