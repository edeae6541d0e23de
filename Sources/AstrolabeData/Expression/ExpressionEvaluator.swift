import Foundation

/// An intermediate result: one number for every row, or one number standing for all rows.
///
/// Keeping constants as scalars means `2 * x + 1` makes one pass per operator over `x` without
/// ever allocating arrays full of 2s and 1s.
enum ExpressionValue {
    case scalar(Double)
    case vector([Double])

    func materialized(count: Int) -> [Double] {
        switch self {
        case .scalar(let v): return [Double](repeating: v, count: count)
        case .vector(let v): return v
        }
    }
}

/// Evaluates an expression tree column-at-a-time: each node becomes a whole array in one tight loop.
struct ExpressionEvaluator {
    let table: Table

    func evaluate(_ node: ExpressionNode) throws -> ExpressionValue {
        try Cancellation.check()
        switch node {
        case .number(let value, _):
            return .scalar(value)
        case .text(let value, let range):
            throw ExpressionError(message: "text \"\(value)\" can only be compared with == or != to a text column",
                                  range: range, expected: "a number")
        case .column(let name, let bare, let range):
            return try column(name, bare: bare, range: range)
        case .unary(let op, let operand, _):
            let value = try evaluate(operand)
            switch op {
            case .plus: return value
            case .negate: return Self.map(value) { -$0 }
            case .not: return Self.map(value) { $0.isNaN ? .nan : ($0 == 0 ? 1 : 0) }
            }
        case .binary(let op, let leftNode, let rightNode, _):
            if op == .equal || op == .notEqual, let match = try textComparison(leftNode, rightNode) {
                return .vector(match.map { $0.isNaN ? .nan : (op == .equal ? $0 : 1 - $0) })
            }
            let l = try evaluate(leftNode)
            let r = try evaluate(rightNode)
            try Cancellation.check()
            return Self.binary(op, l, r)
        case .call(let function, let argumentNodes, _):
            var arguments: [ExpressionValue] = []
            for argument in argumentNodes { arguments.append(try evaluate(argument)) }
            try Cancellation.check()
            return Self.call(function, arguments)
        }
    }

    /// `label == "bll"` (either order): 1 where the text column's cell equals the literal, 0 where
    /// it differs, NaN where the cell is missing. nil when the operands are not a text column and a
    /// text literal, so numeric comparisons go the usual way.
    private func textComparison(_ a: ExpressionNode, _ b: ExpressionNode) throws -> [Double]? {
        let (columnNode, literalNode): (ExpressionNode, ExpressionNode)
        switch (a, b) {
        case (.column, .text): (columnNode, literalNode) = (a, b)
        case (.text, .column): (columnNode, literalNode) = (b, a)
        case (.column, .column):
            try refuseUnquotedValue(a, b)
            try refuseUnquotedValue(b, a)
            return nil
        default: return nil
        }
        guard case .column(let name, _, let range) = columnNode, case .text(let literal, _) = literalNode else { return nil }
        guard let column = table.column(named: name) else {
            _ = try self.column(name, bare: false, range: range)  // throws the unknown-column error
            return nil
        }
        guard let strings = column.strings else {
            throw ExpressionError(message: "column `\(name)` is numeric; compare it with a number, not text",
                                  range: literalNode.range, expected: "a number")
        }
        return strings.map { cell in cell.map { $0 == literal ? 1 : 0 } ?? .nan }
    }

    /// `label == sun`: a text column compared with a name that is no column is a value written
    /// without quotes. Says so (rather than "label is text, not numeric") and suggests the quoted
    /// value, the column's nearest value when one is close.
    private func refuseUnquotedValue(_ textSide: ExpressionNode, _ other: ExpressionNode) throws {
        guard case .column(let name, _, _) = textSide, let strings = table.column(named: name)?.strings,
              case .column(let word, let bare, let range) = other, table.column(named: word) == nil,
              !(bare && word == "pi") else { return }
        let values = Array(Set(strings.compactMap { $0 })).sorted()
        let value = values.contains(word) ? word : (nearestName(to: word, in: values) ?? word)
        throw ExpressionError(message: "`\(word)` is not a column; to compare the text column `\(name)` with a value, quote the value",
                              range: range, expected: "a quoted value", suggestion: "\"\(value)\"")
    }

    private func column(_ name: String, bare: Bool, range: Range<Int>) throws -> ExpressionValue {
        guard let column = table.column(named: name) else {
            if bare && name == "pi" { return .scalar(Double.pi) }
            let suggestion = nearestName(to: name, in: table.columnNames)
            var message = "unknown column `\(name)`"
            if let suggestion { message += "; did you mean `\(suggestion)`?" }
            throw ExpressionError(message: message, range: range, expected: "a column of `\(table.name)`",
                                  suggestion: suggestion)
        }
        guard let numbers = column.numbers else {
            throw ExpressionError(message: "column `\(name)` is text, not numeric", range: range,
                                  expected: "a numeric column")
        }
        return .vector(numbers)
    }

    // MARK: Operators

    private static func binary(_ op: BinaryOperator, _ l: ExpressionValue, _ r: ExpressionValue) -> ExpressionValue {
        switch op {
        case .add: return zip(l, r) { $0 + $1 }
        case .subtract: return zip(l, r) { $0 - $1 }
        case .multiply: return zip(l, r) { $0 * $1 }
        case .divide: return zip(l, r) { $0 / $1 }
        // C's pow gives pow(NaN, 0) = 1 and pow(1, NaN) = 1; a missing value must stay missing.
        case .power: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : Foundation.pow($0, $1) }
        case .less: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 < $1 ? 1 : 0) }
        case .lessEqual: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 <= $1 ? 1 : 0) }
        case .greater: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 > $1 ? 1 : 0) }
        case .greaterEqual: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 >= $1 ? 1 : 0) }
        case .equal: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 == $1 ? 1 : 0) }
        case .notEqual: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 != $1 ? 1 : 0) }
        case .and: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 != 0 && $1 != 0 ? 1 : 0) }
        case .or: return zip(l, r) { ($0.isNaN || $1.isNaN) ? .nan : ($0 != 0 || $1 != 0 ? 1 : 0) }
        }
    }

    private static func call(_ function: ExpressionFunction, _ a: [ExpressionValue]) -> ExpressionValue {
        // The parser checked the arity; guard anyway rather than index blindly.
        guard a.count == function.arity else { return .scalar(.nan) }
        switch function {
        case .log10: return map(a[0]) { Foundation.log10($0) }
        case .ln, .log: return map(a[0]) { Foundation.log($0) }
        case .exp: return map(a[0]) { Foundation.exp($0) }
        case .sqrt: return map(a[0]) { $0.squareRoot() }
        case .abs: return map(a[0]) { Swift.abs($0) }
        case .isnan: return map(a[0]) { $0.isNaN ? 1 : 0 }
        case .min: return zip(a[0], a[1]) { ($0.isNaN || $1.isNaN) ? .nan : Swift.min($0, $1) }
        case .max: return zip(a[0], a[1]) { ($0.isNaN || $1.isNaN) ? .nan : Swift.max($0, $1) }
        case .clip:
            // numpy.clip: min(max(x, lo), hi), so hi wins when lo > hi.
            let lowered = zip(a[0], a[1]) { ($0.isNaN || $1.isNaN) ? .nan : Swift.max($0, $1) }
            return zip(lowered, a[2]) { ($0.isNaN || $1.isNaN) ? .nan : Swift.min($0, $1) }
        }
    }

    // MARK: Loops

    @inline(__always)
    private static func map(_ value: ExpressionValue, _ f: (Double) -> Double) -> ExpressionValue {
        switch value {
        case .scalar(let x): return .scalar(f(x))
        case .vector(let xs):
            let out = [Double](unsafeUninitializedCapacity: xs.count) { buffer, initialized in
                xs.withUnsafeBufferPointer { input in
                    for i in 0 ..< input.count { buffer[i] = f(input[i]) }
                }
                initialized = xs.count
            }
            return .vector(out)
        }
    }

    /// Element-wise `f`, broadcasting scalars. Vectors of different lengths cannot come from one
    /// table, but the shorter length is used rather than reading past an end.
    @inline(__always)
    private static func zip(_ l: ExpressionValue, _ r: ExpressionValue,
                            _ f: (Double, Double) -> Double) -> ExpressionValue {
        switch (l, r) {
        case (.scalar(let x), .scalar(let y)):
            return .scalar(f(x, y))
        case (.vector(let xs), .scalar(let y)):
            return map(.vector(xs)) { f($0, y) }
        case (.scalar(let x), .vector(let ys)):
            return map(.vector(ys)) { f(x, $0) }
        case (.vector(let xs), .vector(let ys)):
            let count = Swift.min(xs.count, ys.count)
            let out = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                xs.withUnsafeBufferPointer { a in
                    ys.withUnsafeBufferPointer { b in
                        for i in 0 ..< count { buffer[i] = f(a[i], b[i]) }
                    }
                }
                initialized = count
            }
            return .vector(out)
        }
    }
}
