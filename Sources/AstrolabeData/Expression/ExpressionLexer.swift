/// The words of the expression language, with where they are in the text.
///
/// Ranges are character offsets (not bytes) so a front end can underline the exact spot in what
/// the user typed.
struct ExpressionToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case number(Double)
        /// A bare name: a column, a function, or `pi`.
        case identifier(String)
        /// A name written in backquotes; always a column.
        case quotedName(String)
        /// A text literal between double or single quotes.
        case text(String)
        case plus, minus, star, slash, caret
        case less, lessEqual, greater, greaterEqual, equal, notEqual
        case and, or, not
        case leftParen, rightParen, comma
        case end
    }

    var kind: Kind
    var range: Range<Int>

    /// How the token reads in a message: "`)`", "the end of the expression", ...
    var display: String {
        switch kind {
        case .number(let v): return "number `\(NumberFormatting.short(v, significant: 17))`"
        case .identifier(let s): return "`\(s)`"
        case .quotedName(let s): return "`\(s)`"
        case .text(let s): return "text \"\(s)\""
        case .plus: return "`+`"
        case .minus: return "`-`"
        case .star: return "`*`"
        case .slash: return "`/`"
        case .caret: return "`^`"
        case .less: return "`<`"
        case .lessEqual: return "`<=`"
        case .greater: return "`>`"
        case .greaterEqual: return "`>=`"
        case .equal: return "`==`"
        case .notEqual: return "`!=`"
        case .and: return "`and`"
        case .or: return "`or`"
        case .not: return "`not`"
        case .leftParen: return "`(`"
        case .rightParen: return "`)`"
        case .comma: return "`,`"
        case .end: return "the end of the expression"
        }
    }
}

/// Splits expression text into tokens.
enum ExpressionLexer {
    static func tokenize(_ text: String) throws -> [ExpressionToken] {
        let chars = Array(text)
        var tokens: [ExpressionToken] = []
        var i = 0
        func add(_ kind: ExpressionToken.Kind, _ length: Int) {
            tokens.append(ExpressionToken(kind: kind, range: i ..< i + length))
            i += length
        }
        func next(_ offset: Int) -> Character? {
            i + offset < chars.count ? chars[i + offset] : nil
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isASCII, c.isNumber || (c == "." && (next(1)?.isASCIIDigit ?? false)) {
                tokens.append(try number(chars, &i))
                continue
            }
            if c.isASCII, c.isLetter || c == "_" {
                let start = i
                while i < chars.count, chars[i].isASCII,
                      chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." {
                    i += 1
                }
                let word = String(chars[start ..< i])
                let kind: ExpressionToken.Kind
                switch word {
                case "and": kind = .and
                case "or": kind = .or
                case "not": kind = .not
                default: kind = .identifier(word)
                }
                tokens.append(ExpressionToken(kind: kind, range: start ..< i))
                continue
            }
            switch c {
            case "\"", "'":
                let start = i
                var j = i + 1
                while j < chars.count, chars[j] != c { j += 1 }
                guard j < chars.count else {
                    throw ExpressionError(message: "unterminated text", range: start ..< chars.count,
                                          expected: "a closing \(c)")
                }
                tokens.append(ExpressionToken(kind: .text(String(chars[(start + 1) ..< j])), range: start ..< j + 1))
                i = j + 1
            case "`":
                let start = i
                var j = i + 1
                while j < chars.count, chars[j] != "`" { j += 1 }
                guard j < chars.count else {
                    throw ExpressionError(message: "unterminated backquoted name", range: start ..< chars.count,
                                          expected: "a closing backquote")
                }
                let name = String(chars[(start + 1) ..< j])
                guard !name.isEmpty else {
                    throw ExpressionError(message: "empty backquoted name", range: start ..< j + 1,
                                          expected: "a column name between the backquotes")
                }
                tokens.append(ExpressionToken(kind: .quotedName(name), range: start ..< j + 1))
                i = j + 1
            case "+": add(.plus, 1)
            case "-": add(.minus, 1)
            case "*": if next(1) == "*" { add(.caret, 2) } else { add(.star, 1) }
            case "/": add(.slash, 1)
            case "^": add(.caret, 1)
            case "(": add(.leftParen, 1)
            case ")": add(.rightParen, 1)
            case ",": add(.comma, 1)
            case "<": if next(1) == "=" { add(.lessEqual, 2) } else { add(.less, 1) }
            case ">": if next(1) == "=" { add(.greaterEqual, 2) } else { add(.greater, 1) }
            case "=":
                if next(1) == "=" {
                    add(.equal, 2)
                } else {
                    throw ExpressionError(message: "unexpected `=`", range: i ..< i + 1,
                                          expected: "an operator", suggestion: "==")
                }
            case "!":
                if next(1) == "=" {
                    add(.notEqual, 2)
                } else {
                    throw ExpressionError(message: "unexpected `!`", range: i ..< i + 1,
                                          expected: "an operand", suggestion: "not")
                }
            case "&":
                throw ExpressionError(message: "unexpected `&`", range: i ..< i + (next(1) == "&" ? 2 : 1),
                                      expected: "an operator", suggestion: "and")
            case "|":
                throw ExpressionError(message: "unexpected `|`", range: i ..< i + (next(1) == "|" ? 2 : 1),
                                      expected: "an operator", suggestion: "or")
            default:
                throw ExpressionError(message: "unexpected character `\(c)`", range: i ..< i + 1,
                                      expected: nil,
                                      suggestion: nil)
            }
        }
        tokens.append(ExpressionToken(kind: .end, range: chars.count ..< chars.count))
        return tokens
    }

    /// `1`, `2.5`, `.5`, `5.`, `1e-3`, `1.5E+10`.
    private static func number(_ chars: [Character], _ i: inout Int) throws -> ExpressionToken {
        let start = i
        while i < chars.count, chars[i].isASCIIDigit { i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            while i < chars.count, chars[i].isASCIIDigit { i += 1 }
        }
        if i < chars.count, chars[i] == "e" || chars[i] == "E" {
            // Only an exponent if digits follow; `2e` alone is the number 2 then the name `e`.
            var j = i + 1
            if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
            if j < chars.count, chars[j].isASCIIDigit {
                i = j
                while i < chars.count, chars[i].isASCIIDigit { i += 1 }
            }
        }
        let text = String(chars[start ..< i])
        guard let value = Double(text) else {
            throw ExpressionError(message: "malformed number `\(text)`", range: start ..< i, expected: "a number")
        }
        return ExpressionToken(kind: .number(value), range: start ..< i)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
