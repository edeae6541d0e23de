/// One whitespace-separated piece of a command line, with its place in the line.
///
/// Splitting respects double quotes (`"4FGL J0001.2+4741"`), backquotes (`` `g-r` ``) and
/// parentheses, so `log10(a / b)` stays one argument. `#` outside those starts a comment, except
/// a hex colour right after `=`, `:` or `,` inside a word (`colors=bll:#0072B2`).
public struct Word: Sendable, Equatable {
    /// The text with quotes removed (backquotes are kept: they matter to expressions).
    public var text: String
    /// The text exactly as typed.
    public var raw: String
    /// True if the word was written inside double quotes.
    public var quoted: Bool
    /// Character offset of the first character in the line (0-based).
    public var offset: Int
    public var length: Int { raw.count }
}

/// Splits a command line into words. Pure and total: problems are reported as `LexError`.
public enum CommandLexer {
    public struct LexError: Error, Equatable {
        public var message: String
        public var offset: Int
        public var length: Int
    }

    /// The words of `line` and the offset where a comment starts, if there is one.
    public static func split(_ line: String) throws -> (words: [Word], commentOffset: Int?) {
        let chars = Array(line)
        var words: [Word] = []
        var i = 0
        var commentOffset: Int?
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\r" || c == "\n" { i += 1; continue }
            if c == "#" { commentOffset = i; break }
            let start = i
            var text = ""
            var quoted = false
            var depth = 0
            var openParen = -1
            scan: while i < chars.count {
                let d = chars[i]
                switch d {
                case "\"":
                    let open = i
                    i += 1
                    var closed = false
                    while i < chars.count {
                        if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                            text.append(chars[i + 1]); i += 2; continue
                        }
                        if chars[i] == "\"" { closed = true; i += 1; break }
                        text.append(chars[i]); i += 1
                    }
                    if !closed {
                        throw LexError(message: "unterminated string: expected a closing `\"`", offset: open, length: chars.count - open)
                    }
                    quoted = true
                case "`":
                    let open = i
                    text.append(d); i += 1
                    var closed = false
                    while i < chars.count {
                        text.append(chars[i])
                        if chars[i] == "`" { closed = true; i += 1; break }
                        i += 1
                    }
                    if !closed {
                        throw LexError(message: "unterminated name: expected a closing backquote", offset: open, length: chars.count - open)
                    }
                case "(":
                    if depth == 0 { openParen = i }
                    depth += 1; text.append(d); i += 1
                case ")":
                    depth = max(0, depth - 1); text.append(d); i += 1
                case " ", "\t", "\r", "\n":
                    if depth == 0 { break scan }
                    text.append(d); i += 1
                case "#":
                    // A hex colour inside an option value (`colors=bll:#0072B2`) is not a comment.
                    let previous = i > start ? chars[i - 1] : " "
                    let hexNext = i + 1 < chars.count && chars[i + 1].isHexDigit
                    if depth == 0 && !(hexNext && (previous == "=" || previous == ":" || previous == ",")) { break scan }
                    text.append(d); i += 1
                default:
                    text.append(d); i += 1
                }
            }
            if depth > 0 {
                throw LexError(message: "unbalanced parenthesis: expected `)`", offset: openParen, length: 1)
            }
            words.append(Word(text: text, raw: String(chars[start..<i]), quoted: quoted, offset: start))
        }
        return (words, commentOffset)
    }
}
