import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let team: [Verb] = [
        Verb("annotator", usage: "annotator [NAME]",
             summary: "Switch who is answering (answers are stored under this name), or show who is.",
             details: """
                 Every annotator's answers about a row are kept side by side; an annotator answering a row again
                 replaces only their own answer (the store keeps the earlier one as history), and `undo` takes back
                 the active annotator's own answer. `gold` decides which answer trains the models.
                 example: annotator bob
                 """,
             arguments: [.text],
             provenance: .noted(SessionProvenance.noteAnnotator),
             run: Session.switchAnnotator),
        Verb("gold", usage: "gold [policy=latest|majority|strict|annotator:NAME|weighted] [adjudicator=NAME|none]",
             summary: "Choose how annotators' answers become training labels; models retrain and say how many labels changed.",
             details: """
                 latest: the most recent answer, whoever gave it (the default). majority: the class most annotators
                 gave (a tie leaves the row unlabelled). strict: only rows where everyone who answered agrees.
                 annotator:NAME: that annotator's answers only. weighted: Dawid–Skene, each annotator weighted by
                 their estimated confusion matrix (deterministic EM). An adjudicator's answer settles a row under
                 every policy: `labels disagreements=yes` lists the rows that need one.
                 example: gold policy=majority adjudicator=carol
                 """,
             options: [.text("policy", "latest, majority, strict, annotator:NAME or weighted"),
                       .text("adjudicator", "annotator whose answer settles disagreements (none: nobody)")],
             provenance: .noted(SessionProvenance.noteGold),
             run: Session.gold),
        Verb("agreement", usage: "agreement [annotators=A,B,...] [classes=C,D,...] [to=PATH.png]",
             summary: "How far annotators agree: Krippendorff's alpha, Cohen's kappa per pair, Fleiss' kappa, accuracy per annotator.",
             details: """
                 Over the current table's answers (unsure answers count as missing). Krippendorff's alpha (nominal)
                 uses every row answered by at least two annotators (the pairable rows); Cohen's kappa is computed for
                 each pair on the rows both answered; Fleiss' kappa on the rows all answered. Each annotator's accuracy
                 is given against the gold labels (rows someone else also answered), against the curated test set
                 (rows drawn by `find`) and against the catalogue's label column. to= draws the kappa matrix.
                 example: agreement annotators=alice,bob to=plots/kappa.png
                 """,
             options: [.text("annotators", "comma-separated annotators (default: all)"), .text("classes", "only answers of these classes"),
                       .path("to", "PNG, PDF or SVG of the pairwise kappa matrix")] + figureStyleOptions,
             provenance: .writesFiles,
             run: Session.agreement),
    ]
}

/// `annotator` and `gold`: who answers, and how several answers become one training label.
extension Session {
    func switchAnnotator(_ command: ParsedCommand) throws -> [Output] {
        let dataset = currentTableName.flatMap { tables[$0] }.map { baseName(of: $0) }
        guard let word = command.positionals.first else {
            var text = "annotator: \(annotator)"
            if let dataset {
                let counts = annotators(of: dataset).map { who in
                    "\(who) \((team.answers[dataset] ?? [:]).values.filter { $0.contains { $0.annotator == who } }.count)"
                }
                if !counts.isEmpty { text += " (answers per annotator: " + counts.joined(separator: ", ") + ")" }
            }
            return [.text(text)]
        }
        let name = word.text
        guard !name.isEmpty, !name.contains(where: { $0 == "," || $0 == ":" || $0.isNewline }) else {
            throw CommandError("an annotator's name cannot be empty or hold `,` or `:` (they separate names in options)", at: word)
        }
        let was = annotator
        team.active = name
        return [.text(name == was ? "annotator is \(name)" : "annotator is now \(name) (was \(was))")]
    }

    /// The command that sets the current policy and adjudicator (for saved sessions).
    var goldLine: String {
        "gold policy=\(quoteIfNeeded(team.policy.name)) adjudicator=\(quoteIfNeeded(team.adjudicator ?? "none"))"
    }

    var goldIsDefault: Bool { team.policy == .latest && team.adjudicator == nil }

    func gold(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let dataset = baseName(of: table)
        let known = annotators(of: dataset)
        var policy = team.policy, adjudicator = team.adjudicator
        if let o = command.word("policy") {
            policy = try GoldPolicy(o)
            if case .annotator(let who) = policy, !known.contains(who) {
                throw CommandError("no answers by `\(who)` in \(dataset) (annotators: \(known.joined(separator: ", ")))",
                                   at: o, suggestion: nearestName(to: who, in: known).map { "annotator:" + $0 })
            }
        }
        if let o = command.word("adjudicator") {
            adjudicator = o.text == "none" ? nil : o.text
        }
        guard command.has("policy") || command.has("adjudicator") else {
            let open = disagreements(dataset: dataset).count
            return [.text("gold policy \(team.policy.name)" + (team.adjudicator.map { ", adjudicator \($0)" } ?? "")
                          + ": \(plural((answers[table.name] ?? [:]).count, "gold label")) in \(table.name), \(plural(open, "row")) with disagreeing answers")]
        }
        let before = trainingLabelsByModel()
        let goldBefore = answers
        team.policy = policy
        team.adjudicator = adjudicator
        for name in tableOrder where tables[name].map({ baseName(of: $0) == name }) == true { applyGold(dataset: name) }
        var lines = ["gold policy \(policy.name)" + (adjudicator.map { ", adjudicator \($0)" } ?? "")
                     + ": \(plural(changedGold(goldBefore, table: table.name), "gold label")) changed in \(table.name)"]
        for name in modelOrder {
            guard var model = models[name], changedGold(goldBefore, table: model.tableName) > 0 else { continue }
            try fit(&model)
            try workspace.setModel(model)
            let changed = changedLabels(before[name] ?? [:], trainingLabels(of: model))
            lines.append("\(name) retrained on \(plural(model.trainingRows.count, "label")): \(plural(changed, "training label")) changed")
        }
        if let weights = team.weights[dataset] {
            lines.append("estimated reliability: " + known.map { "\($0) \(fixed(weights.reliabilities[$0] ?? .nan, 2))" }.joined(separator: ", "))
        }
        return [.text(lines.joined(separator: "\n"))]
    }

    /// Rows of `table` whose gold label (class, unsure or none) differs from `before`.
    func changedGold(_ before: [String: [Int: LabelRecord]], table: String) -> Int {
        let old = before[table] ?? [:], new = answers[table] ?? [:]
        return Set(old.keys).union(new.keys).filter { row in
            old[row]?.kind != new[row]?.kind || old[row]?.label != new[row]?.label
        }.count
    }

    func trainingLabels(of model: ActiveModel) -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: zip(model.trainingRows, model.trainingLabels).map { ($0, $1) })
    }

    func trainingLabelsByModel() -> [String: [Int: Int]] { Dictionary(uniqueKeysWithValues: models.map { ($0.key, trainingLabels(of: $0.value)) }) }

    /// Training rows added, removed or given another class.
    func changedLabels(_ old: [Int: Int], _ new: [Int: Int]) -> Int {
        Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.count
    }
}

extension SessionProvenance {
    /// `annotator NAME`: later answers in the log are that annotator's.
    static func noteAnnotator(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, command.positionals.count == 1 else { return }
        p.log("annotator \(quoteIfNeeded(session.annotator))", table: table, in: session)
    }

    /// `gold policy=... adjudicator=...`: written with both, as they are now.
    static func noteGold(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, !command.options.isEmpty else { return }
        p.log(session.goldLine, table: table, in: session)
    }
}
