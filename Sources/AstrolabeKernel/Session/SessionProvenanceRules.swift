import AstrolabeData
import Foundation

/// The provenance rules the verb table names (`Verb.provenance`): each notes one successful command
/// into `SessionProvenance`, handling the verb's sub-forms, so `save session` and `save config` can
/// write it back. They run after the command, so they read the state it left.
extension SessionProvenance {
    /// `load PATH`: a fresh table, its earlier features, models and log gone. `load config` runs
    /// its lines as commands, each noted by its own rule; `load model` is noted as a model line.
    static func noteLoad(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        if Session.isLoadConfig(command) { return }
        if Session.isLoadModel(command) {
            guard let loaded = session.learning.lastLoadedModel else { return }
            p.models[loaded.name] = ModelDefinition(name: loaded.name, table: loaded.table, options: [:], loadedFrom: loaded.path)
            p.log("load model \(quoteIfNeeded(loaded.path))", table: loaded.table, in: session, starting: true)
            return
        }
        guard let name = session.currentTableName, let path = command.positionals.first?.text,
              let table = session.tables[name] else { return }
        p.tables[name] = TableSource(path: path, name: name, id: table.idColumn, label: table.labelColumn)
        p.features[name] = []
        p.views[name] = nil
        p.models = p.models.filter { $0.value.table != name }
        p.logs[name] = nil
    }

    /// `feature NAME = EXPRESSION`.
    static func noteFeature(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, let eq = command.rest.firstIndex(of: "=") else { return }
        var name = command.rest[..<eq].trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("`"), name.hasSuffix("`"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        let expression = command.rest[command.rest.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        p.define(.expression(name: name, text: expression), table: table, in: session)
    }

    /// `features combine OP COLUMN ... [n=K]`: the columns as resolved (lists split, backquotes gone).
    static func noteCombine(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let name = session.currentTableName, let table = session.tables[name], command.positionals.count >= 2 else { return }
        let columns = command.positionals.dropFirst(2).flatMap { (try? session.columnList($0, in: table)) ?? [] }
        let n = (try? command.int("n")) ?? 2
        p.define(.combine(operation: command.positionals[1].text, columns: columns, n: n), table: name, in: session)
    }

    /// `join OTHER on=KEY [right_on=KEY]`.
    static func noteJoin(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, let other = command.positionals.first?.text else { return }
        if command.positionals.count > 1, command.positionals[1].text == "sky" {
            let options = command.options.map { "\($0.key)=\(quoteIfNeeded($0.value.text))" }.joined(separator: " ")
            p.define(.skyJoin(other: other, options: options), table: table, in: session)
            return
        }
        guard let on = command.optionEntry("on") else { return }
        let rightOn = command.optionEntry("right_on").map { session.columnName($0.value) }
        p.define(.join(other: other, on: session.columnName(on.value), rightOn: rightOn), table: table, in: session)
    }

    /// `where CONDITION [as NAME]` and `sample N [seed=S] [as=NAME]`: the view, now current, with its
    /// name and seed spelled out; a view made again under the same name starts afresh.
    static func noteView(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let name = session.currentTableName, let parent = session.viewParents[name] else { return }
        let selection: ViewDefinition.Selection
        if command.verb.text == "where" {
            selection = .condition(Session.splitViewName(command.rest).condition.trimmingCharacters(in: .whitespaces))
        } else {
            let count = command.positionals.first.flatMap { Int($0.text) } ?? 0
            let seed = command.word("seed").flatMap { UInt64($0.text) } ?? session.options.seed
            selection = .sample(count: count, seed: seed)
        }
        let view = ViewDefinition(name: name, parent: parent, selection: selection)
        p.views[name] = view
        p.features[name] = []
        p.models = p.models.filter { $0.value.table != name }
        p.log(view.line, table: parent, in: session, starting: true, then: name)
    }

    /// `model NAME ...`; `target=each` is noted as the one `model` line per class it made.
    static func noteModel(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, let name = command.positionals.first?.text,
              command.word("target")?.text != "each" else { return }
        var options: [String: String] = [:]
        for option in command.options { options[option.key] = option.value.text }
        p.models[name] = ModelDefinition(name: name, table: table, options: options)
        var line = "model \(quoteIfNeeded(name))"
        for key in modelOptionOrder {
            if let value = options[key] { line += " \(key)=\(quoteIfNeeded(value))" }
        }
        p.log(line, table: table, in: session, starting: true)
    }

    /// `classes NAME ...`: the classes as declared.
    static func noteClasses(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, let declared = session.declaredClasses[table] else { return }
        p.log(Session.classesLine(declared), table: table, in: session)
    }

    /// `teach ID CLASS`; `teach MODEL loop` notes nothing itself: each answer it takes is a command.
    static func noteTeach(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, command.positionals.count == 2, !session.isInteractiveLoop(command) else { return }
        var line = "teach \(quoteIfNeeded(command.positionals[0].text)) \(quoteIfNeeded(command.positionals[1].text))"
        for key in ["confidence", "note"] {
            if let value = command.word(key)?.text { line += " \(key)=\(quoteIfNeeded(value))" }
        }
        p.log(line, table: table, in: session)
    }

    /// `unsure ID` and `skip ID`.
    static func noteRowMark(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, let id = command.positionals.first?.text else { return }
        let note = command.verb.text == "unsure" ? command.word("note").map { " note=\(quoteIfNeeded($0.text))" } ?? "" : ""
        p.log("\(command.verb.text) \(quoteIfNeeded(id))" + note, table: table, in: session)
    }

    /// `undo [ID]`: written with the row it took back, since a shorter prefix may have put answers in another order.
    static func noteUndo(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, let id = session.learning.lastUndone else { return }
        p.log("undo \(quoteIfNeeded(id))", table: table, in: session)
    }

    /// `retrain [MODEL]`; `retrain every=N` alone only sets the cadence, which every logged line carries.
    static func noteRetrain(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        if command.has("every") && command.positionals.isEmpty { return }
        let names = command.positionals.first.map { [$0.text] } ?? session.modelOrder
        for name in names {
            guard let table = p.models[name]?.table else { continue }
            p.log("retrain \(quoteIfNeeded(name))", table: table, in: session)
        }
    }

    /// `find where CONDITION`: a seeded draw, replayed in order.
    static func noteFind(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName else { return }
        p.log("find \(command.rest)", table: table, in: session, starting: true)
    }

    /// `testset use [MODEL]`.
    static func noteTestset(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName else { return }
        p.log((["testset"] + command.positionals.map { quoteIfNeeded($0.text) }).joined(separator: " "), table: table, in: session)
    }
}

extension SessionProvenance {
    /// `rule NAME: CLASS when CONDITION` (canonical spacing) and `rule drop NAME`, in order with the models.
    static func noteRule(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, let current = session.tables[table] else { return }
        let text = command.rest
        if text.hasPrefix("drop ") {
            p.log("rule drop \(text.dropFirst(5).trimmingCharacters(in: .whitespaces))", table: table, in: session, starting: true)
            return
        }
        let name = text.split(separator: ":", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let rule = session.rules(of: current).first(where: { $0.name == name }) else { return }
        p.log(rule.line, table: table, in: session, starting: true)
    }

    /// `labelmodel fit …` with its method (and balance) spelled out; the report alone notes nothing.
    static func noteLabelModel(_ p: inout SessionProvenance, _ command: ParsedCommand, _ session: Session) {
        guard let table = session.currentTableName, command.positionals.first?.text == "fit",
              let fit = session.ruleState.fits[table] else { return }
        var line = "labelmodel fit method=\(fit.method.rawValue)"
        if let word = command.word("balance") { line += " balance=\(word.text)" }
        p.log(line, table: table, in: session, starting: true)
    }
}
