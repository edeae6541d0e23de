import AstrolabeData
import AstrolabeLearn
import Foundation

/// `model … calibrate=isotonic|sigmoid [calibration=validation|cv:N]`: the model's probabilities
/// mapped to calibrated ones (AstrolabeLearn's `ProbabilityCalibrator`, scikit-learn's
/// `CalibratedClassifierCV`), refitted after every fit.
struct ModelCalibration: Equatable {
    var method: CalibrationMethod
    /// Folds of cross-fitted calibration over the training labels (scikit-learn's
    /// `CalibratedClassifierCV(cv=N, ensemble=False)`); nil: fitted on the validation set.
    var folds: Int?

    /// How `calibration=` spells the source.
    var sourceText: String { folds.map { "cv:\($0)" } ?? "validation" }
}

extension Session {
    /// The calibration `calibrate=` and `calibration=` ask for (nil without calibrate=), checked at their values.
    func modelCalibration(_ command: ParsedCommand, hasValidation: Bool) throws -> ModelCalibration? {
        guard command.has("calibrate") else {
            if let word = command.word("calibration") { throw CommandError("calibration= needs calibrate=isotonic or calibrate=sigmoid", at: word) }
            return nil
        }
        let method = try command.choice("calibrate", CalibrationMethod.self)
        guard let word = command.word("calibration") else { return ModelCalibration(method: method, folds: hasValidation ? nil : 5) }
        return ModelCalibration(method: method, folds: try calibrationFolds(word.text, hasValidation: hasValidation, at: word))
    }

    /// `validation` (nil; the model needs a validation set) or `cv:N` with 2 ≤ N ≤ 20.
    func calibrationFolds(_ text: String, hasValidation: Bool, at word: Word) throws -> Int? {
        if text == "validation" {
            guard hasValidation else {
                throw CommandError("calibration=validation needs a validation set: make the model with split=TRAIN:VALIDATION:TEST", at: word)
            }
            return nil
        }
        guard text.hasPrefix("cv:"), let folds = Int(text.dropFirst(3)), (2...20).contains(folds) else {
            throw CommandError("calibration= takes validation or cv:N (N from 2 to 20 folds), not `\(text)`", at: word,
                               suggestion: nearestName(to: text, in: ["validation", "cv:5"]))
        }
        return folds
    }

    /// Fits the calibration maps of a model just fitted: on its validation rows, or on out-of-fold
    /// probabilities of its training labels. Leaves the model uncalibrated when there is nothing
    /// held out to calibrate on.
    func calibrate(_ model: inout ActiveModel) throws {
        guard let calibration = model.calibration, !model.trainingRows.isEmpty, let table = tables[model.tableName] else { return }
        let k = model.classes.count
        var truthRows: [Int] = [], probabilities: [Double] = []
        if let folds = calibration.folds {
            (truthRows, probabilities) = try crossValidatedProbabilities(model, folds: folds)
        } else {
            let known = zip(model.validationRows, truth(model, rows: model.validationRows, table: table)).filter { $0.1 >= 0 }
            truthRows = known.map(\.1)
            if !known.isEmpty { probabilities = try model.classifier.predictProbabilities(model.x.selecting(rows: known.map(\.0))) }
        }
        guard !truthRows.isEmpty else { return }
        do {
            model.classifier.calibrator = try ProbabilityCalibrator(method: calibration.method, probabilities: probabilities,
                                                                    truth: truthRows, classCount: k)
        } catch let error as LearnError {
            throw CommandError("model `\(model.name)` could not be calibrated: \(error.message)")
        }
    }

    /// Each training label's probabilities from a copy of the model fitted without its fold
    /// (AstrolabeLearn's stratified, seeded folds, as `audit` uses them).
    func crossValidatedProbabilities(_ model: ActiveModel, folds: Int) throws -> (truth: [Int], probabilities: [Double]) {
        let k = model.classes.count
        let known = zip(model.trainingRows, model.trainingLabels).filter { $0.1 >= 0 && $0.1 < k }
        let truth = known.map(\.1)
        let probabilities = try AstrolabeLearn.outOfFoldProbabilities(
            x: model.x.selecting(rows: known.map(\.0)), labels: truth, classCount: k, folds: folds,
            seed: model.seed &+ stableHash("calibration")) { model.makeClassifier() }
        return (truth, probabilities)
    }
}
