import Foundation

/// How numbers are shown to people: short, stable across machines and locales.
public enum NumberFormatting {
    /// Up to `significant` significant digits, trailing zeros removed; `nan`, `inf`, `-inf` spelled out.
    public static func short(_ x: Double, significant: Int = 6) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        // Whole numbers print as integers up to 1e9; beyond that digits like 100000000000000 are unreadable.
        if x == x.rounded(), abs(x) < 1e9 { return String(Int64(x)) }
        let magnitude = abs(x)
        let text: String
        if magnitude >= 1e-4 && magnitude < 1e9 {
            let decimals = max(0, significant - 1 - Int(floor(log10(magnitude))))
            text = String(format: "%.\(decimals)f", locale: Locale(identifier: "en_US_POSIX"), x)
            return trimZeros(text)
        }
        // No locale: Foundation's POSIX locale prints an upper-case `E` on Linux.
        text = String(format: "%.\(significant - 1)e", x)
        // 1.50000e+12 -> 1.5e+12
        if let e = text.firstIndex(of: "e") {
            return trimZeros(String(text[..<e])) + String(text[e...])
        }
        return text
    }

    static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
