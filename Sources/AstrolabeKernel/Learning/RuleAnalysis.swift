import AstrolabeData
import AstrolabeLearn
import Foundation

/// `rules` (Snorkel's lf_summary) and `labelmodel [fit]`.
extension Session {
    func listRules(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard !rules(of: table).isEmpty else {
            return [.text("no rules on \(baseName(of: table)): add one with `rule NAME: CLASS when CONDITION`")]
        }
        let (matrix, list, classes) = try labelMatrix(of: table, at: command.verb)
        let summary = LabelMatrixSummary(matrix, gold: knownClasses(of: table, classes: classes))
        let fit = ruleState.fits[table.name].flatMap { $0.ruleNames == list.map(\.name) ? $0 : nil }
        let estimated = fit?.model.accuracies
        var header = ["rule", "class", "coverage", "overlaps", "conflicts", "correct", "incorrect", "emp. acc."]
        if estimated != nil { header.append("est. acc.") }
        header.append("when")
        var text = TextTable(header: header, numericColumns: Set(2..<(header.count - 1)))
        for (j, rule) in list.enumerated() {
            let s = summary.rules[j]
            var row = [rule.name, rule.className, fixed(s.coverage), fixed(s.overlaps), fixed(s.conflicts),
                       String(s.correct), String(s.incorrect), fixed(s.empiricalAccuracy)]
            if let estimated { row.append(fixed(estimated[j])) }
            text.append(row + [rule.condition])
        }
        let totals = "\(plural(list.count, "rule")) on \(table.name) (\(table.rowCount) rows, \(summary.known) with a known label): "
            + "coverage \(fixed(summary.coverage)), overlap \(fixed(summary.overlap)), conflict \(fixed(summary.conflict))"
        return [.text(text.rendered + "\n" + totals)]
    }

    func labelModel(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        if let word = command.positionals.first, word.text != "fit" {
            throw CommandError("expected `fit` or nothing: labelmodel [fit] [method=...]", at: word, suggestion: "fit")
        }
        guard command.positionals.first != nil else {
            guard command.options.isEmpty else {
                throw CommandError("options go with `labelmodel fit`", at: command.verb, suggestion: "labelmodel fit")
            }
            guard let fit = ruleState.fits[table.name] else {
                throw CommandError("no label model on \(table.name) yet: `labelmodel fit` makes one", at: command.verb)
            }
            return [.text(labelModelReport(fit, table: table))]
        }
        let (matrix, list, classes) = try labelMatrix(of: table, at: command.verb)
        guard list.count >= 2 else {
            throw CommandError("a label model needs at least two rules; \(baseName(of: table)) has \(list.count) (`rule NAME: CLASS when CONDITION`)",
                               at: command.verb)
        }
        guard classes.count >= 2 else { throw CommandError("a label model needs at least two classes", at: command.verb) }
        let method = try command.choice("method", WeakLabelModel.Method.self)
        let balance = try classBalance(command, classes: classes)
        if balance != nil, method == .majority, let word = command.word("balance") {
            throw CommandError("balance= is for method=generative", at: word)
        }
        let model: WeakLabelModel
        do { model = try WeakLabelModel(matrix, method: method, balance: balance) } catch let error as LearnError {
            throw CommandError(error.message, at: command.verb)
        }
        let fit = LabelModelFit(method: method, balance: balance, classes: classes, ruleNames: list.map(\.name), model: model)
        ruleState.fits[table.name] = fit
        return [.text(labelModelReport(fit, table: table))]
    }

    /// `balance=0.6,0.4`: one non-negative share per class, normalised.
    func classBalance(_ command: ParsedCommand, classes: [String]) throws -> [Double]? {
        guard let word = command.word("balance") else { return nil }
        let parts = word.text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == classes.count, parts.allSatisfy({ $0 != nil && $0! >= 0 && $0!.isFinite }),
              parts.reduce(0, { $0 + ($1 ?? 0) }) > 0 else {
            throw CommandError("balance= takes \(classes.count) non-negative shares, one per class (\(classes.joined(separator: ", ")))", at: word)
        }
        let shares = parts.map { $0 ?? 0 }
        let total = shares.reduce(0, +)
        return shares.map { $0 / total }
    }

    /// What a fit labelled, and per rule its estimated accuracy beside the empirical one.
    func labelModelReport(_ fit: LabelModelFit, table: Table) -> String {
        let model = fit.model
        var counts = [Int](repeating: 0, count: fit.classes.count)
        var abstained = 0
        for label in model.labels { if label >= 0 { counts[Int(label)] += 1 } else { abstained += 1 } }
        let labelled = model.rows - abstained
        var lines = ["label model (\(fit.method.rawValue)\(fit.method == .generative ? ", \(plural(model.iterations, "iteration"))" : "")) on \(table.name): "
                     + "labelled \(labelled) of \(model.rows) rows (\(fixed(Double(labelled) / Double(max(1, model.rows))))): "
                     + zip(fit.classes, counts).map { "\($0) \($1)" }.joined(separator: ", ") + "; abstained on \(abstained)"]
        if let priors = model.priors {
            lines.append("class balance (\(fit.balance == nil ? "estimated" : "given")): "
                         + zip(fit.classes, priors).map { "\($0) \(fixed($1))" }.joined(separator: ", "))
        }
        let known = knownClasses(of: table, classes: fit.classes)
        var right = 0, judged = 0
        for (row, label) in model.labels.enumerated() where label >= 0 && row < known.count && known[row] >= 0 {
            judged += 1
            if Int(label) == known[row] { right += 1 }
        }
        if judged > 0 { lines.append("accuracy on \(plural(judged, "known label")): \(fixed(Double(right) / Double(judged)))") }
        if let accuracies = model.accuracies, let matrix = try? labelMatrix(of: table, at: Word(text: "", raw: "", quoted: false, offset: 0)) {
            let summary = LabelMatrixSummary(matrix.matrix, gold: known)
            var text = TextTable(header: ["rule", "class", "est. acc.", "emp. acc."], numericColumns: [2, 3])
            for (j, name) in fit.ruleNames.enumerated() where j < accuracies.count && j < summary.rules.count {
                text.append([name, matrix.rules[j].className, fixed(accuracies[j]), fixed(summary.rules[j].empiricalAccuracy)])
            }
            lines.append(text.rendered)
        }
        return lines.joined(separator: "\n")
    }
}

/// Where `model … weak=` takes extra labels from.
enum WeakSource: String, CaseIterable { case labelmodel }

extension Session {
    /// `weak=labelmodel [weak_min=P]`: the rows the table's label model labels with at least that confidence.
    func weakLabels(_ command: ParsedCommand, table: Table, model: ActiveModel) throws -> [Int: Int] {
        guard let word = command.word("weak") else {
            if let stray = command.word("weak_min") { throw CommandError("weak_min= goes with weak=labelmodel", at: stray) }
            return [:]
        }
        _ = try command.choice("weak", WeakSource.self)
        guard let fit = ruleState.fits[table.name] else {
            throw CommandError("weak=labelmodel needs a label model on \(table.name): `rule …` then `labelmodel fit`", at: word)
        }
        let least = try command.double("weak_min")
        var labels: [Int: Int] = [:]
        for row in 0..<fit.model.rows where fit.model.labels[row] >= 0 && fit.model.confidence(row: row) >= least {
            if let index = model.classIndex(of: fit.classes[Int(fit.model.labels[row])]) { labels[row] = index }
        }
        return labels
    }
}

extension Session {
    /// `simulate … weak=labelmodel [weak_min=P]`: the label model's confident labels in the model's classes, or nil.
    func simulationWeakLabels(_ command: ParsedCommand, table: Table, model: ActiveModel) throws -> [Int: Int]? {
        guard command.word("weak") != nil else {
            if let stray = command.word("weak_min") { throw CommandError("weak_min= goes with weak=labelmodel", at: stray) }
            return nil
        }
        return try weakLabels(command, table: table, model: model)
    }
}

extension Session {
    /// The least label-model confidence `query … skip_covered=yes` treats as covered.
    static let coveredConfidence = 0.7

    /// `query … skip_covered=yes`: the rows the table's label model does not label with confidence ≥ 0.7.
    func uncoveredRows(_ rows: [Int], table: Table, at word: Word) throws -> [Int] {
        guard let fit = ruleState.fits[table.name] else {
            throw CommandError("skip_covered=yes needs a label model on \(table.name): `rule …` then `labelmodel fit`", at: word)
        }
        return rows.filter { row in
            row >= fit.model.rows || fit.model.labels[row] < 0 || fit.model.confidence(row: row) < Session.coveredConfidence
        }
    }

    /// The label model's view of `pool` rows in the model's classes (nil without a label model on its table).
    func weakSignal(_ model: ActiveModel, pool: [Int]) -> WeakSignal? {
        guard let table = tables[model.tableName], let fit = ruleState.fits[model.tableName], fit.model.rows == table.rowCount,
              let matrix = try? labelMatrix(of: table, at: Word(text: "", raw: "", quoted: false, offset: 0)).matrix,
              matrix.rules == fit.ruleNames.count else { return nil }
        let k = model.classes.count, m = matrix.rules, lk = fit.classes.count
        let map = fit.classes.map { model.classIndex(of: $0) }
        var probabilities = [Double](repeating: 0, count: pool.count * k)
        var covered = [Bool](repeating: false, count: pool.count), conflicting = covered
        for (i, row) in pool.enumerated() {
            for c in 0..<lk { if let target = map[c] { probabilities[i * k + target] += fit.model.probabilities[row * lk + c] } }
            var first: Int32 = -1
            for j in 0..<m where matrix.votes[row * m + j] >= 0 {
                covered[i] = true
                if first < 0 { first = matrix.votes[row * m + j] } else if matrix.votes[row * m + j] != first { conflicting[i] = true }
            }
        }
        return WeakSignal(probabilities: probabilities, covered: covered, conflicting: conflicting)
    }
}
