import AstrolabeData

/// Typed reads of `key=value` options, checked against the option's declaration in the verb table
/// (OptionSpec.swift): handlers ask `try command.int("k")` and get the declared default when the
/// option is absent, or an error pointing at the value when it is malformed or out of range.
extension ParsedCommand {
    /// The declaration of `key` for this command's verb. Reading an option the verb does not declare
    /// is a programming error: it stops debug builds (so every test) at once; a release build reads it as text.
    func declaration(_ key: String) -> OptionSpec {
        if let spec = VerbCatalog.named(verb.text)?.option(key) { return spec }
        assertionFailure("`\(verb.text)` reads option \(key)= that its verb does not declare")
        return OptionSpec(key, .text, "")
    }

    /// The value as typed, for error positions and handler-specific parsing (nil when not given).
    func word(_ key: String) -> Word? {
        _ = declaration(key)
        return option(key)?.value
    }

    /// The whole `key=value` entry, for errors that point at the key (nil when not given).
    func optionEntry(_ key: String) -> Option? {
        _ = declaration(key)
        return option(key)
    }

    /// Whether the option was given.
    func has(_ key: String) -> Bool { word(key) != nil }

    /// The value's text, or the declared default when not given.
    func text(_ key: String) -> String? { word(key)?.text ?? declaration(key).defaultValue }

    /// A comma-separated list, empty items dropped (nil when not given).
    func list(_ key: String) -> [String]? { word(key).map { $0.text.split(separator: ",").map(String.init) } }

    /// A whole number within the declared range (or `range`, for ranges that depend on the command);
    /// `value` overrides the declared default.
    func int(_ key: String, default value: Int? = nil, in range: ClosedRange<Int>? = nil) throws -> Int {
        let spec = declaration(key)
        var declared: ClosedRange<Int>?
        if case .int(let r) = spec.type { declared = r }
        guard let range = range ?? declared else { preconditionFailure("option \(key)= is not declared as a whole number") }
        guard let option = word(key) else {
            guard let fallback = value ?? spec.defaultValue.flatMap({ Int($0) }) else { preconditionFailure("option \(key)= has no default") }
            return fallback
        }
        guard let n = Int(option.text), range.contains(n) else {
            throw CommandError("\(key)= expects a whole number from \(range.lowerBound) to \(range.upperBound)", at: option)
        }
        return n
    }

    /// A whole number within the declared range, nil when not given.
    func optionalInt(_ key: String) throws -> Int? { has(key) ? try int(key, default: 0) : nil }

    /// A number within the declared range; `value` overrides the declared default.
    func double(_ key: String, default value: Double? = nil) throws -> Double {
        let spec = declaration(key)
        guard case .double(let range) = spec.type else { preconditionFailure("option \(key)= is not declared as a number") }
        guard let option = word(key) else {
            guard let fallback = value ?? spec.defaultValue.flatMap({ Double($0) }) else { preconditionFailure("option \(key)= has no default") }
            return fallback
        }
        guard let x = Double(option.text), range.contains(x) else {
            throw CommandError("\(key)= expects a number from \(NumberFormatting.short(range.lowerBound)) to \(NumberFormatting.short(range.upperBound))", at: option)
        }
        return x
    }

    /// yes or no (also true/false, on/off, 1/0; none is no); `value` overrides the declared default.
    func yesNo(_ key: String, default value: Bool? = nil) throws -> Bool {
        let spec = declaration(key)
        guard let option = word(key) else {
            guard let fallback = value ?? spec.defaultValue.map({ $0 == "yes" }) else { preconditionFailure("option \(key)= has no default") }
            return fallback
        }
        switch option.text.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0", "none": return false
        default: throw CommandError("\(key)= expects yes or no", at: option)
        }
    }

    /// One case of an enumeration by its raw value; `value` overrides the declared default.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, default value: T? = nil) throws -> T where T.RawValue == String {
        let spec = declaration(key)
        guard let option = word(key) else {
            guard let fallback = value ?? spec.defaultValue.flatMap(T.init(rawValue:)) else { preconditionFailure("option \(key)= has no default") }
            return fallback
        }
        guard let v = T(rawValue: option.text) else {
            let names = T.allCases.map(\.rawValue)
            throw CommandError("\(key)= expects one of: \(names.joined(separator: ", "))", at: option, suggestion: nearestName(to: option.text, in: names))
        }
        return v
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
