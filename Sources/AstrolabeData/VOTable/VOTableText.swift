/// Values as TABLEDATA writes them: decimal or hexadecimal integers, floats with NaN and
/// infinities, booleans as T/F, true/false, 1/0 with `?` for missing.
enum VOTableText {
    /// `text` without the blanks XML leaves around a value.
    static func trimmed(_ text: Substring) -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else { return "" }
        return text[first ... last]
    }

    /// An integer, decimal or `0x` hexadecimal; nil when it is not one.
    static func integer<S: StringProtocol>(_ text: S) -> Int64? {
        if let value = Int64(text) { return value }
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        guard body.hasPrefix("0x") || body.hasPrefix("0X"), let bits = UInt64(body.dropFirst(2), radix: 16) else { return nil }
        let value = Int64(bitPattern: bits)
        return negative ? 0 &- value : value
    }

    /// A floating-point value; nil when it is not one.
    static func double<S: StringProtocol>(_ text: S) -> Double? {
        switch text {
        case "NaN", "nan", "NAN": return .nan
        case "Inf", "+Inf", "inf", "+inf", "Infinity", "+Infinity", "INF": return .infinity
        case "-Inf", "-inf", "-Infinity", "-INF": return -.infinity
        default: return Double(String(text))
        }
    }

    /// A boolean as 1 or 0, NaN for missing (`?`, empty); nil when it is not one.
    static func boolean<S: StringProtocol>(_ text: S) -> Double? {
        switch text.lowercased() {
        case "t", "true", "1": return 1
        case "f", "false", "0": return 0
        case "?", "": return .nan
        default: return nil
        }
    }
}
