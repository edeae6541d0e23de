/// Converting a CSV cell's bytes to a number, without building a `String` in the common case.
///
/// The accepted syntax is what catalogues actually contain: optional sign, decimal digits with an
/// optional point (`1`, `2.5`, `.5`, `5.`), an optional exponent (`1e-3`, `1E+14`), and `inf`,
/// `infinity` (any case, optionally signed). Surrounding spaces and tabs are ignored. Hexadecimal
/// floats, thousands separators and `nan(...)` payloads are not numbers.
///
/// Every result is the nearest double (ties to even), as from a correctly rounded parser:
/// - digits are read eight at a time (SWAR: one 64-bit load, a digit test and three multiplies);
/// - up to 19 significant digits give an exact 64-bit significand `w`, and `w × 10^q` is then
///   Clinger's fast path when `w ≤ 2^53` and `|q| ≤ 22` (one exact integer times or divided by
///   one exact power of ten: a single correctly rounded IEEE operation), else Eisel–Lemire;
/// - more than 19 significant digits keep the first 19 and try Eisel–Lemire on both neighbours
///   of the truncated significand; only when they disagree (vanishingly rare) does the standard
///   library's correctly rounded parser decide.
enum NumberParsing {
    enum Cell: Equatable {
        case number(Double)
        case missing
        case notANumber
    }

    /// A number found by `scan`: its value, the offset just after it, and whether it was written
    /// as an integer that a double holds exactly (no point, no exponent, |value| <= 2^53).
    struct Scanned {
        var value: Double
        var end: Int
        var isInteger: Bool
    }

    /// Parses `bytes[start ..< end]`. Empty cells and the missing-value markers `NA`, `NaN`, `nan`,
    /// `null`, `NULL` are `.missing`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Cell {
        var s = max(0, start)
        var e = min(end, bytes.count)
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x09 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
        guard s < e, let base = bytes.baseAddress else { return .missing }
        if isMissingMarker(bytes, s, e) { return .missing }

        if bytes[s] == UInt8(ascii: "+") || bytes[s] == UInt8(ascii: "-") {
            let negative = bytes[s] == UInt8(ascii: "-")
            if s + 1 < e, isInfinity(bytes, s + 1, e) { return .number(negative ? -.infinity : .infinity) }
        } else if isInfinity(bytes, s, e) {
            return .number(.infinity)
        }
        // `e <= bytes.count`, so the scan reads only inside the buffer.
        guard let scanned = scan(base, from: s, to: e), scanned.end == e else { return .notANumber }
        return .number(scanned.value)
    }

    /// A decimal number starting exactly at `start`: `[+-]digits[.digits][(e|E)[+-]digits]`,
    /// stopping at the first byte that cannot continue it (the caller checks what follows).
    /// Returns nil when there is no number here (no digits, or an exponent marker without digits,
    /// as in `1e` or `1e+`).
    ///
    /// Reads only `base[start ..< end]`: the caller guarantees those bytes exist. Eight-byte
    /// loads happen only where `i + 8 <= end`.
    @inline(__always)
    static func scan(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Scanned? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") {
            negative = base[i] == UInt8(ascii: "-")
            i += 1
        }
        let integerStart = i
        var w: UInt64 = 0
        i = digits(base, from: i, to: end, into: &w)
        var digitCount = i - integerStart
        var exponent = 0
        var sawPoint = false
        if i < end, base[i] == UInt8(ascii: ".") {
            sawPoint = true
            i += 1
            let fractionStart = i
            i = digits(base, from: i, to: end, into: &w)
            digitCount += i - fractionStart
            exponent = fractionStart - i
        }
        guard digitCount > 0 else { return nil }
        var sawExponent = false
        if i < end, base[i] | 0x20 == UInt8(ascii: "e") {
            guard let (e, j) = exponentPart(base, from: i + 1, to: end) else { return nil }
            exponent += e
            sawExponent = true
            i = j
        }
        // Up to 19 digits (leading zeros included) cannot overflow `w`; more take the long way.
        guard digitCount <= 19 else {
            let value = long(base, from: start, to: i)
            return Scanned(value: value, end: i,
                           isInteger: !sawPoint && !sawExponent && value.magnitude <= 9_007_199_254_740_992)
        }
        let exact = w <= 1 << 53
        var value: Double
        if w == 0 {
            value = 0
        } else if exact, exponent >= -22, exponent <= 22 {
            value = Double(Int64(bitPattern: w))
            if exponent >= 0 { value *= powerOfTen(exponent) } else { value /= powerOfTen(-exponent) }
        } else {
            value = EiselLemire.convert(w, exponent)
        }
        return Scanned(value: negative ? -value : value, end: i, isInteger: exact && !sawPoint && !sawExponent)
    }

    /// A cell whose extent the caller already knows (`base[start ..< end]`, `start < end`, its
    /// delimiters found beforehand) as one number: `scan`'s syntax and results, nil unless the
    /// whole cell is the number. `readable` bounds the bytes that may be loaded: a short cell is
    /// read with one eight-byte load, which may run past `end` but never past `readable`.
    ///
    /// Knowing the end means the common shapes need no search for it: `[-]d…d` (up to 8 digits)
    /// and `[-]d…d.d…d` (up to 7 digits) are one load, one digit test over the cell's bytes, the
    /// point squeezed out of the word, and one eight-digit conversion; w < 10^8 < 2^52, so the
    /// value is Clinger's exact `w / 10^f`. Cells of 9 to 16 bytes (`%.6f` output such as
    /// `19.123456`) take two words the same way (`twoWords`). Anything else goes to `scan`.
    @inline(__always)
    static func scanCell(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, readable: Int) -> Scanned? {
        let negative = base[start] == UInt8(ascii: "-")
        let p = start &+ (negative ? 1 : 0)
        let length = end &- p
        if length >= 1, length <= 8, p &+ 8 <= readable {
            let x = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
            let y = x ^ 0x3030_3030_3030_3030
            let inCell = UInt64.max &>> UInt64(64 &- 8 &* length)
            let notDigit = (((y & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | y) & 0x8080_8080_8080_8080 & inCell
            let sign = negative ? UInt64(1) << 63 : 0
            if notDigit == 0 {
                let w = eightDigits(y &<< UInt64(64 &- 8 &* length))
                let value = Double(Int64(bitPattern: w))
                return Scanned(value: Double(bitPattern: value.bitPattern | sign), end: end, isInteger: true)
            }
            let d = notDigit.trailingZeroBitCount >> 3
            let onlyThePoint = notDigit & ~(UInt64(0x80) &<< UInt64(8 &* d)) == 0
            if onlyThePoint, length > 1, UInt8(truncatingIfNeeded: x &>> UInt64(8 &* d)) == UInt8(ascii: ".") {
                let below = (UInt64(1) &<< UInt64(8 &* d)) &- 1 // the integer digits' bytes
                let squeezed = (y & below) | ((y &>> 8) & ~below)
                let w = eightDigits(squeezed &<< UInt64(72 &- 8 &* length))
                let value = Double(Int64(bitPattern: w)) / powerOfTen(length &- 1 &- d)
                return Scanned(value: Double(bitPattern: value.bitPattern | sign), end: end, isInteger: false)
            }
        } else if length > 8, length <= 16, p &+ 16 <= readable,
                  let scanned = twoWords(base, at: p, length: length, negative: negative) {
            return scanned
        }
        return scanWhole(base, from: start, to: end)
    }

    /// `scanCell` for 9 to 16 bytes of digits with at most one point at `base + p`: the two words'
    /// digits tested at once, the point squeezed out of whichever word holds it (the first word
    /// then borrows the second's first digit), and 8 + k digits converted as two groups. At most
    /// 15 digits, so w < 10^15 < 2^53 and `w / 10^f` is exact. Nil for any other byte, or for an
    /// integer of 16 digits (which may exceed 2^53). The caller checked `p + 16 <= readable`.
    @inline(__always)
    private static func twoWords(_ base: UnsafePointer<UInt8>, at p: Int, length: Int, negative: Bool) -> Scanned? {
        let x0 = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
        let x1 = UnsafeRawPointer(base + (p &+ 8)).loadUnaligned(as: UInt64.self)
        let y0 = x0 ^ 0x3030_3030_3030_3030, y1 = x1 ^ 0x3030_3030_3030_3030
        let inSecond = length &- 8 // the cell's bytes in the second word, 1...8
        let notDigit0 = (((y0 & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | y0) & 0x8080_8080_8080_8080
        let notDigit1 = (((y1 & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | y1) & 0x8080_8080_8080_8080
            & (UInt64.max &>> UInt64(64 &- 8 &* inSecond))
        let sign = negative ? UInt64(1) << 63 : 0
        if notDigit0 | notDigit1 == 0 {
            guard length <= 15 else { return nil }
            let w = eightDigits(y0) &* smallPowerOfTen(inSecond) &+ eightDigits(y1 &<< UInt64(64 &- 8 &* inSecond))
            let value = Double(Int64(bitPattern: w))
            return Scanned(value: Double(bitPattern: value.bitPattern | sign), end: p &+ length, isInteger: true)
        }
        // Exactly one byte that is not a digit, and it is the point: at `point` in the cell.
        let first: UInt64, second: UInt64, point: Int
        if notDigit0 != 0 {
            let d = notDigit0.trailingZeroBitCount >> 3
            guard notDigit0 & ~(UInt64(0x80) &<< UInt64(8 &* d)) == 0, notDigit1 == 0,
                  UInt8(truncatingIfNeeded: x0 &>> UInt64(8 &* d)) == UInt8(ascii: ".") else { return nil }
            let below = (UInt64(1) &<< UInt64(8 &* d)) &- 1
            first = (y0 & below) | ((y0 &>> 8) & ~below) | (y1 &<< 56)
            second = y1 &>> 8
            point = d
        } else {
            let d = notDigit1.trailingZeroBitCount >> 3
            guard notDigit1 & ~(UInt64(0x80) &<< UInt64(8 &* d)) == 0,
                  UInt8(truncatingIfNeeded: x1 &>> UInt64(8 &* d)) == UInt8(ascii: ".") else { return nil }
            let below = (UInt64(1) &<< UInt64(8 &* d)) &- 1
            first = y0
            second = (y1 & below) | ((y1 &>> 8) & ~below)
            point = 8 &+ d
        }
        // Eight digits in `first`, `rest` (0...7) in `second`.
        let rest = length &- 9
        var w = eightDigits(first)
        if rest > 0 { w = w &* smallPowerOfTen(rest) &+ eightDigits(second &<< UInt64(64 &- 8 &* rest)) }
        let value = Double(Int64(bitPattern: w)) / powerOfTen(length &- 1 &- point)
        return Scanned(value: Double(bitPattern: value.bitPattern | sign), end: p &+ length, isInteger: false)
    }

    /// `scan` of a whole cell, out of line: the rare shapes stay out of `scanCell`'s callers.
    @inline(never)
    static func scanWhole(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Scanned? {
        guard let scanned = scan(base, from: start, to: end), scanned.end == end else { return nil }
        return scanned
    }

    /// Decimal digits from `start` appended to `w` (wrapping: the caller counts the digits and
    /// discards `w` past 19); returns where the digits end.
    @inline(__always)
    static func digits(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, into w: inout UInt64) -> Int {
        var i = start
        while i &+ 8 <= end {
            // Eight bytes, the first in the lowest byte (x86-64 and arm64 are little-endian).
            let chunk = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // Per byte: y = byte ^ '0' is 0...9 exactly for a digit. (y & 0x7F) + 0x76 sets the
            // byte's top bit when y & 0x7F >= 10 (never carrying into the next byte), and `| y`
            // sets it when y >= 0x80; so the top bits mark the bytes that are not digits.
            let y = chunk ^ 0x3030_3030_3030_3030
            let notDigit = (((y & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | y) & 0x8080_8080_8080_8080
            if notDigit == 0 {
                w = w &* 100_000_000 &+ eightDigits(y)
                i += 8
                continue
            }
            let count = notDigit.trailingZeroBitCount >> 3
            if count > 0 {
                // Shift the `count` digits to the top: the bytes below become leading zeros.
                w = w &* smallPowerOfTen(count) &+ eightDigits(y << UInt64(64 - 8 * count))
            }
            return i + count
        }
        while i < end {
            let d = base[i] &- 0x30
            if d > 9 { break }
            w = w &* 10 &+ UInt64(d)
            i += 1
        }
        return i
    }

    /// The value of eight digits 0...9, one per byte, the most significant in the lowest byte
    /// (fast_float's `parse_eight_digits_unrolled`): pairs, then quads, then the eight.
    @inline(__always)
    static func eightDigits(_ digits: UInt64) -> UInt64 {
        let pairs = (digits &* 10) &+ (digits >> 8)
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let mul1: UInt64 = 100 + (1_000_000 << 32)
        let mul2: UInt64 = 1 + (10_000 << 32)
        return ((pairs & mask) &* mul1 &+ ((pairs >> 16) & mask) &* mul2) >> 32
    }

    /// `[+-]digits` after an exponent marker: the exponent (saturated: anything that large is 0 or
    /// infinity anyway, and must not overflow) and where it ends; nil without digits.
    @inline(__always)
    private static func exponentPart(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (Int, Int)? {
        var j = start
        var negative = false
        if j < end, base[j] == UInt8(ascii: "+") || base[j] == UInt8(ascii: "-") {
            negative = base[j] == UInt8(ascii: "-")
            j += 1
        }
        guard j < end, base[j] &- 0x30 <= 9 else { return nil }
        var exponent = 0
        while j < end {
            let d = base[j] &- 0x30
            if d > 9 { break }
            if exponent < 100_000 { exponent = exponent * 10 + Int(d) }
            j += 1
        }
        return (negative ? -exponent : exponent, j)
    }

    /// A number with more than 19 digits, already validated, spanning `base[start ..< end]`.
    /// Keeps the first 19 significant digits; when any later digit is not zero the true value lies
    /// strictly between `w × 10^q` and `(w + 1) × 10^q`, and if both round to the same double, so
    /// does it. Otherwise the standard library rounds the text.
    @inline(never)
    static func long(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Double {
        var i = start
        var negative = false
        if base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") {
            negative = base[i] == UInt8(ascii: "-")
            i += 1
        }
        var w: UInt64 = 0
        var kept = 0
        var q = 0
        var truncated = false
        while i < end, base[i] &- 0x30 <= 9 {
            let d = UInt64(base[i] &- 0x30)
            if kept < 19 {
                w = w * 10 + d
                if w != 0 { kept += 1 }
            } else {
                q += 1
                if d != 0 { truncated = true }
            }
            i += 1
        }
        if i < end, base[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, base[i] &- 0x30 <= 9 {
                let d = UInt64(base[i] &- 0x30)
                if kept < 19 {
                    w = w * 10 + d
                    if w != 0 { kept += 1 }
                    q -= 1
                } else if d != 0 {
                    truncated = true
                }
                i += 1
            }
        }
        if i < end, base[i] | 0x20 == UInt8(ascii: "e"), let (e, _) = exponentPart(base, from: i + 1, to: end) {
            q += e
        }
        var value = EiselLemire.convert(w, q)
        if truncated, EiselLemire.convert(w + 1, q) != value {
            let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
            return Double(text) ?? .nan
        }
        if negative { value = -value }
        return value
    }

    /// 10^n for 1 <= n <= 7.
    @inline(__always)
    private static func smallPowerOfTen(_ n: Int) -> UInt64 {
        switch n {
        case 1: return 10
        case 2: return 100
        case 3: return 1_000
        case 4: return 10_000
        case 5: return 100_000
        case 6: return 1_000_000
        default: return 10_000_000
        }
    }

    /// 10^n for 0 <= n <= 22, all exactly representable.
    @inline(__always)
    private static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// `base[start ..< end]` is exactly one of the missing-value markers `parse` knows (the
    /// record loops' test for a cell that is not a number but still missing).
    static func isMissingMarker(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        isMissingMarker(UnsafeBufferPointer(start: base + start, count: end - start), 0, end - start)
    }

    private static func isMissingMarker(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        switch e - s {
        case 2: return b[s] == UInt8(ascii: "N") && b[s + 1] == UInt8(ascii: "A")
        case 3:
            // NaN, nan
            return (b[s] == UInt8(ascii: "N") && b[s + 1] == UInt8(ascii: "a") && b[s + 2] == UInt8(ascii: "N"))
                || (b[s] == UInt8(ascii: "n") && b[s + 1] == UInt8(ascii: "a") && b[s + 2] == UInt8(ascii: "n"))
        case 4:
            return matches(b, s, e, "null") || matches(b, s, e, "NULL")
        default: return false
        }
    }

    private static func isInfinity(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        matchesIgnoringCase(b, s, e, "inf") || matchesIgnoringCase(b, s, e, "infinity")
    }

    private static func matches(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ word: StaticString) -> Bool {
        guard e - s == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { w in
            for k in 0 ..< w.count where b[s + k] != w[k] { return false }
            return true
        }
    }

    private static func matchesIgnoringCase(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int,
                                            _ word: StaticString) -> Bool {
        guard e - s == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { w in
            for k in 0 ..< w.count where b[s + k] | 0x20 != w[k] { return false }
            return true
        }
    }
}
