import AstrolabeData
import AstrolabeLearn
import Foundation

/// What `model NAME ...` asks for, read and checked from its options before any row is drawn.
struct ModelRequest {
    var features: [String]
    var classifier: String
    var members: [String]
    var strategyName: String
    var ties: TieBreak = .random
    var settings: ClassifierSettings
    var scaling: Scaling
    var testFraction: Double
    var ratios: (train: Double, validation: Double, test: Double)?
    /// `split=own`: this model draws its own held-out rows (seeded by its name) instead of the
    /// table's shared ones.
    var ownSplit = false
}

/// How a model's first training rows are chosen (`start=`).
enum ModelStart: String, CaseIterable {
    case stratified, random
    case kCenter = "k-center"
}

/// The rows a new model holds out and starts from.
struct ModelRows {
    var test: [Int] = []
    var validation: [Int] = []
    var initial: [Int] = []
    /// A stratified start raised above initial= to hold one row per class.
    var raisedInitial: Int?
}

/// `model`: a classifier bound to a table, its held-out rows and starting labels, and fitting it.
extension Session {
    func model(_ command: ParsedCommand) throws -> [Output] {
        let table = try currentTable(for: command.verb)
        guard let nameWord = command.positionals.first else {
            throw CommandError("expected a model name: model NAME features=A,B,...", offset: command.verb.offset + command.verb.length, length: 1)
        }
        if let stray = command.positionals.dropFirst().first {
            throw CommandError("unexpected `\(stray.text)`; options are written key=value", at: stray)
        }
        if command.has("regressor") { return try regressionModel(command, table: table, nameWord: nameWord) }
        var request = try modelRequest(command, table: table, nameWord: nameWord)
        var classes = try classSet(for: table, at: command.verb)
        if let option = command.word("target"), option.text == "each" {
            return try oneVsRestModels(command, name: nameWord, classes: classes.names, at: option)
        }
        let target = try modelTarget(command, classes: classes.names)
        guard classes.names.count >= 2 else {
            throw CommandError("a classifier needs at least two classes; declare them with `classes`", at: command.verb)
        }
        let initial = try initialCount(command, default: 2 * classes.names.count)
        let fullClasses = classes
        if let target { classes = ClassSet(names: [target, "other"], unknown: classes.unknown) }
        request.settings.classWeighting = try classWeighting(command, classes: classes.names, request: request)
        let seed = options.seed &+ stableHash(nameWord.text)
        let x = try FeatureMatrix(columns: request.features.map { table.column(named: $0)?.numbers ?? [] })
        let rows = try modelRows(command, table: table, classes: fullClasses.names, target: target, seed: seed,
                                 request: request, initial: initial, x: x)
        var model = ActiveModel(name: nameWord.text, tableName: table.name, features: request.features,
                                strategyName: request.strategyName, classifierName: request.members.isEmpty ? request.classifier : "committee",
                                members: request.members, settings: request.settings, scaling: request.scaling, target: target,
                                classes: classes.names, testRows: rows.test, initialRows: rows.initial, seed: seed, x: x,
                                classifier: ScaledClassifier(RandomForest(), scaling: .none))
        if target != nil { model.sourceClasses = fullClasses.names }
        model.validationRows = rows.validation
        model.calibration = try modelCalibration(command, hasValidation: !rows.validation.isEmpty)
        model.weakLabels = try weakLabels(command, table: table, model: model)
        model.ties = request.ties
        let fitted = try fit(&model)
        try workspace.setModel(model)
        var text = "model \(model.name): \(model.description) on \(request.features.joined(separator: ", "))\n"
        text += "classes: " + classes.names.joined(separator: ", ") + "; strategy: \(request.strategyName)"
            + (request.ties == .random ? "" : " (ties by \(request.ties.rawValue))") + "\n"
        text += "training labels: \(fitted) (\(rows.initial.count) initial"
        let initialSet = Set(rows.initial), answered = answers[table.name] ?? [:]
        let weakUsed = model.trainingRows.filter { model.weakLabels[$0] != nil && answered[$0] == nil && !initialSet.contains($0) }.count
        let human = model.trainingRows.count - rows.initial.count - weakUsed
        text += human > 0 ? ", \(human) taught" : ""
        text += weakUsed > 0 ? ", \(weakUsed) from the label model with confidence ≥ \(NumberFormatting.short(try command.double("weak_min"))))" : ")"

        if !rows.validation.isEmpty { text += "; validation set: \(rows.validation.count) rows" }
        text += "; test set: \(rows.test.count) rows; pool: \(poolRows(model).count) rows"
        if let raised = rows.raisedInitial, let initial { text += "\ninitial=\(initial) raised to \(raised): a stratified start has at least one row per class" }
        var outputs: [Output] = [.text(text)]
        if let warning = try identicalCommitteeWarning(model) { outputs.append(.warning(warning)) }
        return outputs
    }

    /// The features, classifier or committee, strategy, settings, scaling and held-out share a
    /// `model` command asks for, each checked with an error at its value.
    func modelRequest(_ command: ParsedCommand, table: Table, nameWord: Word) throws -> ModelRequest {
        guard let featuresWord = command.word("features") else {
            throw CommandError("expected features=A,B,... naming the model's feature columns", at: nameWord)
        }
        let features = try columnList(featuresWord, in: table)
        for name in features where table.column(named: name)?.isNumeric != true {
            throw CommandError("feature `\(name)` is a text column; models need numeric features", at: featuresWord)
        }
        try refuseLabelFeatures(features, table: table, at: featuresWord)
        let classifier = command.text("classifier") ?? "forest"
        let kind = try resolving(at: command.word("classifier") ?? command.verb) { try ClassifierKind.resolve(classifier) }
        let members = try committeeMembers(command, classifier: classifier)
        let strategyName = try modelStrategy(command, committee: !members.isEmpty)
        var settings = ClassifierSettings()
        settings.trees = try command.int("trees")
        settings.k = try command.int("k")
        settings.c = try command.double("c")
        settings.maxDepth = try command.optionalInt("depth")
        settings.estimators = try command.optionalInt("estimators")
        let scalingName = command.text("scaling")
        let scalingDefault = members.first.flatMap(ClassifierKind.named)?.defaultScaling ?? kind.defaultScaling
        guard let scaling = scalingName.map({ Scaling(rawValue: $0) }) ?? scalingDefault else {
            let names = Scaling.allCases.map(\.rawValue)
            throw CommandError("unknown scaling `\(scalingName ?? "")` (available: \(names.joined(separator: ", ")))",
                               at: command.word("scaling") ?? command.verb, suggestion: nearestName(to: scalingName ?? "", in: names))
        }
        let testFraction = try command.double("test")
        let ownSplit = command.optionEntry("split")?.value.text == "own"
        return ModelRequest(features: features, classifier: classifier, members: members, strategyName: strategyName,
                            ties: try command.choice("ties", TieBreak.self),
                            settings: settings, scaling: scaling, testFraction: testFraction,
                            ratios: ownSplit ? nil : try splitRatios(command), ownSplit: ownSplit)
    }

    /// The classifiers of a committee (`members=`, `committee=N` copies, or five forests), none for a single classifier.
    func committeeMembers(_ command: ParsedCommand, classifier: String) throws -> [String] {
        var members: [String] = []
        if let option = command.word("members") {
            members = option.text.split(separator: ",").map(String.init)
            for member in members {
                _ = try resolving(at: option) { try ClassifierKind.resolve(member, as: "committee member", among: ClassifierKind.members) }
            }
        }
        let committeeSize = try command.int("committee")
        if classifier == "committee" && members.isEmpty { members = [String](repeating: "forest", count: max(committeeSize, 5)) }
        if classifier != "committee" && committeeSize > 0 { members = [String](repeating: classifier, count: committeeSize) }
        if members.count == 1 {
            throw CommandError("a committee needs at least two members", at: command.word("members") ?? command.verb)
        }
        return members
    }

    /// `strategy=`, by default margin (vote-entropy for a committee); committee strategies need one.
    func modelStrategy(_ command: ParsedCommand, committee: Bool) throws -> String {
        let strategyName = command.text("strategy") ?? (committee ? "vote-entropy" : "margin")
        let strategy = try resolving(at: command.word("strategy") ?? command.verb) { try StrategyKind.resolve(strategyName) }
        if strategy.needsAudit {
            throw CommandError("strategy `\(strategy.name)` asks about the rows an audit flagged, not the pool: use `query MODEL strategy=\(strategy.name)` after `audit MODEL`",
                               at: command.word("strategy") ?? command.verb)
        }
        if strategy.needsCommittee && !committee {
            throw CommandError("strategy `\(strategyName)` needs a committee: add committee=N or classifier=committee members=A,B,...",
                               at: command.word("strategy") ?? command.verb)
        }
        return strategyName
    }

    /// `target=CLASS`: the class of a one-vs-rest model (nil without target=).
    func modelTarget(_ command: ParsedCommand, classes: [String]) throws -> String? {
        guard let option = command.word("target") else { return nil }
        guard classes.contains(option.text) else {
            throw CommandError("target= takes a class (\(classes.joined(separator: ", "))) or each; `\(option.text)` is neither",
                               at: option, suggestion: nearestName(to: option.text, in: classes + ["each"]))
        }
        return option.text
    }

    /// The held-out rows (test, and validation with split=) and the starting rows of a new model.
    func modelRows(_ command: ParsedCommand, table: Table, classes: [String], target: String?, seed: UInt64,
                   request: ModelRequest, initial: Int?, x: FeatureMatrix) throws -> ModelRows {
        let catalogue = modelClasses(table, classes: classes, target: target)
        // The models of a table share one held-out split (the same rows for the same fraction), so
        // `score` compares classifiers rather than split noise; split=own draws the model's own.
        // One-vs-rest models share the start too, drawn stratified over all the table's classes
        // (AstronomicAL's one data split for its per-label models): a row answered once is in
        // training, or held out, for every one of them.
        let strata = target == nil ? catalogue : modelClasses(table, classes: classes, target: nil)
        let tableSeed = options.seed &+ stableHash("one-vs-rest " + table.name)
        let splitSeed = target == nil ? seed : tableSeed
        let heldOutSeed = request.ownSplit ? seed : tableSeed
        let known = catalogue.indices.filter { catalogue[$0] >= 0 }
        var rows = ModelRows()
        if let ratios = request.ratios, !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { strata[$0] }, ratios: ratios, seed: heldOutSeed)
            rows.test = split.test.map { known[$0] }.sorted()
            rows.validation = split.validation.map { known[$0] }.sorted()
        } else if request.testFraction > 0, !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { strata[$0] }, testFraction: request.testFraction, seed: heldOutSeed)
            rows.test = split.test.map { known[$0] }.sorted()
        }
        let heldOut = Set(rows.test).union(rows.validation)
        let candidates = known.filter { !heldOut.contains($0) }
        (rows.initial, rows.raisedInitial) = try startRows(command, candidates: candidates, strata: strata, classCount: classes.count,
                                                           initial: initial, seed: splitSeed, x: x)
        return rows
    }

    /// The first training rows (`start=`) among `candidates`, and the count a stratified start was
    /// raised to; `initial` nil (`initial=all`) starts from every candidate.
    func startRows(_ command: ParsedCommand, candidates: [Int], strata: [Int], classCount: Int, initial: Int?,
                   seed splitSeed: UInt64, x: FeatureMatrix) throws -> ([Int], Int?) {
        guard let initial else { return (candidates.sorted(), nil) }
        let startName = command.text("start") ?? ModelStart.stratified.rawValue
        guard let start = ModelStart(rawValue: startName) else {
            let names = ModelStart.allCases.map(\.rawValue)
            throw CommandError("unknown start `\(startName)` (available: \(names.joined(separator: ", ")))",
                               at: command.word("start") ?? command.verb, suggestion: nearestName(to: startName, in: names))
        }
        switch start {
        case .stratified:
            // At least one row of every class the catalogue has (fewer leave the model unable to
            // tell the classes apart: every probability 1 for the one class it saw).
            let present = Set(candidates.map { strata[$0] }.filter { $0 >= 0 }).count
            let count = initial > 0 ? max(initial, present) : 0
            let rows = stratifiedSample(candidates, classes: strata, count: count, classCount: classCount, seed: splitSeed &+ 1)
            return (rows, count > initial ? count : nil)
        case .random:
            var generator = SeededGenerator(seed: splitSeed &+ 1)
            var shuffled = candidates
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, generator.nextInt(below: i + 1)) }
            return (Array(shuffled.prefix(initial)).sorted(), nil)
        case .kCenter:
            return (try kCenterStart(candidates: candidates, strata: strata, classCount: classCount, initial: initial, seed: splitSeed, x: x), nil)
        }
    }

    /// Representative start: rows spread over feature space (k-center greedy on standardised
    /// features, NaN as the median), then one more per class never drawn, when labels are known.
    func kCenterStart(candidates: [Int], strata: [Int], classCount: Int, initial: Int, seed splitSeed: UInt64, x: FeatureMatrix) throws -> [Int] {
        let candidateX = try x.selecting(rows: candidates)
        let scaled = try FeatureScaler(.standard, fitting: candidateX).transform(candidateX)
        let filled = try FeatureMatrix(rows: scaled.rows, columns: scaled.columns, values: scaled.values.map { $0.isNaN ? 0 : $0 })
        let empty = try FeatureMatrix(rows: 0, columns: scaled.columns, values: [])
        var picked = Diversity.kCenterGreedy(pool: filled, labelled: empty, count: initial).map { candidates[$0] }
        let present = Set(picked.map { strata[$0] })
        for c in 0..<classCount where !present.contains(c) {
            if let extra = stratifiedSample(candidates, classes: strata, count: classCount, classCount: classCount,
                                            seed: splitSeed &+ 2).first(where: { strata[$0] == c }) { picked.append(extra) }
        }
        return picked.sorted()
    }

    /// A model must not see the answer: a feature that is the label column, or a feature defined
    /// from it (`feature f = label * 2`, at any depth), would score a perfect and meaningless fit.
    func refuseLabelFeatures(_ features: [String], table: Table, at word: Word) throws {
        guard let label = table.labelColumn else { return }
        let definitions = (provenance.features[baseName(of: table)] ?? []) + (provenance.features[table.name] ?? [])
        var inputs: [String: [String]] = [:]
        for definition in definitions { inputs.merge(definition.inputs) { $1 } }
        func usesLabel(_ name: String, _ seen: Set<String>) -> Bool {
            if name == label { return true }
            guard !seen.contains(name), let columns = inputs[name] else { return false }
            return columns.contains { usesLabel($0, seen.union([name])) }
        }
        for name in features where usesLabel(name, []) {
            throw CommandError(name == label
                ? "`\(name)` is the label column: a model cannot learn from the answer it is asked for; choose other features"
                : "feature `\(name)` is computed from the label column `\(label)`: a model cannot learn from the answer it is asked for",
                at: word)
        }
    }

    /// A committee of copies of a classifier whose fit does not depend on the seed (logistic
    /// regression, naive Bayes, kNN) has identical members: they never disagree, so vote entropy and
    /// the other committee strategies score every row 0 and the queries are a random tie-break.
    func identicalCommitteeWarning(_ model: ActiveModel) throws -> String? {
        guard model.members.count > 1, Set(model.members).count == 1, !model.trainingRows.isEmpty,
              let probabilities = try model.classifier.memberProbabilities(model.x.selecting(rows: model.poolRowsSample())),
              let first = probabilities.first, probabilities.allSatisfy({ $0 == first }) else { return nil }
        return "the \(model.members.count) members of `\(model.name)` are identical (a \(ClassifierKind.named(model.members[0])?.description ?? model.members[0]) "
            + "fit does not depend on the seed), so they never disagree and committee strategies ask at random; "
            + "mix kinds with members=A,B,... or use forest or extra-trees"
    }

    /// `model NAME ... target=each`: one one-vs-rest model per class, `NAME-CLASS`, as AstronomicAL
    /// keeps a model per label; each is made (and written to saved sessions) as its own
    /// `model NAME-CLASS ... target=CLASS` line, and has its own scores (`score NAME-CLASS`).
    func oneVsRestModels(_ command: ParsedCommand, name: Word, classes: [String], at word: Word) throws -> [Output] {
        guard classes.count >= 2 else {
            throw CommandError("target=each needs at least two classes; declare them with `classes`", at: word)
        }
        let others = command.options.filter { $0.key != "target" }.map { "\($0.key)=\(quoteIfNeeded($0.value.text))" }
        var outputs: [Output] = []
        var made: [String] = []
        for label in classes {
            let modelName = "\(name.text)-\(label)"
            let line = (["model", quoteIfNeeded(modelName)] + others + ["target=\(quoteIfNeeded(label))"]).joined(separator: " ")
            guard let parsed = try? CommandParser.parse(line) else {
                throw CommandError("cannot make a one-vs-rest model for class `\(label)`", at: word)
            }
            outputs += try model(parsed)
            SessionProvenance.noteModel(&provenance, parsed, self)
            made.append(modelName)
        }
        outputs.append(.text("one-vs-rest: \(made.count) models, " + made.joined(separator: ", ")
                             + "; each answer retrains them all; `score NAME` gives each one's metrics"))
        return outputs
    }

    /// Fits the model on its current training set; returns the number of training labels.
    @discardableResult
    func fit(_ model: inout ActiveModel) throws -> Int {
        if model.regression != nil { return try fitRegression(&model) }
        let testSet = model.heldOut
        var labels: [Int: Int] = [:]
        if let table = tables[model.tableName] {
            let catalogue = modelClasses(table, model: model)
            for row in model.initialRows where catalogue[row] >= 0 { labels[row] = catalogue[row] }
        }
        for (row, label) in model.loadedLabels where !testSet.contains(row) { labels[row] = label }
        for (row, label) in model.weakLabels where !testSet.contains(row) && labels[row] == nil { labels[row] = label }
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
            try calibrate(&model)
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
        if model.regression != nil && !Session.regressionVerbs.contains(verb.text) {
            throw CommandError("`\(model.name)` is a regression model; `\(verb.text)` works on classifiers "
                               + "(a regression model takes \(Session.regressionVerbs.sorted().joined(separator: ", ")))", at: word)
        }
        return model
    }

    /// `split=TRAIN:VALIDATION:TEST` as relative weights, or nil when absent.
    func splitRatios(_ command: ParsedCommand) throws -> (train: Double, validation: Double, test: Double)? {
        guard let option = command.optionEntry("split"), option.value.text != "own" else { return nil }
        if let test = command.optionEntry("test") {
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
