import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let labelling: [Verb] = [
        Verb("find", usage: "find where EXPRESSION",
             summary: "Labelling mode: draw one random row matching the criteria that has no answer yet, to label for a curated test set.",
             details: """
                 The draw is seeded, so a replayed script draws the same rows. Answer with teach/unsure as usual;
                 `testset use` then makes the rows drawn here and labelled the test set of the models.
                 example: find where Variability_Index > 100 and PL_Index < 2.2
                 """,
             arguments: [.expression], freeText: true,
             provenance: .noted(SessionProvenance.noteFind),
             run: Session.find),
        Verb("testset", usage: "testset use [MODEL]",
             summary: "Make the rows labelled in labelling mode (find) the test set of MODEL (default: every model of the table).",
             arguments: [.text, .model],
             provenance: .noted(SessionProvenance.noteTestset),
             run: Session.testset),
        Verb("checkpoint", usage: "checkpoint MODEL [to=DIRECTORY]",
             summary: "Write the fitted model (trees, weights, scaling, classes, features, strategy, labels, training history) to a file named after its label, classifier, strategy, labels, F1 and time.",
             details: """
                 `load model PATH` restores it without refitting: its predictions equal the saved model's bit for bit.
                 The name is MODEL-LABEL-CLASSIFIER-STRATEGY-Nlabels-f1_X[-TIME].json, F1 being the macro F1 on the
                 validation set (the test set when there is none); the UTC time is added at an interactive prompt only,
                 so replayed notebooks stay byte-identical. Files of format astrolabe-model-1 still load (by refitting).
                 """,
             options: [.path("to", default: "checkpoints", "directory (default checkpoints)")],
             arguments: [.model],
             provenance: .writesFiles,
             run: Session.checkpoint),
    ]
}

extension Session {
    func find(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let rest = String(command.rest)
        let trimmed = rest.drop { $0 == " " }
        guard trimmed.hasPrefix("where ") else {
            throw CommandError("expected `where EXPRESSION`: find where EXPRESSION", offset: command.restOffset, length: max(1, rest.count))
        }
        let leading = rest.count - trimmed.count
        let expressionText = String(trimmed.dropFirst(6))
        let values = try evaluate(expressionText, offset: command.restOffset + leading + 6, in: table)
        let answered = answers[table.name] ?? [:]
        let drawn = Set(learning.found[table.name] ?? [])
        let matching = values.indices.filter { values[$0] != 0 && !values[$0].isNaN }
        let candidates = matching.filter { answered[$0] == nil && !drawn.contains($0) }
        guard !candidates.isEmpty else {
            return [.text("no unlabelled row matches (\(matching.count) rows match, all answered or already drawn)")]
        }
        // Seeded by the table's own draw count, so a table's draws do not depend on draws made in
        // other tables (a saved session writes each table's lines together).
        var generator = SeededGenerator(seed: options.seed &+ 0xF1D &+ UInt64(drawn.count))
        let row = candidates[generator.nextInt(below: candidates.count)]
        learning.found[table.name, default: []].append(row)
        let id = table.rowIdentifiers()[row]
        var shown = TextTable(header: ["column", "value"], numericColumns: [1])
        let hidden = Set([table.labelColumn].compactMap { $0 })
        for column in table.columns where !hidden.contains(column.name) {
            shown.append([column.name, column.displayText(row: row)])
        }
        return [.text("find: \(id) (one of \(candidates.count) unlabelled matching rows); answer with teach \(quoteIfNeeded(id)) CLASS\n" + shown.rendered)]
    }

    func testset(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard command.positionals.first?.text == "use" else {
            throw CommandError("expected `testset use [MODEL]`", at: command.positionals.first ?? command.verb)
        }
        let curated = (learning.found[table.name] ?? []).filter { answers[table.name]?[$0]?.kind == .label }
        guard !curated.isEmpty else {
            throw CommandError("no curated rows yet: draw rows with `find where ...` and label them with teach", at: command.verb)
        }
        let names = try command.positionals.count > 1
            ? [requireModel(command.positionals[1], verb: command.verb).name]
            : modelOrder.filter { models[$0]?.tableName == table.name }
        guard !names.isEmpty else { throw CommandError("no model to give a test set: create one with `model`", at: command.verb) }
        var lines: [String] = []
        for name in names {
            guard var model = models[name] else { continue }
            let rows = try curatedRows(curated, from: table, toTableOf: model)
            let rowSet = Set(rows)
            model.testRows = rows.sorted()
            model.initialRows.removeAll { rowSet.contains($0) }
            model.validationRows.removeAll { rowSet.contains($0) }
            let count = try fit(&model)
            try workspace.setModel(model)
            lines.append("\(name): test set is now the \(plural(curated.count, "row")) labelled in labelling mode; retrained on \(plural(count, "label"))")
        }
        return [.text(lines.joined(separator: "\n"))]
    }

    /// The rows of the model's table that are the curated `rows` of `table`: the same rows when the
    /// model was made on this table, else matched by id (a view and its base table number their
    /// rows differently: `find` in a view of the model's table draws view rows; without an id
    /// column, a view's ids are its base's row numbers, so they match too).
    func curatedRows(_ rows: [Int], from table: Table, toTableOf model: ActiveModel) throws -> [Int] {
        guard model.tableName != table.name else { return rows }
        guard let target = tables[model.tableName], baseName(of: target) == baseName(of: table) else {
            throw CommandError("model `\(model.name)` is on table `\(model.tableName)`, not on `\(table.name)` or the table it is a view of: "
                               + "`use \(model.tableName)` and draw its test rows there")
        }
        let ids = table.rowIdentifiers()
        var targetRow: [String: Int] = [:]
        for (row, id) in target.rowIdentifiers().enumerated() where targetRow[id] == nil { targetRow[id] = row }
        return try rows.map { row in
            guard let mapped = targetRow[ids[row]] else {
                throw CommandError("row `\(ids[row])` of `\(table.name)` is not in `\(model.tableName)`, the table of `\(model.name)`")
            }
            return mapped
        }
    }

    /// The true class index of a test row: the human answer where there is one (curated test
    /// sets), else the catalogue's label column.
    func testTruth(_ model: ActiveModel, table: Table) -> [Int] {
        truth(model, rows: model.testRows, table: table)
    }
}
