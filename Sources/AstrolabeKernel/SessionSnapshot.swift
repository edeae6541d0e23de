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
        /// For a loaded model: its table's answers when it was loaded (those go before its
        /// `load model` line; answers given or changed later go after it, so they retrain it again),
        /// and how many models were loaded before it (the order the lines are written in).
        var answersAtLoad: [Int: LabelRecord] = [:]
        var loadIndex = 0
        /// A loaded model's fit count when it was loaded: more now means it was retrained since.
        var fitsAtLoad = 0
    }

    var tables: [String: TableSource] = [:]
    /// Per table, in definition order; a redefinition moves the feature to the end.
    var features: [String: [FeatureDefinition]] = [:]
    var models: [String: ModelDefinition] = [:]
    /// How many `load model` commands succeeded (orders loaded models in a saved script).
    var modelLoads = 0

    /// The order model options are written in; others are not written.
    static let modelOptionOrder = ["features", "classifier", "strategy", "initial", "test", "trees"]

    mutating func note(_ command: ParsedCommand, in session: Session) {
        guard let tableName = session.currentTableName else { return }
        switch command.verb.text {
        case "load":
            // `load model` is noted by `loadModel` itself (the model's name and table are in its file).
            guard !Session.isLoadConfig(command), !Session.isLoadModel(command), let path = command.positionals.first?.text,
                  let table = session.tables[tableName] else { return }
            tables[tableName] = TableSource(path: path, name: tableName, id: table.idColumn, label: table.labelColumn)
            features[tableName] = []
            models = models.filter { $0.value.table != tableName }
        case "feature":
            let rest = command.rest
            guard let eq = rest.firstIndex(of: "=") else { return }
            var name = rest[..<eq].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("`"), name.hasSuffix("`"), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            let expression = rest[rest.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            features[tableName, default: []].removeAll { $0.name == name }
            features[tableName, default: []].append(FeatureDefinition(name: name, expression: expression))
        case "model":
            guard let name = command.positionals.first?.text else { return }
            var options: [String: String] = [:]
            for option in command.options { options[option.key] = option.value.text }
            models[name] = ModelDefinition(name: name, table: tableName, options: options)
        default:
            break
        }
    }

    /// A model restored by `load model PATH` on `table`, whose answers are `answers` at this point.
    mutating func noteLoadedModel(_ name: String, table: String, path: String, answers: [Int: LabelRecord], fits: Int) {
        models[name] = ModelDefinition(name: name, table: table, options: [:], loadedFrom: path,
                                       answersAtLoad: answers, loadIndex: modelLoads, fitsAtLoad: fits)
        modelLoads += 1
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

    /// The shortest script that rebuilds the current state: per table its load, features, classes,
    /// every answer as a `teach`/`unsure` line, then its models — which therefore fit once, on
    /// every label, whatever order things were done in at the prompt. Models restored by
    /// `load model` keep their place among the answers instead (see `answersAtLoad`).
    func sessionScript() -> (text: String, tables: Int, features: Int, models: Int, answers: Int) {
        var lines = ["# Astrolabe session written by `save session`: replay with `astrolabe run` "
                     + (options.seed == 42 ? "" : "--seed \(options.seed) ") + "on this file."]
        var featureCount = 0, modelCount = 0, answerCount = 0
        for name in savableTables {
            guard let source = provenance.tables[name], let table = tables[name] else { continue }
            lines.append("")
            var load = "load \(quoteIfNeeded(source.path)) as \(quoteIfNeeded(name))"
            if let id = table.idColumn { load += " id=\(quoteIfNeeded(id))" }
            if let label = table.labelColumn { load += " label=\(quoteIfNeeded(label))" }
            lines.append(load)
            for feature in savableFeatures(of: name) {
                lines.append("feature \(Session.featureName(feature.name)) = \(feature.expression)")
                featureCount += 1
            }
            let declared = declaredClasses[name]
            if let declared { lines.append(Session.classesLine(declared)) }
            let classNames = (try? classSet(for: table, at: Word(text: "", raw: "", quoted: false, offset: 0)))?.names ?? []
            // Models restored from a file come in the order they were loaded, each after the answers it
            // was loaded after: answers given or changed later follow it, and retrain it as they did.
            let loaded = savableModels(of: name).filter { $0.definition.loadedFrom != nil }
                .sorted { $0.definition.loadIndex < $1.definition.loadIndex }
            let current = (answers[name] ?? [:]).sorted { $0.key < $1.key }
            func slot(_ row: Int, _ record: LabelRecord) -> Int {
                loaded.firstIndex { $0.definition.answersAtLoad[row] == record } ?? loaded.count
            }
            var retrains: [String] = []
            for index in 0...loaded.count {
                for (row, record) in current where slot(row, record) == index {
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
                if index < loaded.count, let path = loaded[index].definition.loadedFrom {
                    let (model, definition) = loaded[index]
                    lines.append("load model \(quoteIfNeeded(path))")
                    modelCount += 1
                    // Retrained since it was loaded, yet no answer written after it retrains it (an
                    // answer was taken back, or `retrain` ran): retrain it at the end of this table.
                    if model.fits > definition.fitsAtLoad, !current.contains(where: { slot($0.key, $0.value) > index }) {
                        retrains.append("retrain \(quoteIfNeeded(model.name))")
                    }
                }
            }
            lines += retrains
            for (model, definition) in savableModels(of: name) where definition.loadedFrom == nil {
                // A model made under other classes than the final ones gets its own `classes` line.
                let differs = model.classes != classNames
                if differs { lines.append(Session.classesLine(ClassSet(names: model.classes, unknown: declared?.unknown ?? []))) }
                var line = "model \(quoteIfNeeded(model.name))"
                for key in SessionProvenance.modelOptionOrder {
                    if let value = definition.options[key] { line += " \(key)=\(quoteIfNeeded(value))" }
                }
                lines.append(line)
                if differs, let declared { lines.append(Session.classesLine(declared)) }
                modelCount += 1
            }
        }
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
