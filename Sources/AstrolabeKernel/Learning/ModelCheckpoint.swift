import AstrolabeData
import AstrolabeLearn
import Foundation

/// A model written by `checkpoint` (format `astrolabe-model-2`): the fitted classifier as it is
/// (trees, weights, scaling, committee members), so `load model` restores it without refitting,
/// plus the spec, labels and seed, so later answers retrain it exactly as the original would.
///
/// Format `astrolabe-model-1` (spec, labels and seed only) is still read: it is refitted, which
/// gives the same model because fits are deterministic for their labels and seed.
struct ModelCheckpoint: Codable {
    static let currentFormat = "astrolabe-model-2"
    static let formats = ["astrolabe-model-1", currentFormat]

    var format = ModelCheckpoint.currentFormat
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
    /// `class_weight=` as written (nil: none); absent in files written before it.
    var classWeight: String?
    /// `calibrate=` and `calibration=` (validation or cv:N); absent without calibration.
    var calibrate: String?
    var calibration: String?
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
    // Format 2.
    var validationIDs: [String]?
    var initialIDs: [String]?
    var askedIDs: [String]?
    /// The fitted classifier; nil when the model had no labels to fit.
    var fitted: ScaledClassifierArchive?
    var history: [CheckpointFit]?
}

extension ModelCheckpoint {
    /// The largest fit count a file may hold: beyond any session, and far from overflowing when
    /// the next answer counts one more.
    static let maxFits = Int(Int32.max)

    /// Values that would crash a later command or silently change the model (an unknown
    /// classifier used to load as a forest); each error names the field.
    func validate() throws {
        func bad(_ field: String, _ problem: String) -> LearnError { LearnError("`\(field)` \(problem)") }
        guard (0...ModelCheckpoint.maxFits).contains(fits) else {
            throw bad("fits", "is \(fits); expected a count from 0 to \(ModelCheckpoint.maxFits)")
        }
        guard ClassifierKind.named(classifier) != nil else {
            throw bad("classifier", "is `\(classifier)`, not a classifier this Astrolabe knows (\(ClassifierKind.allNames.joined(separator: ", ")))")
        }
        for (i, member) in members.enumerated() where !ClassifierKind.memberNames.contains(member) {
            throw bad("members[\(i)]", "is `\(member)`, not a classifier this Astrolabe knows (\(ClassifierKind.memberNames.joined(separator: ", ")))")
        }
        guard (classifier == "committee") == !members.isEmpty else {
            throw bad("members", "must list the members exactly when `classifier` is committee")
        }
        guard Scaling(rawValue: scaling) != nil else { throw bad("scaling", "is `\(scaling)`, not a known scaling") }
        guard trees >= 1 else { throw bad("trees", "is \(trees); expected at least 1") }
        guard k >= 1 else { throw bad("k", "is \(k); expected at least 1") }
        guard c > 0 && c.isFinite else { throw bad("c", "is \(c); expected a positive number") }
        guard !classes.isEmpty else { throw bad("classes", "is empty") }
        guard let fitted else { return }
        try fitted.validate(at: "fitted")
        guard fitted.model.kind == classifier else {
            throw bad("fitted.model.kind", "is `\(fitted.model.kind)` but `classifier` is `\(classifier)`")
        }
    }
}

/// One `TrainingRecord` as plain values (confusion matrices as their counts).
struct CheckpointFit: Codable {
    var labels: Int
    var fit: Int
    var train: [[Int]]?
    var validation: [[Int]]?
    var test: [[Int]]?
    var kappa: Double?
    var poolUncertainty: Double?
    var maxUncertainty: Double?
    var poolSize: Int
    /// The stopping signals (absent from checkpoints written before they were kept).
    var unchanged: Int?
    var compared: Int?
    var entropy: Double?

    init(_ record: TrainingRecord) {
        labels = record.labels; fit = record.fit
        train = record.train?.counts; validation = record.validation?.counts; test = record.test?.counts
        kappa = record.kappa; poolUncertainty = record.poolUncertainty; maxUncertainty = record.maxUncertainty
        poolSize = record.poolSize
        unchanged = record.unchanged; compared = record.compared; entropy = record.entropy
    }

    func record(classCount: Int) throws -> TrainingRecord {
        func matrix(_ counts: [[Int]]?) throws -> ConfusionMatrix? {
            guard let counts else { return nil }
            guard counts.count == classCount else {
                throw LearnError("a confusion matrix of the training history does not match the model's \(classCount) classes")
            }
            return try ConfusionMatrix(counts: counts)
        }
        return TrainingRecord(labels: labels, fit: fit, train: try matrix(train), validation: try matrix(validation),
                              test: try matrix(test), kappa: kappa, poolUncertainty: poolUncertainty,
                              maxUncertainty: maxUncertainty, poolSize: poolSize, unchanged: unchanged, compared: compared,
                              entropy: entropy)
    }
}

extension Session {
    /// The macro F1 a checkpoint's name reports: on the validation set, else the test set; nil when
    /// neither has a row of known class or the model has no labels.
    func checkpointF1(_ model: ActiveModel, table: Table) throws -> Double? {
        let set: EvaluationSet = model.validationRows.isEmpty ? .test : .validation
        guard !model.rows(of: set).isEmpty else { return nil }
        return try confusion(model, on: set, table: table)?.macroF1
    }

    func checkpoint(_ command: ParsedCommand) throws -> [Output] {
        let model = try requireModel(command.positionals.first, verb: command.verb)
        guard let table = tables[model.tableName] else { throw CommandError("table `\(model.tableName)` is gone", at: command.verb) }
        let ids = table.rowIdentifiers()
        let f1 = try checkpointF1(model, table: table).map { fixed($0) } ?? "na"
        let fitted: ScaledClassifierArchive?
        do {
            fitted = model.trainingRows.isEmpty ? nil : try model.classifier.archive()
        } catch let error as LearnError {
            throw CommandError("model `\(model.name)` cannot be written: \(error.message)", at: command.positionals[0])
        }
        let record = ModelCheckpoint(
            name: model.name, table: model.tableName, features: model.features, classifier: model.classifierName,
            members: model.members, trees: model.settings.trees, maxDepth: model.settings.maxDepth, k: model.settings.k,
            c: model.settings.c, estimators: model.settings.estimators,
            classWeight: model.settings.classWeighting.text(classes: model.classes),
            calibrate: model.calibration?.method.rawValue, calibration: model.calibration?.sourceText, scaling: model.scaling.rawValue, target: model.target,
            sourceClasses: model.sourceClasses.isEmpty ? nil : model.sourceClasses,
            strategy: model.strategyName, classes: model.classes, seed: model.seed, fits: model.fits,
            trainingIDs: model.trainingRows.map { ids[$0] },
            trainingLabels: model.trainingLabels.map { model.classes[$0] },
            testIDs: model.testRows.map { ids[$0] },
            validationIDs: model.validationRows.map { ids[$0] },
            initialIDs: model.initialRows.map { ids[$0] },
            askedIDs: model.asked.sorted().map { ids[$0] },
            fitted: fitted,
            history: model.history.map(CheckpointFit.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
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
        let directory = command.word("to")?.text ?? "checkpoints"
        let path = (directory as NSString).appendingPathComponent(file)
        try writeFile(bytes, to: path, word: command.word("to") ?? command.verb)
        let on = model.validationRows.isEmpty ? "test" : "validation"
        return [.text("wrote \(path) (\(model.trainingRows.count) labels, \(on) macro F1 \(f1)); `load model \(path)` restores it")]
    }

    /// `load model PATH`: restores a checkpointed model on its table (which must be loaded): the
    /// fitted classifier as saved (format 2), or refitted from its labels (format 1).
    func loadModel(_ command: ParsedCommand) throws -> [Output] {
        let pathWord = command.positionals[1]
        let path = pathWord.text
        let record = try readCheckpoint(pathWord)
        guard let table = tables[record.table] else {
            throw CommandError("the model was made on table `\(record.table)`: load that table first", at: pathWord)
        }
        for name in record.features where table.column(named: name)?.isNumeric != true {
            throw CommandError("table `\(record.table)` has no numeric feature `\(name)` the model needs", at: pathWord)
        }
        // Found by fuzzing: no features failed later with a message about matrix rows, and a repeated
        // class trapped the first command that listed the classes.
        guard !record.features.isEmpty else { throw CommandError("the model file \(path) is damaged: it lists no features", at: pathWord) }
        if let repeated = record.classes.indices.first(where: { record.classes[..<$0].contains(record.classes[$0]) }) {
            throw CommandError("the model file \(path) is damaged: class `\(record.classes[repeated])` is listed twice", at: pathWord)
        }
        let ids = table.rowIdentifiers()
        var rowOf: [String: Int] = [:]
        for (row, id) in ids.enumerated() where rowOf[id] == nil { rowOf[id] = row }
        let listed = record.trainingIDs + record.testIDs + (record.validationIDs ?? []) + (record.initialIDs ?? [])
        let missing = listed.filter { rowOf[$0] == nil }
        guard missing.isEmpty else {
            throw CommandError("\(missing.count) rows of the model are not in table `\(record.table)` (e.g. `\(missing[0])`)", at: pathWord)
        }
        var model = try restoredModel(record, table: table, rowOf: rowOf, at: pathWord)
        let how = try restoreClassifier(&model, record: record, at: pathWord)
        try workspace.setModel(model)
        learning.lastLoadedModel = (model.name, record.table, path)
        return [.text("loaded model \(model.name): \(model.description) on \(record.features.joined(separator: ", ")), \(model.trainingRows.count) labels (\(how))")]
    }

    /// The checkpoint at the path `word` names, decoded and validated (errors name the file).
    func readCheckpoint(_ pathWord: Word) throws -> ModelCheckpoint {
        let path = pathWord.text
        let record: ModelCheckpoint
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: resolve(path)))
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            record = try decoder.decode(ModelCheckpoint.self, from: data)
        } catch let error as DecodingError {
            throw CommandError("\(path) is not a readable Astrolabe model file (\(decodingProblem(error))); was it truncated or edited?", at: pathWord)
        } catch {
            throw CommandError("cannot read the model file \(path): \(error.localizedDescription)", at: pathWord)
        }
        guard ModelCheckpoint.formats.contains(record.format) else {
            throw CommandError("\(path) has format `\(record.format)`; this Astrolabe reads \(ModelCheckpoint.formats.joined(separator: " and "))", at: pathWord)
        }
        do { try record.validate() } catch let error as LearnError {
            throw CommandError("the model file \(path) is damaged: \(error.message)", at: pathWord)
        }
        return record
    }

    /// The model a checkpoint describes, on `table`'s rows, with its training labels but no fitted classifier yet.
    func restoredModel(_ record: ModelCheckpoint, table: Table, rowOf: [String: Int], at pathWord: Word) throws -> ActiveModel {
        var settings = ClassifierSettings()
        settings.trees = record.trees; settings.maxDepth = record.maxDepth; settings.k = record.k
        settings.c = record.c; settings.estimators = record.estimators
        if let weights = record.classWeight {
            settings.classWeighting = try parseClassWeighting(weights, classes: record.classes, at: pathWord)
        }
        let x = try FeatureMatrix(columns: record.features.map { table.column(named: $0)?.numbers ?? [] })
        var model = ActiveModel(name: record.name, tableName: record.table, features: record.features, strategyName: record.strategy,
                                classifierName: record.classifier, members: record.members, settings: settings,
                                scaling: Scaling(rawValue: record.scaling) ?? .none, target: record.target, classes: record.classes,
                                testRows: record.testIDs.compactMap { rowOf[$0] },
                                initialRows: (record.initialIDs ?? []).compactMap { rowOf[$0] }, seed: record.seed, x: x,
                                classifier: ScaledClassifier(RandomForest(), scaling: .none))
        model.sourceClasses = record.sourceClasses ?? []
        model.validationRows = (record.validationIDs ?? []).compactMap { rowOf[$0] }
        if let name = record.calibrate {
            guard let method = CalibrationMethod(rawValue: name) else {
                throw CommandError("the model file \(pathWord.text) is damaged: `calibrate` is `\(name)`", at: pathWord)
            }
            let folds = try calibrationFolds(record.calibration ?? "cv:5", hasValidation: true, at: pathWord)
            model.calibration = ModelCalibration(method: method, folds: folds)
        }
        model.asked = Set((record.askedIDs ?? []).compactMap { rowOf[$0] })
        let rows = record.trainingIDs.compactMap { rowOf[$0] }
        let labels = record.trainingLabels.compactMap { record.classes.firstIndex(of: $0) }
        guard labels.count == rows.count else {
            throw CommandError("the model file \(pathWord.text) has labels that are not among its classes", at: pathWord)
        }
        model.trainingRows = rows
        model.trainingLabels = labels
        model.loadedLabels = Dictionary(zip(rows, labels), uniquingKeysWith: { _, last in last })
        model.fits = record.fits
        return model
    }

    /// Puts the checkpoint's classifier into `model`: refitted (format 1) or as saved (format 2);
    /// returns how, for the message.
    func restoreClassifier(_ model: inout ActiveModel, record: ModelCheckpoint, at pathWord: Word) throws -> String {
        let rows = model.trainingRows
        if record.format == "astrolabe-model-1" {
            model.classifier = model.makeClassifier()
            try model.classifier.fit(model.x.selecting(rows: rows), labels: model.trainingLabels, classCount: record.classes.count, seed: record.seed)
            try recordTraining(&model)
            return "refitted from a format-1 file"
        }
        do {
            if let fitted = record.fitted {
                model.classifier = try ScaledClassifier(archive: fitted)
                guard model.classifier.classCount == record.classes.count, fitted.centres.count == record.features.count else {
                    throw LearnError("the fitted model does not match its \(record.classes.count) classes and \(record.features.count) features")
                }
            } else {
                guard rows.isEmpty else { throw LearnError("the model has labels but no fitted classifier") }
                model.classifier = model.makeClassifier()
            }
            model.history = try (record.history ?? []).map { try $0.record(classCount: record.classes.count) }
        } catch let error as LearnError {
            throw CommandError("the model file \(pathWord.text) is damaged: \(error.message)", at: pathWord)
        }
        try predictPool(&model)
        return "restored as saved, no refit"
    }

    /// The pool prediction a restored model's queries and next kappa start from (no history entry:
    /// the saved history already has this fit).
    func predictPool(_ model: inout ActiveModel) throws {
        let pool = poolRows(model)
        guard !model.trainingRows.isEmpty, !pool.isEmpty else { model.poolPrediction = nil; return }
        let probabilities = try model.classifier.predictProbabilities(model.x.selecting(rows: pool))
        model.poolPrediction = PoolPrediction(fit: model.fits, rows: pool, probabilities: probabilities,
                                              predicted: argmaxRows(probabilities, classCount: model.classes.count))
    }
}

/// A decoding failure in words a user can act on.
func decodingProblem(_ error: DecodingError) -> String {
    switch error {
    case .dataCorrupted(let context):
        return context.codingPath.isEmpty ? "not complete JSON" : "bad value at \(path(context.codingPath))"
    case .keyNotFound(let key, let context):
        return "missing `\(path(context.codingPath + [key]))`"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
        return "wrong kind of value at \(path(context.codingPath))"
    @unknown default:
        return "unreadable"
    }
}

private func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop { $0 == "." }.description
}
