import AstrolabeData
import AstrolabeLearn
import Foundation

/// What the last `audit MODEL` found: the audited rows (those with a given label), their
/// out-of-fold probabilities and what confident learning made of them.
struct ModelAudit {
    var folds: Int
    /// Table rows audited, ascending.
    var rows: [Int]
    /// The given label (class index) of each audited row.
    var given: [Int]
    /// Out-of-fold probabilities, `rows.count × classes`, row-major.
    var probabilities: [Double]
    var issues: LabelIssues

    /// Positions (into `rows`) of the flagged rows, lowest quality first (ties in row order).
    var flaggedByQuality: [Int] {
        rows.indices.filter { issues.flagged[$0] }.sorted { (issues.quality[$0], $0) < (issues.quality[$1], $1) }
    }
}

extension VerbCatalog {
    nonisolated(unsafe) static let audit: [Verb] = [
        Verb("audit", usage: "audit MODEL [folds=5] [top=N] [to=CSV]",
             summary: "Find rows whose given label looks wrong: out-of-fold fits of the model, confident learning.",
             details: """
                 Every row with a given label (a human answer, else the catalogue's declared class) is predicted by
                 a copy of MODEL (same classifier and options) fitted on the other folds (stratified, seeded).
                 quality is the out-of-fold probability of the given label (cleanlab's self-confidence score); a
                 row is flagged when confident learning counts it among the likely label errors (cleanlab's
                 find_label_issues, prune_by_noise_rate); suggested is its most probable class. The table shows
                 the top= rows of lowest quality (default 10); to=PATH.csv writes every flagged row.
                 `query MODEL strategy=suspect` then asks about the flagged rows, and `plot audit MODEL X Y`
                 rings them.
                 example: audit m folds=5 top=15 to=suspects.csv
                 """,
             options: [.int("folds", 2...50, default: 5, "number of stratified folds"),
                       .int("top", 1...1_000_000, default: 10, "rows shown, lowest quality first"),
                       .path("to", "CSV of every flagged row")],
             arguments: [.model],
             provenance: .noted(SessionProvenance.noteAudit),
             run: Session.audit),
    ]
}

extension SessionProvenance {
    /// `audit MODEL [folds=N]`: what `query MODEL strategy=suspect` asks depends on it (top= and to=
    /// only show and write).
    static func noteAudit(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let name = command.positionals.first?.text, let table = p.models[name]?.table else { return }
        var line = "audit \(quoteIfNeeded(name))"
        if let folds = command.word("folds")?.text { line += " folds=\(folds)" }
        p.log(line, table: table, in: session)
    }
}

extension Session {
    func audit(_ command: ParsedCommand) throws -> [Output] {
        var model = try requireModel(command.positionals.first, verb: command.verb)
        let modelWord = command.positionals[0]
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: modelWord) }
        let folds = try command.int("folds")
        if let to = command.word("to"), !to.text.lowercased().hasSuffix(".csv") {
            throw CommandError("audit writes a .csv file, not `\(to.text)`", at: to)
        }
        let given = givenLabels(model, table: table)
        let rows = given.indices.filter { given[$0] >= 0 }
        let labels = rows.map { given[$0] }
        try checkAuditable(model, labels: labels, folds: folds, at: command.word("folds") ?? modelWord)
        let k = model.classes.count
        let copy = model
        let probabilities: [Double]
        let issues: LabelIssues
        do {
            probabilities = try outOfFoldProbabilities(x: model.x.selecting(rows: rows), labels: labels, classCount: k, folds: folds,
                                                       seed: model.seed &+ stableHash("audit")) { copy.makeClassifier() }
            issues = try findLabelIssues(labels: labels, probabilities: probabilities, classCount: k)
        } catch let error as LearnError {
            throw CommandError("audit of `\(model.name)` failed: \(error.message)", at: modelWord)
        }
        let audit = ModelAudit(folds: folds, rows: rows, given: labels, probabilities: probabilities, issues: issues)
        model.audit = audit
        try workspace.setModel(model)
        var outputs: [Output] = [.text(auditReport(model, audit: audit, table: table, top: try command.int("top")))]
        if let to = command.word("to") { outputs.append(.text(try writeAuditCSV(model, audit: audit, table: table, to: to))) }
        return outputs
    }

    /// The given label of every row for `model`: a standing human answer, else the catalogue's
    /// declared class; -1 where neither (or where the answer is `unsure`).
    func givenLabels(_ model: ActiveModel, table: Table) -> [Int] {
        var given = modelClasses(table, model: model)
        for (row, record) in answers[model.tableName] ?? [:] where row < given.count {
            if record.kind == .label, let label = record.label, let index = model.classIndex(of: label) {
                given[row] = index
            } else if record.kind == .unsure {
                given[row] = -1
            }
        }
        return given
    }

    /// Enough labelled rows in every class for the folds: each class present has at least `folds`.
    func checkAuditable(_ model: ActiveModel, labels: [Int], folds: Int, at word: Word) throws {
        guard !labels.isEmpty else {
            throw CommandError("model `\(model.name)` has no labelled rows to audit: no row has a declared class or an answer", at: word)
        }
        var counts = [Int](repeating: 0, count: model.classes.count)
        for label in labels { counts[label] += 1 }
        guard counts.filter({ $0 > 0 }).count >= 2 else {
            throw CommandError("an audit needs labelled rows of at least two classes; `\(model.name)` has only \(model.classes[counts.firstIndex { $0 > 0 } ?? 0])", at: word)
        }
        if let c = counts.indices.first(where: { counts[$0] > 0 && counts[$0] < folds }) {
            throw CommandError("class `\(model.classes[c])` has \(plural(counts[c], "labelled row")); folds=\(folds) needs at least \(folds) per class "
                               + "(lower folds= or label more rows)", at: word)
        }
    }

    /// The summary, the confident joint and the `top` rows of lowest quality.
    func auditReport(_ model: ActiveModel, audit: ModelAudit, table: Table, top: Int) -> String {
        let issues = audit.issues
        let flagged = issues.flagged.filter { $0 }.count
        let share = audit.rows.isEmpty ? 0 : 100 * Double(flagged) / Double(audit.rows.count)
        var counts = [Int](repeating: 0, count: model.classes.count)
        for label in audit.given { counts[label] += 1 }
        let perClass = zip(model.classes, counts).map { "\($0) \($1)" }.joined(separator: ", ")
        var lines = ["audit of \(model.name): \(audit.folds)-fold out-of-fold \(model.description) on "
                     + "\(plural(audit.rows.count, "labelled row")) (\(perClass))"]
        lines.append("flagged \(flagged) (\(fixed(share, 1))%) whose given label looks wrong (confident learning); "
                     + "quality = out-of-fold probability of the given label")
        var joint = TextTable(header: ["given \\ suggested"] + model.classes, numericColumns: Set(1...model.classes.count))
        for (c, name) in model.classes.enumerated() { joint.append([name] + issues.confidentJoint[c].map(String.init)) }
        lines.append("\nconfident joint (calibrated counts):\n" + joint.rendered)
        let order = audit.rows.indices.sorted { (issues.quality[$0], $0) < (issues.quality[$1], $1) }.prefix(top)
        let ids = table.rowIdentifiers()
        let k = model.classes.count
        var text = TextTable(header: ["rank", "id", "given", "suggested", "quality", "flagged"] + model.classes.map { "p(\($0))" },
                             numericColumns: Set([0, 4] + Array(6..<(6 + k))))
        for (rank, i) in order.enumerated() {
            text.append([String(rank + 1), ids[audit.rows[i]], model.classes[audit.given[i]], model.classes[issues.suggested[i]],
                         fixed(issues.quality[i]), issues.flagged[i] ? "yes" : ""]
                        + (0..<k).map { fixed(audit.probabilities[i * k + $0]) })
        }
        lines.append("\nlowest quality first (\(order.count) of \(audit.rows.count)):\n" + text.rendered)
        if flagged > 0 { lines.append("`query \(quoteIfNeeded(model.name)) strategy=suspect` asks about the flagged rows, lowest quality first") }
        return lines.joined(separator: "\n")
    }

    /// Every flagged row, lowest quality first: id, given, suggested, quality, the probabilities.
    func writeAuditCSV(_ model: ActiveModel, audit: ModelAudit, table: Table, to word: Word) throws -> String {
        let ids = table.rowIdentifiers()
        let k = model.classes.count
        var lines = [(["id", "given", "suggested", "quality"] + model.classes.map { "p_\($0)" }).map(csvField).joined(separator: ",")]
        let flagged = audit.flaggedByQuality
        for i in flagged {
            let cells = [ids[audit.rows[i]], model.classes[audit.given[i]], model.classes[audit.issues.suggested[i]],
                         "\(audit.issues.quality[i])"]
                + (0..<k).map { "\(audit.probabilities[i * k + $0])" }
            lines.append(cells.map(csvField).joined(separator: ","))
        }
        try writeFile(Array((lines.joined(separator: "\n") + "\n").utf8), to: word.text, word: word)
        return "wrote \(plural(flagged.count, "flagged row")) to \(word.text)"
    }

    /// A note for an answer about a row an audit flagged: whether it confirms or corrects the given label.
    func auditNote(table: String, row: Int, label: String?) -> String? {
        for name in modelOrder.reversed() {
            guard let model = models[name], model.tableName == table, let audit = model.audit,
                  let i = sortedIndex(audit.rows, row), audit.issues.flagged[i], let label else { continue }
            let given = model.classes[audit.given[i]]
            return model.classIndex(of: label) == audit.given[i] ? "confirms the given label \(given) that audit \(name) flagged"
                : "corrects the flagged label \(given) to \(label) (audit \(name) suggested \(model.classes[audit.issues.suggested[i]]))"
        }
        return nil
    }

    /// The position of `value` in an ascending array, or nil.
    func sortedIndex(_ sorted: [Int], _ value: Int) -> Int? {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value ? low : nil
    }
}
