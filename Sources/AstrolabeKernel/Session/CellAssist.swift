import AstrolabeData

/// Whether code typed so far is ready to run; the raw values are the statuses of Jupyter's `is_complete_reply`.
public enum Completeness: String, Sendable, Equatable {
    /// Every command is whole and parses.
    case complete
    /// It ends in a `\` continuation: more lines are expected.
    case incomplete
    /// A command does not parse (an unclosed quote, say): running it would fail.
    case invalid
}

/// What a front end asks a session about code being typed, besides completion (Completion.swift):
/// is it complete, and what is the word under the cursor. Read-only: nothing is run.
extension Session {
    /// Whether `code` (one or more lines) is ready to run. Depends on the language only, not on
    /// what the session has loaded; a session method so that front ends ask one object.
    public func isComplete(_ code: String) -> Completeness {
        var assembler = CommandAssembler(file: nil)
        let commands = Script.feed(code, to: &assembler)
        if assembler.isContinuing || code.hasSuffix("\\\n") { return .incomplete }
        for command in commands {
            do { _ = try CommandParser.parse(command.text) } catch { return .invalid }
        }
        return .complete
    }

    /// Help for the word under `cursor` (Unicode scalars into `code`, clamped): a verb's help
    /// text, or a one-line summary of a column of the current table (a `backquoted` name too).
    /// nil when the word is neither.
    public func inspect(_ code: String, cursor: Int) -> String? {
        let scalars = Array(code.unicodeScalars)
        let cursor = max(0, min(cursor, scalars.count))
        func isWordScalar(_ s: Unicode.Scalar) -> Bool { !(s == " " || s == "\t" || s == "\n" || s == "=" || s == ",") }
        var start = cursor, end = cursor
        while start > 0, isWordScalar(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, isWordScalar(scalars[end]) { end += 1 }
        var word = String(String.UnicodeScalarView(scalars[start..<end]))
        if word.hasPrefix("`"), word.hasSuffix("`"), word.count >= 2 { word = String(word.dropFirst().dropLast()) }
        if let verb = VerbCatalog.named(word) { return verb.helpText }
        guard let name = currentTableName, let table = tables[name], let column = table.column(named: word) else { return nil }
        return "column \(column.name) of \(name): \(column.isNumeric ? "numeric" : "text"), \(table.rowCount) rows, \(column.missingCount) missing"
    }
}
