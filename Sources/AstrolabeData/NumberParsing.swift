/// Converting a CSV cell's bytes to a number, without building a `String` in the common case.
///
/// The accepted syntax is what catalogues actually contain: optional sign, decimal digits with an
/// optional point (`1`, `2.5`, `.5`, `5.`), an optional exponent (`1e-3`, `1E+14`), and `inf`,
/// `infinity` (any case, optionally signed). Surrounding spaces and tabs are ignored. Hexadecimal
/// floats, thousands separators and `nan(...)` payloads are not numbers.
///
/// Values with at most 15 significant digits and a decimal exponent within ±22 are converted with
/// Clinger's fast path (one exact integer times or divided by one exact power of ten: a single
/// correctly rounded IEEE operation). Anything longer falls back to the standard library's
/// correctly rounded, locale-independent parser, so every result is the nearest double.
enum NumberParsing {
    enum Cell: Equatable {
        case number(Double)
        case missing
        case notANumber
    }

    /// Parses `bytes[start ..< end]`. Empty cells and the missing-value markers `NA`, `NaN`, `nan`,
    /// `null`, `NULL` are `.missing`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Cell {
        var s = max(0, start)
        var e = min(end, bytes.count)
        while s < e, bytes[s] == 0x20 || bytes[s] == 0x09 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
        if s == e { return .missing }
        if isMissingMarker(bytes, s, e) { return .missing }

        var i = s
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            let negative = bytes[i] == UInt8(ascii: "-")
            if i + 1 < e, isInfinity(bytes, i + 1, e) { return .number(negative ? -.infinity : .infinity) }
        } else if isInfinity(bytes, i, e) {
            return .number(.infinity)
        }
        guard let scanned = scan(bytes, from: s, to: e), scanned.end == e else { return .notANumber }
        i = scanned.end
        if let value = scanned.value { return .number(value) }
        // Slow path: the syntax is already validated, so the standard library only has to round.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[s ..< e]), as: UTF8.self)
        guard let value = Double(text) else { return .notANumber }
        return .number(value)
    }

    /// A decimal number starting exactly at `start`: `[+-]digits[.digits][(e|E)[+-]digits]`,
    /// stopping at the first byte that cannot continue it (the caller checks what follows).
    /// `value` is nil when the number needs the slow, correctly rounded path (more than 15
    /// significant digits or a large exponent); `isInteger` says it was written without a point or
    /// exponent and is exact. Returns nil when there is no number here at all.
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> (value: Double?, end: Int, isInteger: Bool)? {
        var i = start
        let e = end
        guard i < e else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        // Integer part: leading zeros are not significant.
        let integerStart = i
        while i < e, bytes[i] == 0x30 { i += 1 }
        let significantStart = i
        var mantissa: UInt64 = 0
        while i < e {
            let d = bytes[i] &- 0x30
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
        var significantDigits = i - significantStart
        var digitCount = i - integerStart
        var decimalExponent = 0
        var sawPoint = false
        if i < e, bytes[i] == UInt8(ascii: ".") {
            sawPoint = true
            i += 1
            let fractionStart = i
            if mantissa == 0 { while i < e, bytes[i] == 0x30 { i += 1 } }
            let fractionSignificantStart = i
            while i < e {
                let d = bytes[i] &- 0x30
                if d > 9 { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
            significantDigits += i - fractionSignificantStart
            digitCount += i - fractionStart
            decimalExponent = fractionStart - i
        }
        guard digitCount > 0 else { return nil }
        var sawExponent = false
        if i < e, bytes[i] | 0x20 == UInt8(ascii: "e") {
            var j = i + 1
            var exponentNegative = false
            if j < e, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") {
                exponentNegative = bytes[j] == UInt8(ascii: "-")
                j += 1
            }
            // `1e` or `1e+` is not a number; the caller sees the `e` and rejects the cell.
            guard j < e, bytes[j] >= 0x30, bytes[j] <= 0x39 else { return (nil, i, false) }
            var exponent = 0
            while j < e {
                let d = bytes[j] &- 0x30
                if d > 9 { break }
                // Saturate: anything this large is 0 or infinity anyway, and must not overflow.
                if exponent < 100_000 { exponent = exponent * 10 + Int(d) }
                j += 1
            }
            decimalExponent += exponentNegative ? -exponent : exponent
            sawExponent = true
            i = j
        }
        let isInteger = !sawPoint && !sawExponent && significantDigits <= 15
        if significantDigits == 0 { return (negative ? -0.0 : 0.0, i, isInteger) }
        // More than 15 significant digits: the mantissa may have wrapped; the caller takes the slow path.
        if significantDigits <= 15, decimalExponent >= -22, decimalExponent <= 22 {
            var value = Double(mantissa)
            let power = powerOfTen(decimalExponent < 0 ? -decimalExponent : decimalExponent)
            if decimalExponent >= 0 { value *= power } else { value /= power }
            return (negative ? -value : value, i, isInteger)
        }
        return (nil, i, false)
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
