/// Recursive-descent parser for expressions.
///
/// Precedence, lowest first: `or` < `and` < `not` < comparison < `+ -` < `* /` < unary `- +` < `^`.
/// `^` (also spelled `**`) is right-associative and binds tighter than unary minus, as `**` does
/// in Python: `-2^2` is -4 and `2^-1` is 0.5. Comparisons do not chain (`a < b < c` is an error
/// suggesting `and`), because the chained meaning and the left-associative meaning both surprise
/// someone.
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private var position = 0
    /// Nesting depth (parentheses, calls, prefix operators, exponents); bounded so that
    /// pathological input such as `((((…` gives an error instead of overflowing the stack.
    private var depth = 0
    static let maximumDepth = 256

    init(tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    /// Longer input is refused: evaluation recurses over the tree, and a left-leaning chain such as
    /// `1+1+…+1` is as deep as it is long. Real formulas are a few dozen tokens.
    static let maximumTokens = 2000

    static func parse(_ text: String) throws -> ExpressionNode {
        let tokens = try ExpressionLexer.tokenize(text)
        if tokens.count > maximumTokens {
            let start = tokens[maximumTokens].range.lowerBound
            throw ExpressionError(message: "expression is too long (more than \(maximumTokens) tokens)",
                                  range: start ..< text.count)
        }
        var parser = ExpressionParser(tokens: tokens)
        if case .end = parser.current.kind {
            throw ExpressionError(message: "empty expression", range: 0 ..< text.count, expected: "an expression")
        }
        let node = try parser.parseOr()
        guard case .end = parser.current.kind else {
            let token = parser.current
            let expected: String
            if case .rightParen = token.kind {
                expected = "an operator or the end of the expression"
                throw ExpressionError(message: "unmatched `)`", range: token.range, expected: expected)
            }
            expected = "an operator or the end of the expression"
            throw ExpressionError(message: "unexpected \(token.display)", range: token.range, expected: expected)
        }
        return node
    }

    // The token list always ends with `.end`, and `advance` never moves past it.
    private var current: ExpressionToken { tokens[min(position, tokens.count - 1)] }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private mutating func enter() throws {
        depth += 1
        if depth > Self.maximumDepth {
            throw ExpressionError(message: "expression is nested too deeply (more than \(Self.maximumDepth) levels)",
                                  range: current.range)
        }
    }

    private mutating func parseOr() throws -> ExpressionNode {
        var left = try parseAnd()
        while case .or = current.kind {
            advance()
            let right = try parseAnd()
            left = .binary(.or, left, right, range: left.range.lowerBound ..< right.range.upperBound)
        }
        return left
    }

    private mutating func parseAnd() throws -> ExpressionNode {
        var left = try parseNot()
        while case .and = current.kind {
            advance()
            let right = try parseNot()
            left = .binary(.and, left, right, range: left.range.lowerBound ..< right.range.upperBound)
        }
        return left
    }

    private mutating func parseNot() throws -> ExpressionNode {
        if case .not = current.kind {
            let start = current.range.lowerBound
            try enter()
            defer { depth -= 1 }
            advance()
            let operand = try parseNot()
            return .unary(.not, operand, range: start ..< operand.range.upperBound)
        }
        return try parseComparison()
    }

    private static func comparison(_ kind: ExpressionToken.Kind) -> BinaryOperator? {
        switch kind {
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .equal: return .equal
        case .notEqual: return .notEqual
        default: return nil
        }
    }

    private mutating func parseComparison() throws -> ExpressionNode {
        let left = try parseAdditive()
        guard let op = Self.comparison(current.kind) else { return left }
        advance()
        let right = try parseAdditive()
        if Self.comparison(current.kind) != nil {
            throw ExpressionError(message: "comparisons cannot be chained", range: current.range,
                                  expected: "`and` between two comparisons", suggestion: "and")
        }
        return .binary(op, left, right, range: left.range.lowerBound ..< right.range.upperBound)
    }

    private mutating func parseAdditive() throws -> ExpressionNode {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .plus: op = .add
            case .minus: op = .subtract
            default: return left
            }
            advance()
            let right = try parseMultiplicative()
            left = .binary(op, left, right, range: left.range.lowerBound ..< right.range.upperBound)
        }
    }

    private mutating func parseMultiplicative() throws -> ExpressionNode {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            switch current.kind {
            case .star: op = .multiply
            case .slash: op = .divide
            default: return left
            }
            advance()
            let right = try parseUnary()
            left = .binary(op, left, right, range: left.range.lowerBound ..< right.range.upperBound)
        }
    }

    private mutating func parseUnary() throws -> ExpressionNode {
        let start = current.range.lowerBound
        switch current.kind {
        case .minus:
            try enter()
            defer { depth -= 1 }
            advance()
            let operand = try parseUnary()
            return .unary(.negate, operand, range: start ..< operand.range.upperBound)
        case .plus:
            try enter()
            defer { depth -= 1 }
            advance()
            let operand = try parseUnary()
            return .unary(.plus, operand, range: start ..< operand.range.upperBound)
        default:
            return try parsePower()
        }
    }

    private mutating func parsePower() throws -> ExpressionNode {
        let base = try parsePrimary()
        guard case .caret = current.kind else { return base }
        try enter()
        defer { depth -= 1 }
        advance()
        // The exponent may carry its own sign (2^-1), and recursing through unary makes ^ right-associative.
        let exponent = try parseUnary()
        return .binary(.power, base, exponent, range: base.range.lowerBound ..< exponent.range.upperBound)
    }

    private mutating func parsePrimary() throws -> ExpressionNode {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return .number(value, range: token.range)
        case .quotedName(let name):
            advance()
            return .column(name, bare: false, range: token.range)
        case .text(let value):
            advance()
            return .text(value, range: token.range)
        case .identifier(let name):
            advance()
            if case .leftParen = current.kind {
                return try parseCall(name: name, nameRange: token.range)
            }
            return .column(name, bare: true, range: token.range)
        case .leftParen:
            try enter()
            defer { depth -= 1 }
            advance()
            let inner = try parseOr()
            guard case .rightParen = current.kind else {
                throw ExpressionError(message: "expected `)` to close the `(` at offset \(token.range.lowerBound)",
                                      range: current.range, expected: "`)`")
            }
            advance()
            return inner
        default:
            throw ExpressionError(message: "expected an operand, found \(token.display)", range: token.range,
                                  expected: "an operand (a number, a column name, a function call or `(`)")
        }
    }

    private mutating func parseCall(name: String, nameRange: Range<Int>) throws -> ExpressionNode {
        guard let function = ExpressionFunction(rawValue: name) else {
            let suggestion = nearestName(to: name, in: ExpressionFunction.allCases.map(\.rawValue))
            var message = "unknown function `\(name)`"
            if let suggestion { message += "; did you mean `\(suggestion)`?" }
            throw ExpressionError(message: message, range: nameRange, expected: "a function name",
                                  suggestion: suggestion)
        }
        try enter()
        defer { depth -= 1 }
        advance() // (
        var arguments: [ExpressionNode] = []
        if case .rightParen = current.kind {
            // No arguments.
        } else {
            while true {
                arguments.append(try parseOr())
                if case .comma = current.kind {
                    advance()
                    continue
                }
                break
            }
        }
        guard case .rightParen = current.kind else {
            throw ExpressionError(message: "expected `,` or `)` in the arguments of `\(name)`",
                                  range: current.range, expected: "`)`")
        }
        let end = current.range.upperBound
        advance()
        let range = nameRange.lowerBound ..< end
        guard arguments.count == function.arity else {
            let noun = function.arity == 1 ? "argument" : "arguments"
            throw ExpressionError(message: "`\(name)` takes \(function.arity) \(noun), got \(arguments.count)",
                                  range: range, expected: function.signature)
        }
        return .call(function, arguments, range: range)
    }
}
