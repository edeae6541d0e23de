import AstrolabeData
import AstrolabeLearn
import Foundation

/// The scores `score` adds for rare classes and for probabilities (sklearn.metrics' definitions,
/// computed by AstrolabeLearn's `ProbabilityMetrics`).
extension Session {
    /// The known classes and predicted probabilities of a model's rows of `set`, or nil when none is known.
    func evaluationProbabilities(_ model: ActiveModel, on set: EvaluationSet, table: Table) throws -> (truth: [Int], probabilities: [Double])? {
        let known: [(row: Int, truth: Int)]
        if set == .train {
            known = zip(model.trainingRows, model.trainingLabels).map { ($0, $1) }
        } else {
            let rows = model.rows(of: set)
            known = zip(rows, truth(model, rows: rows, table: table)).filter { $0.1 >= 0 }.map { ($0, $1) }
        }
        guard !known.isEmpty, !model.trainingRows.isEmpty else { return nil }
        return (known.map(\.truth), try model.classifier.predictProbabilities(model.x.selecting(rows: known.map(\.row))))
    }

    /// Two lines: balanced accuracy, macro recall and Matthews correlation; the Brier score and the
    /// expected calibration error (10 bins of the top probability).
    func rareClassLines(_ matrix: ConfusionMatrix, truth: [Int], probabilities: [Double], classCount: Int) -> [String] {
        let brier = ProbabilityMetrics.brier(truth: truth, probabilities: probabilities, classCount: classCount)
        let ece = ProbabilityMetrics.expectedCalibrationError(truth: truth, probabilities: probabilities, classCount: classCount)
        return ["balanced accuracy \(fixed(ProbabilityMetrics.balancedAccuracy(matrix)))  macro recall \(fixed(matrix.macroRecall))"
                + "  Matthews correlation \(fixed(ProbabilityMetrics.matthews(matrix)))",
                "Brier score \(fixed(brier))  expected calibration error \(fixed(ece))"]
    }

    /// Each class's average precision (area under its precision-recall curve), "" when the set has none of it.
    func averagePrecisions(truth: [Int], probabilities: [Double], classCount: Int) -> [String] {
        (0..<classCount).map { c in
            ProbabilityMetrics.averagePrecision(truth: truth, probabilities: probabilities, classCount: classCount, of: c).map { fixed($0) } ?? ""
        }
    }
}
