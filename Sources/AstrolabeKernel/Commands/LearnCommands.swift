import AstrolabeData
import AstrolabeLearn
import Foundation

extension VerbCatalog {
    nonisolated(unsafe) static let learn: [Verb] = [
        Verb("classes", usage: "classes NAME ... [unknown=VALUE,...]",
             summary: "Declare the classes models learn, in order; label values listed as unknown go to the pool.",
             details: """
                 Without this command the classes are the distinct values of the label column.
                 Rows whose label is not a declared class count as unlabelled.
                 example: classes bll fsrq unknown=bcu
                 """,
             options: [("unknown", "label values that mean 'not known'")],
             arguments: [.className],
             run: Session.classes),
        Verb("model", usage: "model NAME features=A,B,... [classifier=forest] [strategy=margin] [initial=N] [test=FRACTION | split=TRAIN:VALIDATION:TEST] [trees=N]",
             summary: "Create a classifier (or committee) over features and fit it on the labels known so far.",
             details: """
                 The rows whose label column holds a declared class are split, stratified, into a held-out test set
                 (test=, default 0.25) and the rest. initial= rows of the rest (default 2 per class, stratified)
                 start the training set, as if already labelled; every `teach` answer joins it. All other rows form
                 the pool that `query` ranks.
                 split=0.6:0.2:0.2 instead splits the labelled rows three ways (stratified; the numbers are relative
                 weights): a test set, a validation set scored after every fit (see `history`), and the rest.
                 strategy=expected-error refits the model for every pool row and class (modAL's expected error
                 reduction, 1 - max p loss): only for pools of at most 1000 rows.
                 example: model m classifier=forest features=PL_Index,hardness strategy=margin
                 example: model m features=PL_Index,hardness split=0.6:0.2:0.2
                 """,
             options: [("features", "comma-separated feature columns"),
                       ("classifier", "forest, extra-trees, tree, knn, logistic, naive-bayes, adaboost, boosting or committee"),
                       ("strategy", "margin, entropy, least-confident, random; vote-entropy, consensus-entropy, max-disagreement (committees); density, ranked-batch, k-center; expected-error (pools up to 1000 rows)"),
                       ("initial", "number of starting labels"), ("test", "held-out fraction"),
                       ("split", "train:validation:test ratios of the labelled rows, e.g. 0.6:0.2:0.2"),
                       ("trees", "number of trees (forest, extra-trees)"), ("scaling", "none, standard or robust (fitted on the training rows)"),
                       ("committee", "a committee of N copies of the classifier"), ("members", "committee members, e.g. forest,logistic,knn"),
                       ("k", "neighbours (knn)"), ("c", "inverse L2 strength (logistic)"), ("depth", "maximum tree depth"),
                       ("estimators", "boosting rounds"), ("target", "one-vs-rest: this class against all others"),
                       ("start", "cold start: stratified (default, at least one per class), random or k-center (representative)")],
             arguments: [.text], optionValues: ["features": .column],
             run: Session.model),
        Verb("query", usage: "query MODEL [N]",
             summary: "Show the N pool rows (default 5) the model most wants labelled, best first.",
             arguments: [.model, .number],
             run: Session.query),
        Verb("teach", usage: "teach ID CLASS | teach MODEL loop",
             summary: "Give the class of one row. Stored durably before the prompt returns; models retrain.",
             details: """
                 Quote ids that contain spaces: teach "4FGL J0001.2+4741" bll
                 Teaching a row again relabels it (the store keeps both answers).
                 `teach MODEL loop` (REPL only) shows one queried row at a time: a digit per class, u unsure, s skip,
                 z undo, q quit; each answer is recorded as an explicit teach/unsure/skip/undo line.
                 """,
             arguments: [.id, .className],
             run: Session.teach),
        Verb("unsure", usage: "unsure ID",
             summary: "Record that you cannot tell a row's class: kept out of training, and may be asked again.",
             arguments: [.id],
             run: Session.unsure),
        Verb("labels", usage: "labels",
             summary: "List the answers given for the current table, latest per row.",
             run: Session.labels),
        Verb("score", usage: "score MODEL [on=test|validation|train]",
             summary: "Accuracy, per-class precision, recall and F1, and the confusion matrix on the model's test set.",
             details: """
                 on= picks the set: test (default), validation (models made with split=) or train (the labels it
                 learnt from, a check for underfitting).
                 """,
             options: [("on", "test, validation or train")],
             arguments: [.model],
             run: Session.score),
        Verb("history", usage: "history MODEL [on=validation|train|test] [average=macro|weighted|CLASS] [to=PATH]",
             summary: "Scores after every fit (one row per number of labels) and the signals that say when to stop.",
             details: """
                 Every fit is scored on the training labels, the validation set and the test set; on= picks the
                 set shown (default validation when the model has one, else train; test only when asked).
                 average= gives macro (default) or weighted precision, recall and F1, or those of one class.
                 Stopping signals, over the pool: kappa, the agreement (Cohen's kappa) of this fit's predicted
                 classes with the previous fit's (near 1: new labels no longer change the predictions); pool
                 uncertainty, the mean uncertainty (the strategy's own for margin 1 - (p1 - p2), entropy and
                 least-confident, else least-confident); max uncertainty, that of the row the model most wants
                 labelled (low: it is confident everywhere).
                 to=PATH.png draws accuracy and F1 against the number of labels.
                 example: history m on=validation average=weighted
                 """,
             options: [("on", "validation, train or test"), ("average", "macro, weighted or a class name"),
                       ("to", "PNG of the scores against labels")],
             arguments: [.model], optionValues: ["to": .path],
             run: Session.history),
    ]
}

/// The classes models of one table learn, and which label values mean "not known".
struct ClassSet {
    var names: [String]
    var unknown: [String]
}

/// `classes`, `model`, `query`, `teach`, `unsure`, `labels`, `score`: the active-learning loop.
extension Session {
    // MARK: Classes

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
        let unknown = command.option("unknown").map { $0.value.text.split(separator: ",").map(String.init) } ?? []
        if let clash = unknown.first(where: names.contains) {
            throw CommandError("`\(clash)` cannot be both a class and unknown", at: command.option("unknown")?.value ?? command.verb)
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
        return [.text(lines.joined(separator: "\n"))]
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

    // MARK: Model

    func model(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard let nameWord = command.positionals.first else {
            throw CommandError("expected a model name: model NAME features=A,B,...", offset: command.verb.offset + command.verb.length, length: 1)
        }
        if let stray = command.positionals.dropFirst().first {
            throw CommandError("unexpected `\(stray.text)`; options are written key=value", at: stray)
        }
        guard let featuresOption = command.option("features") else {
            throw CommandError("expected features=A,B,... naming the model's feature columns", at: nameWord)
        }
        let features = try columnList(featuresOption.value, in: table)
        for (i, name) in features.enumerated() where table.column(named: name)?.isNumeric != true {
            _ = i
            throw CommandError("feature `\(name)` is a text column; models need numeric features", at: featuresOption.value)
        }
        let classifier = command.option("classifier")?.value.text ?? "forest"
        let kinds = ClassifierCatalog.names + ["committee"]
        guard kinds.contains(classifier) else {
            throw CommandError("unknown classifier `\(classifier)` (available: \(kinds.joined(separator: ", ")))",
                               at: command.option("classifier")?.value ?? command.verb,
                               suggestion: nearestName(to: classifier, in: kinds))
        }
        var members: [String] = []
        if let option = command.option("members") {
            members = option.value.text.split(separator: ",").map(String.init)
            if let bad = members.first(where: { !ClassifierCatalog.names.contains($0) }) {
                throw CommandError("unknown committee member `\(bad)` (available: \(ClassifierCatalog.names.joined(separator: ", ")))",
                                   at: option.value, suggestion: nearestName(to: bad, in: ClassifierCatalog.names))
            }
        }
        let committeeSize = try intOption(command, "committee", default: 0, range: 0...100)
        if classifier == "committee" && members.isEmpty { members = [String](repeating: "forest", count: max(committeeSize, 5)) }
        if classifier != "committee" && committeeSize > 0 { members = [String](repeating: classifier, count: committeeSize) }
        if members.count == 1 {
            throw CommandError("a committee needs at least two members", at: command.option("members")?.value ?? command.verb)
        }
        let strategyName = command.option("strategy")?.value.text ?? (members.isEmpty ? "margin" : "vote-entropy")
        let strategyNames = QueryStrategies.names + CommitteeStrategies.names + BatchStrategy.names + [ExpectedErrorReduction.name]
        guard QueryStrategies.named(strategyName) != nil || CommitteeStrategies.named(strategyName) != nil
                || BatchStrategy(rawValue: strategyName) != nil || strategyName == ExpectedErrorReduction.name else {
            throw CommandError("unknown strategy `\(strategyName)` (available: \(strategyNames.joined(separator: ", ")))",
                               at: command.option("strategy")?.value ?? command.verb, suggestion: nearestName(to: strategyName, in: strategyNames))
        }
        if CommitteeStrategies.named(strategyName) != nil && members.isEmpty {
            throw CommandError("strategy `\(strategyName)` needs a committee: add committee=N or classifier=committee members=A,B,...",
                               at: command.option("strategy")?.value ?? command.verb)
        }
        var settings = ClassifierCatalog.Settings()
        settings.trees = try intOption(command, "trees", default: 100, range: 1...10_000)
        settings.k = try intOption(command, "k", default: 5, range: 1...10_000)
        settings.c = try doubleOption(command, "c", default: 1, range: 1e-6...1e6)
        if command.option("depth") != nil { settings.maxDepth = try intOption(command, "depth", default: 0, range: 1...1000) }
        if command.option("estimators") != nil { settings.estimators = try intOption(command, "estimators", default: 0, range: 1...10_000) }
        let scalingName = command.option("scaling")?.value.text
        let scalingDefault = ClassifierCatalog.defaultScaling(members.first ?? classifier)
        guard let scaling = scalingName.map({ Scaling(rawValue: $0) }) ?? scalingDefault else {
            let names = Scaling.allCases.map(\.rawValue)
            throw CommandError("unknown scaling `\(scalingName ?? "")` (available: \(names.joined(separator: ", ")))",
                               at: command.option("scaling")?.value ?? command.verb, suggestion: nearestName(to: scalingName ?? "", in: names))
        }
        let testFraction = try doubleOption(command, "test", default: 0.25, range: 0...0.9)
        let ratios = try splitRatios(command)
        var classes = try classSet(for: table, at: command.verb)
        var target: String?
        if let option = command.option("target") {
            guard classes.names.contains(option.value.text) else {
                throw CommandError("`\(option.value.text)` is not a declared class (classes: \(classes.names.joined(separator: ", ")))",
                                   at: option.value, suggestion: nearestName(to: option.value.text, in: classes.names))
            }
            target = option.value.text
        }
        guard classes.names.count >= 2 else {
            throw CommandError("a classifier needs at least two classes; declare them with `classes`", at: command.verb)
        }
        let initial = try intOption(command, "initial", default: 2 * classes.names.count, range: 0...1_000_000)

        let fullClasses = classes
        if let target { classes = ClassSet(names: [target, "other"], unknown: classes.unknown) }
        let catalogue = modelClasses(table, classes: fullClasses.names, target: target)
        let seed = options.seed &+ stableHash(nameWord.text)
        let known = catalogue.indices.filter { catalogue[$0] >= 0 }
        var testRows: [Int] = [], validationRows: [Int] = []
        if let ratios, !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { catalogue[$0] }, ratios: ratios, seed: seed)
            testRows = split.test.map { known[$0] }.sorted()
            validationRows = split.validation.map { known[$0] }.sorted()
        } else if testFraction > 0, !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { catalogue[$0] }, testFraction: testFraction, seed: seed)
            testRows = split.test.map { known[$0] }.sorted()
        }
        let heldOut = Set(testRows).union(validationRows)
        let candidates = known.filter { !heldOut.contains($0) }
        let x = try FeatureMatrix(columns: features.map { table.column(named: $0)?.numbers ?? [] })
        let startName = command.option("start")?.value.text ?? "stratified"
        let initialRows: [Int]
        switch startName {
        case "stratified":
            initialRows = stratifiedSample(candidates, classes: catalogue, count: initial, classCount: classes.names.count, seed: seed &+ 1)
        case "random":
            var generator = SeededGenerator(seed: seed &+ 1)
            var shuffled = candidates
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, generator.nextInt(below: i + 1)) }
            initialRows = Array(shuffled.prefix(initial)).sorted()
        case "k-center":
            // Representative start: rows spread over feature space (k-center greedy on standardised
            // features, NaN as the median), then one more per class never drawn, when labels are known.
            let candidateX = try x.selecting(rows: candidates)
            let scaled = try FeatureScaler(.standard, fitting: candidateX).transform(candidateX)
            let filled = try FeatureMatrix(rows: scaled.rows, columns: scaled.columns, values: scaled.values.map { $0.isNaN ? 0 : $0 })
            let empty = try FeatureMatrix(rows: 0, columns: scaled.columns, values: [])
            var picked = Diversity.kCenterGreedy(pool: filled, labelled: empty, count: initial).map { candidates[$0] }
            let present = Set(picked.map { catalogue[$0] })
            for c in 0..<classes.names.count where !present.contains(c) {
                if let extra = stratifiedSample(candidates, classes: catalogue, count: classes.names.count, classCount: classes.names.count,
                                                seed: seed &+ 2).first(where: { catalogue[$0] == c }) { picked.append(extra) }
            }
            initialRows = picked.sorted()
        default:
            let names = ["stratified", "random", "k-center"]
            throw CommandError("unknown start `\(startName)` (available: \(names.joined(separator: ", ")))",
                               at: command.option("start")?.value ?? command.verb, suggestion: nearestName(to: startName, in: names))
        }

        var model = ActiveModel(name: nameWord.text, tableName: table.name, features: features,
                                strategyName: strategyName, classifierName: members.isEmpty ? classifier : "committee",
                                members: members, settings: settings, scaling: scaling, target: target,
                                classes: classes.names, testRows: testRows, initialRows: initialRows, seed: seed, x: x,
                                classifier: ScaledClassifier(RandomForest(), scaling: .none))
        if target != nil { model.sourceClasses = fullClasses.names }
        model.validationRows = validationRows
        let fitted = try fit(&model)
        if models[model.name] == nil { modelOrder.append(model.name) }
        models[model.name] = model
        var text = "model \(model.name): \(model.description) on \(features.joined(separator: ", "))\n"
        text += "classes: " + classes.names.joined(separator: ", ") + "; strategy: \(strategyName)\n"
        text += "training labels: \(fitted) (\(initialRows.count) initial"
        let human = model.trainingRows.count - initialRows.count
        text += human > 0 ? ", \(human) taught)" : ")"
        if !validationRows.isEmpty { text += "; validation set: \(validationRows.count) rows" }
        text += "; test set: \(testRows.count) rows; pool: \(poolRows(model).count) rows"
        return [.text(text)]
    }

    /// Fits the model on its current training set; returns the number of training labels.
    @discardableResult
    func fit(_ model: inout ActiveModel) throws -> Int {
        let testSet = model.heldOut
        var labels: [Int: Int] = [:]
        if let table = tables[model.tableName] {
            let catalogue = modelClasses(table, model: model)
            for row in model.initialRows where catalogue[row] >= 0 { labels[row] = catalogue[row] }
        }
        for (row, record) in answers[model.tableName] ?? [:] where !testSet.contains(row) {
            if record.kind == .label, let label = record.label, let index = model.classIndex(of: label) {
                labels[row] = index
            } else if record.kind == .unsure {
                labels[row] = nil
            }
        }
        let rows = labels.keys.sorted()
        model.trainingRows = rows
        model.trainingLabels = rows.map { labels[$0] ?? 0 }
        model.classifier = model.makeClassifier()
        if !rows.isEmpty {
            do {
                try model.classifier.fit(model.x.selecting(rows: rows), labels: model.trainingLabels,
                                         classCount: model.classes.count, seed: model.seed)
            } catch let error as LearnError {
                throw CommandError("model `\(model.name)` could not be trained: \(error.message)")
            }
        }
        model.fits += 1
        model.pendingAnswers = 0
        try recordTraining(&model)
        return rows.count
    }

    /// Rows the model may ask about: neither in its training set nor in its test set.
    func poolRows(_ model: ActiveModel) -> [Int] {
        let excluded = Set(model.trainingRows).union(model.heldOut)
        return (0..<model.x.rows).filter { !excluded.contains($0) }
    }

    func requireModel(_ word: Word?, verb: Word) throws -> ActiveModel {
        guard let word else {
            throw CommandError("expected a model name", offset: verb.offset + verb.length, length: 1,
                               suggestion: modelOrder.count == 1 ? modelOrder.first : nil)
        }
        guard let model = models[word.text] else {
            let message = models.isEmpty ? "no model `\(word.text)`: create one with `model NAME features=...`" : "no model `\(word.text)`"
            throw CommandError(message, at: word, suggestion: nearestName(to: word.text, in: modelOrder))
        }
        return model
    }

    // MARK: Query

    func query(_ command: ParsedCommand) throws -> [Output] {
        var model = try requireModel(command.positionals.first, verb: command.verb)
        var count = 5
        if let word = command.positionals.dropFirst().first {
            guard let n = Int(word.text), n > 0 else { throw CommandError("expected a positive count, got `\(word.text)`", at: word) }
            count = n
        }
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet: teach a few rows first", at: command.positionals[0])
        }
        let pool = poolRows(model)
        guard !pool.isEmpty else { return [.text("the pool is empty: every row is labelled or in the test set")] }
        let candidates = pool.filter { !(skipped[model.tableName]?.contains($0) ?? false) }
        guard !candidates.isEmpty else { return [.text("every pool row was skipped: nothing left to ask")] }
        let selection = try selectQueries(model, pool: candidates, count: count)
        let probabilities = selection.probabilities, scores = selection.scores, ranked = selection.ranked
        let ids = table.rowIdentifiers()
        let catalogueColumn = table.labelColumn.flatMap { table.column(named: $0) }
        var header = ["rank", "id", "predicted"] + model.classes.map { "p(\($0))" } + ["score"]
        if catalogueColumn != nil { header.append("catalogue") }
        var text = TextTable(header: header, numericColumns: Set([0] + Array(3..<(4 + model.classes.count))))
        model.lastQuery = [:]
        let k = model.classes.count
        for (rank, index) in ranked.enumerated() {
            let row = candidates[index]
            let p = Array(probabilities[(index * k)..<(index * k + k)])
            let best = p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0
            model.lastQuery[row] = scores[index]
            model.asked.insert(row)
            var cells = [String(rank + 1), ids[row], model.classes[best]] + p.map { fixed($0) } + [fixed(scores[index])]
            if let catalogueColumn { cells.append(catalogueColumn.displayText(row: row)) }
            text.append(cells)
        }
        models[model.name] = model
        let stale = model.pendingAnswers > 0 ? ", \(model.pendingAnswers) answers not yet trained on" : ""
        let head = "\(model.name) asks (\(model.strategyName), \(model.trainingRows.count) labels, pool \(candidates.count)\(stale)):"
        return [.text(head + "\n" + text.rendered)]
    }

    // MARK: Teach

    func teach(_ command: ParsedCommand) throws -> [Output] {
        if command.positionals.count == 2 && command.positionals[1].text == "loop" && models[command.positionals[0].text] != nil {
            return try teachLoop(command)
        }
        let table = try currentTable(for: command.verb)
        guard command.positionals.count == 2 else {
            let offset = command.positionals.count > 2 ? command.positionals[2].offset : command.verb.offset + command.verb.length
            throw CommandError("expected an id and a class: teach ID CLASS (quote ids with spaces)", offset: offset, length: 1)
        }
        let idWord = command.positionals[0], classWord = command.positionals[1]
        let row = try rowIndex(idWord, in: table)
        let classes = try classSet(for: table, at: command.verb)
        guard classes.names.contains(classWord.text) else {
            throw CommandError("`\(classWord.text)` is not a declared class (classes: \(classes.names.joined(separator: ", ")))",
                               at: classWord, suggestion: nearestName(to: classWord.text, in: classes.names))
        }
        return try storeAnswer(table: table, row: row, id: idWord.text, kind: .label, label: classWord.text)
    }

    func unsure(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard command.positionals.count == 1, let idWord = command.positionals.first else {
            throw CommandError("expected one id: unsure ID", offset: command.verb.offset + command.verb.length, length: 1)
        }
        let row = try rowIndex(idWord, in: table)
        return try storeAnswer(table: table, row: row, id: idWord.text, kind: .unsure, label: nil)
    }

    func rowIndex(_ word: Word, in table: Table) throws -> Int {
        let ids = table.rowIdentifiers()
        if let row = ids.firstIndex(of: word.text) { return row }
        let hint = table.idColumn == nil ? " (rows are numbered from 1: load with id=COLUMN to use names)" : ""
        throw CommandError("no row with id `\(word.text)` in \(table.name)\(hint)", at: word,
                           suggestion: nearestName(to: word.text, in: ids))
    }

    /// Writes the answer to the durable store first, then updates memory and retrains models.
    func storeAnswer(table: Table, row: Int, id: String, kind: LabelRecord.Kind, label: String?) throws -> [Output] {
        // Provenance: the most recent model that asked about this row.
        let asker = modelOrder.reversed().compactMap { models[$0] }.first { $0.tableName == table.name && $0.lastQuery[row] != nil }
        // Answers belong to the data, not to a view of it: a view's answers are stored under its base
        // table, so loading the catalogue again restores them, and every other view sees them.
        let dataset = baseName(of: table)
        let record = LabelRecord(dataset: dataset, rowID: id, kind: kind, label: label, annotator: options.annotator,
                                 time: Date().timeIntervalSince1970, model: asker?.name, strategy: asker?.strategyName,
                                 score: asker?.lastQuery[row])
        do { try store.append(record) } catch {
            throw CommandError("the answer was NOT stored: \(error)")
        }
        let previous = answers[table.name]?[row]
        answers[table.name, default: [:]][row] = record
        learning.history[table.name, default: []].append(row)
        var notes = try retrainAfterAnswer(table: table.name, row: row)
        notes += try shareAnswer(record, from: table.name, base: dataset)
        if let previous, previous.kind == .label, let old = previous.label, old != label {
            notes.insert("relabelled, was \(old)", at: 0)
        }
        let what = kind == .label ? "\(id) = \(label ?? "")" : "\(id) marked unsure (kept out of training)"
        return [.text(what + " (stored" + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; ")) + ")")]
    }

    /// Gives an answer made in one table to the other loaded tables of the same data (the base and
    /// its views), matching the row by id, and retrains their models.
    func shareAnswer(_ record: LabelRecord, from tableName: String, base: String) throws -> [String] {
        var notes: [String] = []
        for name in tableOrder where name != tableName {
            guard let other = tables[name], baseName(of: other) == base,
                  let row = other.rowIdentifiers().firstIndex(of: record.rowID) else { continue }
            answers[name, default: [:]][row] = record
            notes += try retrainAfterAnswer(table: name, row: row)
        }
        return notes
    }

    /// Retrains the table's models after an answer about `row`, or counts the answer as pending
    /// under `retrain every=N`; returns one note per model.
    func retrainAfterAnswer(table: String, row: Int) throws -> [String] {
        var notes: [String] = []
        for name in modelOrder {
            guard var model = models[name], model.tableName == table else { continue }
            if model.testRows.contains(row) || model.validationRows.contains(row) {
                notes.append("\(name): row is in its \(model.testRows.contains(row) ? "test" : "validation") set, kept out of training")
                continue
            }
            model.pendingAnswers += 1
            if model.pendingAnswers >= learning.retrainEvery {
                let count = try fit(&model)
                notes.append("\(name) retrained on \(count) labels")
            } else {
                notes.append("\(name) retrains after \(learning.retrainEvery - model.pendingAnswers) more")
            }
            models[name] = model
        }
        return notes
    }

    /// Answers already in the store for a freshly loaded table, replayed into memory and the transcript.
    func restoreAnswers(table name: String) throws -> [Output] {
        guard let table = tables[name] else { return [] }
        let records: [LabelRecord]
        do { records = try store.currentAnswers(dataset: name) } catch {
            return [.warning("could not read the label store: \(error)")]
        }
        guard !records.isEmpty else { return [] }
        let ids = table.rowIdentifiers()
        var firstRow: [String: Int] = [:]
        for (row, id) in ids.enumerated() where firstRow[id] == nil { firstRow[id] = row }
        var restored = 0, missing = 0
        for record in records {
            guard let row = firstRow[record.rowID] else { missing += 1; continue }
            answers[name, default: [:]][row] = record
            restored += 1
            let id = quoteIfNeeded(record.rowID)
            transcriptFollowUps.append(record.kind == .label ? "teach \(id) \(quoteIfNeeded(record.label ?? ""))" : "unsure \(id)")
        }
        var outputs: [Output] = [.text("restored \(restored) answer\(restored == 1 ? "" : "s") from the label store \(options.storePath ?? "")")]
        if missing > 0 { outputs.append(.warning("\(missing) stored answers name ids not in this table")) }
        return outputs
    }

    func labels(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        let given = (answers[table.name] ?? [:]).sorted { $0.key < $1.key }
        guard !given.isEmpty else { return [.text("no answers yet for \(table.name)")] }
        var text = TextTable(header: ["id", "answer", "annotator", "asked by", "score"], numericColumns: [4])
        for (_, record) in given {
            text.append([record.rowID, record.kind == .label ? (record.label ?? "") : "unsure", record.annotator,
                         record.model.map { "\($0) (\(record.strategy ?? ""))" } ?? "", record.score.map { fixed($0) } ?? ""])
        }
        return [.text("\(given.count) answers for \(table.name)\n" + text.rendered)]
    }

    // MARK: Score

    func score(_ command: ParsedCommand) throws -> [Output] {
        let model = try requireModel(command.positionals.first, verb: command.verb)
        let set = command.option("on") == nil ? EvaluationSet.test : try evaluationSet(command, model: model)
        guard set != .test || !model.testRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no test set (it was made with test=0)", at: command.positionals[0])
        }
        guard !model.trainingRows.isEmpty else {
            throw CommandError("model `\(model.name)` has no training labels yet", at: command.positionals[0])
        }
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        guard let matrix = try confusion(model, on: set, table: table) else {
            throw CommandError("no row of the \(set.rawValue) set of `\(model.name)` has a known class", at: command.positionals[0])
        }
        let what = set == .train ? "its training labels (\(model.trainingRows.count))" : "its \(set.rawValue) set (\(matrix.total) rows)"
        var lines = ["\(model.name) on \(what), trained on \(model.trainingRows.count) labels:"]
        lines.append("accuracy \(fixed(matrix.accuracy))  macro F1 \(fixed(matrix.macroF1))  weighted F1 \(fixed(matrix.weightedF1))")
        var perClass = TextTable(header: ["class", "precision", "recall", "f1", "support"], numericColumns: [1, 2, 3, 4])
        for (c, name) in model.classes.enumerated() {
            perClass.append([name, fixed(matrix.precision(c)), fixed(matrix.recall(c)), fixed(matrix.f1(c)), String(matrix.support(c))])
        }
        var confusion = TextTable(header: ["true \\ predicted"] + model.classes,
                                  numericColumns: Set(1...model.classes.count))
        for (t, name) in model.classes.enumerated() {
            confusion.append([name] + (0..<model.classes.count).map { String(matrix.counts[t][$0]) })
        }
        return [.text(lines.joined(separator: "\n") + "\n\n" + perClass.rendered + "\n\n" + confusion.rendered)]
    }

    // MARK: Option helpers

    /// `split=TRAIN:VALIDATION:TEST` as relative weights, or nil when absent.
    func splitRatios(_ command: ParsedCommand) throws -> (train: Double, validation: Double, test: Double)? {
        guard let option = command.option("split") else { return nil }
        if let test = command.option("test") {
            throw CommandError("give either test= or split=, not both", at: test.value)
        }
        let parts = option.value.text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        guard parts.count == 3, let train = parts[0], let validation = parts[1], let test = parts[2],
              [train, validation, test].allSatisfy({ $0 >= 0 && $0.isFinite }), train > 0 else {
            throw CommandError("split= expects three ratios TRAIN:VALIDATION:TEST, e.g. 0.6:0.2:0.2 (TRAIN above 0)", at: option.value)
        }
        let total = train + validation + test
        guard (validation + test) / total <= 0.9 else {
            throw CommandError("split= would hold out \(NumberFormatting.short(100 * (validation + test) / total))% of the labelled rows; at most 90% can be held out", at: option.value)
        }
        return (train, validation, test)
    }

    func intOption(_ command: ParsedCommand, _ key: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let option = command.option(key) else { return value }
        guard let n = Int(option.value.text), range.contains(n) else {
            throw CommandError("\(key)= expects a whole number from \(range.lowerBound) to \(range.upperBound)", at: option.value)
        }
        return n
    }

    func doubleOption(_ command: ParsedCommand, _ key: String, default value: Double, range: ClosedRange<Double>) throws -> Double {
        guard let option = command.option(key) else { return value }
        guard let x = Double(option.value.text), range.contains(x) else {
            throw CommandError("\(key)= expects a number from \(NumberFormatting.short(range.lowerBound)) to \(NumberFormatting.short(range.upperBound))", at: option.value)
        }
        return x
    }

    /// `count` rows drawn stratified by class (round robin over shuffled classes), at least one per class.
    func stratifiedSample(_ rows: [Int], classes: [Int], count: Int, classCount: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var byClass = [[Int]](repeating: [], count: classCount)
        for row in rows where classes[row] >= 0 && classes[row] < classCount { byClass[classes[row]].append(row) }
        for c in 0..<classCount { byClass[c].shuffle(using: &generator) }
        var chosen: [Int] = []
        var round = 0
        while chosen.count < count {
            var added = false
            for c in 0..<classCount where round < byClass[c].count && chosen.count < count {
                chosen.append(byClass[c][round])
                added = true
            }
            if !added { break }
            round += 1
        }
        return chosen.sorted()
    }
}

/// FNV-1a: a seed offset from a name that is the same on every run and machine (unlike `hashValue`).
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

/// Quotes a word for a command line when it holds spaces, quotes or `#`.
func quoteIfNeeded(_ text: String) -> String {
    if !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "\"" || $0 == "#" || $0 == "\t" || $0 == "\\" || $0 == "=" }) { return text }
    return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
