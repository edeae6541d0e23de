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

    /// Exactly representable powers of ten.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

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
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digitCount = 0
        var decimalExponent = 0
        var sawPoint = false
        while i < e {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 {
                digitCount += 1
                let d = UInt64(c - 0x30)
                if significantDigits > 0 || d != 0 {
                    significantDigits += 1
                    if significantDigits <= 19 {
                        mantissa = mantissa &* 10 &+ d
                    } else if !sawPoint {
                        decimalExponent += 1
                    }
                }
                if sawPoint && significantDigits <= 19 { decimalExponent -= 1 }
            } else if c == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            i += 1
        }
        guard digitCount > 0 else { return nil }
        var sawExponent = false
        if i < e, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
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
                let c = bytes[j]
                guard c >= 0x30 && c <= 0x39 else { break }
                // Saturate: anything this large is 0 or infinity anyway, and must not overflow.
                if exponent < 100_000 { exponent = exponent * 10 + Int(c - 0x30) }
                j += 1
            }
            decimalExponent += exponentNegative ? -exponent : exponent
            sawExponent = true
            i = j
        }
        let isInteger = !sawPoint && !sawExponent && significantDigits <= 15
        if mantissa == 0 { return (negative ? -0.0 : 0.0, i, isInteger) }
        if significantDigits <= 15, decimalExponent >= -22, decimalExponent <= 22 {
            var value = Double(mantissa)
            if decimalExponent >= 0 {
                value *= powersOfTen[decimalExponent]
            } else {
                value /= powersOfTen[-decimalExponent]
            }
            return (negative ? -value : value, i, isInteger)
        }
        return (nil, i, false)
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
