import AstrolabeData
import AstrolabeLearn
import Foundation

/// The classes models of one table learn, and which label values mean "not known".
struct ClassSet {
    var names: [String]
    var unknown: [String]
}

/// `classes`: which label values are classes to learn, and which mean "not known".
extension Session {
    func classes(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard !command.positionals.isEmpty else {
            let set = try classSet(for: table, at: command.verb)
            return [.text("classes: " + set.names.joined(separator: ", ") +
                          (set.unknown.isEmpty ? "" : "; unknown: " + set.unknown.joined(separator: ", ")))]
        }
        var names: [String] = []
        for word in command.positionals {
            if names.contains(word.text) { throw CommandError("class `\(word.text)` is listed twice", at: word) }
            names.append(word.text)
        }
        let unknown = command.list("unknown") ?? []
        if let clash = unknown.first(where: names.contains) {
            throw CommandError("`\(clash)` cannot be both a class and unknown", at: command.word("unknown") ?? command.verb)
        }
        declaredClasses[table.name] = ClassSet(names: names, unknown: unknown)
        var lines = ["classes: " + names.joined(separator: ", ")]
        if let labelName = table.labelColumn, let strings = table.column(named: labelName)?.strings {
            var counts = [String: Int]()
            var other = 0
            for value in strings {
                if let value, names.contains(value) { counts[value, default: 0] += 1 } else { other += 1 }
            }
            lines.append("known in `\(labelName)`: " + names.map { "\($0) \(counts[$0, default: 0])" }.joined(separator: ", ")
                         + "; unlabelled \(other)")
        }
        lines += try reclassModels(of: table.name, names: names)
        return [.text(lines.joined(separator: "\n"))]
    }

    /// Gives the table's models the newly declared classes and refits them, so a class added (or
    /// dropped) mid-session reaches the models made before: their answers of a new class count
    /// from now on. A one-vs-rest model keeps its target (all other classes are its `other`) while
    /// that stays a class, and keeps its classes otherwise. Returns one line per model changed.
    func reclassModels(of tableName: String, names: [String]) throws -> [String] {
        var lines: [String] = []
        for name in modelOrder {
            guard var model = models[name], model.tableName == tableName, model.regression == nil else { continue }
            if let target = model.target {
                guard names.contains(target) else {
                    lines.append("\(name) keeps its classes: its target `\(target)` is no longer a class")
                    continue
                }
                guard model.sourceClasses != names else { continue }
                model.sourceClasses = names
            } else {
                guard model.classes != names else { continue }
                guard names.count >= 2 else {
                    lines.append("\(name) keeps its classes (\(model.classes.joined(separator: ", "))): a classifier needs two")
                    continue
                }
                // Labels a loaded model file brought are class indices: carried over by name.
                let old = model.classes
                model.loadedLabels = model.loadedLabels.compactMapValues { old.indices.contains($0) ? names.firstIndex(of: old[$0]) : nil }
                model.weakLabels = model.weakLabels.compactMapValues { old.indices.contains($0) ? names.firstIndex(of: old[$0]) : nil }
                model.classes = names
            }
            // Pool predictions of the old classes are not comparable with the new fit's (kappa).
            model.poolPrediction = nil
            model.lastQuery = [:]
            let count = try fit(&model)
            try workspace.setModel(model)
            lines.append("\(name) now learns \(model.classes.joined(separator: ", ")); retrained on \(plural(count, "label"))")
        }
        return lines
    }

    /// The classes of a table: as declared, or else the sorted distinct values of its label column.
    func classSet(for table: Table, at word: Word) throws -> ClassSet {
        if let declared = declaredClasses[table.name] { return declared }
        guard let labelName = table.labelColumn, let column = table.column(named: labelName) else {
            throw CommandError("no classes yet: declare them with `classes NAME ...` or load with label=COLUMN", at: word)
        }
        let values = column.strings.map { Set($0.compactMap { $0 }) } ?? Set(column.numbers?.filter { !$0.isNaN }.map { NumberFormatting.short($0) } ?? [])
        return ClassSet(names: values.sorted(), unknown: [])
    }

    /// Class index of every row from the label column; -1 where unknown or not a declared class.
    func catalogueClasses(_ table: Table, classes: ClassSet) -> [Int] {
        guard let labelName = table.labelColumn, let column = table.column(named: labelName) else {
            return [Int](repeating: -1, count: table.rowCount)
        }
        let index = Dictionary(uniqueKeysWithValues: classes.names.enumerated().map { ($0.element, $0.offset) })
        return (0..<table.rowCount).map { row in
            let text = column.displayText(row: row)
            return index[text] ?? -1
        }
    }
}
