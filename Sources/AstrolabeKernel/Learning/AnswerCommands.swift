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
        if let option = command.options.first(where: { $0.key == "images" || $0.key == "sed" }) {
            throw CommandError("\(option.key)= is for the keyboard loop: teach MODEL loop \(option.key)=yes", offset: option.keyOffset, length: option.key.count)
        }
        let table = try currentTable(for: command.verb)
        guard command.positionals.count == 2 else {
            let offset = command.positionals.count > 2 ? command.positionals[2].offset : command.verb.offset + command.verb.length
            throw CommandError("expected an id and a class: teach ID CLASS (quote ids with spaces)", offset: offset, length: 1)
        }
        let idWord = command.positionals[0], classWord = command.positionals[1]
        let row = try rowIndex(idWord, in: table)
        // A number answers a regression model of this table.
        let isNumber = takesNumberAnswers(table) && Double(classWord.text)?.isFinite == true
        let classes = isNumber ? ClassSet(names: [classWord.text], unknown: []) : try classSet(for: table, at: command.verb)
        guard classes.names.contains(classWord.text) else {
            throw CommandError("`\(classWord.text)` is not a declared class (classes: \(classes.names.joined(separator: ", ")))",
                               at: classWord, suggestion: nearestName(to: classWord.text, in: classes.names))
        }
        let confidence = command.has("confidence") ? try command.double("confidence") : nil
        return try storeAnswer(table: table, row: row, id: idWord.text, kind: .label, label: classWord.text,
                               confidence: confidence, note: command.word("note")?.text)
    }

    func unsure(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard command.positionals.count == 1, let idWord = command.positionals.first else {
            throw CommandError("expected one id: unsure ID", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let row = try rowIndex(idWord, in: table)
        return try storeAnswer(table: table, row: row, id: idWord.text, kind: .unsure, label: nil, note: command.word("note")?.text)
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
    func storeAnswer(table: Table, row: Int, id: String, kind: LabelRecord.Kind, label: String?,
                     confidence: Double? = nil, note: String? = nil) throws -> [Output] {
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
        let record = LabelRecord(dataset: dataset, rowID: id, kind: kind, label: label, annotator: annotator,
                                 time: Date().timeIntervalSince1970, model: asker?.0.name, strategy: asker.map { $0.0.lastQueryStrategy ?? $0.0.strategyName },
                                 score: asker?.1, confidence: confidence, note: note)
        do { try store.append(record) } catch {
            throw CommandError("the answer was NOT stored: \(error)")
        }
        let previous = answers[table.name]?[row]
        // The row's gold label follows from every annotator's standing answer under the policy.
        do { try refreshTeamRow(dataset: dataset, rowID: id) } catch {
            throw CommandError("the answer was stored, but could not be read back from the label store: \(error)")
        }
        learning.history[table.name, default: []].append(row)
        let sharedRows = rows(withID: id, of: dataset).filter { $0.table != table.name }
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
            // Another annotator's answer is not replaced: it stays beside this one.
            notes.insert(previous.annotator == annotator ? "relabelled, was \(old)" : "\(previous.annotator) answered \(old)", at: 0)
        }
        if kind == .label, let audited = auditNote(table: table.name, row: row, label: label) { notes.insert(audited, at: 0) }
        if let gold = goldNote(dataset: dataset, table: table.name, row: row, answer: record) { notes.insert(gold, at: 0) }
        return [.text(what + " (stored" + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")) + ")")]
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
            try workspace.setModel(model)
        }
        return notes
    }

    /// Answers already in the store for a freshly loaded table, replayed into memory and the
    /// transcript (each annotator's standing answers; gold labels by the policy).
    func restoreAnswers(table name: String) throws -> [Output] {
        guard let table = tables[name] else { return [] }
        do { try loadTeam(dataset: name) } catch {
            return [.warning("could not read the label store: \(error)")]
        }
        let rows = team.answers[name] ?? [:]
        guard !rows.isEmpty else { return [] }
        let ids = Set(table.rowIdentifiers())
        let known = rows.filter { ids.contains($0.key) }
        let restored = known.values.reduce(0) { $0 + $1.count }
        let missing = rows.count - known.count
        team.answers[name] = known
        applyGold(dataset: name)
        let records = known.values.flatMap { $0 }
        if teamMode(dataset: name) {
            transcriptFollowUps += teamAnswerLines(records, classNames: nil, active: annotator)
        } else {
            transcriptFollowUps += records.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }.map { answerLine($0, classNames: nil) }
        }
        var outputs: [Output] = [.text("restored \(restored) answer\(restored == 1 ? "" : "s") from the label store \(options.storePath ?? "")")]
        if missing > 0 { outputs.append(.warning("\(missing) stored answers name ids not in this table")) }
        return outputs
    }

    func labels(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let dataset = baseName(of: table)
        if command.has("by") || command.has("disagreements") || annotators(of: dataset).count > 1 {
            return try teamLabels(command, table: table)
        }
        let given = (answers[table.name] ?? [:]).sorted { $0.key < $1.key }
        guard !given.isEmpty else { return [.text("no answers yet for \(table.name)")] }
        let detailed = given.contains { $0.value.confidence != nil || $0.value.note != nil }
        var text = TextTable(header: ["id", "answer", "annotator", "asked by", "score"] + (detailed ? ["confidence", "note"] : []),
                             numericColumns: [4, 5])
        for (_, record) in given {
            text.append([record.rowID, record.kind == .label ? (record.label ?? "") : "unsure", record.annotator,
                         record.model.map { "\($0) (\(record.strategy ?? ""))" } ?? "", record.score.map { fixed($0) } ?? ""]
                        + (detailed ? [record.confidence.map { fixed($0, 2) } ?? "", record.note ?? ""] : []))
        }
        return [.text("\(plural(given.count, "answer")) for \(table.name)\n" + text.rendered)]
    }
}
