import AstrolabeData
import Foundation

/// `save config` / `load config`: the current table's whole set-up as one JSON document — the
/// dataset and its column roles, classes with their plot colours, features, views made from it
/// (`where`, `sample`), models on it and its views (classifier,
/// strategy, features, their other options, labelled ids), every answer and the plot defaults. With
/// several annotators (Labels/TeamAnswers.swift) every annotator's standing answer is kept, with who
/// gave it, and so are the active annotator and the gold policy. AstronomicAL's configuration file, without
/// its web layout. Loading it replays the equivalent commands, so the models are rebuilt and retrained;
/// `load config` runs them all or nothing (`Session.allOrNothing`).
enum SessionConfig {
    static let format = "astrolabe-config"
    static let version = 1

    /// Keys allowed at each level; anything else is an error with a did-you-mean.
    static let topKeys = ["format", "version", "dataset", "classes", "unknown", "features", "views", "models", "answers", "annotator", "gold", "plot", "current",
                          "rules", "labelmodel"]
    /// A labelling rule: `rule NAME: CLASS when CONDITION`.
    static let ruleKeys = ["name", "class", "when"]
    /// The label model fitted on the dataset: `labelmodel fit method= [balance=]`.
    static let labelModelKeys = ["method", "balance"]
    static let datasetKeys = ["path", "name", "id", "label"]
    static let classKeys = ["name", "colour"]
    /// A feature is `name` + `expression`, or a `features combine`: `combine` (the operation), `columns`, `n`.
    static let featureKeys = ["name", "expression", "combine", "columns", "n"]
    /// A view is `name`, `of` (the table it was made from) and `where` (a condition), or `sample` + `seed`.
    static let viewKeys = ["name", "of", "where", "sample", "seed"]
    /// `table`: the view a model was made on (absent: the dataset itself).
    static let modelKeys = ["name", "table", "classifier", "strategy", "features", "initial", "test", "trees", "labelled", "options"]
    /// Model options written as named keys; every other option of the `model` command goes in "options".
    static let namedModelOptions: Set<String> = ["features", "classifier", "strategy", "initial", "test", "trees"]
    static let answerKeys = ["id", "label", "unsure", "annotator", "confidence", "note"]
    /// `gold`: the policy and the adjudicator, as `gold policy= adjudicator=` takes them.
    static let goldKeys = ["policy", "adjudicator"]
}

extension Session {
    /// The configuration of the current table (its loaded table, with every view of it) as a JSON value.
    func configuration() throws -> JSONValue {
        guard let current = currentTableName, let table = tables[viewBases[current] ?? current] else {
            throw CommandError("no table loaded yet: start with `load PATH`")
        }
        let name = table.name
        guard let source = provenance.tables[name] else {
            throw CommandError("table `\(name)` was not loaded from a file, so it cannot be saved as a configuration")
        }
        let views = savableViews(of: name)
        let family = [name] + views.map(\.name)
        if let loaded = family.flatMap(savableModels(of:)).first(where: { $0.definition.loadedFrom != nil }) {
            throw CommandError("model `\(loaded.model.name)` was loaded from \(loaded.definition.loadedFrom ?? "a file"), "
                               + "which a configuration cannot hold: use `save session PATH.alab` instead")
        }
        var dataset: [String: JSONValue] = ["path": .string(source.path), "name": .string(name)]
        if let id = table.idColumn { dataset["id"] = .string(id) }
        if let label = table.labelColumn { dataset["label"] = .string(label) }
        var document: [String: JSONValue] = [
            "format": .string(SessionConfig.format),
            "version": .int(SessionConfig.version),
            "dataset": .object(dataset),
        ]
        if let declared = declaredClasses[name] {
            let chosen = Session.userClassColours(plotSettings.defaults["colors"])
            document["classes"] = .array(declared.names.enumerated().map { index, className in
                .object(["name": .string(className),
                         "colour": .string(chosen[className] ?? Session.colourHex(forClass: index))])
            })
            document["unknown"] = .array(declared.unknown.map { .string($0) })
        }
        document["features"] = .array(try savableFeatures(of: name).map(Session.configFeature))
        if !views.isEmpty { document["views"] = .array(try views.map(configView)) }
        document["models"] = .array(family.flatMap(savableModels(of:)).map { model, definition in
            // Training rows are rows of the model's own table, which may be a view.
            let ids = tables[model.tableName]?.rowIdentifiers() ?? []
            var object: [String: JSONValue] = [
                "name": .string(model.name),
                "classifier": .string(definition.options["classifier"] ?? "forest"),
                "strategy": .string(model.strategyName),
                "features": .array(model.features.map { .string($0) }),
                "trees": .int(model.trees),
                "labelled": .array(model.trainingRows.filter { $0 < ids.count }.map { .string(ids[$0]) }),
            ]
            let extra = definition.options.filter { !SessionConfig.namedModelOptions.contains($0.key) }
            if !extra.isEmpty { object["options"] = .object(extra.mapValues { .string($0) }) }
            if let initial = definition.options["initial"], let n = Int(initial) { object["initial"] = .int(n) }
            if let test = definition.options["test"], let x = Double(test) { object["test"] = .double(x) }
            if model.tableName != name { object["table"] = .string(model.tableName) }
            return .object(object)
        })
        if let list = ruleState.rules[name], !list.isEmpty {
            document["rules"] = .array(list.map { .object(["name": .string($0.name), "class": .string($0.className), "when": .string($0.condition)]) })
        }
        if let fit = ruleState.fits[name] {
            var object: [String: JSONValue] = ["method": .string(fit.method.rawValue)]
            if let balance = fit.balance { object["balance"] = .array(balance.map { .double($0) }) }
            document["labelmodel"] = .object(object)
        }
        let team = teamMode(dataset: name)
        document["answers"] = .array(configAnswers(of: name, team: team).map { Session.configAnswer($0, annotator: team) })
        if team {
            document["annotator"] = .string(annotator)
            if !goldIsDefault {
                var gold: [String: JSONValue] = ["policy": .string(self.team.policy.name)]
                if let judge = self.team.adjudicator { gold["adjudicator"] = .string(judge) }
                document["gold"] = .object(gold)
            }
        }
        if !plotSettings.defaults.isEmpty {
            document["plot"] = .object(plotSettings.defaults.mapValues { .string($0) })
        }
        if current != name { document["current"] = .string(current) }
        return .object(document)
    }

    /// The answers a configuration keeps: the gold labels, or with several annotators each one's
    /// standing answer in the order they were given (so `latest` picks the same one again).
    func configAnswers(of name: String, team: Bool) -> [LabelRecord] {
        guard team else { return savableAnswers(of: name) }
        return (self.team.answers[name] ?? [:]).values.flatMap { $0 }.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
    }

    static func configAnswer(_ record: LabelRecord, annotator: Bool) -> JSONValue {
        var object: [String: JSONValue] = ["id": .string(record.rowID)]
        if record.kind == .unsure { object["unsure"] = .bool(true) } else { object["label"] = .string(record.label ?? "") }
        if annotator { object["annotator"] = .string(record.annotator) }
        if let confidence = record.confidence { object["confidence"] = .double(confidence) }
        if let note = record.note { object["note"] = .string(note) }
        return .object(object)
    }

    /// The views made (directly or through other views) from a loaded table, in the order they were made.
    func savableViews(of base: String) -> [SessionProvenance.ViewDefinition] {
        tableOrder.compactMap { name in
            guard tables[name] != nil, viewBases[name] == base, let view = provenance.views[name] else { return nil }
            return view
        }
    }

    static func configFeature(_ feature: SessionProvenance.FeatureDefinition) throws -> JSONValue {
        switch feature {
        case .expression(let name, let text):
            return .object(["name": .string(name), "expression": .string(text)])
        case .combine(let operation, let columns, let n):
            return .object(["combine": .string(operation), "columns": .array(columns.map { .string($0) }), "n": .int(n)])
        case .join(let other, _, _), .skyJoin(let other, _):
            throw CommandError("the table was joined with `\(other)`, which a configuration (one dataset) cannot hold: "
                               + "use `save session PATH.alab` instead")
        }
    }

    func configView(_ view: SessionProvenance.ViewDefinition) throws -> JSONValue {
        if let feature = provenance.features[view.name]?.first {
            throw CommandError("view `\(view.name)` has columns of its own (\(feature.line)), which a configuration cannot hold: "
                               + "use `save session PATH.alab` instead")
        }
        var object: [String: JSONValue] = ["name": .string(view.name), "of": .string(view.parent)]
        switch view.selection {
        case .condition(let text):
            object["where"] = .string(text)
        case .sample(let count, let seed):
            object["sample"] = .int(count)
            object["seed"] = .string(String(seed))
        }
        return .object(object)
    }

    /// Reads a configuration and rebuilds it: load, features, classes, answers, models.
    /// Every problem names the file and the place in it (`models[0].strategy`).
    func applyConfiguration(text: String, file: String) throws -> [Output] {
        let document: JSONValue
        do { document = try JSONReader.parse(text) } catch let error as JSONReader.SyntaxError {
            throw CommandError("\(file):\(error.line):\(error.column): \(error.message)")
        }
        let reader = ConfigReader(file: file)
        // Check the whole document before changing anything, so a bad file leaves the session as it was.
        let plan = try configurationPlan(document, reader)
        var outputs: [Output] = []
        for (place, line) in plan.lines {
            do {
                guard let command = try CommandParser.parse(line) else { continue }
                outputs += try run(command)
            } catch let error as CommandError {
                throw reader.fail(place, error.message, suggestion: error.suggestion)
            } catch let error as CommandLexer.LexError {
                throw reader.fail(place, error.message)
            }
        }
        return outputs + labelledWarnings(plan.expectedLabelled)
    }

    /// What a configuration stands for: the commands that rebuild it, each with its place in the
    /// document, and the labelled ids each model lists.
    private func configurationPlan(_ document: JSONValue, _ reader: ConfigReader) throws
        -> (lines: [(place: String, line: String)], expectedLabelled: [String: [String]]) {
        let top = try reader.object(document, "", keys: SessionConfig.topKeys)
        if let format = top["format"], format.stringValue != SessionConfig.format {
            throw reader.fail("format", "expected \"\(SessionConfig.format)\"")
        }
        if let version = top["version"], version.intValue != SessionConfig.version {
            throw reader.fail("version", "this Astrolabe reads version \(SessionConfig.version)")
        }
        let dataset = try reader.object(top["dataset"] ?? .null, "dataset", keys: SessionConfig.datasetKeys)
        let load = try configLoadLine(dataset, reader)
        var lines: [(place: String, line: String)] = [("dataset", load.line)]
        lines += try configFeatureLines(top["features"], reader)
        lines += try configClassLines(top, reader)
        lines += try configAnswerLines(top["answers"], active: top["annotator"], reader)
        lines += try configGoldLines(top["gold"], reader)
        lines += try configRuleLines(top, reader)
        var replayCurrent = load.table
        func use(_ table: String, _ place: String) {
            if table != replayCurrent { lines.append((place, "use \(quoteIfNeeded(table))")) }
            replayCurrent = table
        }
        for (index, item) in try reader.list(top["views"], "views").enumerated() {
            let view = try parseConfigView(item, place: "views[\(index)]", base: load.table, reader: reader)
            use(view.parent, "views[\(index)]")
            lines.append(("views[\(index)]", view.line))
            replayCurrent = view.name
        }
        var expectedLabelled: [String: [String]] = [:]
        for (index, item) in try reader.list(top["models"], "models").enumerated() {
            let place = "models[\(index)]"
            let model = try configModel(item, place: place, reader)
            if let labelled = model.labelled { expectedLabelled[model.name] = labelled }
            use(try reader.string(model.table, place + ".table", required: false) ?? load.table, place)
            lines.append((place, model.line))
        }
        use(try reader.string(top["current"], "current", required: false) ?? load.table, "current")
        lines += try configPlotLines(top["plot"], reader)
        return (lines, expectedLabelled)
    }

    /// `rules` and `labelmodel`: a `rule` line each, then `labelmodel fit`.
    private func configRuleLines(_ top: [String: JSONValue], _ reader: ConfigReader) throws -> [(place: String, line: String)] {
        var lines: [(place: String, line: String)] = try reader.list(top["rules"], "rules").enumerated().map { index, item in
            let place = "rules[\(index)]"
            let rule = try reader.object(item, place, keys: SessionConfig.ruleKeys)
            let made = LabellingRule(name: try reader.string(rule["name"], place + ".name") ?? "",
                                     className: try reader.string(rule["class"], place + ".class") ?? "",
                                     condition: try reader.string(rule["when"], place + ".when") ?? "")
            return (place, made.line)
        }
        if let value = top["labelmodel"] {
            let fit = try reader.object(value, "labelmodel", keys: SessionConfig.labelModelKeys)
            var line = "labelmodel fit method=" + (try reader.string(fit["method"], "labelmodel.method") ?? "")
            if let balance = fit["balance"] {
                let shares = try reader.list(balance, "labelmodel.balance").map { item -> String in
                    guard let x = item.doubleValue else { throw reader.fail("labelmodel.balance", "expected numbers") }
                    return NumberFormatting.short(x)
                }
                line += " balance=" + shares.joined(separator: ",")
            }
            lines.append(("labelmodel", line))
        }
        return lines
    }

    /// `dataset`: its `load` line and the name of the table it makes.
    private func configLoadLine(_ dataset: [String: JSONValue], _ reader: ConfigReader) throws -> (line: String, table: String) {
        guard let path = try reader.string(dataset["path"], "dataset.path") else { throw reader.fail("dataset.path", "missing") }
        guard FileManager.default.fileExists(atPath: resolve(path)) else {
            throw reader.fail("dataset.path", "the dataset \(path) does not exist (paths are relative to the directory astrolabe runs in)")
        }
        var load = "load \(quoteIfNeeded(path))"
        let name = try reader.string(dataset["name"], "dataset.name", required: false)
        if let name { load += " as \(quoteIfNeeded(name))" }
        if let id = try reader.string(dataset["id"], "dataset.id", required: false) { load += " id=\(quoteIfNeeded(id))" }
        if let label = try reader.string(dataset["label"], "dataset.label", required: false) { load += " label=\(quoteIfNeeded(label))" }
        return (load, name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
    }

    /// `features`: one `feature` or `features combine` line each.
    private func configFeatureLines(_ value: JSONValue?, _ reader: ConfigReader) throws -> [(place: String, line: String)] {
        try reader.list(value, "features").enumerated().map { index, item in
            let place = "features[\(index)]"
            let feature = try reader.object(item, place, keys: SessionConfig.featureKeys)
            if feature["combine"] != nil {
                let operation = try reader.string(feature["combine"], place + ".combine") ?? ""
                let columns = try reader.strings(feature["columns"], place + ".columns")
                guard let n = (feature["n"] ?? .int(2)).intValue else { throw reader.fail(place + ".n", "expected a whole number") }
                return (place, SessionProvenance.FeatureDefinition.combine(operation: operation, columns: columns, n: n).line)
            }
            let name = try reader.string(feature["name"], place + ".name") ?? ""
            let expression = try reader.string(feature["expression"], place + ".expression") ?? ""
            return (place, "feature \(Session.featureName(name)) = \(expression)")
        }
    }

    /// `classes` and `unknown`: the `classes` line, and `set plot.colors=` for colours that differ
    /// from the default palette (unless `plot` sets the colours itself).
    private func configClassLines(_ top: [String: JSONValue], _ reader: ConfigReader) throws -> [(place: String, line: String)] {
        var classNames: [String] = []
        var customColours: [String] = []
        for (index, item) in try reader.list(top["classes"], "classes").enumerated() {
            let place = "classes[\(index)]"
            let entry = try reader.object(item, place, keys: SessionConfig.classKeys)
            let className = try reader.string(entry["name"], place + ".name") ?? ""
            classNames.append(className)
            if let colour = try reader.string(entry["colour"], place + ".colour", required: false) {
                guard colour.range(of: "^#[0-9A-Fa-f]{6}$", options: .regularExpression) != nil else {
                    throw reader.fail(place + ".colour", "expected a colour as #RRGGBB, got \"\(colour)\"")
                }
                if colour.uppercased() != Session.colourHex(forClass: index) {
                    customColours.append("\(className):\(colour.uppercased())")
                }
            }
        }
        let unknown = try reader.strings(top["unknown"], "unknown")
        guard !classNames.isEmpty else {
            if !unknown.isEmpty { throw reader.fail("unknown", "needs `classes` too") }
            return []
        }
        var lines = [("classes", Session.classesLine(ClassSet(names: classNames, unknown: unknown)))]
        if !customColours.isEmpty, top["plot"]?["colors"] == nil {
            lines.append(("classes", "set plot.colors=\(customColours.joined(separator: ","))"))
        }
        return lines
    }

    /// `answers`: one `teach` or `unsure` line each, with `annotator NAME` before each annotator's
    /// run of answers when they name who gave them, and `annotator` (the active one) after them.
    private func configAnswerLines(_ value: JSONValue?, active: JSONValue?, _ reader: ConfigReader) throws -> [(place: String, line: String)] {
        var lines: [(place: String, line: String)] = []
        var current: String?
        var named: Bool?
        for (index, item) in try reader.list(value, "answers").enumerated() {
            let place = "answers[\(index)]"
            let record = try configAnswerRecord(item, place: place, reader)
            let who = try reader.string(item["annotator"], place + ".annotator", required: false)
            // Without a name an answer would silently go to whoever answered before it.
            if let named, named != (who != nil) {
                throw reader.fail(place + ".annotator", who == nil ? "missing (other answers name their annotator, so every answer must)"
                                                                   : "earlier answers do not name their annotator, so none may")
            }
            named = who != nil
            if let who, who != current {
                lines.append((place, "annotator \(quoteIfNeeded(who))"))
                current = who
            }
            lines.append((place, answerLine(record, classNames: nil)))
        }
        if let active = try reader.string(active, "annotator", required: false), active != current {
            lines.append(("annotator", "annotator \(quoteIfNeeded(active))"))
        }
        return lines
    }

    /// `answers[i]`: the answer it holds (id, label or unsure, confidence, note).
    private func configAnswerRecord(_ item: JSONValue, place: String, _ reader: ConfigReader) throws -> LabelRecord {
        let answer = try reader.object(item, place, keys: SessionConfig.answerKeys)
        let id = try reader.string(answer["id"], place + ".id") ?? ""
        var record = LabelRecord(dataset: "", rowID: id, kind: .unsure, label: nil, annotator: "", time: 0)
        if answer["unsure"]?.boolValue != true {
            guard let label = try reader.string(answer["label"], place + ".label", required: false) else {
                throw reader.fail(place, "expected \"label\" or \"unsure\": true")
            }
            record.kind = .label
            record.label = label
        }
        if let value = answer["confidence"] {
            guard let confidence = value.doubleValue else { throw reader.fail(place + ".confidence", "expected a number") }
            record.confidence = confidence
        }
        record.note = try reader.string(answer["note"], place + ".note", required: false)
        return record
    }

    /// `gold`: the `gold policy= adjudicator=` line (checked by `gold` itself when it runs).
    private func configGoldLines(_ value: JSONValue?, _ reader: ConfigReader) throws -> [(place: String, line: String)] {
        guard let value else { return [] }
        let gold = try reader.object(value, "gold", keys: SessionConfig.goldKeys)
        guard let policy = try reader.string(gold["policy"], "gold.policy") else { throw reader.fail("gold.policy", "missing") }
        var line = "gold policy=\(quoteIfNeeded(policy))"
        if let judge = try reader.string(gold["adjudicator"], "gold.adjudicator", required: false) { line += " adjudicator=\(quoteIfNeeded(judge))" }
        return [("gold", line)]
    }

    /// `models[i]`: its `model` line, its name, the table it is on (unread: nil means the dataset)
    /// and the labelled ids it lists, if any.
    private func configModel(_ item: JSONValue, place: String, _ reader: ConfigReader) throws
        -> (name: String, line: String, table: JSONValue?, labelled: [String]?) {
        let model = try reader.object(item, place, keys: SessionConfig.modelKeys)
        let name = try reader.string(model["name"], place + ".name") ?? ""
        let features = try reader.strings(model["features"], place + ".features")
        guard !features.isEmpty else { throw reader.fail(place + ".features", "expected at least one feature") }
        var line = "model \(quoteIfNeeded(name)) features=\(quoteIfNeeded(features.joined(separator: ",")))"
        for key in ["classifier", "strategy"] {
            if let value = try reader.string(model[key], "\(place).\(key)", required: false) { line += " \(key)=\(quoteIfNeeded(value))" }
        }
        for key in ["initial", "trees"] {
            guard let value = model[key] else { continue }
            guard let n = value.intValue else { throw reader.fail("\(place).\(key)", "expected a whole number") }
            line += " \(key)=\(n)"
        }
        if let value = model["test"] {
            guard let x = value.doubleValue else { throw reader.fail("\(place).test", "expected a number") }
            line += " test=\(NumberFormatting.short(x, significant: 15))"
        }
        if let options = model["options"] {
            guard let members = options.objectValue else { throw reader.fail(place + ".options", "expected a JSON object") }
            for key in members.keys.sorted() {
                guard let value = try reader.string(members[key], "\(place).options.\(key)") else { continue }
                line += " \(key)=\(quoteIfNeeded(value))"
            }
        }
        let labelled = model["labelled"] != nil ? try reader.strings(model["labelled"], place + ".labelled") : nil
        return (name, line, model["table"], labelled)
    }

    /// `plot`: one `set plot.KEY=VALUE` line per default.
    private func configPlotLines(_ value: JSONValue?, _ reader: ConfigReader) throws -> [(place: String, line: String)] {
        guard let plot = value else { return [] }
        guard let members = plot.objectValue else { throw reader.fail("plot", "expected a JSON object of plot defaults") }
        return try members.keys.sorted().compactMap { key in
            guard let value = try reader.string(members[key], "plot.\(key)") else { return nil }
            return ("plot.\(key)", "set plot.\(key)=\(quoteIfNeeded(value))")
        }
    }

    /// The labelled ids are derived (initial rows + answers); a mismatch means the data changed.
    private func labelledWarnings(_ expectedLabelled: [String: [String]]) -> [Output] {
        expectedLabelled.sorted(by: { $0.key < $1.key }).compactMap { name, ids in
            guard let model = models[name], let table = tables[model.tableName] else { return nil }
            let rowIDs = table.rowIdentifiers()
            let trained = Set(model.trainingRows.filter { $0 < rowIDs.count }.map { rowIDs[$0] })
            guard trained != Set(ids) else { return nil }
            return .warning("model \(name) trained on \(trained.count) labelled rows, but the configuration lists \(ids.count) "
                            + "(\(trained.subtracting(ids).count) not listed, \(Set(ids).subtracting(trained).count) missing): has the dataset changed?")
        }
    }

    /// `views[i]` of a configuration: the view it describes.
    func parseConfigView(_ item: JSONValue, place: String, base: String, reader: ConfigReader) throws -> SessionProvenance.ViewDefinition {
        let view = try reader.object(item, place, keys: SessionConfig.viewKeys)
        let name = try reader.string(view["name"], place + ".name") ?? ""
        let parent = try reader.string(view["of"], place + ".of", required: false) ?? base
        let selection: SessionProvenance.ViewDefinition.Selection
        if let condition = try reader.string(view["where"], place + ".where", required: false) {
            selection = .condition(condition)
        } else if let count = view["sample"]?.intValue, count >= 0 {
            guard let seed = try UInt64(reader.string(view["seed"], place + ".seed") ?? "") else {
                throw reader.fail(place + ".seed", "expected a whole number ≥ 0 as a string")
            }
            selection = .sample(count: count, seed: seed)
        } else {
            throw reader.fail(place, "expected \"where\": CONDITION or \"sample\": N with \"seed\"")
        }
        return SessionProvenance.ViewDefinition(name: name, parent: parent, selection: selection)
    }

    /// Class → `#RRGGBB` from a `colors=` setting such as `bll:#0072B2,fsrq:#E69F00`.
    static func userClassColours(_ setting: String?) -> [String: String] {
        guard let setting else { return [:] }
        var colours: [String: String] = [:]
        for pair in setting.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1].range(of: "^#[0-9A-Fa-f]{6}$", options: .regularExpression) != nil else { continue }
            colours[parts[0]] = parts[1].uppercased()
        }
        return colours
    }
}
