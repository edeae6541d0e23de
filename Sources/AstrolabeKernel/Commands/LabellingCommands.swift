import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let labelling: [Verb] = [
        Verb("find", usage: "find where EXPRESSION",
             summary: "Labelling mode: draw one random row matching the criteria that has no answer yet, to label for a curated test set.",
             details: """
                 The draw is seeded, so a replayed script draws the same rows. Answer with teach/unsure as usual;
                 `testset use` then makes the rows drawn here and labelled the test set of the models.
                 example: find where Variability_Index > 100 and PL_Index < 2.2
                 """,
             arguments: [.expression], freeText: true,
             run: Session.find),
        Verb("testset", usage: "testset use [MODEL]",
             summary: "Make the rows labelled in labelling mode (find) the test set of MODEL (default: every model of the table).",
             arguments: [.text, .model],
             run: Session.testset),
        Verb("checkpoint", usage: "checkpoint MODEL [to=DIRECTORY]",
             summary: "Write the model (spec, labels and seed, so it refits bit for bit) to a file named after its label, classifier, strategy, labels and F1.",
             options: [("to", "directory (default checkpoints)")],
             arguments: [.model], optionValues: ["to": .path],
             run: Session.checkpoint),
    ]
}

/// A model written by `checkpoint`: everything needed to rebuild it exactly. Models are
/// deterministic for their labels and seed, so refitting reproduces the same trees and weights.
struct ModelCheckpoint: Codable {
    var format = "astrolabe-model-1"
    var name: String
    var table: String
    var features: [String]
    var classifier: String
    var members: [String]
    var trees: Int
    var maxDepth: Int?
    var k: Int
    var c: Double
    var estimators: Int?
    var scaling: String
    var target: String?
    var sourceClasses: [String]?
    var strategy: String
    var classes: [String]
    var seed: UInt64
    var fits: Int
    /// Training rows by id with their class names, and test rows by id.
    var trainingIDs: [String]
    var trainingLabels: [String]
    var testIDs: [String]
}

extension Session {
    func find(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let rest = String(command.rest)
        let trimmed = rest.drop { $0 == " " }
        guard trimmed.hasPrefix("where ") else {
            throw CommandError("expected `where EXPRESSION`: find where EXPRESSION", offset: command.restOffset, length: max(1, rest.count))
        }
        let leading = rest.count - trimmed.count
        let expressionText = String(trimmed.dropFirst(6))
        let values = try evaluate(expressionText, offset: command.restOffset + leading + 6, in: table)
        let answered = answers[table.name] ?? [:]
        let drawn = Set(learning.found[table.name] ?? [])
        let matching = values.indices.filter { values[$0] != 0 && !values[$0].isNaN }
        let candidates = matching.filter { answered[$0] == nil && !drawn.contains($0) }
        guard !candidates.isEmpty else {
            return [.text("no unlabelled row matches (\(matching.count) rows match, all answered or already drawn)")]
        }
        var generator = SeededGenerator(seed: options.seed &+ 0xF1D &+ UInt64(learning.findDraws))
        learning.findDraws += 1
        let row = candidates[generator.nextInt(below: candidates.count)]
        learning.found[table.name, default: []].append(row)
        let id = table.rowIdentifiers()[row]
        var shown = TextTable(header: ["column", "value"], numericColumns: [1])
        let hidden = Set([table.labelColumn].compactMap { $0 })
        for column in table.columns where !hidden.contains(column.name) {
            shown.append([column.name, column.displayText(row: row)])
        }
        return [.text("find: \(id) (one of \(candidates.count) unlabelled matching rows); answer with teach \(quoteIfNeeded(id)) CLASS\n" + shown.rendered)]
    }

    func testset(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard command.positionals.first?.text == "use" else {
            throw CommandError("expected `testset use [MODEL]`", at: command.positionals.first ?? command.verb)
        }
        let curated = (learning.found[table.name] ?? []).filter { answers[table.name]?[$0]?.kind == .label }
        guard !curated.isEmpty else {
            throw CommandError("no curated rows yet: draw rows with `find where ...` and label them with teach", at: command.verb)
        }
        let names = try command.positionals.count > 1
            ? [requireModel(command.positionals[1], verb: command.verb).name]
            : modelOrder.filter { models[$0]?.tableName == table.name }
        guard !names.isEmpty else { throw CommandError("no model to give a test set: create one with `model`", at: command.verb) }
        var lines: [String] = []
        let curatedSet = Set(curated)
        for name in names {
            guard var model = models[name] else { continue }
            model.testRows = curated.sorted()
            model.initialRows.removeAll { curatedSet.contains($0) }
            model.validationRows.removeAll { curatedSet.contains($0) }
            let count = try fit(&model)
            models[name] = model
            lines.append("\(name): test set is now the \(curated.count) rows labelled in labelling mode; retrained on \(count) labels")
        }
        return [.text(lines.joined(separator: "\n"))]
    }

    /// The true class index of a test row: the human answer where there is one (curated test
    /// sets), else the catalogue's label column.
    func testTruth(_ model: ActiveModel, table: Table) -> [Int] {
        truth(model, rows: model.testRows, table: table)
    }

    func checkpoint(_ command: ParsedCommand) throws -> [Output] {
        let model = try requireModel(command.positionals.first, verb: command.verb)
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        let ids = table.rowIdentifiers()
        var f1 = "na"
        if !model.testRows.isEmpty, !model.trainingRows.isEmpty {
            let truth = testTruth(model, table: table)
            let keep = truth.indices.filter { truth[$0] >= 0 }
            let predicted = try model.classifier.predict(model.x.selecting(rows: keep.map { model.testRows[$0] }))
            if let matrix = try? ConfusionMatrix(truth: keep.map { truth[$0] }, predicted: predicted, classCount: model.classes.count) {
                f1 = fixed(matrix.macroF1)
            }
        }
        let record = ModelCheckpoint(
            name: model.name, table: model.tableName, features: model.features, classifier: model.classifierName,
            members: model.members, trees: model.settings.trees, maxDepth: model.settings.maxDepth, k: model.settings.k,
            c: model.settings.c, estimators: model.settings.estimators, scaling: model.scaling.rawValue, target: model.target,
            sourceClasses: model.sourceClasses.isEmpty ? nil : model.sourceClasses,
            strategy: model.strategyName, classes: model.classes, seed: model.seed, fits: model.fits,
            trainingIDs: model.trainingRows.map { ids[$0] },
            trainingLabels: model.trainingLabels.map { model.classes[$0] },
            testIDs: model.testRows.map { ids[$0] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes = Array(try encoder.encode(record)) + [10]
        // The time goes into the name only at an interactive prompt: replayed notebooks stay byte-identical.
        var stamp = ""
        if options.interactive {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            stamp = "-" + formatter.string(from: Date())
        }
        let label = model.target ?? (table.labelColumn ?? "label")
        let safe = { (s: String) in String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }) }
        let file = safe("\(model.name)-\(label)-\(model.classifierName)-\(model.strategyName)-\(model.trainingRows.count)labels-f1_\(f1)") + stamp + ".json"
        let directory = command.option("to")?.value.text ?? "checkpoints"
        let path = (directory as NSString).appendingPathComponent(file)
        try writeFile(bytes, to: path, word: command.option("to")?.value ?? command.verb)
        return [.text("wrote \(path) (\(model.trainingRows.count) labels, validation macro F1 \(f1)); `load model \(path)` rebuilds it")]
    }

    /// `load model PATH`: rebuilds a checkpointed model on its table (which must be loaded).
    func loadModel(_ command: ParsedCommand) throws -> [Output] {
        let pathWord = command.positionals[1]
        let record: ModelCheckpoint
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: resolve(pathWord.text)))
            record = try JSONDecoder().decode(ModelCheckpoint.self, from: data)
        } catch {
            throw CommandError("cannot read the model file \(pathWord.text): \(error.localizedDescription)", at: pathWord)
        }
        guard record.format == "astrolabe-model-1" else { throw CommandError("\(pathWord.text) is not an Astrolabe model file", at: pathWord) }
        guard let table = tables[record.table] else {
            throw CommandError("the model was made on table `\(record.table)`: load that table first", at: pathWord)
        }
        for name in record.features where table.column(named: name)?.isNumeric != true {
            throw CommandError("table `\(record.table)` has no numeric feature `\(name)` the model needs", at: pathWord)
        }
        let ids = table.rowIdentifiers()
        var rowOf: [String: Int] = [:]
        for (row, id) in ids.enumerated() where rowOf[id] == nil { rowOf[id] = row }
        let missing = (record.trainingIDs + record.testIDs).filter { rowOf[$0] == nil }
        guard missing.isEmpty else {
            throw CommandError("\(missing.count) rows of the model are not in table `\(record.table)` (e.g. `\(missing[0])`)", at: pathWord)
        }
        var settings = ClassifierCatalog.Settings()
        settings.trees = record.trees; settings.maxDepth = record.maxDepth; settings.k = record.k
        settings.c = record.c; settings.estimators = record.estimators
        let x = try FeatureMatrix(columns: record.features.map { table.column(named: $0)?.numbers ?? [] })
        var model = ActiveModel(name: record.name, tableName: record.table, features: record.features, strategyName: record.strategy,
                                classifierName: record.classifier, members: record.members, settings: settings,
                                scaling: Scaling(rawValue: record.scaling) ?? .none, target: record.target, classes: record.classes,
                                testRows: record.testIDs.compactMap { rowOf[$0] }, initialRows: [], seed: record.seed, x: x,
                                classifier: ScaledClassifier(RandomForest(), scaling: .none))
        model.sourceClasses = record.sourceClasses ?? []
        let rows = record.trainingIDs.compactMap { rowOf[$0] }
        let labels = record.trainingLabels.compactMap { record.classes.firstIndex(of: $0) }
        guard labels.count == rows.count else { throw CommandError("the model file's labels do not match its classes", at: pathWord) }
        model.trainingRows = rows
        model.trainingLabels = labels
        model.classifier = model.makeClassifier()
        try model.classifier.fit(x.selecting(rows: rows), labels: labels, classCount: record.classes.count, seed: record.seed)
        model.fits = record.fits
        try recordTraining(&model)
        if models[model.name] == nil { modelOrder.append(model.name) }
        models[model.name] = model
        return [.text("loaded model \(model.name): \(model.description) on \(record.features.joined(separator: ", ")), \(rows.count) labels")]
    }
}
