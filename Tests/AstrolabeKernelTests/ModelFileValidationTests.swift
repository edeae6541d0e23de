import Foundation
import XCTest
@testable import AstrolabeKernel

/// `load model PATH` with a damaged format-2 file: every value that would crash a later command
/// or silently change the model is an error naming the file and the field. The bad files are made
/// here from a good checkpoint, one field changed each.
final class ModelFileValidationTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`sepal width (cm)`"

    /// A fresh checkpoint of a `classifier` model as a JSON object.
    func checkpoint(_ spec: String) throws -> [String: Any] {
        let s = try session()
        ok(s, "model m \(spec) trees=5 \(features)")
        let written = ok(s, "checkpoint m to=models")
        let path = try XCTUnwrap(written.split(separator: " ").dropFirst().first.map(String.init))
        let data = try Data(contentsOf: directory.appendingPathComponent(path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The error of loading `json` as `name`; the file is written beside the good ones.
    func loadError(_ json: [String: Any], _ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try JSONSerialization.data(withJSONObject: json).write(to: directory.appendingPathComponent(name))
        let s = try session()
        let error = try XCTUnwrap(s.execute("load model \(name)").error, "\(name) must be refused", file: file, line: line)
        XCTAssertTrue(error.message.contains(name), "names the file: \(error.message)", file: file, line: line)
        XCTAssertNil(s.models["m"], "nothing is loaded", file: file, line: line)
        return error.message
    }

    func fitted(_ json: [String: Any]) -> [String: Any] { json["fitted"] as? [String: Any] ?? [:] }
    func model(_ json: [String: Any]) -> [String: Any] { fitted(json)["model"] as? [String: Any] ?? [:] }

    func with(_ json: [String: Any], model change: ([String: Any]) -> [String: Any]) -> [String: Any] {
        var json = json, fitted = fitted(json)
        fitted["model"] = change(model(json))
        json["fitted"] = fitted
        return json
    }

    func testFitCountsOutOfRange() throws {
        var json = try checkpoint("classifier=forest")
        json["fits"] = -1
        XCTAssertTrue(try loadError(json, "negative.json").contains("`fits` is -1"))
        json["fits"] = Int.max
        XCTAssertTrue(try loadError(json, "huge.json").contains("`fits` is \(Int.max)"))
    }

    func testUnknownClassifierIsNotLoadedAsAForest() throws {
        var json = try checkpoint("classifier=forest")
        json["classifier"] = "svm"
        XCTAssertTrue(try loadError(json, "svm.json").contains("`classifier` is `svm`"))
        json = with(try checkpoint("classifier=forest")) { var m = $0; m["kind"] = "svm"; return m }
        XCTAssertTrue(try loadError(json, "kind.json").contains("`fitted.model.kind` is `svm`"))
    }

    func testTreesWithNaNLeavesOrInfiniteThresholds() throws {
        let good = try checkpoint("classifier=forest")
        let nan = with(good) { m in
            var m = m, trees = m["forest"] as? [[String: Any]] ?? []
            var leaves = Data(base64Encoded: trees[0]["leafValues"] as? String ?? "") ?? Data()
            withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { leaves.replaceSubrange(0..<8, with: $0) }
            trees[0]["leafValues"] = leaves.base64EncodedString()
            m["forest"] = trees
            return m
        }
        XCTAssertTrue(try loadError(nan, "nan.json").contains("`fitted.model.forest[0].leafValues[0]` is nan"))
        let infinite = with(good) { m in
            var m = m, trees = m["forest"] as? [[String: Any]] ?? []
            let features = Data(base64Encoded: trees[0]["feature"] as? String ?? "") ?? Data()
            let split = stride(from: 0, to: features.count, by: 4).first { features[features.startIndex + $0 + 3] & 0x80 == 0 } ?? 0
            var thresholds = Data(base64Encoded: trees[0]["threshold"] as? String ?? "") ?? Data()
            withUnsafeBytes(of: Double.infinity.bitPattern.littleEndian) { thresholds.replaceSubrange((split * 2)..<(split * 2 + 8), with: $0) }
            trees[0]["threshold"] = thresholds.base64EncodedString()
            m["forest"] = trees
            return m
        }
        XCTAssertTrue(try loadError(infinite, "infinite.json").contains("threshold["))
    }

    func testZeroScalesAndNegativeVariances() throws {
        var json = try checkpoint("classifier=naive-bayes scaling=standard")
        var fitted = fitted(json)
        fitted["scales"] = (fitted["scales"] as? [Double] ?? []).map { _ in 0.0 }
        json["fitted"] = fitted
        XCTAssertTrue(try loadError(json, "scales.json").contains("`fitted.scales[0]` is 0.0"))
        json = with(try checkpoint("classifier=naive-bayes")) { m in
            var m = m
            m["variances"] = (m["variances"] as? [Double] ?? []).map { _ in -1.0 }
            return m
        }
        XCTAssertTrue(try loadError(json, "variances.json").contains("`fitted.model.variances[0]` is -1.0"))
    }

    func testNearestNeighboursWithoutRowsAndModelsWithoutClasses() throws {
        let knn = with(try checkpoint("classifier=knn")) { m in
            var m = m
            m["trainingValues"] = [Double]()
            m["trainingLabels"] = [Int]()
            return m
        }
        XCTAssertTrue(try loadError(knn, "knn.json").contains("`fitted.model.trainingLabels` is empty"))
        let logistic = with(try checkpoint("classifier=logistic")) { m in
            var m = m
            m["presentClasses"] = [Int]()
            return m
        }
        XCTAssertTrue(try loadError(logistic, "present.json").contains("`fitted.model.presentClasses` is empty"))
    }

    /// The good files these are made from load (so each failure above is the one field's doing).
    func testTheUnchangedCheckpointsLoad() throws {
        for spec in ["classifier=forest", "classifier=knn", "classifier=logistic", "classifier=naive-bayes scaling=standard"] {
            try JSONSerialization.data(withJSONObject: try checkpoint(spec)).write(to: directory.appendingPathComponent("good.json"))
            XCTAssertTrue(ok(try session(), "load model good.json").contains("no refit"), spec)
        }
    }
}
