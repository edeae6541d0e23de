import Foundation
import AstrolabeData

/// Tick positions and their labels for a linear axis.
///
/// Ticks are "nice" numbers — 1, 2 or 5 times a power of ten — because readers interpolate between
/// round values; labels are the shortest decimal that names the tick exactly, so an axis never shows
/// `0.30000000000000004`.
public enum Ticks {
    /// Nice tick values inside `[min, max]`, at most `maxTicks` of them (at least 2 are asked for).
    ///
    /// The step is the smallest 1-2-5 × 10^k that keeps the count within `maxTicks`. Values are
    /// produced by parsing their decimal spelling, so `0.1 * 3` comes out as the double nearest 0.3.
    /// Returns `[]` for NaN or infinite bounds; a zero-width range is widened around its value.
    public static func nice(min lower: Double, max upper: Double, maxTicks: Int = 8) -> [Double] {
        guard lower.isFinite, upper.isFinite else { return [] }
        var lo = Swift.min(lower, upper), hi = Swift.max(lower, upper)
        if lo == hi {
            let r = AxisRange.widened(lo, lo)
            lo = r.lowerBound; hi = r.upperBound
        }
        let count = Swift.max(2, maxTicks)
        // Halve before subtracting so ranges such as ±1.7e308 do not overflow to infinity.
        let span = hi / 2 - lo / 2
        guard span > 0, span.isFinite else { return [] }
        let rough = span / Double(count) * 2
        guard rough > 0, rough.isFinite else { return [] }
        var exponent = Int(floor(log10(rough))) - 1
        while true {
            for m in [1, 2, 5] {
                guard let step = decimal(m, exponent) else { continue }
                // A little slack so that 0.35 / 0.05 = 6.999… still counts 0.35 as a multiple.
                let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
                guard abs(first) < 1e15, abs(last) < 1e15 else { continue }
                let n = Int(last) - Int(first) + 1
                if n <= count {
                    return (Int(first)...Swift.max(Int(first), Int(last))).compactMap { k -> Double? in
                        guard let v = decimal(k * m, exponent), v >= lo, v <= hi else { return nil }
                        return v
                    }
                }
            }
            exponent += 1
            if exponent > 400 { return [] }
        }
    }

    /// Major ticks, their labels and minor ticks for an axis range in axis units (log10 units on a
    /// log axis). Log axes get decade ticks labelled 10ⁿ with minor ticks at 2…9 × 10ⁿ; a log range
    /// shorter than two decades falls back to nice values (placed logarithmically). Linear axes get
    /// minor ticks subdividing each step into 4 or 5, as matplotlib's AutoMinorLocator does.
    ///
    /// With `integer` (a linear axis of counts) only whole-number ticks are kept, major and minor;
    /// a range holding fewer than two whole numbers keeps its usual ticks.
    public static func axis(_ range: ClosedRange<Double>, log: Bool, maxTicks: Int,
                            integer: Bool = false) -> (ticks: [Double], labels: [String], minor: [Double]) {
        let ticks = realAxis(range, log: log, maxTicks: maxTicks)
        guard integer, !log else { return ticks }
        let whole = ticks.ticks.filter { $0 == $0.rounded() }
        guard whole.count >= 2 else { return ticks }
        return (whole, labels(for: whole), ticks.minor.filter { $0 == $0.rounded() })
    }

    static func realAxis(_ range: ClosedRange<Double>, log: Bool, maxTicks: Int) -> (ticks: [Double], labels: [String], minor: [Double]) {
        let lo = range.lowerBound, hi = range.upperBound
        if log {
            let first = SafeArithmetic.int((lo - 1e-9).rounded(.up), in: -1000...1000)
            let last = SafeArithmetic.int((hi + 1e-9).rounded(.down), in: -1000...1000)
            if last - first >= 1, abs(first) < 400, abs(last) < 400 {
                let every = Swift.max(1, (last - first + maxTicks) / Swift.max(1, maxTicks))
                let majors = stride(from: first, through: last, by: every).map(Double.init)
                var minor: [Double] = []
                if every == 1 {
                    for k in (first - 1)...last {
                        for m in 2...9 {
                            let v = Double(k) + Foundation.log10(Double(m))
                            if v >= lo && v <= hi { minor.append(v) }
                        }
                    }
                } else {
                    minor = (first...last).map(Double.init).filter { !majors.contains($0) }
                }
                return (majors, majors.map { decadeLabel(Int($0)) }, minor)
            }
            // Under two decades: 1, 2, 5 × 10ⁿ when at least two fall in the range (evenly spread on
            // the log scale, as matplotlib's labels are); else nice values.
            let spread = onesTwosFives(lo, hi)
            let values = spread.count >= 2 ? spread : nice(min: pow(10, lo), max: pow(10, hi), maxTicks: maxTicks)
            return (values.map { Foundation.log10($0) }, labels(for: values), [])
        }
        let ticks = nice(min: lo, max: hi, maxTicks: maxTicks)
        guard ticks.count >= 2 else { return (ticks, labels(for: ticks), []) }
        let step = ticks[1] - ticks[0]
        let mantissa = step / pow(10, floor(Foundation.log10(step) + 1e-9))
        let parts = abs(mantissa - 2) < 1e-6 ? 4 : 5
        let minorStep = step / Double(parts)
        var minor: [Double] = []
        var k = ((lo - ticks[0]) / minorStep).rounded(.up)
        while true {
            let v = ticks[0] + k * minorStep
            if v > hi + minorStep * 1e-9 || minor.count > 400 { break }
            let r = (k / Double(parts)).rounded()
            if abs(k / Double(parts) - r) > 1e-9, v >= lo { minor.append(v) }
            k += 1
        }
        return (ticks, labels(for: ticks), minor)
    }

    /// The values 1, 2 and 5 × 10ⁿ between 10^lo and 10^hi (log10 units), ascending.
    static func onesTwosFives(_ lo: Double, _ hi: Double) -> [Double] {
        guard lo.isFinite, hi.isFinite, hi - lo < 3 else { return [] }
        var values: [Double] = []
        for n in SafeArithmetic.int(lo.rounded(.down), in: -400...400)...SafeArithmetic.int(hi.rounded(.up), in: -400...400) {
            for m in [1, 2, 5] {
                guard let v = decimal(m, n) else { continue }
                let at = Foundation.log10(v)
                if at >= lo - 1e-9, at <= hi + 1e-9 { values.append(v) }
            }
        }
        return values
    }

    /// `10ⁿ` (and plain 1 and 10 for n = 0, 1, as journals print them).
    static func decadeLabel(_ n: Int) -> String {
        switch n {
        case 0: return "1"
        case 1: return "10"
        default: return "10" + superscript(n)
        }
    }

    /// `mantissa × 10^exponent` as the double nearest that decimal (nil if it is not finite).
    static func decimal(_ mantissa: Int, _ exponent: Int) -> Double? {
        guard let v = Double("\(mantissa)e\(exponent)"), v.isFinite else { return nil }
        return v == 0 ? 0 : v // no -0
    }

    /// Labels for evenly spaced ticks, all in one notation so the axis reads consistently.
    ///
    /// Plain decimals (with as many decimals as the step needs) while the largest tick is between
    /// 1e-3 and 1e6; otherwise `m×10ⁿ` per tick. Negative
    /// numbers use the typographic minus sign (U+2212), as matplotlib does.
    public static func labels(for ticks: [Double]) -> [String] {
        guard !ticks.isEmpty else { return [] }
        let finite = ticks.filter { $0.isFinite }
        let largest = finite.map { abs($0) }.max() ?? 0
        // The decimals the step needs: smallest difference between neighbours, or the value itself.
        var step = largest
        for (a, b) in zip(finite, finite.dropFirst()) where b != a { step = Swift.min(step, abs(b - a)) }
        let stepExponent = step > 0 ? Int(floor(log10(step) + 1e-9)) : 0
        if largest == 0 || (largest >= 1e-3 && largest < 1e6) {
            let decimals = Swift.max(0, -stepExponent)
            return ticks.map { fixed($0, decimals: decimals) }
        }
        // Each tick gets its own exponent and only the mantissa digits the step needs, so an axis
        // reads 2×10⁻¹², 4×10⁻¹², …, 1×10⁻¹¹ rather than 0.2×10⁻¹¹.
        return ticks.map { v in
            guard v.isFinite else { return NumberFormatting.short(v) }
            if v == 0 { return "0" }
            let exp = Int(floor(log10(abs(v)) + 1e-9))
            let mantissa = v / pow(10, Double(exp))
            let text = fixed(mantissa, decimals: Swift.max(0, exp - stepExponent))
            return trimmedZeros(text) + "×10" + superscript(exp)
        }
    }

    static func trimmedZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// One number with a fixed number of decimals, POSIX locale, no `-0`, U+2212 for minus.
    static func fixed(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return NumberFormatting.short(v) }
        var s = String(format: "%.\(decimals)f", locale: Locale(identifier: "en_US_POSIX"), v)
        if s.hasPrefix("-") {
            let body = s.dropFirst()
            s = body.allSatisfy { $0 == "0" || $0 == "." } ? String(body) : "\u{2212}" + body
        }
        return s
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(String(abs(n)).compactMap { c in c.wholeNumberValue.map { digits[$0] } })
        return (n < 0 ? "⁻" : "") + body
    }
}
