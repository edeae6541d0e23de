/// The parsed form of an expression: a tree whose nodes remember where they came from in the
/// text, so evaluation errors (unknown column, text column) can point at the exact name.
indirect enum ExpressionNode: Sendable {
    case number(Double, range: Range<Int>)
    /// A quoted text literal, `"bll"` or `'bll'`: only meaningful compared (== or !=) with a text column.
    case text(String, range: Range<Int>)
    /// A column reference. `bare` names (not backquoted) called `pi` mean π when the table has no
    /// such column.
    case column(String, bare: Bool, range: Range<Int>)
    case unary(UnaryOperator, ExpressionNode, range: Range<Int>)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode, range: Range<Int>)
    case call(ExpressionFunction, [ExpressionNode], range: Range<Int>)

    var range: Range<Int> {
        switch self {
        case .number(_, let r), .text(_, let r), .column(_, _, let r), .unary(_, _, let r), .binary(_, _, _, let r),
             .call(_, _, let r):
            return r
        }
    }
}

enum UnaryOperator: Sendable {
    case negate, plus, not
}

enum BinaryOperator: Sendable {
    case add, subtract, multiply, divide, power
    case less, lessEqual, greater, greaterEqual, equal, notEqual
    case and, or
}

/// The built-in functions, with their arity.
enum ExpressionFunction: String, CaseIterable, Sendable {
    case log10, ln, log, exp, sqrt, abs, min, max, clip, isnan

    var arity: Int {
        switch self {
        case .min, .max: return 2
        case .clip: return 3
        default: return 1
        }
    }

    /// How the function is called, for arity errors.
    var signature: String {
        switch self {
        case .min, .max: return "\(rawValue)(a, b)"
        case .clip: return "clip(x, lo, hi)"
        default: return "\(rawValue)(x)"
        }
    }
}
