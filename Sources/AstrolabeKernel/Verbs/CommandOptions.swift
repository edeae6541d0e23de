import AstrolabeData

/// Reading `key=value` options every command area uses, with range checks that point at the value.
extension Session {
    func intOption(_ command: ParsedCommand, _ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let option = command.option(key) else { return value }
        guard let n = Int(option.value.text), range.contains(n) else {
            throw CommandError("\(key)= expects a whole number from \(range.lowerBound) to \(range.upperBound)", at: option.value)
        }
        return n
    }

    func doubleOption(_ command: ParsedCommand, _ key: String, default value: Double, range: ClosedRange<Double>) throws -> Double {
        guard let option = command.option(key) else { return value }
        guard let x = Double(option.value.text), range.contains(x) else {
            throw CommandError("\(key)= expects a number from \(NumberFormatting.short(range.lowerBound)) to \(NumberFormatting.short(range.upperBound))", at: option.value)
        }
        return x
    }
}

/// FNV-1a: a seed offset from a name that is the same on every run and machine (unlike `hashValue`).
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

/// Quotes a word for a command line when it holds spaces, quotes or `#`.
func quoteIfNeeded(_ text: String) -> String {
    if !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "\"" || $0 == "#" || $0 == "\t" || $0 == "\\" || $0 == "=" }) { return text }
    return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
