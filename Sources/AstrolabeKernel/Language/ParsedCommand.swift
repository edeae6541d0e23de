/// A command line split into its verb, positional arguments and `key=value` options,
/// every part remembering where it was typed.
public struct ParsedCommand: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var key: String
        public var keyOffset: Int
        public var value: Word
    }

    public var verb: Word
    public var positionals: [Word]
    public var options: [Option]
    /// The line as typed, comments included.
    public var line: String
    /// Everything after the verb up to a comment, as typed (for verbs that take free text).
    public var rest: String
    /// Character offset of `rest` in `line`.
    public var restOffset: Int

    public func option(_ key: String) -> Option? { options.last { $0.key == key } }
}

public enum CommandParser {
    /// Parses one logical line. Returns nil for blank or comment-only lines.
    public static func parse(_ line: String) throws -> ParsedCommand? {
        let (words, commentOffset) = try CommandLexer.split(line)
        guard let verb = words.first else { return nil }
        var positionals: [Word] = []
        var options: [ParsedCommand.Option] = []
        for word in words.dropFirst() {
            if let option = splitOption(word) {
                options.append(option)
            } else {
                positionals.append(word)
            }
        }
        let chars = Array(line)
        let restStart = min(chars.count, verb.offset + verb.length)
        let restEnd = commentOffset ?? chars.count
        var rest = restStart < restEnd ? String(chars[restStart..<restEnd]) : ""
        var restOffset = restStart
        while rest.first == " " || rest.first == "\t" { rest.removeFirst(); restOffset += 1 }
        while rest.last == " " || rest.last == "\t" || rest.last == "\r" { rest.removeLast() }
        return ParsedCommand(verb: verb, positionals: positionals, options: options, line: line,
                             rest: rest, restOffset: restOffset)
    }

    /// `key=value` where key is a plain name (so `a==b` and `x<=1` stay expressions).
    static func splitOption(_ word: Word) -> ParsedCommand.Option? {
        let raw = Array(word.raw)
        guard let eq = raw.firstIndex(of: "="), eq > 0 else { return nil }
        if eq + 1 < raw.count, raw[eq + 1] == "=" { return nil }
        let key = raw[..<eq]
        guard let first = key.first, first.isLetter || first == "_",
              key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return nil }
        let valueRaw = String(raw[(eq + 1)...])
        var valueText = valueRaw
        var quoted = false
        if valueRaw.count >= 2, valueRaw.hasPrefix("\""), valueRaw.hasSuffix("\"") {
            valueText = String(valueRaw.dropFirst().dropLast())
                .replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
            quoted = true
        }
        let value = Word(text: valueText, raw: valueRaw, quoted: quoted, offset: word.offset + eq + 1)
        return .init(key: String(key), keyOffset: word.offset, value: value)
    }
}
