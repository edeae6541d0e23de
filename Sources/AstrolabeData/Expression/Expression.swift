/// A formula over the columns of a table, such as `log10(Flux1000 / Energy_Flux100)` or
/// `` `g-r` > 0.5 and not isnan(Redshift) ``.
///
/// Parsed once, evaluated against any table that has the columns it names. Values are IEEE
/// doubles and missing values (NaN) propagate: arithmetic and functions on NaN give NaN, as do
/// comparisons and `and`/`or`/`not` with a NaN operand, so a missing measurement never silently
/// turns into "false". Comparisons and logic give 1 (true) or 0 (false); any non-zero number is
/// true. Division by zero gives ±inf or NaN and never traps.
///
/// Names are columns; backquotes allow any other characters (`` `g-r` ``). The only constant is
/// `pi`, and only when written bare and the table has no column called `pi` (columns win, since
/// users cannot rename their data). Functions: `log10`, `ln`, `log` (natural), `exp`, `sqrt`, `abs`,
/// `min(a, b)`, `max(a, b)`, `clip(x, lo, hi)`, `isnan(x)`.
public struct Expression: Sendable {
    /// The text as the user wrote it; error ranges are character offsets into it.
    public let text: String
    let root: ExpressionNode

    /// Parses `text`; throws `ExpressionError` pointing at the offending characters.
    public init(parsing text: String) throws {
        self.text = text
        self.root = try ExpressionParser.parse(text)
    }

    /// The column names the expression refers to, in order of first use, without repeats. A bare
    /// `pi` is not listed (it is the constant unless the table has such a column); `` `pi` `` is.
    public var columnNames: [String] {
        var names: [String] = []
        var seen = Set<String>()
        func visit(_ node: ExpressionNode) {
            switch node {
            case .number, .text: break
            case .column(let name, let bare, _):
                if bare && name == "pi" { return }
                if seen.insert(name).inserted { names.append(name) }
            case .unary(_, let operand, _): visit(operand)
            case .binary(_, let l, let r, _):
                visit(l)
                visit(r)
            case .call(_, let arguments, _): arguments.forEach(visit)
            }
        }
        visit(root)
        return names
    }

    /// Text comparisons (`label == "sunny"`) whose value no cell of the text column holds, as
    /// messages naming the values that exist (with the nearest one): why a filter found no row.
    public func absentTextValues(in table: Table) -> [String] {
        var messages: [String] = []
        func visit(_ node: ExpressionNode) {
            switch node {
            case .number, .text, .column: break
            case .unary(_, let operand, _): visit(operand)
            case .call(_, let arguments, _): arguments.forEach(visit)
            case .binary(let op, let l, let r, _):
                visit(l)
                visit(r)
                guard op == .equal || op == .notEqual else { return }
                let pair: (String, String)?
                switch (l, r) {
                case (.column(let name, _, _), .text(let value, _)), (.text(let value, _), .column(let name, _, _)): pair = (name, value)
                default: pair = nil
                }
                guard let (name, value) = pair, let strings = table.column(named: name)?.strings else { return }
                let values = Array(Set(strings.compactMap { $0 })).sorted()
                guard !values.contains(value) else { return }
                let shown = values.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ") + (values.count > 20 ? ", …" : "")
                var message = "no row has \(name) == \"\(value)\" (\(name) holds \(values.count) distinct values: \(shown))"
                if let near = nearestName(to: value, in: values) { message += "; did you mean \"\(near)\"?" }
                messages.append(message)
            }
        }
        visit(root)
        return messages
    }

    /// One value per row of `table`. Throws `ExpressionError` for unknown or text columns (with the
    /// name's range and a did-you-mean), and `Cancelled` if the user interrupts.
    public func evaluate(in table: Table) throws -> [Double] {
        try ExpressionEvaluator(table: table).evaluate(root).materialized(count: table.rowCount)
    }
}

/// A mistake in an expression, located by character offsets in the expression's text.
public struct ExpressionError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    /// Character offsets in `Expression.text` of the offending part.
    public var range: Range<Int>
    /// What would have been valid here, in words, if that is known.
    public var expected: String?
    /// A did-you-mean replacement for the text in `range`, if one is close.
    public var suggestion: String?

    public init(message: String, range: Range<Int>, expected: String? = nil, suggestion: String? = nil) {
        self.message = message
        self.range = range
        self.expected = expected
        self.suggestion = suggestion
    }

    /// The message, then the suggestion if the message does not already contain it.
    public var description: String {
        guard let suggestion, !message.contains("did you mean") else { return message }
        return message + "; did you mean `\(suggestion)`?"
    }
}
