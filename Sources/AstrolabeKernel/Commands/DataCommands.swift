import AstrolabeData
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let data: [Verb] = [
        Verb("load", usage: "load PATH [as NAME] [id=COLUMN] [label=COLUMN]",
             summary: "Load a CSV file with a header row as a table and make it the current table.",
             details: """
                 Empty cells are missing. Columns whose every present cell is a number are numeric; others are text.
                 id= names the column that identifies rows (quote ids with spaces: teach "4FGL J0001.2+4741" bll).
                 label= names the column holding known classes. Answers already in the label store for a table of
                 the same name are restored.
                 example: load Samples/fermi_4lac.csv as blazars id=id label=label
                 """,
             options: [("id", "column that identifies rows"), ("label", "column with known class labels")],
             arguments: [.path], optionValues: ["id": .column, "label": .column],
             run: Session.load),
        Verb("columns", usage: "columns",
             summary: "List the current table's columns with their type, missing count and role.",
             run: Session.columns),
        Verb("head", usage: "head [N] [columns=A,B,...]",
             summary: "Show the first N rows (default 5).",
             options: [("columns", "comma-separated columns to show")],
             arguments: [.number], optionValues: ["columns": .column],
             run: Session.head),
        Verb("describe", usage: "describe [COLUMN ...]",
             summary: "Count, missing, mean, std, min, quartiles and max of numeric columns (all, or those named).",
             arguments: [.column],
             run: Session.describe),
        Verb("feature", usage: "feature NAME = EXPRESSION",
             summary: "Add a numeric column computed from an expression over columns.",
             details: """
                 Operators: + - * / ^, comparisons (< <= > >= == !=), and, or, not.
                 Functions: log10 ln exp sqrt abs min max clip isnan. Missing values (NaN) propagate;
                 division by zero gives inf or nan. Backquote names with odd characters: `g-r`.
                 example: feature hardness = log10(Energy_Flux100 / Flux1000)
                 """,
             arguments: [.text, .expression], freeText: true,
             run: Session.feature),
    ]
}

/// `load`, `columns`, `head`, `describe`, `feature`: getting data in and looking at it.
extension Session {
    func load(_ command: ParsedCommand) throws -> [Output] {
        if command.positionals.count == 2, command.positionals[0].text == "model" { return try loadModel(command) }
        guard let pathWord = command.positionals.first else {
            throw CommandError("expected a file path: load PATH [as NAME]", offset: command.verb.offset + command.verb.length, length: 1)
        }
        var name = ((pathWord.text as NSString).lastPathComponent as NSString).deletingPathExtension
        var extra = Array(command.positionals.dropFirst())
        if let first = extra.first, first.text == "as" {
            guard extra.count >= 2 else { throw CommandError("expected a table name after `as`", at: first) }
            name = extra[1].text
            extra.removeFirst(2)
        }
        if let stray = extra.first {
            throw CommandError("unexpected `\(stray.text)`: load PATH [as NAME] [id=COLUMN] [label=COLUMN]", at: stray)
        }
        var table: Table
        do {
            table = try CSVReader().read(path: resolve(pathWord.text), tableName: name)
        } catch let error as DataError {
            // Name the file as the user wrote it, not as resolved; cannot-open errors already name it.
            var message = error.message
            if let line = error.line {
                message = "\(pathWord.text):\(line)" + (error.column.map { ":\($0)" } ?? "") + ": " + message
            }
            throw CommandError(message, at: pathWord)
        }
        for role in ["id", "label"] {
            guard let option = command.option(role) else { continue }
            guard table.column(named: option.value.text) != nil else {
                throw CommandError("no column `\(option.value.text)` in \(pathWord.text)", at: option.value,
                                   suggestion: nearestName(to: option.value.text, in: table.columnNames))
            }
            if role == "id" { table.idColumn = option.value.text } else { table.labelColumn = option.value.text }
        }
        var outputs: [Output] = []
        if let idName = table.idColumn {
            let ids = table.rowIdentifiers()
            if Set(ids).count != ids.count {
                outputs.append(.warning("id column `\(idName)` has repeated values; `teach` uses the first row with an id"))
            }
        }
        tables[name] = table
        if !tableOrder.contains(name) { tableOrder.append(name) }
        currentTableName = name
        declaredClasses[name] = nil
        answers[name] = [:]
        for (modelName, model) in models where model.tableName == name {
            models[modelName] = nil
            modelOrder.removeAll { $0 == modelName }
        }
        let numeric = table.columns.filter(\.isNumeric).count
        var summary = "\(name): \(table.rowCount) rows × \(table.columns.count) columns (\(numeric) numeric, \(table.columns.count - numeric) text)"
        if let id = table.idColumn { summary += "; id=\(id)" }
        if let label = table.labelColumn { summary += "; label=\(label)" }
        outputs.insert(.text(summary), at: 0)
        outputs += try restoreAnswers(table: name)
        return outputs
    }

    func columns(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        var text = TextTable(header: ["column", "type", "missing", "role"], numericColumns: [2])
        for column in table.columns {
            var role = ""
            if column.name == table.idColumn { role = "id" }
            if column.name == table.labelColumn { role = "label" }
            text.append([column.name, column.isNumeric ? "number" : "text", String(column.missingCount), role])
        }
        return [.text("\(table.name): \(table.rowCount) rows\n" + text.rendered)]
    }

    func head(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        var count = 5
        if let word = command.positionals.first {
            guard let n = Int(word.text), n >= 0 else { throw CommandError("expected a row count, got `\(word.text)`", at: word) }
            count = n
        }
        var names: [String]
        var note = ""
        if let option = command.option("columns") {
            names = try columnList(option.value, in: table)
        } else {
            names = Array(table.columnNames.prefix(8))
            if table.columns.count > 8 {
                note = "\n(\(table.columns.count - 8) more columns; choose with columns=A,B,...)"
            }
        }
        let shown = names.compactMap { table.column(named: $0) }
        var text = TextTable(header: shown.map(\.name),
                             numericColumns: Set(shown.enumerated().filter { $0.element.isNumeric }.map(\.offset)))
        for row in 0..<min(count, table.rowCount) {
            text.append(shown.map { $0.displayText(row: row) })
        }
        return [.text(text.rendered + note)]
    }

    func describe(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        var selected: [Column] = []
        if command.positionals.isEmpty {
            selected = table.columns.filter(\.isNumeric)
        } else {
            for word in command.positionals {
                let name = columnName(word)
                guard let column = table.column(named: name) else {
                    throw CommandError("unknown column `\(name)`", at: word, suggestion: nearestName(to: name, in: table.columnNames))
                }
                selected.append(column)
            }
        }
        var numeric = TextTable(header: ["column", "count", "missing", "mean", "std", "min", "25%", "50%", "75%", "max"],
                                numericColumns: Set(1...9))
        var text = TextTable(header: ["column", "count", "missing", "unique", "top", "freq"], numericColumns: [1, 2, 3, 5])
        for column in selected {
            switch column.values {
            case .numeric(let values):
                let s = ColumnSummary.of(values)
                numeric.append([column.name, String(s.count), String(s.missing)] +
                               [s.mean, s.std, s.min, s.q25, s.median, s.q75, s.max].map { NumberFormatting.short($0, significant: 5) })
            case .text(let values):
                let s = TextSummary.of(values)
                text.append([column.name, String(s.count), String(s.missing), String(s.unique), s.top ?? "", String(s.topCount)])
            }
        }
        var outputs: [Output] = []
        if !numeric.rows.isEmpty { outputs.append(.text(numeric.rendered)) }
        if !text.rows.isEmpty { outputs.append(.text(text.rendered)) }
        if outputs.isEmpty { outputs.append(.text("no numeric columns")) }
        return outputs
    }

    func feature(_ command: ParsedCommand) throws -> [Output] {
        var table = try currentTable(for: command.verb)
        let rest = Array(command.rest)
        guard let eq = rest.firstIndex(of: "=") else {
            throw CommandError("expected `=`: feature NAME = EXPRESSION", offset: command.restOffset + rest.count, length: 1)
        }
        var name = String(rest[..<eq]).trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("`"), name.hasSuffix("`"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        guard !name.isEmpty, !name.contains(" ") else {
            throw CommandError("expected one feature name before `=` (backquote names with spaces or operators)",
                               offset: command.restOffset, length: max(1, eq))
        }
        let exprOffset = command.restOffset + eq + 1
        let exprText = String(rest[(eq + 1)...])
        let values = try evaluate(exprText, offset: exprOffset, in: table)
        let replaced = table.column(named: name) != nil
        try table.setColumn(Column(name: name, numbers: values))
        tables[table.name] = table
        let missing = values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        let infinite = values.reduce(0) { $0 + ($1.isInfinite ? 1 : 0) }
        var text = "\(replaced ? "replaced" : "added") feature \(name) = \(exprText.trimmingCharacters(in: .whitespaces))"
        text += " (\(table.rowCount - missing) values, \(missing) missing"
        if infinite > 0 { text += ", \(infinite) infinite" }
        text += ")"
        return [.text(text)]
    }

    // MARK: Argument helpers

    /// A word naming a column: backquotes removed.
    func columnName(_ word: Word) -> String {
        var text = word.text
        if text.hasPrefix("`"), text.hasSuffix("`"), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        return text
    }

    /// `A,B,C` → column names, each checked against the table.
    func columnList(_ word: Word, in table: Table) throws -> [String] {
        var names: [String] = []
        var offset = word.offset
        for part in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            var name = String(part).trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("`"), name.hasSuffix("`"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            guard !name.isEmpty else { throw CommandError("empty column name in list", offset: offset, length: 1) }
            guard table.column(named: name) != nil else {
                throw CommandError("unknown column `\(name)`", offset: offset, length: part.count,
                                   suggestion: nearestName(to: name, in: table.columnNames))
            }
            names.append(name)
            offset += part.count + 1
        }
        return names
    }

    /// The values a positional argument stands for: the column it names, or else the expression it is.
    func numericValues(of word: Word, in table: Table) throws -> [Double] {
        if let column = table.column(named: columnName(word)) {
            guard let numbers = column.numbers else {
                throw CommandError("column `\(column.name)` is text, not numeric", at: word)
            }
            return numbers
        }
        return try evaluate(word.text, offset: word.quoted ? word.offset + 1 : word.offset, in: table)
    }

    /// Evaluates expression text that starts at `offset` in the command line, mapping its errors there.
    func evaluate(_ text: String, offset: Int, in table: Table) throws -> [Double] {
        do {
            let expression = try Expression(parsing: text)
            return try expression.evaluate(in: table)
        } catch let error as ExpressionError {
            // The kernel adds the did-you-mean itself, after the position, like every other error.
            var message = error.message
            if let range = message.range(of: "; did you mean") { message = String(message[..<range.lowerBound]) }
            if error.suggestion == nil, let expected = error.expected, !message.contains("expected") {
                message += "; expected \(expected)"
            }
            let lower = max(0, min(error.range.lowerBound, text.count))
            return try { throw CommandError(message, offset: offset + lower, length: max(1, error.range.count),
                                            suggestion: error.suggestion) }()
        }
    }
}
