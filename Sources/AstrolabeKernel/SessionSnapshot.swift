import AstrolabeData
import AstrolabePlot

/// What the session state does not keep by itself but `save session` and `save config` must write
/// back: the path and roles each table was loaded with, each feature's expression text, and the
/// options each model was made with. `Session.run` notes every successful command here.
struct SessionProvenance {
    struct TableSource: Equatable {
        var path: String
        var name: String
        var id: String?
        var label: String?
    }

    struct FeatureDefinition: Equatable {
        var name: String
        var expression: String
    }

    struct ModelDefinition: Equatable {
        var name: String
        var table: String
        /// Options as typed (`features`, `strategy`, ...), by key.
        var options: [String: String]
        /// For a model restored by `load model PATH`: the path as typed, written back as that line.
        var loadedFrom: String? = nil
    }

    /// What happened to a table's models, in order, from its first `model`, `load model` or `find`
    /// on: a saved script replays these lines as they were typed, so every model fits as many
    /// times, on the same labels, as it did in the session (its version `NAME@FITS` and its history
    /// come out the same). Before that point answers only matter by their final value, so they are
    /// written as the state at that moment, one line per row.
    struct TableLog {
        var answersAtStart: [Int: LabelRecord]
        var classesAtStart: ClassSet?
        var skippedAtStart: Set<Int>
        /// Feature definitions at that moment; later (re)definitions are lines of the log, since a
        /// model keeps the values its features had when it was made.
        var featuresAtStart: [FeatureDefinition] = []
        /// Per answered row, its earlier answers still in the store at that moment (a relabel's
        /// first answer): written before the current one, so an `undo` later in the log brings
        /// the same earlier answer back.
        var earlierAtStart: [String: [LabelRecord]] = [:]
        /// Canonical lines, each with the `retrain every=N` cadence in force when it ran.
        var events: [(line: String, every: Int)] = []
    }

    var tables: [String: TableSource] = [:]
    /// Per table, in definition order; a redefinition moves the feature to the end.
    var features: [String: [FeatureDefinition]] = [:]
    var models: [String: ModelDefinition] = [:]
    /// Per loaded table (not views): its log once a model or a labelling-mode draw exists.
    var logs: [String: TableLog] = [:]

    /// The order model options are written in (every option `model` takes).
    static let modelOptionOrder = ["features", "classifier", "strategy", "initial", "test", "split", "trees", "scaling",
                                   "committee", "members", "k", "c", "depth", "estimators", "target", "start"]

    mutating func note(_ command: ParsedCommand, in session: Session) {
        guard let tableName = session.currentTableName else { return }
        // Answers given in a view (`where`, `sample`) belong to its loaded table and retrain its models.
        let base = session.tables[tableName].map { session.baseName(of: $0) } ?? tableName
        switch command.verb.text {
        case "load":
            // `load model` is noted by `loadModel` itself (the model's name and table are in its file).
            guard !Session.isLoadConfig(command), !Session.isLoadModel(command), let path = command.positionals.first?.text,
                  let table = session.tables[tableName] else { return }
            tables[tableName] = TableSource(path: path, name: tableName, id: table.idColumn, label: table.labelColumn)
            features[tableName] = []
            models = models.filter { $0.value.table != tableName }
            logs[tableName] = nil
        case "feature":
            let rest = command.rest
            guard let eq = rest.firstIndex(of: "=") else { return }
            var name = rest[..<eq].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("`"), name.hasSuffix("`"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            let expression = rest[rest.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            features[tableName, default: []].removeAll { $0.name == name }
            features[tableName, default: []].append(FeatureDefinition(name: name, expression: expression))
            log("feature \(Session.featureName(name)) = \(expression)", table: tableName, in: session)
        case "model":
            // `target=each` made one model per class, each noted as its own `model` line.
            guard let name = command.positionals.first?.text, command.option("target")?.value.text != "each" else { return }
            var options: [String: String] = [:]
            for option in command.options { options[option.key] = option.value.text }
            models[name] = ModelDefinition(name: name, table: tableName, options: options)
            var line = "model \(quoteIfNeeded(name))"
            for key in SessionProvenance.modelOptionOrder {
                if let value = options[key] { line += " \(key)=\(quoteIfNeeded(value))" }
            }
            log(line, table: tableName, in: session, starting: true)
        case "classes":
            if let declared = session.declaredClasses[tableName] { log(Session.classesLine(declared), table: tableName, in: session) }
        case "teach":
            guard command.positionals.count == 2, !session.isInteractiveLoop(command) else { return }
            log("teach \(quoteIfNeeded(command.positionals[0].text)) \(quoteIfNeeded(command.positionals[1].text))", table: base, in: session)
        case "unsure", "skip":
            guard let id = command.positionals.first?.text else { return }
            log("\(command.verb.text) \(quoteIfNeeded(id))", table: base, in: session)
        case "undo":
            // Written with the row it took back: a shorter prefix may have put answers in another order.
            guard let id = session.learning.lastUndone else { return }
            log("undo \(quoteIfNeeded(id))", table: base, in: session)
        case "retrain":
            // `retrain every=N` alone only sets the cadence, which every logged line carries.
            if command.option("every") != nil && command.positionals.isEmpty { return }
            let names = command.positionals.first.map { [$0.text] } ?? session.modelOrder
            for name in names {
                guard let table = models[name]?.table else { continue }
                log("retrain \(quoteIfNeeded(name))", table: table, in: session)
            }
        case "find":
            log("find \(command.rest)", table: tableName, in: session, starting: true)
        case "testset":
            log((["testset"] + command.positionals.map { quoteIfNeeded($0.text) }).joined(separator: " "), table: tableName, in: session)
        default:
            break
        }
    }

    /// A model restored by `load model PATH` on `table`.
    mutating func noteLoadedModel(_ name: String, table: String, path: String, in session: Session) {
        models[name] = ModelDefinition(name: name, table: table, options: [:], loadedFrom: path)
        log("load model \(quoteIfNeeded(path))", table: table, in: session, starting: true)
    }

    /// Appends a line to a loaded table's log; `starting` lines open the log when it is not open yet.
    mutating func log(_ line: String, table: String, in session: Session, starting: Bool = false) {
        guard tables[table] != nil else { return }
        if logs[table] == nil {
            guard starting else { return }
            var earlier: [String: [LabelRecord]] = [:]
            for record in (try? session.store.answers(dataset: table)) ?? [] { earlier[record.rowID, default: []].append(record) }
            for (id, chain) in earlier { earlier[id] = chain.count > 1 ? Array(chain.dropLast()) : nil }
            logs[table] = TableLog(answersAtStart: session.answers[table] ?? [:], classesAtStart: session.declaredClasses[table],
                                   skippedAtStart: session.learning.skipped[table] ?? [], featuresAtStart: features[table] ?? [],
                                   earlierAtStart: earlier)
        }
        logs[table]?.events.append((line, session.learning.retrainEvery))
    }
}

extension Session {
    /// `load config PATH` shares the verb `load` with `load PATH`: two words, the first `config`.
    static func isLoadConfig(_ command: ParsedCommand) -> Bool {
        command.verb.text == "load" && command.positionals.count == 2 && command.positionals[0].text == "config"
    }

    /// `load model PATH`: two words, the first `model`.
    static func isLoadModel(_ command: ParsedCommand) -> Bool {
        command.verb.text == "load" && command.positionals.count == 2 && command.positionals[0].text == "model"
    }

    /// Tables that can be written back, the current one last (so it is current after a replay).
    var savableTables: [String] {
        var names = tableOrder.filter { tables[$0] != nil && provenance.tables[$0] != nil }
        if let current = currentTableName, let index = names.firstIndex(of: current) {
            names.remove(at: index)
            names.append(current)
        }
        return names
    }

    /// Features of a table still present in it, in definition order.
    func savableFeatures(of table: String) -> [SessionProvenance.FeatureDefinition] {
        guard let current = tables[table] else { return [] }
        return (provenance.features[table] ?? []).filter { current.column(named: $0.name) != nil }
    }

    /// Answers of a table in row order (the order is irrelevant to the models, fixed for stable files).
    func savableAnswers(of table: String) -> [LabelRecord] {
        (answers[table] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
    }

    /// Models of a table in creation order.
    func savableModels(of table: String) -> [(model: ActiveModel, definition: SessionProvenance.ModelDefinition)] {
        modelOrder.compactMap { name in
            guard let model = models[name], model.tableName == table, let definition = provenance.models[name] else { return nil }
            return (model, definition)
        }
    }

    /// The script that rebuilds the current state: per table its load and features; then, for a table
    /// with no model, its classes and every answer as one `teach`/`unsure` line per row; for a table
    /// with models, its classes and answers as they were when the first model came, followed by what
    /// happened since, in order (see `TableLog`), so each model fits as often, on the same labels.
    func sessionScript() -> (text: String, tables: Int, features: Int, models: Int, answers: Int) {
        var lines = ["# Astrolabe session written by `save session`: replay with `astrolabe run` "
                     + (options.seed == 42 ? "" : "--seed \(options.seed) ") + "on this file."]
        var featureCount = 0, modelCount = 0, answerCount = 0
        var cadence = 1
        for name in savableTables {
            guard let source = provenance.tables[name], let table = tables[name] else { continue }
            lines.append("")
            var load = "load \(quoteIfNeeded(source.path)) as \(quoteIfNeeded(name))"
            if let id = table.idColumn { load += " id=\(quoteIfNeeded(id))" }
            if let label = table.labelColumn { load += " label=\(quoteIfNeeded(label))" }
            lines.append(load)
            let log = provenance.logs[name]
            for feature in log?.featuresAtStart ?? savableFeatures(of: name) {
                lines.append("feature \(Session.featureName(feature.name)) = \(feature.expression)")
                featureCount += 1
            }
            let declared = log.map(\.classesAtStart) ?? declaredClasses[name]
            if let declared { lines.append(Session.classesLine(declared)) }
            let classNames = declared?.names ?? (try? classSet(for: table, at: Word(text: "", raw: "", quoted: false, offset: 0)))?.names ?? []
            let current = (log?.answersAtStart ?? answers[name] ?? [:]).sorted(by: { $0.key < $1.key }).map(\.value)
            for record in current.flatMap({ (log?.earlierAtStart[$0.rowID] ?? []) + [$0] }) {
                let id = quoteIfNeeded(record.rowID)
                switch record.kind {
                case .unsure:
                    lines.append("unsure \(id)")
                case .label:
                    let label = record.label ?? ""
                    if classNames.contains(label) {
                        lines.append("teach \(id) \(quoteIfNeeded(label))")
                    } else {
                        lines.append("# teach \(id) \(quoteIfNeeded(label))   (`\(label)` is no longer a class)")
                    }
                }
                answerCount += 1
            }
            guard let log else { continue }
            let ids = table.rowIdentifiers()
            for row in log.skippedAtStart.sorted() where row < ids.count { lines.append("skip \(quoteIfNeeded(ids[row]))") }
            for event in log.events {
                if event.every != cadence {
                    lines.append("retrain every=\(event.every)")
                    cadence = event.every
                }
                lines.append(event.line)
                if event.line.hasPrefix("teach ") || event.line.hasPrefix("unsure ") { answerCount += 1 }
                if event.line.hasPrefix("model ") || event.line.hasPrefix("load model ") { modelCount += 1 }
                if event.line.hasPrefix("feature ") { featureCount += 1 }
            }
        }
        if learning.retrainEvery != cadence { lines.append("retrain every=\(learning.retrainEvery)") }
        return (lines.joined(separator: "\n") + "\n", savableTables.count, featureCount, modelCount, answerCount)
    }

    static func classesLine(_ set: ClassSet) -> String {
        var line = "classes " + set.names.map(quoteIfNeeded).joined(separator: " ")
        if !set.unknown.isEmpty { line += " unknown=" + quoteIfNeeded(set.unknown.joined(separator: ",")) }
        return line
    }

    /// A feature name as `feature` reads it: backquoted unless it is a plain identifier.
    static func featureName(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } == true
            && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
        return plain ? name : "`" + name + "`"
    }

    /// `#RRGGBB` of a class's colour in plots (Okabe–Ito, by class order).
    static func colourHex(forClass index: Int) -> String {
        let colour = CategoricalPalette.color(forClass: index)
        return "#" + [colour.r, colour.g, colour.b].map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
