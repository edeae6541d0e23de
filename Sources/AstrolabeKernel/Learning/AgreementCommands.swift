import AstrolabeData
import AstrolabeLearn
import AstrolabePlot
import Foundation

/// `agreement` and `labels by=annotator`: how far annotators agree, and every answer side by side.
extension Session {
    /// The answers of the chosen annotators as class indices, one row per answered id (id order).
    struct AnswerMatrix {
        var annotators: [String]
        var classes: [String]
        var ids: [String]
        var rows: [[Int?]]
    }

    func answerMatrix(_ command: ParsedCommand, table: Table) throws -> AnswerMatrix {
        let dataset = baseName(of: table)
        let known = annotators(of: dataset)
        var chosen = known
        if let o = command.word("annotators") {
            chosen = o.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for name in chosen where !known.contains(name) {
                throw CommandError("no answers by `\(name)` in \(dataset) (annotators: \(known.joined(separator: ", ")))",
                                   at: o, suggestion: nearestName(to: name, in: known))
            }
        }
        guard Set(chosen).count >= 2 else {
            throw CommandError("agreement needs at least two annotators; \(dataset) has answers by "
                               + (known.isEmpty ? "nobody" : known.joined(separator: ", ")) + " (`annotator NAME` switches who answers)",
                               at: command.word("annotators") ?? command.verb)
        }
        var classes = try classSet(for: table, at: command.verb).names
        if let o = command.word("classes") {
            let wanted = o.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for name in wanted where !classes.contains(name) {
                throw CommandError("`\(name)` is not a class (classes: \(classes.joined(separator: ", ")))", at: o,
                                   suggestion: nearestName(to: name, in: classes))
            }
            classes = wanted
        }
        var ids: [String] = [], rows: [[Int?]] = []
        for (id, records) in (team.answers[dataset] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let row = chosen.map { who in
                records.last { $0.annotator == who && $0.kind == .label }?.label.flatMap { classes.firstIndex(of: $0) }
            }
            guard row.contains(where: { $0 != nil }) else { continue }
            ids.append(id)
            rows.append(row)
        }
        return AnswerMatrix(annotators: chosen, classes: classes, ids: ids, rows: rows)
    }

    func agreement(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let m = try answerMatrix(command, table: table)
        let alpha = try Agreement.krippendorffAlpha(m.rows, classCount: m.classes.count)
        guard alpha.pairableRows > 0 else {
            throw CommandError("no row was answered by two of \(m.annotators.joined(separator: ", ")): nothing to compare", at: command.verb)
        }
        let fleiss = try Agreement.fleissKappa(m.rows, classCount: m.classes.count)
        let kappa = try pairwiseKappa(m)
        var lines = ["agreement of \(m.annotators.count) annotators on \(plural(m.ids.count, "row")) of \(table.name) "
                     + "(\(alpha.pairableRows) pairable: answered by at least two)",
                     "Krippendorff's alpha (nominal): \(fixed(alpha.alpha))   observed agreement: \(fixed(alpha.observed))",
                     fleiss.rows == 0 ? "Fleiss' kappa: no row was answered by all \(m.annotators.count)"
                                      : "Fleiss' kappa: \(fixed(fleiss.kappa)) over \(plural(fleiss.rows, "row")) answered by all \(m.annotators.count)",
                     "", "Cohen's kappa (rows both answered):"]
        var matrix = TextTable(header: [""] + m.annotators, numericColumns: Set(1...m.annotators.count))
        for (i, who) in m.annotators.enumerated() {
            matrix.append([who] + m.annotators.indices.map { j in i == j ? "—" : kappaText(kappa.values[i][j], kappa.counts[i][j]) })
        }
        lines.append(matrix.rendered)
        lines.append(accuracyTable(m, table: table).rendered)
        var outputs: [Output] = [.text(lines.joined(separator: "\n"))]
        if let to = command.word("to") { outputs = try kappaFigure(m, kappa: kappa, command: command, to: to) + outputs }
        return outputs
    }

    func kappaText(_ value: Double, _ count: Int) -> String {
        count == 0 ? "no overlap" : (value.isNaN ? "undefined" : fixed(value)) + " (\(count))"
    }

    /// Cohen's kappa and the number of shared rows for every ordered pair.
    func pairwiseKappa(_ m: AnswerMatrix) throws -> (values: [[Double]], counts: [[Int]]) {
        let n = m.annotators.count
        var values = [[Double]](repeating: [Double](repeating: 1, count: n), count: n)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                let shared = m.rows.compactMap { row -> (Int, Int)? in
                    guard let a = row[i], let b = row[j] else { return nil }
                    return (a, b)
                }
                counts[i][j] = shared.count
                values[i][j] = try Agreement.cohenKappa(shared.map(\.0), shared.map(\.1), classCount: m.classes.count)
            }
            counts[i][i] = m.rows.filter { $0[i] != nil }.count
        }
        return (values, counts)
    }

    /// Each annotator's answers against the gold labels (rows someone else answered too, so an
    /// annotator's own answer is not simply compared with itself), the curated test set and the catalogue.
    func accuracyTable(_ m: AnswerMatrix, table: Table) -> TextTable {
        let dataset = baseName(of: table)
        let ids = table.rowIdentifiers()
        var rowOf: [String: Int] = [:]
        for (row, id) in ids.enumerated() where rowOf[id] == nil { rowOf[id] = row }
        let curated = Set((learning.found[table.name] ?? []).map { ids[$0] })
        let catalogue: [String: String] = {
            guard let name = table.labelColumn, let column = table.column(named: name) else { return [:] }
            var labels: [String: String] = [:]
            for (id, row) in rowOf { labels[id] = column.displayText(row: row) }
            return labels
        }()
        var text = TextTable(header: ["annotator", "answers", "vs gold", "vs curated test", "vs catalogue"], numericColumns: [1, 2, 3, 4])
        for (a, who) in m.annotators.enumerated() {
            var gold = (0, 0), test = (0, 0), cat = (0, 0)
            for (u, id) in m.ids.enumerated() {
                guard let mine = m.rows[u][a] else { continue }
                let label = m.classes[mine]
                let goldRecord = rowOf[id].flatMap { answers[table.name]?[$0] }
                let others = (team.answers[dataset]?[id] ?? []).contains { $0.annotator != who && $0.kind == .label }
                if let g = goldRecord, g.kind == .label, others {
                    gold.1 += 1
                    if g.label == label { gold.0 += 1 }
                    if curated.contains(id) { test.1 += 1; if g.label == label { test.0 += 1 } }
                }
                if let c = catalogue[id], !c.isEmpty { cat.1 += 1; if c == label { cat.0 += 1 } }
            }
            func share(_ x: (Int, Int)) -> String { x.1 == 0 ? "—" : "\(fixed(Double(x.0) / Double(x.1))) (\(x.1))" }
            text.append([who, String(m.rows.filter { $0[a] != nil }.count), share(gold), share(test), share(cat)])
        }
        return text
    }

    /// The pairwise kappa matrix as a heatmap (the diagonal: 1), values in the cells.
    func kappaFigure(_ m: AnswerMatrix, kappa: (values: [[Double]], counts: [[Int]]), command: ParsedCommand, to word: Word) throws -> [Output] {
        let n = m.annotators.count
        var values: [Double] = [], text: [String] = []
        for i in 0..<n {
            for j in 0..<n {
                let v = kappa.counts[i][j] == 0 ? Double.nan : kappa.values[i][j]
                values.append(v)
                text.append(v.isNaN ? "" : String(format: "%.2f", v))
            }
        }
        var map = Heatmap(values: values, rows: n, columns: n, rowLabels: m.annotators, columnLabels: m.annotators,
                          colormap: .coolwarm, showValues: true)
        map.cellText = text
        map.low = -1
        map.high = 1
        map.xLabel = "annotator"
        map.yLabel = "annotator"
        map.colorBarLabel = "Cohen's kappa"
        map.title = "agreement: Cohen's kappa per pair"
        let panel: Panel = map
        let style = try figureStyle(command)
        return try writeFigure(path: word.text, word: word, style: style, description: command.line) { vector in
            if let vector { return (nil, try panel.renderVector(vector, style: style)) }
            return (try panel.renderFigure(style: style), nil)
        }
    }

    /// `labels by=annotator` / `disagreements=yes`: every annotator's answer per row beside the gold label.
    func teamLabels(_ command: ParsedCommand, table: Table) throws -> [Output] {
        if let o = command.word("by"), o.text != "annotator" {
            throw CommandError("labels by= expects `annotator`", at: o, suggestion: nearestName(to: o.text, in: ["annotator"]))
        }
        let onlyOpen = try command.yesNo("disagreements")
        let dataset = baseName(of: table)
        let who = annotators(of: dataset)
        guard !who.isEmpty else { return [.text("no answers yet for \(table.name)")] }
        var rowOf: [String: Int] = [:]
        for (row, id) in table.rowIdentifiers().enumerated() where rowOf[id] == nil { rowOf[id] = row }
        let open = Set(disagreements(dataset: dataset).map(\.id))
        let shown = (team.answers[dataset] ?? [:]).filter { rowOf[$0.key] != nil && (!onlyOpen || open.contains($0.key)) }
            .sorted { $0.key < $1.key }
        var text = TextTable(header: ["id"] + who + ["gold"] + (onlyOpen ? ["settled by"] : []))
        var notes: [String] = []
        for (id, records) in shown {
            let cells = who.map { name -> String in
                guard let r = records.last(where: { $0.annotator == name }) else { return "" }
                var cell = r.kind == .label ? (r.label ?? "") : "unsure"
                if let c = r.confidence { cell += " (\(fixed(c, 2)))" }
                if let note = r.note { notes.append("\(id), \(name): \(note)") }
                return cell
            }
            let gold = rowOf[id].flatMap { answers[table.name]?[$0] }
            let goldText = gold.map { $0.kind == .label ? ($0.label ?? "") : "unsure" } ?? "—"
            let settled = team.adjudicator.flatMap { judge in records.contains { $0.annotator == judge } ? judge : nil } ?? ""
            text.append([id] + cells + [goldText] + (onlyOpen ? [settled] : []))
        }
        var summary = TextTable(header: ["annotator", "answers", "unsure", "agree with gold"], numericColumns: [1, 2, 3])
        for name in who {
            let mine = (team.answers[dataset] ?? [:]).compactMap { id, records in records.last { $0.annotator == name }.map { (id, $0) } }
            let agree = mine.filter { id, r in rowOf[id].flatMap { answers[table.name]?[$0] }.map { $0.kind == r.kind && $0.label == r.label } ?? false }
            summary.append([name, String(mine.count), String(mine.filter { $0.1.kind == .unsure }.count), String(agree.count)])
        }
        let title = onlyOpen
            ? "\(plural(shown.count, "row")) of \(table.name) with disagreeing answers (gold policy \(team.policy.name)"
                + (team.adjudicator.map { "; adjudicator \($0)" } ?? "; no adjudicator") + ")"
            : "\(plural(shown.count, "answered row")) of \(table.name) by \(plural(who.count, "annotator")) (gold policy \(team.policy.name); "
                + "answering now: \(annotator))"
        var parts = [title, text.rendered]
        if !notes.isEmpty { parts.append("notes:\n" + notes.map { "  " + $0 }.joined(separator: "\n")) }
        parts.append(summary.rendered)
        return [.text(parts.joined(separator: "\n"))]
    }
}
