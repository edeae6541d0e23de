import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let rules: [Verb] = [
        Verb("rule", usage: "rule NAME: CLASS when CONDITION | rule drop NAME",
             summary: "Add a labelling rule: it votes CLASS on the rows where CONDITION holds and abstains elsewhere.",
             details: """
                 CONDITION is written as for `where` and `overlay region`; a row where it is false or missing gets no
                 vote. Rules belong to the loaded table (its views use them too); a rule named again is replaced.
                 `rules` lists them with their coverage, overlaps, conflicts and accuracy on the known labels;
                 `labelmodel fit` combines their votes into one label per row. A rule that fires nowhere is kept,
                 with a warning. `rule drop NAME` removes one. Changing the rules drops the label model.
                 example: rule soft: bll when PL_Index < 2.1
                 """,
             arguments: [.text, .className, .expression], freeText: true,
             provenance: .noted(SessionProvenance.noteRule),
             run: Session.rule),
        Verb("rules", usage: "rules",
             summary: "The table's labelling rules with Snorkel's analysis: polarity, coverage, overlaps, conflicts, accuracy.",
             details: """
                 Per rule (Snorkel's LFAnalysis.lf_summary): the class it votes, coverage (fraction of rows it votes
                 on), overlaps (fraction it votes on with at least one other rule), conflicts (fraction where another
                 rule votes a different class) and, on rows with a known label (the label column or an answer),
                 correct and incorrect votes and the empirical accuracy; with a generative label model, its estimated
                 accuracy beside it. Then the totals: rows covered by any rule, by two or more, and in conflict.
                 """,
             provenance: .readsOnly,
             run: Session.listRules),
        Verb("labelmodel", usage: "labelmodel [fit] [method=majority|generative] [balance=P,P,...]",
             summary: "Combine the rules' votes into a probabilistic label per row; alone, report the last fit.",
             details: """
                 method=majority is Snorkel's MajorityLabelVoter: the most votes win, a tie abstains.
                 method=generative (the default) is Dawid–Skene EM with the rules as annotators: each rule's
                 accuracy (and how often it stays silent on each class) is learned from how the rules agree, without
                 known labels, starting from the majority vote; the class balance is estimated, or given as
                 balance= (one share per class, in the order of `classes`). Rows no rule votes on stay unlabelled.
                 The label model's labels train models made with `model M … weak=labelmodel`.
                 example: labelmodel fit method=generative
                 """,
             options: [.choice("method", WeakLabelModel.Method.self, default: .generative, "majority or generative (Dawid–Skene)"),
                       .text("balance", "class shares P,P,... in class order (default: estimated)")],
             arguments: [.text], maxPositionals: 1,
             provenance: .noted(SessionProvenance.noteLabelModel),
             run: Session.labelModel),
    ]
}

extension Session {
    /// The rules of a table (a view's are its base table's).
    func rules(of table: Table) -> [LabellingRule] { ruleState.rules[baseName(of: table)] ?? [] }

    func rule(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let base = baseName(of: table)
        let text = command.rest
        let end = command.verb.offset + command.verb.length
        if text.hasPrefix("drop ") || text == "drop" {
            let name = text.dropFirst(4).trimmingCharacters(in: .whitespaces)
            let known = rules(of: table).map(\.name)
            guard known.contains(name) else {
                throw CommandError(name.isEmpty ? "expected a rule name: rule drop NAME" : "no rule `\(name)` on \(base)",
                                   offset: command.restOffset + 5, length: max(1, name.count), suggestion: nearestName(to: name, in: known))
            }
            ruleState.rules[base]?.removeAll { $0.name == name }
            return [.text("dropped rule \(name); \(plural(rules(of: table).count, "rule")) left on \(base)")] + dropLabelModels(of: base)
        }
        let parsed = try parseRule(text, offset: command.restOffset, end: end, table: table, at: command.verb)
        let mask = try evaluate(parsed.rule.condition, offset: parsed.conditionOffset, in: table)
        let fires = table.rowIndices(where: mask).count
        var list = rules(of: table)
        let replaced = list.firstIndex { $0.name == parsed.rule.name }
        if let replaced { list[replaced] = parsed.rule } else { list.append(parsed.rule) }
        ruleState.rules[base] = list
        let coverage = fixed(Double(fires) / Double(max(1, table.rowCount)))
        var outputs: [Output] = [.text("\(replaced == nil ? "rule" : "replaced rule") \(parsed.rule.name): \(parsed.rule.className) on "
                                       + "\(plural(fires, "row")) of \(table.rowCount) (coverage \(coverage))")]
        if fires == 0 {
            outputs.append(.warning("rule \(parsed.rule.name) never fires on \(table.name) (coverage \(coverage)): check the condition"))
        }
        return outputs + dropLabelModels(of: base)
    }

    /// `NAME: CLASS when CONDITION` → the rule and where its condition starts; errors point at the part.
    func parseRule(_ text: String, offset: Int, end: Int, table: Table, at verb: Word)
        throws -> (rule: LabellingRule, conditionOffset: Int) {
        let usage = "rule NAME: CLASS when CONDITION"
        guard let colon = text.firstIndex(of: ":") else {
            throw CommandError("expected `NAME:` then a class: \(usage)", offset: text.isEmpty ? end : offset, length: max(1, text.count))
        }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
            throw CommandError("a rule name is letters, digits, _, - or .: \(usage)", offset: offset, length: max(1, text.distance(from: text.startIndex, to: colon)))
        }
        let after = text[text.index(after: colon)...]
        let words = after.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        let classOffset = offset + text.distance(from: text.startIndex, to: words.first?.startIndex ?? after.endIndex)
        guard let classWord = words.first else { throw CommandError("expected a class after `\(name):`: \(usage)", offset: classOffset, length: 1) }
        let className = String(classWord).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        let classes = try classSet(for: table, at: verb).names
        guard classes.contains(className) else {
            throw CommandError("`\(className)` is not a class of \(table.name) (classes: \(classes.joined(separator: ", ")))",
                               offset: classOffset, length: classWord.count, suggestion: nearestName(to: className, in: classes))
        }
        guard words.count >= 2, words[1] == "when" else {
            let at = words.count >= 2 ? offset + text.distance(from: text.startIndex, to: words[1].startIndex) : classOffset + classWord.count
            throw CommandError("expected `when` then a condition: \(usage)", offset: at, length: words.count >= 2 ? words[1].count : 1,
                               suggestion: words.count >= 2 ? nearestName(to: String(words[1]), in: ["when"]) : nil)
        }
        guard words.count == 3 else { throw CommandError("expected a condition after `when`: \(usage)", offset: offset + text.count, length: 1) }
        let condition = words[2].trimmingCharacters(in: .whitespaces)
        return (LabellingRule(name: name, className: className, condition: condition),
                offset + text.distance(from: text.startIndex, to: words[2].startIndex))
    }

    /// Forgets the label models of a table and its views (their rules changed).
    func dropLabelModels(of base: String) -> [Output] {
        let stale = ruleState.fits.keys.filter { (viewBases[$0] ?? $0) == base }.sorted()
        guard !stale.isEmpty else { return [] }
        for name in stale { ruleState.fits[name] = nil }
        return [.text("the label model of \(stale.joined(separator: ", ")) is out of date: `labelmodel fit` again")]
    }

    /// The label matrix of a table's rules (classes in the table's order).
    func labelMatrix(of table: Table, at verb: Word) throws -> (matrix: LabelMatrix, rules: [LabellingRule], classes: [String]) {
        let list = rules(of: table)
        let classes = try classSet(for: table, at: verb).names
        var fires: [[Bool]] = []
        for rule in list {
            let mask: [Double]
            do { mask = try Expression(parsing: rule.condition).evaluate(in: table) } catch {
                throw CommandError("rule \(rule.name) cannot be evaluated on \(table.name): \(error); drop it with `rule drop \(rule.name)`", at: verb)
            }
            fires.append(mask.prefix(table.rowCount).map { $0 != 0 && !$0.isNaN } + [Bool](repeating: false, count: max(0, table.rowCount - mask.count)))
        }
        var polarity: [Int] = []
        for rule in list {
            guard let index = classes.firstIndex(of: rule.className) else {
                throw CommandError("rule \(rule.name) votes `\(rule.className)`, no longer a class of \(table.name)", at: verb)
            }
            polarity.append(index)
        }
        do {
            return (try LabelMatrix(fires: fires, polarity: polarity, rows: table.rowCount, classes: max(1, classes.count)), list, classes)
        } catch let error as LearnError { throw CommandError(error.message, at: verb) }
    }

    /// Known class per row: the label column, overridden by the answers (-1: unknown).
    func knownClasses(of table: Table, classes: [String]) -> [Int] {
        var known = catalogueClasses(table, classes: ClassSet(names: classes, unknown: declaredClasses[baseName(of: table)]?.unknown ?? []))
        for (row, record) in answers[table.name] ?? [:] where row < known.count {
            if record.kind == .label, let label = record.label, let index = classes.firstIndex(of: label) { known[row] = index } else { known[row] = -1 }
        }
        return known
    }
}
