import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let teachLoop: [Verb] = [
        Verb("undo", usage: "undo [ID]",
             summary: "Take back the latest answer (or the latest answer about ID); the row's earlier answer, if any, applies again.",
             details: """
                 The label store keeps the answer in its history and adds an `undo` entry after it, so it
                 holds every answer ever given; loading the table again restores the answers that still
                 stand. Models retrain.
                 """,
             arguments: [.id],
             provenance: .noted(SessionProvenance.noteUndo),
             run: Session.undo),
        Verb("skip", usage: "skip ID",
             summary: "Leave a row out of this session's queries without answering it (nothing is stored).",
             arguments: [.id],
             provenance: .noted(SessionProvenance.noteRowMark),
             run: Session.skip),
        Verb("retrain", usage: "retrain [MODEL] [every=N]",
             summary: "Retrain models now, or set how often answers retrain them (every=1: after each answer).",
             details: """
                 With every=N, models retrain after every N answers; queries in between use the last fit.
                 example: retrain every=10
                 """,
             options: [.int("every", 1...1_000_000, default: 1, "answers between retrains")],
             arguments: [.model],
             provenance: .noted(SessionProvenance.noteRetrain),
             run: Session.retrain),
    ]
}

/// `undo`, `skip`, `retrain`: the rest of the teach loop.
extension Session {
    func undo(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        var history = learning.history[table.name] ?? []
        let row: Int
        if let idWord = command.positionals.first {
            row = try rowIndex(idWord, in: table)
        } else {
            guard let last = history.last else {
                throw CommandError("nothing to undo: no answer was given in this session", at: command.verb)
            }
            row = last
        }
        // Each annotator takes back their own answers; the others' stand.
        let rowID = table.rowIdentifiers()[row]
        guard team.answers[baseName(of: table)]?[rowID]?.contains(where: { $0.annotator == annotator }) == true else {
            let others = team.answers[baseName(of: table)]?[rowID]?.map(\.annotator) ?? []
            throw CommandError("`\(rowID)` has no answer by \(annotator) to undo"
                               + (others.isEmpty ? "" : " (answered by \(others.joined(separator: ", ")))"),
                               at: command.positionals.first ?? command.verb)
        }
        if let index = history.lastIndex(of: row) { history.remove(at: index) }
        learning.history[table.name] = history
        let id = table.rowIdentifiers()[row]
        learning.lastUndone = id
        // Answers are stored under the loaded table a view was made from (see storeAnswer), and
        // taken back there and in every other view of it.
        let dataset = baseName(of: table)
        let removed: LabelRecord?
        do {
            removed = try store.undoLatest(dataset: dataset, rowID: id, annotator: annotator,
                                           time: Date().timeIntervalSince1970)
            try refreshTeamRow(dataset: dataset, rowID: id)
        } catch {
            throw CommandError("the answer could not be taken back in the label store: \(error)")
        }
        var notes: [String] = []
        for (name, otherRow) in rows(withID: id, of: dataset) {
            notes += try retrainAfterAnswer(table: name, row: otherRow)
        }
        let was = removed.map { $0.kind == .label ? ($0.label ?? "") : "unsure" } ?? "nothing"
        let now = answers[table.name]?[row].map { $0.kind == .label ? "now \($0.label ?? "")" : "now unsure" } ?? "now unlabelled"
        return [.text("undid \(id) = \(was); \(now)" + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"))]
    }

    func skip(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard command.positionals.count == 1, let idWord = command.positionals.first else {
            throw CommandError("expected one id: skip ID", offset: command.verb.offset + command.verb.length, length: 1)
        }
        _ = try rowIndex(idWord, in: table)
        // Like an answer, a skip is about the row, not the view it was seen in: a model of the base
        // table queried while a view is current must not ask it again either.
        for (name, row) in rows(withID: idWord.text, of: baseName(of: table)) {
            learning.skipped[name, default: []].insert(row)
        }
        return [.text("skipped \(idWord.text): not asked again in this session")]
    }

    func retrain(_ command: ParsedCommand) throws -> [Output] {
        if command.has("every") {
            learning.retrainEvery = try command.int("every")
            if command.positionals.isEmpty {
                return [.text("models retrain after every \(learning.retrainEvery == 1 ? "answer" : "\(learning.retrainEvery) answers")")]
            }
        }
        let names = try command.positionals.isEmpty ? modelOrder : [requireModel(command.positionals.first, verb: command.verb).name]
        guard !names.isEmpty else { throw CommandError("no models to retrain", at: command.verb) }
        var lines: [String] = []
        for name in names {
            guard var model = models[name] else { continue }
            let count = try fit(&model)
            try workspace.setModel(model)
            lines.append("\(name) retrained on \(count) labels")
        }
        return [.text(lines.joined(separator: "\n"))]
    }
}
