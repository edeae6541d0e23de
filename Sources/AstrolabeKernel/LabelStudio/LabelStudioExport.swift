import AstrolabeData
import AstrolabeLearn
import Foundation

/// `export tasks TABLE to=tasks.json [model=M] [order=uncertainty] [columns=...] [limit=N]` and
/// `export labelconfig TABLE to=config.xml [show=COLUMNS]`: a Label Studio project seeded from files.
extension Session {
    /// The table named after `export tasks|labelconfig`, or the current one.
    private func labelStudioTable(_ command: ParsedCommand, form: String) throws -> Table {
        if command.positionals.count > 2 {
            throw CommandError("unexpected `\(command.positionals[2].text)`: export \(form) [TABLE] to=PATH", at: command.positionals[2])
        }
        guard command.positionals.count == 2 else { return try currentTable(for: command.verb) }
        let word = command.positionals[1]
        guard let table = tables[word.text] else {
            throw CommandError("no table `\(word.text)`", at: word, suggestion: nearestName(to: word.text, in: tableOrder))
        }
        return table
    }

    private func labelStudioTarget(_ command: ParsedCommand, form: String, ext: String) throws -> Word {
        guard let to = command.word("to") else {
            throw CommandError("expected to=PATH.\(ext): export \(form) [TABLE] to=PATH.\(ext)", at: command.positionals[0])
        }
        guard (to.text as NSString).pathExtension.lowercased() == ext else {
            throw CommandError("export \(form) writes a .\(ext) file, not `\(to.text)`", at: to)
        }
        for key in ["with", "rows", "all"] {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= is not an option of `export \(form)`", offset: o.keyOffset, length: o.key.count)
            }
        }
        return to
    }

    /// The key of the id column in task data (`id` when the table has none: rows numbered from 1).
    func labelStudioIDKey(_ table: Table) -> String { LabelStudioFormat.key(table.idColumn ?? "id") }

    func exportLabelConfig(_ command: ParsedCommand) throws -> [Output] {
        let table = try labelStudioTable(command, form: "labelconfig")
        let to = try labelStudioTarget(command, form: "labelconfig", ext: "xml")
        for key in ["model", "order", "limit", "columns"] {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= belongs to `export tasks`; the config takes show=COLUMNS", offset: o.keyOffset, length: o.key.count)
            }
        }
        let classes = try classSet(for: table, at: command.verb).names
        let shown = try command.word("show").map { try columnList($0, in: table) } ?? defaultShownColumns(table)
        let images = LabelStudioFormat.imageColumns(table).filter { shown.contains($0) || !command.has("show") }
        let xml = LabelStudioFormat.config(idKey: labelStudioIDKey(table), shown: shown.filter { !images.contains($0) },
                                           images: images, classes: classes)
        try writeFile(Array(xml.utf8), to: to.text, word: to)
        return [.text("wrote a Label Studio labelling config for \(table.name) to \(to.text): "
                      + "\(classes.count) class\(classes.count == 1 ? "" : "es") (\(classes.joined(separator: ", "))), \(plural(shown.count, "column")) shown")]
    }

    /// Without show=: the columns a model of the table learns from, else every column but the id and label.
    func defaultShownColumns(_ table: Table) -> [String] {
        if let model = modelOrder.compactMap({ models[$0] }).first(where: { $0.tableName == table.name }) {
            return model.features.filter { table.column(named: $0) != nil }
        }
        return table.columns.map(\.name).filter { $0 != table.idColumn && $0 != table.labelColumn }
    }

    func exportTasks(_ command: ParsedCommand) throws -> [Output] {
        let table = try labelStudioTable(command, form: "tasks")
        let to = try labelStudioTarget(command, form: "tasks", ext: "json")
        if let o = command.optionEntry("show") {
            throw CommandError("show= belongs to `export labelconfig`; tasks take columns=", offset: o.keyOffset, length: o.key.count)
        }
        // The catalogue's label column stays out unless asked for: it would show annotators the answer.
        let columns = try command.word("columns").map { try columnList($0, in: table) }
            ?? table.columns.map(\.name).filter { $0 != table.labelColumn }
        let model = try command.word("model").map { try requireModel($0, verb: command.verb) }
        if let model, model.tableName != table.name {
            throw CommandError("model `\(model.name)` is a model of \(model.tableName), not of \(table.name)", at: command.word("model") ?? command.verb)
        }
        let byUncertainty = command.text("order") == "uncertainty"
        if byUncertainty && model == nil {
            throw CommandError("order=uncertainty needs model=M (the model whose uncertainty orders the tasks)", at: command.word("order") ?? command.verb)
        }
        let ids = table.rowIdentifiers()
        var rows = Array(0..<table.rowCount)
        var predictions: RowPredictions?
        if let model {
            do { predictions = try predictRows(model, rows: rows) } catch let error as CommandError {
                throw CommandError(error.message, at: command.word("model") ?? command.verb)
            }
        }
        if byUncertainty, let u = predictions?.uncertainty {
            // Most uncertain first; ties by row order, so the file is the same every time.
            rows.sort { u[$0] > u[$1] || (u[$0] == u[$1] && $0 < $1) }
        }
        if command.has("limit") { rows = Array(rows.prefix(try command.int("limit"))) }
        let idKey = labelStudioIDKey(table)
        let picked = columns.compactMap { table.column(named: $0) }
        let tasks: [JSONValue] = rows.map { row in
            var data: [String: JSONValue] = [:]
            for column in picked { data[LabelStudioFormat.key(column.name)] = LabelStudioFormat.cell(column, row) }
            data[idKey] = .string(ids[row])
            var task: [String: JSONValue] = ["data": .object(data)]
            if let predictions {
                task["predictions"] = .array([LabelStudioFormat.prediction(
                    label: predictions.labels[row], score: predictions.probability[row], version: predictions.version,
                    fromName: LabelStudioFormat.controlName, toName: idKey)])
            }
            return .object(task)
        }
        try writeFile(Array((JSONWriter.write(.array(tasks)) + "\n").utf8), to: to.text, word: to)
        let how = model.map { " with \($0.name)'s predictions (\(predictions?.version ?? ""))" + (byUncertainty ? ", most uncertain first" : "") } ?? ""
        return [.text("wrote \(plural(tasks.count, "Label Studio task")) of \(table.name) to \(to.text)\(how)")]
    }
}

extension Session {
    /// model=, order=, limit= and show= belong to the Label Studio exports.
    func refuseLabelStudioOptions(_ command: ParsedCommand) throws {
        for key in ["model", "order", "limit", "show"] {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= belongs to `export tasks` / `export labelconfig`", offset: o.keyOffset, length: o.key.count)
            }
        }
    }
}
