import AstrolabeData
import AstrolabeLearn
import Foundation

/// How the answers of several annotators about one row become the row's training (gold) label.
enum GoldPolicy: Equatable {
    /// The most recent answer, whoever gave it (one annotator's sessions behave as they always did).
    case latest
    /// The class most annotators gave; a tie leaves the row without a gold label until adjudicated.
    case majority
    /// Only rows where every annotator who answered agrees.
    case strict
    /// One annotator's answers only.
    case annotator(String)
    /// Dawid–Skene: each annotator weighted by their estimated confusion matrix.
    case weighted

    static let names = ["latest", "majority", "strict", "annotator:NAME", "weighted"]

    var name: String {
        switch self {
        case .latest: return "latest"
        case .majority: return "majority"
        case .strict: return "strict"
        case .annotator(let who): return "annotator:" + who
        case .weighted: return "weighted"
        }
    }

    /// Reads `latest`, `majority`, `strict`, `weighted` or `annotator:NAME`; a typo is an error
    /// with the nearest name.
    init(_ word: Word) throws {
        switch word.text {
        case "latest": self = .latest
        case "majority": self = .majority
        case "strict": self = .strict
        case "weighted": self = .weighted
        case let text where text.hasPrefix("annotator:") && text.count > 10: self = .annotator(String(text.dropFirst(10)))
        default:
            throw CommandError("unknown gold policy `\(word.text)` (expected one of: \(GoldPolicy.names.joined(separator: ", ")))",
                               at: word, suggestion: nearestName(to: word.text, in: ["latest", "majority", "strict", "weighted", "annotator:"]))
        }
    }
}

/// Who is answering, every annotator's standing answers per row, and how they become gold labels.
struct TeamState {
    /// The annotator `annotator NAME` switched to (nil: the session's `--annotator`).
    var active: String?
    var policy: GoldPolicy = .latest
    /// An annotator whose answer settles a row under every policy (`gold adjudicator=NAME`).
    var adjudicator: String?
    /// Per dataset (loaded table), per row id: each annotator's standing answer, oldest first.
    var answers: [String: [String: [LabelRecord]]] = [:]
    /// Per dataset: the Dawid–Skene estimate behind `weighted` gold labels (kept for `agreement`).
    var weights: [String: WeightedGold] = [:]
}

/// Dawid–Skene gold labels of one dataset with the annotators' estimated reliabilities.
struct WeightedGold {
    var labels: [String: String]
    var reliabilities: [String: Double]
}

extension Session {
    /// The annotator answers are recorded under now.
    var annotator: String { team.active ?? options.annotator }

    /// Each annotator's standing answer per row, from the store's answers (latest per annotator).
    static func standingByAnnotator(_ records: [LabelRecord]) -> [String: [LabelRecord]] {
        var rows: [String: [LabelRecord]] = [:]
        for record in records {
            rows[record.rowID, default: []].removeAll { $0.annotator == record.annotator }
            rows[record.rowID, default: []].append(record)
        }
        return rows
    }

    /// Reads one row's standing answers back from the store after an answer or undo, then sets the
    /// gold label of that row (of every row, under `weighted`) in every table of the dataset.
    func refreshTeamRow(dataset: String, rowID: String) throws {
        let records = try store.answers(dataset: dataset, rowID: rowID)
        team.answers[dataset, default: [:]][rowID] = Session.standingByAnnotator(records)[rowID]
        if team.policy == .weighted { applyGold(dataset: dataset); return }
        let gold = goldRecord(team.answers[dataset]?[rowID] ?? [], rowID: rowID, weighted: nil)
        for (name, row) in rows(withID: rowID, of: dataset) { answers[name, default: [:]][row] = gold }
    }

    /// Reads every standing answer of a dataset from the store (a table loaded again).
    func loadTeam(dataset: String) throws {
        team.answers[dataset] = Session.standingByAnnotator(try store.answers(dataset: dataset))
    }

    /// Annotators of a dataset in the order of their first standing answer.
    func annotators(of dataset: String) -> [String] {
        let all = (team.answers[dataset] ?? [:]).values.flatMap { $0 }.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
        var seen: [String] = []
        for record in all where !seen.contains(record.annotator) { seen.append(record.annotator) }
        return seen
    }

    /// Sets every table of the dataset (the loaded table and its views) to the gold labels.
    func applyGold(dataset: String) {
        let rows = team.answers[dataset] ?? [:]
        let weighted = team.policy == .weighted ? weightedGold(dataset: dataset) : nil
        team.weights[dataset] = weighted
        for name in tableOrder {
            guard let table = tables[name], baseName(of: table) == dataset else { continue }
            var firstRow: [String: Int] = [:]
            for (row, id) in table.rowIdentifiers().enumerated() where firstRow[id] == nil { firstRow[id] = row }
            var gold: [Int: LabelRecord] = [:]
            for (id, records) in rows {
                guard let row = firstRow[id], let record = goldRecord(records, rowID: id, weighted: weighted) else { continue }
                gold[row] = record
            }
            answers[name] = gold
        }
    }

    /// The answer that stands as a row's gold label under the policy, or nil (a disagreement the
    /// policy leaves open, or no answer). The adjudicator's answer wins under every policy.
    func goldRecord(_ records: [LabelRecord], rowID: String, weighted: WeightedGold?) -> LabelRecord? {
        if let judge = team.adjudicator, let ruling = records.last(where: { $0.annotator == judge }) { return ruling }
        guard let latest = records.max(by: { ($0.seq ?? 0) < ($1.seq ?? 0) }) else { return nil }
        let labelled = records.filter { $0.kind == .label }
        switch team.policy {
        case .latest:
            return latest
        case .annotator(let who):
            return records.last { $0.annotator == who }
        case .strict:
            guard let first = labelled.first else { return latest }
            return labelled.allSatisfy({ $0.label == first.label }) ? labelled.last : nil
        case .majority:
            guard !labelled.isEmpty else { return latest }
            var votes: [String: Int] = [:]
            for record in labelled { votes[record.label ?? "", default: 0] += 1 }
            let top = votes.values.max() ?? 0
            let winners = votes.filter { $0.value == top }
            guard winners.count == 1, let label = winners.first?.key else { return nil }
            return labelled.last { $0.label == label }
        case .weighted:
            guard !labelled.isEmpty else { return latest }
            guard let label = weighted?.labels[rowID] else { return nil }
            if let given = labelled.last(where: { $0.label == label }) { return given }
            // No annotator gave the class the weighting settles on: stand for it as the policy.
            var record = labelled[labelled.count - 1]
            record.label = label
            record.annotator = "weighted"
            return record
        }
    }

    /// Dawid–Skene over the dataset's label answers (unsure answers say nothing about the class).
    func weightedGold(dataset: String) -> WeightedGold? {
        let rows = (team.answers[dataset] ?? [:]).sorted { $0.key < $1.key }
        let who = annotators(of: dataset)
        let classes = Array(Set(rows.flatMap { $0.value.compactMap { $0.kind == .label ? $0.label : nil } })).sorted()
        guard !classes.isEmpty else { return nil }
        var answers: [DawidSkene.Answer] = []
        for (item, row) in rows.enumerated() {
            for record in row.value where record.kind == .label {
                guard let a = who.firstIndex(of: record.annotator), let c = record.label.flatMap(classes.firstIndex) else { continue }
                answers.append(.init(item: item, annotator: a, label: c))
            }
        }
        guard let model = try? DawidSkene(answers: answers, items: rows.count, annotators: max(1, who.count), classes: classes.count) else {
            return nil
        }
        var labels: [String: String] = [:]
        for (item, label) in model.labels.enumerated() { if let label { labels[rows[item].key] = classes[label] } }
        let reliability = model.reliabilities
        return WeightedGold(labels: labels, reliabilities: Dictionary(uniqueKeysWithValues: who.enumerated().map { ($0.element, reliability[$0.offset]) }))
    }

    /// Rows of a dataset whose annotators gave different classes, in id order.
    func disagreements(dataset: String) -> [(id: String, records: [LabelRecord])] {
        (team.answers[dataset] ?? [:]).filter { Set($0.value.compactMap { $0.kind == .label ? $0.label : nil }).count > 1 }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// A note on an answer whose row's gold label is not what was just answered.
    func goldNote(dataset: String, table: String, row: Int, answer: LabelRecord) -> String? {
        guard annotators(of: dataset).count > 1 || team.policy != .latest || team.adjudicator != nil else { return nil }
        let gold = answers[table]?[row]
        if gold?.kind == answer.kind && gold?.label == answer.label { return nil }
        guard let gold else { return "no gold label: annotators disagree (policy \(team.policy.name); see labels disagreements=yes)" }
        return "gold stays \(gold.kind == .label ? gold.label ?? "" : "unsure") (policy \(team.policy.name))"
    }

    /// Whether a dataset's answers need `annotator` lines to be given again: several annotators,
    /// another annotator than the active one, a switch, or a gold policy other than the default.
    func teamMode(dataset: String) -> Bool {
        let who = annotators(of: dataset)
        return team.active != nil || !goldIsDefault || who.count > 1 || (who.first.map { $0 != annotator } ?? false)
    }

    /// The lines that give answers again in the order they were stored (a restored table in a
    /// recording, a saved session): `annotator NAME` before each annotator's run of answers, and the
    /// `active` annotator restored at the end.
    func teamAnswerLines(_ records: [LabelRecord], classNames: [String]?, active: String) -> [String] {
        var lines: [String] = []
        var current: String?
        for record in records.sorted(by: { ($0.seq ?? 0) < ($1.seq ?? 0) }) {
            if record.annotator != current {
                lines.append("annotator \(quoteIfNeeded(record.annotator))")
                current = record.annotator
            }
            lines.append(answerLine(record, classNames: classNames))
        }
        if current != active { lines.append("annotator \(quoteIfNeeded(active))") }
        return lines
    }

    /// `teach ID CLASS [confidence=C] [note=TEXT]` or `unsure ID` for a stored answer.
    func answerLine(_ record: LabelRecord, classNames: [String]?) -> String {
        let id = quoteIfNeeded(record.rowID)
        guard record.kind == .label else { return "unsure \(id)" + (record.note.map { " note=\(quoteIfNeeded($0))" } ?? "") }
        let label = record.label ?? ""
        var line = "teach \(id) \(quoteIfNeeded(label))"
        if let c = record.confidence { line += " confidence=\(NumberFormatting.short(c))" }
        if let note = record.note { line += " note=\(quoteIfNeeded(note))" }
        if let classNames, !classNames.contains(label) { return "# \(line)   (`\(label)` is no longer a class)" }
        return line
    }
}

/// What `save session` writes of several annotators (see SessionSnapshot.swift).
extension Session {
    /// The store's standing answers (earlier answers of each annotator included, so an `undo` later in
    /// the script brings the same one back), the active annotator and the gold line; nil without a team.
    func teamSnapshot(dataset: String) -> (answers: [LabelRecord], annotator: String, gold: String?)? {
        guard teamMode(dataset: dataset) else { return nil }
        return ((try? store.answers(dataset: dataset)) ?? [], annotator, goldIsDefault ? nil : goldLine)
    }

    func teamOpening(_ team: (answers: [LabelRecord], annotator: String, gold: String?), classNames: [String],
                     counts: inout ScriptCounts) -> [String] {
        let lines = teamAnswerLines(team.answers, classNames: classNames, active: team.annotator)
        counts.answers += team.answers.count
        return lines + (team.gold.map { [$0] } ?? [])
    }

    /// The annotator and gold policy in force at the end of the session.
    func teamClosing() -> [String] {
        (team.active.map { ["annotator \(quoteIfNeeded($0))"] } ?? []) + (goldIsDefault ? [] : [goldLine])
    }
}
