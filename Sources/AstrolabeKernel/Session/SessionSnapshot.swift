import AstrolabeData
import AstrolabePlot

/// What the session state does not keep by itself but `save session` and `save config` must write
/// back: the path and roles each table was loaded with, how each column and view was made, the
/// options each model was made with, and what happened since in order. After each successful
/// command `Session.run` calls the rule its verb declares (`Verb.provenance`,
/// SessionProvenanceRules.swift).
struct SessionProvenance {
    struct TableSource: Equatable {
        var path: String
        var name: String
        var id: String?
        var label: String?
    }

    /// A step that adds columns to a table: `feature NAME = EXPRESSION`, `features combine OP ...`
    /// or `join OTHER on=KEY`. Written back in the order they ran.
    enum FeatureDefinition: Equatable {
        case expression(name: String, text: String)
        case combine(operation: String, columns: [String], n: Int)
        case join(other: String, on: String, rightOn: String?)
        /// `join OTHER sky OPTIONS`: a positional match (its options as written).
        case skyJoin(other: String, options: String)

        /// The command that makes the columns again.
        var line: String {
            switch self {
            case .expression(let name, let text):
                return "feature \(Session.featureName(name)) = \(text)"
            case .combine(let operation, let columns, let n):
                let force = (FeatureCombinations.count(columns.count, choose: n) ?? Int.max) > combineLimit ? " force=yes" : ""
                return "features combine \(operation) " + columns.map(quoteIfNeeded).joined(separator: " ")
                    + (n == 2 ? "" : " n=\(n)") + force
            case .join(let other, let on, let rightOn):
                return "join \(quoteIfNeeded(other)) on=\(quoteIfNeeded(on))" + (rightOn.map { " right_on=\(quoteIfNeeded($0))" } ?? "")
            case .skyJoin(let other, let options):
                return "join \(quoteIfNeeded(other)) sky \(options)"
            }
        }

        /// Each column it makes, with the columns it is computed from (none for a join's).
        var inputs: [String: [String]] {
            switch self {
            case .expression(let name, let text):
                return [name: (try? Expression(parsing: text))?.columnNames ?? []]
            case .combine(let operation, let columns, let n):
                guard let op = CombineOperation(rawValue: operation) else { return [:] }
                var inputs: [String: [String]] = [:]
                for subset in FeatureCombinations.subsets(columns.count, n) {
                    let used = subset.map { columns[$0] }
                    inputs[FeatureCombinations.name(used, op)] = used
                }
                return inputs
            case .join, .skyJoin:
                return [:]
            }
        }

        /// The columns it makes (none named for a join: its columns are the other table's).
        var names: [String] {
            switch self {
            case .expression(let name, _):
                return [name]
            case .combine(let operation, let columns, let n):
                guard let op = CombineOperation(rawValue: operation) else { return [] }
                return FeatureCombinations.subsets(columns.count, n).map { FeatureCombinations.name($0.map { columns[$0] }, op) }
            case .join, .skyJoin:
                return []
            }
        }
    }

    /// A view made by `where CONDITION as NAME` or `sample N seed=S as=NAME` from `parent`, the
    /// table current then. Its rows depend on the parent's state at that moment, so `save session`
    /// writes it as a line of its base table's log, in order.
    struct ViewDefinition: Equatable {
        enum Selection: Equatable {
            case condition(String)
            case sample(count: Int, seed: UInt64)
        }
        var name: String
        var parent: String
        var selection: Selection

        var line: String {
            switch selection {
            case .condition(let text): return "where \(text) as \(name)"
            case .sample(let count, let seed): return "sample \(count) seed=\(seed) as=\(quoteIfNeeded(name))"
            }
        }
    }

    struct ModelDefinition: Equatable {
        var name: String
        var table: String
        /// Options as typed (`features`, `strategy`, ...), by key.
        var options: [String: String]
        /// For a model restored by `load model PATH`: the path as typed, written back as that line.
        var loadedFrom: String? = nil
    }

    /// What happened to a loaded table, its views and their models, in order, from its first
    /// `model`, `load model`, `find` or view on: a saved script replays these lines as they were
    /// typed, so every view has the same rows and every model fits as many times, on the same
    /// labels, as it did in the session (its version `NAME@FITS` and its history come out the same).
    /// Before that point answers only matter by their final value, so they are written as the state
    /// at that moment, one line per row.
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
        /// With several annotators (Labels/TeamAnswers.swift): the store's standing answers, the active
        /// annotator and the gold policy line at that moment, written instead of the answers above.
        var teamAtStart: (answers: [LabelRecord], annotator: String, gold: String?)? = nil
        /// Canonical lines, each with the `retrain every=N` cadence in force when it ran, the table
        /// (the base or one of its views) that was current, and the one current after it.
        /// Each line with the retrain cadence and the annotator switched to (`annotator NAME`; nil:
        /// none yet) when it ran, so a replay answers as the same person whichever table's log a switch went to.
        var events: [(line: String, every: Int, table: String, then: String, annotator: String?)] = []
    }

    var tables: [String: TableSource] = [:]
    /// Per table or view, in definition order; a redefinition moves the feature to the end.
    var features: [String: [FeatureDefinition]] = [:]
    var views: [String: ViewDefinition] = [:]
    var models: [String: ModelDefinition] = [:]
    /// Per loaded table (not views): the log of it and its views once a model, a labelling-mode
    /// draw or a view exists.
    var logs: [String: TableLog] = [:]

    /// The order model options are written in: every option `model` takes, in the order it declares them.
    static var modelOptionOrder: [String] { VerbCatalog.named("model")?.optionNames ?? [] }

    /// Adds a column-making step of `table`; it replaces earlier steps whose columns it all remakes.
    mutating func define(_ definition: FeatureDefinition, table: String, in session: Session) {
        let made = Set(definition.names)
        features[table, default: []].removeAll { !$0.names.isEmpty && Set($0.names).isSubset(of: made) }
        features[table, default: []].append(definition)
        log(definition.line, table: table, in: session)
    }

    /// Appends a line to the log of `table`'s loaded table, to run with `table` current (and leaving
    /// `then` current: a view); `starting` lines open the log when it is not open yet.
    mutating func log(_ line: String, table: String, in session: Session, starting: Bool = false, then: String? = nil) {
        let base = session.viewBases[table] ?? table
        guard tables[base] != nil else { return }
        if logs[base] == nil {
            guard starting else { return }
            var earlier: [String: [LabelRecord]] = [:]
            for record in (try? session.store.answers(dataset: base)) ?? [] { earlier[record.rowID, default: []].append(record) }
            for (id, chain) in earlier { earlier[id] = chain.count > 1 ? Array(chain.dropLast()) : nil }
            logs[base] = TableLog(answersAtStart: session.answers[base] ?? [:], classesAtStart: session.declaredClasses[base],
                                  skippedAtStart: session.learning.skipped[base] ?? [], featuresAtStart: features[base] ?? [],
                                  earlierAtStart: earlier, teamAtStart: session.teamSnapshot(dataset: base))
        }
        logs[base]?.events.append((line, session.learning.retrainEvery, table, then ?? table, session.team.active))
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

    /// Loaded tables that can be written back: the current one (or its base) last, so it is current
    /// after a replay, but every table after the tables it joined.
    var savableTables: [String] {
        var names = tableOrder.filter { tables[$0] != nil && provenance.tables[$0] != nil }
        if let current = currentTableName, let index = names.firstIndex(of: viewBases[current] ?? current) {
            names.append(names.remove(at: index))
        }
        var ordered: [String] = []
        while !names.isEmpty {
            let index = names.firstIndex { name in joinedTables(of: name).allSatisfy { !names.contains($0) || $0 == name } } ?? 0
            ordered.append(names.remove(at: index))
        }
        return ordered
    }

    /// The tables a table or its views joined, which a replay must rebuild first.
    func joinedTables(of base: String) -> [String] {
        provenance.features.filter { (viewBases[$0.key] ?? $0.key) == base }.values.flatMap { steps in
            steps.compactMap { step -> String? in
                switch step {
                case .join(let other, _, _), .skyJoin(let other, _): return viewBases[other] ?? other
                default: return nil
                }
            }
        }
    }

    /// Column-making steps of a table whose columns are still in it, in definition order.
    func savableFeatures(of table: String) -> [SessionProvenance.FeatureDefinition] {
        guard let current = tables[table] else { return [] }
        return (provenance.features[table] ?? []).filter { $0.names.isEmpty || $0.names.contains { current.column(named: $0) != nil } }
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

    /// What `save session` wrote, counted for its message.
    struct ScriptCounts {
        var tables = 0, views = 0, features = 0, models = 0, answers = 0
        /// Views the script cannot make again (their table was loaded again after them).
        var lost: [String] = []

        mutating func count(_ line: String) {
            if line.hasPrefix("teach ") || line.hasPrefix("unsure ") { answers += 1 }
            if line.hasPrefix("model ") || line.hasPrefix("load model ") { models += 1 }
            if line.hasPrefix("feature ") || line.hasPrefix("features combine ") { features += 1 }
            if line.hasPrefix("where ") || line.hasPrefix("sample ") { views += 1 }
        }
    }

    /// The script that rebuilds the current state: per loaded table its load and features; then, for
    /// a table with no log, its classes and every answer as one `teach`/`unsure` line per row; for a
    /// table with a log (models, views, draws), its classes and answers as they were when the log
    /// opened, followed by what happened since, in order (see `TableLog`), with `use` wherever the
    /// line ran in another table or view. The table current at the end is current after a replay.
    func sessionScript() -> (text: String, counts: ScriptCounts) {
        var lines = ["# Astrolabe session written by `save session`: replay with `astrolabe run` "
                     + (options.seed == 42 ? "" : "--seed \(options.seed) ") + "on this file."]
        var counts = ScriptCounts()
        var cadence = 1
        var replayCurrent: String?
        // The annotator the replay answers as so far (nil: whoever runs it), like the cadence above.
        var replayAnnotator: String?
        var made: Set<String> = []
        for name in savableTables {
            guard let table = tables[name] else { continue }
            lines.append("")
            lines += scriptOpening(of: name, table: table, counts: &counts)
            if let team = provenance.logs[name].map(\.teamAtStart) ?? teamSnapshot(dataset: name) { replayAnnotator = team.annotator }
            replayCurrent = name
            counts.tables += 1
            for event in provenance.logs[name]?.events ?? [] {
                if event.table != replayCurrent {
                    lines.append("use \(quoteIfNeeded(event.table))")
                }
                if event.every != cadence {
                    lines.append("retrain every=\(event.every)")
                    cadence = event.every
                }
                // A line given under the session's own annotator after lines of another (answers of
                // `import labelstudio` / `serve labelstudio`) switches back to it.
                let wanted = event.annotator ?? (replayAnnotator.map { $0 == options.annotator ? nil : options.annotator } ?? nil)
                if let wanted, wanted != replayAnnotator, !event.line.hasPrefix("annotator ") {
                    lines.append("annotator \(quoteIfNeeded(wanted))")
                }
                if let annotator = wanted { replayAnnotator = annotator }
                lines.append(event.line)
                replayCurrent = event.then
                made.insert(event.then)
                counts.count(event.line)
            }
        }
        counts.lost = tableOrder.filter { viewBases[$0] != nil && tables[$0] != nil && !made.contains($0) }
        if let current = currentTableName, replayCurrent != nil, current != replayCurrent,
           savableTables.contains(current) || made.contains(current) {
            lines.append("use \(quoteIfNeeded(current))")
        }
        if learning.retrainEvery != cadence { lines.append("retrain every=\(learning.retrainEvery)") }
        lines += teamClosing()
        for (key, value) in plotSettings.defaults.sorted(by: { $0.key < $1.key }) {
            lines.append("set plot.\(key)=\(quoteIfNeeded(value))")
        }
        return (lines.joined(separator: "\n") + "\n", counts)
    }

    /// A loaded table as it was when its log opened (or as it is, without a log): load, features,
    /// classes, one line per answer, skips.
    func scriptOpening(of name: String, table: Table, counts: inout ScriptCounts) -> [String] {
        guard let source = provenance.tables[name] else { return [] }
        var load = "load \(quoteIfNeeded(source.path)) as \(quoteIfNeeded(name))"
        if let id = table.idColumn { load += " id=\(quoteIfNeeded(id))" }
        if let label = table.labelColumn { load += " label=\(quoteIfNeeded(label))" }
        var lines = [load]
        let log = provenance.logs[name]
        for feature in log?.featuresAtStart ?? savableFeatures(of: name) {
            lines.append(feature.line)
            counts.count(feature.line)
        }
        if let sed = cutouts.seds[name], sed.bands.allSatisfy({ table.column(named: $0.column) != nil }) { lines.append(sed.line) }
        let declared = log.map(\.classesAtStart) ?? declaredClasses[name]
        if let declared { lines.append(Session.classesLine(declared)) }
        let classNames = declared?.names ?? (try? classSet(for: table, at: Word(text: "", raw: "", quoted: false, offset: 0)))?.names ?? []
        let current = (log?.answersAtStart ?? answers[name] ?? [:]).sorted(by: { $0.key < $1.key }).map(\.value)
        if let team = log.map(\.teamAtStart) ?? teamSnapshot(dataset: name) {
            lines += teamOpening(team, classNames: classNames, counts: &counts)
        } else {
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
            counts.answers += 1
        }
        }
        let ids = table.rowIdentifiers()
        for row in (log?.skippedAtStart ?? []).sorted() where row < ids.count { lines.append("skip \(quoteIfNeeded(ids[row]))") }
        return lines
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
