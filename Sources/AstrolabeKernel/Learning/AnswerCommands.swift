import AstrolabeData
import AstrolabeLearn
import Foundation

/// `teach`, `unsure`, `labels`: human answers — stored durably first, then shared with views and
/// models, and restored from the store when a table is loaded again.
extension Session {
    func teach(_ command: ParsedCommand) throws -> [Output] {
        if command.positionals.count == 2 && command.positionals[1].text == "loop" && models[command.positionals[0].text] != nil {
            return try teachLoop(command)
        }
        if let option = command.options.first {
            throw CommandError("\(option.key)= is for the keyboard loop: teach MODEL loop \(option.key)=yes", offset: option.keyOffset, length: option.key.count)
        }
        let table = try currentTable(for: command.verb)
        guard command.positionals.count == 2 else {
            let offset = command.positionals.count > 2 ? command.positionals[2].offset : command.verb.offset + command.verb.length
            throw CommandError("expected an id and a class: teach ID CLASS (quote ids with spaces)", offset: offset, length: 1)
        }
        let idWord = command.positionals[0], classWord = command.positionals[1]
        let row = try rowIndex(idWord, in: table)
        let classes = try classSet(for: table, at: command.verb)
        guard classes.names.contains(classWord.text) else {
            throw CommandError("`\(classWord.text)` is not a declared class (classes: \(classes.names.joined(separator: ", ")))",
                               at: classWord, suggestion: nearestName(to: classWord.text, in: classes.names))
        }
        return try storeAnswer(table: table, row: row, id: idWord.text, kind: .label, label: classWord.text)
    }

    func unsure(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard command.positionals.count == 1, let idWord = command.positionals.first else {
            throw CommandError("expected one id: unsure ID", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let row = try rowIndex(idWord, in: table)
        return try storeAnswer(table: table, row: row, id: idWord.text, kind: .unsure, label: nil)
    }

    func rowIndex(_ word: Word, in table: Table) throws -> Int {
        let ids = table.rowIdentifiers()
        if let row = ids.firstIndex(of: word.text) { return row }
        if let base = viewBases[table.name], tables[base]?.rowIdentifiers().contains(word.text) == true {
            // Typically a row a model of the base table asked about while this view was current.
            throw CommandError("`\(word.text)` is a row of \(base) but not of the view \(table.name): `use \(base)` to answer it", at: word)
        }
        let numbering = viewBases[table.name].map { "rows keep their numbers in \($0), from 1" } ?? "rows are numbered from 1"
        let hint = table.idColumn == nil ? " (\(numbering): load with id=COLUMN to use names)" : ""
        throw CommandError("no row with id `\(word.text)` in \(table.name)\(hint)", at: word,
                           suggestion: nearestName(to: word.text, in: ids))
    }

    /// Writes the answer to the durable store first, then updates memory and retrains models.
    func storeAnswer(table: Table, row: Int, id: String, kind: LabelRecord.Kind, label: String?) throws -> [Output] {
        // Answers belong to the data, not to a view of it: a view's answers are stored under its base
        // table, so loading the catalogue again restores them, and every other view sees them.
        let dataset = baseName(of: table)
        // Provenance: the most recent model that asked about this row, in this table or another
        // table of the same data (a model of the base queried while a view is current).
        var places: [String: Int] = [:]
        for place in rows(withID: id, of: dataset) { places[place.table] = place.row }
        places[table.name] = row
        let asker = modelOrder.reversed().compactMap { models[$0] }.lazy
            .compactMap { model in places[model.tableName].flatMap { model.lastQuery[$0] }.map { (model, $0) } }.first
        let record = LabelRecord(dataset: dataset, rowID: id, kind: kind, label: label, annotator: options.annotator,
                                 time: Date().timeIntervalSince1970, model: asker?.0.name, strategy: asker?.0.strategyName,
                                 score: asker?.1)
        do { try store.append(record) } catch {
            throw CommandError("the answer was NOT stored: \(error)")
        }
        let previous = answers[table.name]?[row]
        answers[table.name, default: [:]][row] = record
        learning.history[table.name, default: []].append(row)
        let sharedRows = shareAnswer(record, from: table.name, base: dataset)
        let what = kind == .label ? "\(id) = \(label ?? "")" : "\(id) marked unsure (kept out of training)"
        var notes: [String]
        do {
            notes = try retrainAfterAnswer(table: table.name, row: row)
            for (name, otherRow) in sharedRows { notes += try retrainAfterAnswer(table: name, row: otherRow) }
        } catch is Cancelled {
            // The answer is on disk and in memory; only the retrain was cut short. Not an error, so
            // the line is recorded like any answer (a replay stores it and retrains).
            return [.text(what + " (stored)"),
                    .warning("interrupted: the answer was stored, but the models were not retrained (`retrain` retrains them)")]
        }
        if let previous, previous.kind == .label, let old = previous.label, old != label {
            notes.insert("relabelled, was \(old)", at: 0)
        }
        return [.text(what + " (stored" + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")) + ")")]
    }

    /// Gives an answer made in one table to the other loaded tables of the same data (the base and
    /// its views), matching the row by id; returns those tables and rows, for their models to retrain.
    func shareAnswer(_ record: LabelRecord, from tableName: String, base: String) -> [(table: String, row: Int)] {
        let shared = rows(withID: record.rowID, of: base).filter { $0.table != tableName }
        for (name, row) in shared { answers[name, default: [:]][row] = record }
        return shared
    }

    /// The row with `id` in each loaded table of the data `base` (the base table and its views, which
    /// share ids: the id column, else the base's row numbers), in table order.
    func rows(withID id: String, of base: String) -> [(table: String, row: Int)] {
        tableOrder.compactMap { name in
            guard let other = tables[name], baseName(of: other) == base,
                  let row = other.rowIdentifiers().firstIndex(of: id) else { return nil }
            return (name, row)
        }
    }

    /// Retrains the table's models after an answer about `row`, or counts the answer as pending
    /// under `retrain every=N`; returns one note per model.
    func retrainAfterAnswer(table: String, row: Int) throws -> [String] {
        var notes: [String] = []
        for name in modelOrder {
            guard var model = models[name], model.tableName == table else { continue }
            if model.testRows.contains(row) || model.validationRows.contains(row) {
                notes.append("\(name): row is in its \(model.testRows.contains(row) ? "test" : "validation") set, kept out of training")
                continue
            }
            model.pendingAnswers += 1
            if model.pendingAnswers >= learning.retrainEvery {
                let count = try fit(&model)
                notes.append("\(name) retrained on \(count) labels")
            } else {
                notes.append("\(name) retrains after \(learning.retrainEvery - model.pendingAnswers) more")
            }
            models[name] = model
        }
        return notes
    }

    /// Answers already in the store for a freshly loaded table, replayed into memory and the transcript.
    func restoreAnswers(table name: String) throws -> [Output] {
        guard let table = tables[name] else { return [] }
        let records: [LabelRecord]
        do { records = try store.currentAnswers(dataset: name) } catch {
            return [.warning("could not read the label store: \(error)")]
        }
        guard !records.isEmpty else { return [] }
        let ids = table.rowIdentifiers()
        var firstRow: [String: Int] = [:]
        for (row, id) in ids.enumerated() where firstRow[id] == nil { firstRow[id] = row }
        var restored = 0, missing = 0
        for record in records {
            guard let row = firstRow[record.rowID] else { missing += 1; continue }
            answers[name, default: [:]][row] = record
            restored += 1
            let id = quoteIfNeeded(record.rowID)
            transcriptFollowUps.append(record.kind == .label ? "teach \(id) \(quoteIfNeeded(record.label ?? ""))" : "unsure \(id)")
        }
        var outputs: [Output] = [.text("restored \(restored) answer\(restored == 1 ? "" : "s") from the label store \(options.storePath ?? "")")]
        if missing > 0 { outputs.append(.warning("\(missing) stored answers name ids not in this table")) }
        return outputs
    }

    func labels(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let given = (answers[table.name] ?? [:]).sorted { $0.key < $1.key }
        guard !given.isEmpty else { return [.text("no answers yet for \(table.name)")] }
        var text = TextTable(header: ["id", "answer", "annotator", "asked by", "score"], numericColumns: [4])
        for (_, record) in given {
            text.append([record.rowID, record.kind == .label ? (record.label ?? "") : "unsure", record.annotator,
                         record.model.map { "\($0) (\(record.strategy ?? ""))" } ?? "", record.score.map { fixed($0) } ?? ""])
        }
        return [.text("\(plural(given.count, "answer")) for \(table.name)\n" + text.rendered)]
    }
}
