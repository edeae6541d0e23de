import Foundation
import XCTest
@testable import AstrolabeLearn

/// Model files: every classifier kind written to JSON and read back predicts exactly what the
/// fitted model predicted (bit for bit), with no refit; damaged archives are errors.
final class ClassifierArchiveTests: XCTestCase {
    /// Iris with a hole in one training value (the imputer is part of the model) and a row of the
    /// pool with holes, trained on all three classes or on two of them (the class subset is too).
    func roundTrip(_ make: () -> any Classifier & Sendable, scaling: Scaling, classes: Set<Int>) throws {
        let iris = try LabelledDataset.load("iris")
        let train = (0..<iris.features.rows).filter { $0 % 3 == 0 && classes.contains(iris.labels[$0]) }
        var values = try iris.features.selecting(rows: train).values
        values[5] = .nan
        let x = try FeatureMatrix(rows: train.count, columns: iris.features.columns, values: values)
        var model = ScaledClassifier(make(), scaling: scaling)
        try model.fit(x, labels: train.map { iris.labels[$0] }, classCount: 3, seed: 11)
        var poolValues = iris.features.values
        poolValues[0] = .nan
        poolValues[7] = .infinity
        let pool = try FeatureMatrix(rows: iris.features.rows, columns: iris.features.columns, values: poolValues)
        let expected = try model.predictProbabilities(pool)

        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let bytes = try encoder.encode(try model.archive())
        let archive = try decoder.decode(ScaledClassifierArchive.self, from: bytes)
        let restored = try ScaledClassifier(archive: archive)
        let got = try restored.predictProbabilities(pool)
        XCTAssertEqual(got.count, expected.count)
        XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "\(type(of: model.model))")
        XCTAssertEqual(restored.classCount, 3)
        // A restored forest predicts through the same binned tables as the fitted one, not the
        // slower fallback (same numbers either way, so only this can tell).
        if let fitted = model.model as? RandomForest {
            let back = try XCTUnwrap(restored.model as? RandomForest)
            XCTAssertEqual(back.binned == nil, fitted.binned == nil, "binned prediction after restore")
        }
        // Archiving the restored model gives the same archive (nothing lost on the way).
        XCTAssertEqual(try restored.archive(), archive)
    }

    func testEveryClassifierKindRoundTripsBitForBit() throws {
        for kind in ClassifierKind.all {
            var settings = ClassifierSettings()
            settings.trees = 7
            for classes in [Set([0, 1, 2]), Set([0, 2])] {
                try roundTrip({ kind.make(settings) }, scaling: kind.defaultScaling, classes: classes)
            }
        }
        try roundTrip({ LogisticRegression() }, scaling: .robust, classes: [0, 1, 2])
        try roundTrip({ KNearestNeighbors(k: 3, weighting: .distance) }, scaling: .none, classes: [0, 1, 2])
        try roundTrip({ RandomForest(trees: 5, maxDepth: 2, minSamplesLeaf: 2, maxFeatures: .fraction(0.5)) }, scaling: .none, classes: [0, 1, 2])
    }

    func testCommitteeRoundTripsWithEachMember() throws {
        try roundTrip({ Committee(members: [RandomForest(trees: 4), LogisticRegression(), GaussianNaiveBayes(), GradientBoosting(estimators: 5)]) },
                      scaling: .standard, classes: [0, 1, 2])
        let iris = try LabelledDataset.load("iris")
        var committee = ScaledClassifier(Committee(members: [RandomForest(trees: 3), KNearestNeighbors()]), scaling: .none)
        try committee.fit(iris.features, labels: iris.labels, classCount: 3, seed: 2)
        let restored = try ScaledClassifier(archive: try committee.archive())
        XCTAssertEqual(try restored.memberProbabilities(iris.features)?.count, 2)
        XCTAssertEqual(try restored.memberProbabilities(iris.features)?.map { $0.map(\.bitPattern) },
                       try committee.memberProbabilities(iris.features)?.map { $0.map(\.bitPattern) })
    }

    func testDamagedArchivesAreErrorsNotCrashes() throws {
        let iris = try LabelledDataset.load("iris")
        var model = ScaledClassifier(RandomForest(trees: 3), scaling: .none)
        try model.fit(iris.features, labels: iris.labels, classCount: 3, seed: 1)
        let good = try model.archive()
        var cut = good
        cut.model.forest?[1].next.removeLast()
        XCTAssertThrowsError(try ScaledClassifier(archive: cut))
        var wild = good
        if let n = wild.model.forest?[0].next.count { wild.model.forest?[0].next[0] = Int32(n + 5) }
        XCTAssertThrowsError(try ScaledClassifier(archive: wild))
        var badFeature = good
        badFeature.model.forest?[0].feature[0] = 99
        XCTAssertThrowsError(try ScaledClassifier(archive: badFeature))
        var noMedians = good
        noMedians.model.medians = [1]
        XCTAssertThrowsError(try ScaledClassifier(archive: noMedians))
        var unknown = good
        unknown.model.kind = "svm"
        XCTAssertThrowsError(try ScaledClassifier(archive: unknown))
        var scaling = good
        scaling.centres = [0]
        XCTAssertThrowsError(try ScaledClassifier(archive: scaling))
        // Node arrays travel as base64 of little-endian bytes: bad text or a cut value is an error.
        let json = String(decoding: try JSONEncoder().encode(good), as: UTF8.self)
        let tree = good.model.forest?[0]
        let packed = try XCTUnwrap(String(decoding: try JSONEncoder().encode(tree), as: UTF8.self)
            .split(separator: "\"").drop { $0 != "threshold" }.dropFirst(2).first.map(String.init))
        for broken in ["@@@@", String(packed.dropLast(4))] {
            let text = json.replacingOccurrences(of: packed, with: broken)
            XCTAssertNotEqual(text, json)
            XCTAssertThrowsError(try JSONDecoder().decode(ScaledClassifierArchive.self, from: Data(text.utf8)))
        }
    }
}
