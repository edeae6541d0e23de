import Foundation
import XCTest
@testable import AstrolabeLearn

/// Every classifier against scikit-learn on the four bundled scikit-learn datasets.
///
/// The references are in bench/learn/sklearn_reference.txt, written by
/// bench/learn/sklearn_reference.py (scikit-learn 1.9.1): same rows, same split (row i is a test
/// row when i % 4 == 1), scaling fitted on the training rows. Deterministic models must give the
/// same probabilities (compared through Σp² over the test rows and the first test row's
/// probabilities) and the same accuracy; randomised ones an accuracy within noise of scikit-learn's
/// mean over seeds.
final class ClassifierReferenceTests: XCTestCase {
    struct Reference {
        var dataset: String, model: String, scaling: String
        var accuracy: Double
        var sumSquares: Double?
        var first: [Double]?
    }

    static func references() throws -> [Reference] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("bench/learn/sklearn_reference.txt").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            let key = parts[0].split(separator: " ").map(String.init)
            let words = parts[1].split(separator: " ").map(String.init)
            if words.first == "mean" {
                return Reference(dataset: key[0], model: key[1], scaling: "none", accuracy: Double(words[2]) ?? .nan)
            }
            let firstText = parts[1].components(separatedBy: "first [").last?.dropLast() ?? ""
            return Reference(dataset: key[0], model: key[1], scaling: key[2], accuracy: Double(words[1]) ?? .nan,
                             sumSquares: Double(words[3]),
                             first: firstText.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) })
        }
    }

    static func classifier(_ model: String) -> any Classifier {
        switch model {
        case "knn5": return KNearestNeighbors(k: 5)
        case "knn5-distance": return KNearestNeighbors(k: 5, weighting: .distance)
        case "gnb": return GaussianNaiveBayes()
        case "logreg": return LogisticRegression(c: 1)
        case "logreg-C0.1": return LogisticRegression(c: 0.1)
        case "tree": return DecisionTreeClassifier()
        case "extratrees": return ExtraTrees()
        case "adaboost": return AdaBoost()
        default: return GradientBoosting()
        }
    }

    struct Split {
        var train: FeatureMatrix, trainLabels: [Int], test: FeatureMatrix, testLabels: [Int], classCount: Int
    }

    static func split(_ name: String, scaling: Scaling) throws -> Split {
        let data = try LabelledDataset.load(name)
        let rows = Array(0..<data.labels.count)
        let testRows = rows.filter { $0 % 4 == 1 }, trainRows = rows.filter { $0 % 4 != 1 }
        let train = try data.features.selecting(rows: trainRows)
        let scaler = FeatureScaler(scaling, fitting: train)
        return Split(train: try scaler.transform(train), trainLabels: trainRows.map { data.labels[$0] },
                     test: try scaler.transform(data.features.selecting(rows: testRows)),
                     testLabels: testRows.map { data.labels[$0] }, classCount: data.classNames.count)
    }

    func testDeterministicClassifiersGiveScikitLearnsProbabilities() throws {
        let references = try Self.references().filter { $0.sumSquares != nil }
        XCTAssertEqual(references.count, 28)
        for reference in references {
            let label = "\(reference.dataset) \(reference.model) \(reference.scaling)"
            let data = try Self.split(reference.dataset, scaling: Scaling(rawValue: reference.scaling) ?? .none)
            var model = Self.classifier(reference.model)
            try model.fit(data.train, labels: data.trainLabels, classCount: data.classCount, seed: 1)
            let p = try model.predictProbabilities(data.test)
            let predicted = try model.predict(data.test)
            let accuracy = Double(zip(predicted, data.testLabels).filter { $0 == $1 }.count) / Double(data.testLabels.count)
            XCTAssertEqual(accuracy, reference.accuracy, accuracy: 1e-6, label)
            let tolerance = reference.model.hasPrefix("logreg") ? 1e-5 : 1e-9
            XCTAssertEqual(p.reduce(0) { $0 + $1 * $1 }, reference.sumSquares ?? 0, accuracy: tolerance * (reference.sumSquares ?? 1), label)
            for (ours, theirs) in zip(p.prefix(data.classCount), reference.first ?? []) {
                XCTAssertEqual(ours, theirs, accuracy: reference.model.hasPrefix("logreg") ? 1e-5 : 1e-9, label)
            }
        }
    }

    func testRandomisedClassifiersMatchScikitLearnAccuracyWithinNoise() throws {
        let references = try Self.references().filter { $0.sumSquares == nil }
        XCTAssertEqual(references.count, 16)
        for reference in references {
            let data = try Self.split(reference.dataset, scaling: .none)
            let seeds: [UInt64] = reference.model == "gboost" && reference.dataset == "digits" ? [1] : [1, 2, 3]
            var total = 0.0
            for seed in seeds {
                var model = Self.classifier(reference.model)
                try model.fit(data.train, labels: data.trainLabels, classCount: data.classCount, seed: seed)
                let predicted = try model.predict(data.test)
                total += Double(zip(predicted, data.testLabels).filter { $0 == $1 }.count) / Double(data.testLabels.count)
            }
            let mean = total / Double(seeds.count)
            // Noise: a single test row is 1/38 of iris' test set; trees differ in tie-breaking.
            XCTAssertGreaterThanOrEqual(mean, reference.accuracy - 0.035,
                                        "\(reference.dataset) \(reference.model): ours \(mean), scikit-learn \(reference.accuracy)")
            print("\(reference.dataset) \(reference.model): ours \(mean), scikit-learn \(reference.accuracy)")
        }
    }
}
