import Foundation
@testable import AstrolabeLearn

/// A labelled dataset from the repository's `Samples/`, read with a deliberately tiny CSV parser: the files
/// used here are plain (no quotes, no missing cells), and the real CSV reader lives in
/// AstrolabeData, which these tests should not depend on.
struct LabelledDataset {
    var features: FeatureMatrix
    /// Class index per row; classes are the distinct label strings, sorted (as scikit-learn's
    /// `LabelEncoder` would number them).
    var labels: [Int]
    var classNames: [String]

    /// `<repository root>/Samples`, found from this file's path so no absolute path is baked in.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples").path

    /// Reads `name`.csv: first column `id` (skipped), last column `label`, numbers in between.
    static func load(_ name: String) throws -> LabelledDataset {
        let text = try String(contentsOfFile: "\(directory)/\(name).csv", encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw LearnError("\(name).csv is empty") }
        lines.removeFirst()
        var rows = [[Double]]()
        var names = [String]()
        for (number, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count >= 3, let label = cells.last else {
                throw LearnError("\(name).csv line \(number + 2): too few cells")
            }
            var row = [Double]()
            for cell in cells[1..<(cells.count - 1)] {
                guard let value = Double(cell) else {
                    throw LearnError("\(name).csv line \(number + 2): not a number: \(cell)")
                }
                row.append(value)
            }
            rows.append(row)
            names.append(label)
        }
        let classNames = Array(Set(names)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        return LabelledDataset(features: try FeatureMatrix(rows: rows),
                               labels: names.map { index[$0] ?? -1 }, classNames: classNames)
    }

    /// Accuracy of a forest fitted on the `train` rows and scored on the `test` rows.
    func holdoutAccuracy(_ forest: RandomForest, train: [Int], test: [Int], seed: UInt64) throws -> Double {
        var model = forest
        try model.fit(features.selecting(rows: train), labels: train.map { labels[$0] },
                      classCount: classNames.count, seed: seed)
        let predicted = try model.predict(features.selecting(rows: test))
        let matrix = try ConfusionMatrix(truth: test.map { labels[$0] }, predicted: predicted,
                                         classCount: classNames.count)
        return matrix.accuracy
    }
}
