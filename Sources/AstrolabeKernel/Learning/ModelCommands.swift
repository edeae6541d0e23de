import AstrolabeData
import AstrolabeLearn
import Foundation

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
        guard let featuresOption = command.option("features") else {
            throw CommandError("expected features=A,B,... naming the model's feature columns", at: nameWord)
        }
        let features = try columnList(featuresOption.value, in: table)
        for name in features where table.column(named: name)?.isNumeric != true {
            throw CommandError("feature `\(name)` is a text column; models need numeric features", at: featuresOption.value)
        }
        try refuseLabelFeatures(features, table: table, at: featuresOption.value)
        let classifier = command.option("classifier")?.value.text ?? "forest"
        let kind = try resolving(at: command.option("classifier")?.value ?? command.verb) { try ClassifierKind.resolve(classifier) }
        var members: [String] = []
        if let option = command.option("members") {
            members = option.value.text.split(separator: ",").map(String.init)
            for member in members {
                _ = try resolving(at: option.value) { try ClassifierKind.resolve(member, as: "committee member", among: ClassifierKind.members) }
            }
        }
        let committeeSize = try intOption(command, "committee", default: 0, range: 0...100)
        if classifier == "committee" && members.isEmpty { members = [String](repeating: "forest", count: max(committeeSize, 5)) }
        if classifier != "committee" && committeeSize > 0 { members = [String](repeating: classifier, count: committeeSize) }
        if members.count == 1 {
            throw CommandError("a committee needs at least two members", at: command.option("members")?.value ?? command.verb)
        }
        let strategyName = command.option("strategy")?.value.text ?? (members.isEmpty ? "margin" : "vote-entropy")
        let strategy = try resolving(at: command.option("strategy")?.value ?? command.verb) { try StrategyKind.resolve(strategyName) }
        if strategy.needsCommittee && members.isEmpty {
            throw CommandError("strategy `\(strategyName)` needs a committee: add committee=N or classifier=committee members=A,B,...",
                               at: command.option("strategy")?.value ?? command.verb)
        }
        var settings = ClassifierSettings()
        settings.trees = try intOption(command, "trees", default: 100, range: 1...10_000)
        settings.k = try intOption(command, "k", default: 5, range: 1...10_000)
        settings.c = try doubleOption(command, "c", default: 1, range: 1e-6...1e6)
        if command.option("depth") != nil { settings.maxDepth = try intOption(command, "depth", default: 0, range: 1...1000) }
        if command.option("estimators") != nil { settings.estimators = try intOption(command, "estimators", default: 0, range: 1...10_000) }
        let scalingName = command.option("scaling")?.value.text
        let scalingDefault = members.first.flatMap(ClassifierKind.named)?.defaultScaling ?? kind.defaultScaling
        guard let scaling = scalingName.map({ Scaling(rawValue: $0) }) ?? scalingDefault else {
            let names = Scaling.allCases.map(\.rawValue)
            throw CommandError("unknown scaling `\(scalingName ?? "")` (available: \(names.joined(separator: ", ")))",
                               at: command.option("scaling")?.value ?? command.verb, suggestion: nearestName(to: scalingName ?? "", in: names))
        }
        let testFraction = try doubleOption(command, "test", default: 0.25, range: 0...0.9)
        let ratios = try splitRatios(command)
        var classes = try classSet(for: table, at: command.verb)
        if let option = command.option("target"), option.value.text == "each" {
            return try oneVsRestModels(command, name: nameWord, classes: classes.names, at: option.value)
        }
        var target: String?
        if let option = command.option("target") {
            guard classes.names.contains(option.value.text) else {
                throw CommandError("target= takes a class (\(classes.names.joined(separator: ", "))) or each; `\(option.value.text)` is neither",
                                   at: option.value, suggestion: nearestName(to: option.value.text, in: classes.names + ["each"]))
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
        // One-vs-rest models of a table share one split and one start, drawn stratified over all its
        // classes (AstronomicAL's one data split for its per-label models): a row answered once is
        // in training, or held out, for every one of them.
        let strata = target == nil ? catalogue : modelClasses(table, classes: fullClasses.names, target: nil)
        let strataCount = fullClasses.names.count
        let splitSeed = target == nil ? seed : options.seed &+ stableHash("one-vs-rest " + table.name)
        let known = catalogue.indices.filter { catalogue[$0] >= 0 }
        var testRows: [Int] = [], validationRows: [Int] = []
        if let ratios, !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { strata[$0] }, ratios: ratios, seed: splitSeed)
            testRows = split.test.map { known[$0] }.sorted()
            validationRows = split.validation.map { known[$0] }.sorted()
        } else if testFraction > 0, !known.isEmpty {
            let split = stratifiedSplit(labels: known.map { strata[$0] }, testFraction: testFraction, seed: splitSeed)
            testRows = split.test.map { known[$0] }.sorted()
        }
        let heldOut = Set(testRows).union(validationRows)
        let candidates = known.filter { !heldOut.contains($0) }
        let x = try FeatureMatrix(columns: features.map { table.column(named: $0)?.numbers ?? [] })
        let startName = command.option("start")?.value.text ?? "stratified"
        let initialRows: [Int]
        var raisedInitial: Int?
        switch startName {
        case "stratified":
            // At least one row of every class the catalogue has (fewer leave the model unable to
            // tell the classes apart: every probability 1 for the one class it saw).
            let present = Set(candidates.map { strata[$0] }.filter { $0 >= 0 }).count
            let count = initial > 0 ? max(initial, present) : 0
            if count > initial { raisedInitial = count }
            initialRows = stratifiedSample(candidates, classes: strata, count: count, classCount: strataCount, seed: splitSeed &+ 1)
        case "random":
            var generator = SeededGenerator(seed: splitSeed &+ 1)
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
            let present = Set(picked.map { strata[$0] })
            for c in 0..<strataCount where !present.contains(c) {
                if let extra = stratifiedSample(candidates, classes: strata, count: strataCount, classCount: strataCount,
                                                seed: splitSeed &+ 2).first(where: { strata[$0] == c }) { picked.append(extra) }
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
        if let raisedInitial { text += "\ninitial=\(initial) raised to \(raisedInitial): a stratified start has at least one row per class" }
        var outputs: [Output] = [.text(text)]
        if let warning = try identicalCommitteeWarning(model) { outputs.append(.warning(warning)) }
        return outputs
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
        let testSet = model.heldOut
        var labels: [Int: Int] = [:]
        if let table = tables[model.tableName] {
            let catalogue = modelClasses(table, model: model)
            for row in model.initialRows where catalogue[row] >= 0 { labels[row] = catalogue[row] }
        }
        for (row, label) in model.loadedLabels where !testSet.contains(row) { labels[row] = label }
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
