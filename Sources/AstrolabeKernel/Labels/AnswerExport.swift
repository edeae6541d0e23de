import AstrolabeData
import AstrolabeLearn
import Foundation

/// Labels out: `export answers ... to=PATH` (the answers as a table) and `export TABLE PATH
/// with=gold,answers,predict:M` (the catalogue with its gold labels, answers and predictions).
extension Session {
    /// to= and all= belong to `export answers`; on a table export they would be silently ignored.
    func refuseAnswerOptions(_ command: ParsedCommand) throws {
        for key in ["to", "all"] {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= belongs to `export answers ... to=PATH`; a table export takes the path as its argument",
                                   offset: o.keyOffset, length: o.key.count)
            }
        }
    }

    func exportAnswers(_ command: ParsedCommand) throws -> [Output] {
        let table: Table
        if command.positionals.count > 1 {
            let word = command.positionals[1]
            guard let named = tables[word.text] else {
                throw CommandError("no table `\(word.text)`", at: word, suggestion: nearestName(to: word.text, in: tableOrder))
            }
            table = named
        } else {
            table = try currentTable(for: command.verb)
        }
        if command.positionals.count > 2 {
            throw CommandError("unexpected `\(command.positionals[2].text)`: export answers [TABLE] to=PATH", at: command.positionals[2])
        }
        for key in ["with", "columns", "rows"] {
            if let o = command.optionEntry(key) {
                throw CommandError("\(key)= is for table exports, not `export answers`", offset: o.keyOffset, length: o.key.count)
            }
        }
        guard let to = command.word("to") else {
            throw CommandError("expected to=PATH (.csv, .fits or .json): export answers [TABLE] to=PATH", at: command.positionals[0])
        }
        let ext = (to.text as NSString).pathExtension.lowercased()
        guard ["csv", "fits", "fit", "fts", "json"].contains(ext) else {
            throw CommandError("export answers writes .csv, .fits or .json files, not `\(to.text)`", at: to)
        }
        let all = try command.yesNo("all")
        let rows = try answerRows(dataset: baseName(of: table), all: all)
        let answersTable = try answerTable(rows, all: all)
        let full = resolve(to.text)
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            switch ext {
            case "csv": try TableWriter.writeCSV(answersTable, to: full)
            case "json": try writeFile(Array(answersJSON(answersTable).utf8), to: to.text, word: to)
            default: try TableWriter.writeFITS(answersTable, to: full, extensionName: "ANSWERS")
            }
        } catch let error as DataError {
            throw CommandError(error.message.replacingOccurrences(of: full, with: to.text), at: to)
        }
        return [.text("wrote \(plural(rows.count, all ? "answer" : "standing answer")) of \(baseName(of: table)) to \(to.text)")]
    }

    /// The dataset's answers in the order given: each annotator's current answer per row, or with
    /// `all` every answer ever stored, marked current, superseded (replaced by the same annotator)
    /// or undone.
    func answerRows(dataset: String, all: Bool) throws -> [(record: LabelRecord, status: String)] {
        let standing = try store.answers(dataset: dataset)
        let current = Set(Session.standingByAnnotator(standing).values.flatMap { $0 }.compactMap(\.seq))
        let kept = Set(standing.compactMap(\.seq))
        let records: [LabelRecord] = all
            ? try store.history(dataset: dataset).compactMap { if case .answer(let r) = $0 { return r } else { return nil } }
            : standing.filter { current.contains($0.seq ?? -1) }
        return records.map { r in
            let seq = r.seq ?? -1
            return (r, current.contains(seq) ? "current" : kept.contains(seq) ? "superseded" : "undone")
        }
    }

    func answerTable(_ rows: [(record: LabelRecord, status: String)], all: Bool) throws -> Table {
        let r = rows.map(\.record)
        // ISO 8601 in UTC with milliseconds: 2026-12-07T21:30:00.123Z.
        let timeFormatter = ISO8601DateFormatter()
        timeFormatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        timeFormatter.timeZone = TimeZone(identifier: "UTC")
        var columns = [
            Column(name: "id", strings: r.map(\.rowID)),
            Column(name: "answer", strings: r.map { $0.kind == .label ? $0.label : nil }),
            Column(name: "kind", strings: r.map(\.kind.rawValue)),
            Column(name: "annotator", strings: r.map(\.annotator)),
            Column(name: "confidence", numbers: r.map { $0.confidence ?? .nan }),
            Column(name: "note", strings: r.map(\.note)),
            Column(name: "time", strings: r.map { timeFormatter.string(from: Date(timeIntervalSince1970: $0.time)) }),
            Column(name: "model", strings: r.map(\.model)),
            Column(name: "strategy", strings: r.map(\.strategy)),
            Column(name: "score", numbers: r.map { $0.score ?? .nan }),
        ]
        if all { columns.append(Column(name: "status", strings: rows.map(\.status))) }
        return try Table(name: "answers", columns: columns)
    }

    /// One JSON object per answer; a missing value is null.
    func answersJSON(_ table: Table) -> String {
        let objects: [JSONValue] = (0..<table.rowCount).map { row in
            var object: [String: JSONValue] = [:]
            for column in table.columns {
                if let numbers = column.numbers {
                    object[column.name] = numbers[row].isNaN ? .null : .double(numbers[row])
                } else {
                    object[column.name] = column.strings?[row].map { .string($0) } ?? .null
                }
            }
            return .object(object)
        }
        return JSONWriter.write(.array(objects)) + "\n"
    }

    /// `with=gold,answers,predict:M`: columns matched to the table's rows by id, so a view, a
    /// selection by rows= or the loaded table all get the same values per row.
    func addingLabelColumns(to table: Table, with word: Word) throws -> Table {
        var result = table
        let ids = table.rowIdentifiers()
        let dataset = baseName(of: tables[table.name] ?? table)
        for item in word.text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let added: [Column]
            switch item {
            case "gold":
                let gold = goldByID(dataset: dataset)
                added = [Column(name: "gold", strings: ids.map { id in gold[id].map { $0.kind == .label ? $0.label : "unsure" } ?? nil })]
            case "answers":
                added = annotators(of: dataset).map { who in
                    Column(name: "answer_" + who, strings: ids.map { id in
                        team.answers[dataset]?[id]?.last { $0.annotator == who }.map { $0.kind == .label ? $0.label : "unsure" } ?? nil
                    })
                }
            case let text where text.hasPrefix("predict:"):
                let nameWord = Word(text: String(text.dropFirst(8)), raw: String(text.dropFirst(8)), quoted: false, offset: word.offset)
                added = try predictionColumns(model: requireModel(nameWord, verb: word), ids: ids, at: word)
            default:
                throw CommandError("with= takes gold, answers and predict:MODEL, not `\(item)`", at: word,
                                   suggestion: nearestName(to: item.firstIndex(of: ":").map { String(item[...$0]) } ?? item,
                                                           in: ["gold", "answers", "predict:"]))
            }
            for column in added {
                guard table.column(named: column.name) == nil else {
                    throw CommandError("the table already has a column `\(column.name)`: export it with columns= leaving it out", at: word)
                }
                try result.setColumn(column)
            }
        }
        return result
    }

    /// The gold label of every answered row of a dataset, by id.
    func goldByID(dataset: String) -> [String: LabelRecord] {
        guard let base = tables[dataset] else { return [:] }
        let ids = base.rowIdentifiers()
        var gold: [String: LabelRecord] = [:]
        for (row, record) in answers[dataset] ?? [:] where row < ids.count { gold[ids[row]] = record }
        return gold
    }

    /// For every row (not only the pool): the model's class, probabilities, uncertainty, the set the
    /// row is in and the model version `NAME@FITS:LABELS`.
    func predictionColumns(model: ActiveModel, ids: [String], at word: Word) throws -> [Column] {
        guard !model.trainingRows.isEmpty else { throw CommandError("model `\(model.name)` has no training labels yet", at: word) }
        guard let modelTable = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: word) }
        var rowOf: [String: Int] = [:]
        for (row, id) in modelTable.rowIdentifiers().enumerated() where rowOf[id] == nil { rowOf[id] = row }
        let rows = ids.map { rowOf[$0] }
        let present = rows.compactMap { $0 }
        guard !present.isEmpty else {
            throw CommandError("no row of this table is in `\(model.tableName)`, the table of `\(model.name)` (rows are matched by id)", at: word)
        }
        let k = model.classes.count
        let p = try model.classifier.predictProbabilities(model.x.selecting(rows: present))
        let uncertainty = model.uncertaintyMeasure.scores(probabilities: p, classCount: k, seed: 0)
        let training = Set(model.trainingRows), validation = Set(model.validationRows), test = Set(model.testRows)
        let version = "\(model.name)@\(model.fits):\(model.trainingRows.count)"
        var predicted: [String?] = [], probabilities = [[Double]](repeating: [], count: k), uncertain: [Double] = [], sets: [String?] = []
        var next = 0
        for row in rows {
            guard let row else {
                predicted.append(nil); sets.append(nil); uncertain.append(.nan)
                for c in 0..<k { probabilities[c].append(.nan) }
                continue
            }
            let slice = p[(next * k)..<((next + 1) * k)]
            let best = slice.indices.max { slice[$0] < slice[$1] || (slice[$0] == slice[$1] && $0 > $1) } ?? next * k
            predicted.append(model.classes[best - next * k])
            for c in 0..<k { probabilities[c].append(p[next * k + c]) }
            uncertain.append(uncertainty[next])
            sets.append(training.contains(row) ? "train" : validation.contains(row) ? "validation" : test.contains(row) ? "test" : "pool")
            next += 1
        }
        let prefix = model.name + "_"
        return [Column(name: prefix + "predicted", strings: predicted)]
            + model.classes.enumerated().map { Column(name: prefix + "p_" + $0.element, numbers: probabilities[$0.offset]) }
            + [Column(name: prefix + "uncertainty", numbers: uncertain), Column(name: prefix + "set", strings: sets),
               Column(name: prefix + "version", strings: rows.map { $0 == nil ? nil : version })]
    }
}
