import AstrolabeData
import AstrolabeLearn
import Foundation

/// `import labelstudio EXPORT.json [table=T]`: Label Studio's JSON export into the label store, each
/// annotation under its Label Studio user; cancelled (skipped) annotations are stored as unsure.
extension Session {
    func importLabelStudio(_ command: ParsedCommand) throws -> [Output] {
        guard command.positionals.first?.text == "labelstudio" else {
            throw CommandError("import reads Label Studio exports: import labelstudio EXPORT.json [table=T]",
                               at: command.positionals.first ?? command.verb, suggestion: "labelstudio")
        }
        guard command.positionals.count == 2 else {
            throw CommandError("expected the export file: import labelstudio EXPORT.json [table=T]",
                               offset: command.verb.offset + command.verb.length, length: 1)
        }
        let pathWord = command.positionals[1]
        let table: Table
        if let word = command.word("table") {
            guard let named = tables[word.text] else {
                throw CommandError("no table `\(word.text)`", at: word, suggestion: nearestName(to: word.text, in: tableOrder))
            }
            table = named
        } else {
            table = try currentTable(for: command.verb)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: resolve(pathWord.text))) } catch {
            throw CommandError("cannot read \(pathWord.text)", at: pathWord)
        }
        let json: JSONValue
        do { json = try JSONReader.parse([UInt8](data)) } catch {
            throw CommandError("\(pathWord.text) is not JSON: \(error)", at: pathWord)
        }
        guard let tasks = json.arrayValue else {
            throw CommandError("\(pathWord.text) is not a Label Studio JSON export (a list of tasks)", at: pathWord)
        }
        let classes = try classSet(for: table, at: command.verb).names
        var (found, problems) = labelStudioAnnotations(tasks, table: table, classes: classes)
        // In the order they were made (then by task and annotation), so the latest answer stands.
        found.sort { ($0.annotation.time ?? 0, $0.task, $0.annotation.annotationID ?? 0) < ($1.annotation.time ?? 0, $1.task, $1.annotation.annotationID ?? 0) }
        learning.labelStudioLines = []
        var stored = 0
        var notes: [String: String] = [:]
        let rowOf = Dictionary(table.rowIdentifiers().enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        for item in found where try storeLabelStudioAnswer(table: table, rowID: item.rowID, annotation: item.annotation) != nil {
            stored += 1
            // Models retrain as after `teach` (every `retrain every=N` answers), so a saved session replays the same fits.
            for note in try retrainAfterAnswer(table: table.name, row: rowOf[item.rowID] ?? 0) {
                notes[String(note.prefix { $0 != " " })] = note
            }
        }
        var lines = ["imported \(plural(stored, "answer")) from \(pathWord.text) into \(baseName(of: table))"
                     + " (\(plural(tasks.count, "task")), annotators: \(Set(found.map(\.annotation.annotator)).sorted().joined(separator: ", ")))"]
        if found.count > stored { lines.append("\(found.count - stored) already in the store") }
        lines += modelOrder.compactMap { notes[$0] }
        var outputs: [Output] = [.text(lines.joined(separator: "\n"))]
        if !problems.isEmpty {
            outputs.append(.warning("\(plural(problems.count, "annotation or task")) not imported: " + problems.prefix(5).joined(separator: "; ")
                                    + (problems.count > 5 ? "; …" : "")))
        }
        return outputs
    }

    /// The annotations of an export's tasks with their rows, and what could not be read (one line each).
    func labelStudioAnnotations(_ tasks: [JSONValue], table: Table, classes: [String])
        -> (found: [(rowID: String, annotation: LabelStudioAnnotation, task: Int)], problems: [String]) {
        let idKey = labelStudioIDKey(table)
        let ids = Set(table.rowIdentifiers())
        // Label Studio's JSON export names users by id only; one that `serve labelstudio` stored answers of keeps that name.
        var users = LabelStudioImport.users(in: tasks)
        for task in tasks {
            for annotation in task["annotations"]?.arrayValue ?? [] {
                guard let id = annotation["completed_by"]?.intValue, users[id] == nil,
                      let known = labelStudioAnnotator(userID: id, table: table) else { continue }
                users[id] = known
            }
        }
        var found: [(rowID: String, annotation: LabelStudioAnnotation, task: Int)] = []
        var problems: [String] = []
        for (n, task) in tasks.enumerated() {
            let taskName = task["id"]?.intValue.map { "task \($0)" } ?? "task #\(n + 1)"
            guard let rowID = LabelStudioImport.rowID(task["data"]?[idKey]) else {
                problems.append("\(taskName) has no data.\(idKey)"); continue
            }
            guard ids.contains(rowID) else { problems.append("\(taskName): no row `\(rowID)` in \(table.name)"); continue }
            for item in task["annotations"]?.arrayValue ?? [] {
                do {
                    let annotation = try LabelStudioAnnotation(item, controlName: nil, users: users)
                    if let label = annotation.label, !classes.contains(label) {
                        problems.append("\(taskName): `\(label)` is not a class of \(table.name)"); continue
                    }
                    if annotation.label == nil && !annotation.cancelled { problems.append("\(taskName): an annotation without a choice"); continue }
                    found.append((rowID, annotation, n))
                } catch {
                    problems.append("\(taskName): \((error as? LabelStudioAnnotation.Invalid)?.reason ?? "\(error)")")
                }
            }
        }
        return (found, problems)
    }

    /// Stores one Label Studio annotation as an answer (a skipped task as unsure) under its user,
    /// unless that user's standing answer already says the same; returns the record stored.
    @discardableResult
    func storeLabelStudioAnswer(table: Table, rowID: String, annotation: LabelStudioAnnotation) throws -> LabelRecord? {
        let dataset = baseName(of: table)
        let kind: LabelRecord.Kind = annotation.label == nil ? .unsure : .label
        let standing = team.answers[dataset]?[rowID]?.last { $0.annotator == annotation.annotator }
        if let standing, standing.kind == kind, standing.label == annotation.label, standing.note == annotation.note { return nil }
        let record = LabelRecord(dataset: dataset, rowID: rowID, kind: kind, label: annotation.label, annotator: annotation.annotator,
                                 time: annotation.time ?? Date().timeIntervalSince1970, model: nil, strategy: nil, score: nil,
                                 confidence: nil, note: annotation.note)
        do { try store.append(record) } catch { throw CommandError("the answer was NOT stored: \(error)") }
        try refreshTeamRow(dataset: dataset, rowID: rowID)
        learning.labelStudioLines.append((annotation.annotator, answerLine(record, classNames: nil), learning.retrainEvery))
        return record
    }

    /// Takes back a Label Studio user's answer about a row (an annotation deleted); false when they had none.
    func undoLabelStudioAnswer(table: Table, rowID: String, annotator who: String) throws -> Bool {
        let dataset = baseName(of: table)
        guard try store.undoLatest(dataset: dataset, rowID: rowID, annotator: who, time: Date().timeIntervalSince1970) != nil else {
            return false
        }
        try refreshTeamRow(dataset: dataset, rowID: rowID)
        learning.labelStudioLines.append((who, "undo \(quoteIfNeeded(rowID))", learning.retrainEvery))
        return true
    }

}

enum LabelStudioImport {
    /// A task's id value: text as is, a whole number without a decimal point.
    static func rowID(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s): return s
        case .int(let n): return String(n)
        case .double(let d): return NumberFormatting.short(d)
        default: return nil
        }
    }

    /// Users named anywhere in the export (`completed_by` objects), by id.
    static func users(in tasks: [JSONValue]) -> [Int: String] {
        var users: [Int: String] = [:]
        for task in tasks {
            for annotation in task["annotations"]?.arrayValue ?? [] {
                guard let by = annotation["completed_by"]?.objectValue, let id = by["id"]?.intValue,
                      let name = by["email"]?.stringValue ?? by["username"]?.stringValue else { continue }
                users[id] = name
            }
        }
        return users
    }
}

extension SessionProvenance {
    /// `import labelstudio` and `serve labelstudio`: the answers stored, each as `teach`/`unsure`/`undo`
    /// under its annotator, so a saved session replays without the export file or the server.
    static func noteLabelStudio(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        let named = command.verb.text == "import" ? command.word("table")?.text : session.labelStudioServedTable
        guard let table = named ?? session.currentTableName else { return }
        let active = session.team.active, every = session.learning.retrainEvery
        for (who, line, cadence) in session.learning.labelStudioLines {
            session.team.active = who
            session.learning.retrainEvery = cadence
            p.log(line, table: table, in: session)
        }
        session.team.active = active
        session.learning.retrainEvery = every
        session.learning.labelStudioLines = []
    }
}
