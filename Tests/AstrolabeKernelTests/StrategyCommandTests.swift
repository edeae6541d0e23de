import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// Expected error reduction in `query`, and `simulate` over density-weighted, batch and
/// expected-error strategies.
final class StrategyCommandTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    /// The kernel's pick is the library's expected-error argmax over the model's own pool.
    func testExpectedErrorQuery() throws {
        let s = try session()
        ok(s, "model m classifier=naive-bayes strategy=expected-error \(features)")
        let out = ok(s, "query m 2")
        let model = try XCTUnwrap(s.models["m"])
        let pool = s.poolRows(model)
        let poolX = try model.x.selecting(rows: pool)
        let p = try model.classifier.predictProbabilities(poolX)
        let scores = try ExpectedErrorReduction().scores(classifier: model.makeClassifier(),
                                                         training: model.x.selecting(rows: model.trainingRows),
                                                         labels: model.trainingLabels, pool: poolX, probabilities: p,
                                                         classCount: 3, seed: model.seed)
        let best = try XCTUnwrap(scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) })
        let firstRow = out.split(separator: "\n")[3].split(separator: " ").map(String.init)
        XCTAssertEqual(firstRow[0], "1")
        XCTAssertEqual(firstRow[1], String(pool[best]), out)
        XCTAssertTrue(out.contains("m asks (expected-error, 6 labels"), out)
    }

    func testExpectedErrorRefusesLargePools() throws {
        var csv = "id,a,b,label\n"
        for i in 0..<1_500 { csv += "\(i),\(Double(i % 37) / 7),\(Double(i % 11) / 3),\(i % 2 == 0 ? "x" : "y")\n" }
        let path = directory.appendingPathComponent("big.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(path) as big id=id label=label")
        ok(s, "model m classifier=naive-bayes strategy=expected-error features=a,b")
        let error = try XCTUnwrap(s.execute("query m").error)
        XCTAssertTrue(error.message.contains("limited to pools of 1000 rows; this pool has 1120"), error.message)
    }

    func testSimulateDensityBatchAndExpectedError() throws {
        let s = try session()
        ok(s, "model m classifier=naive-bayes \(features)")
        let line = "simulate m budget=12 repeats=2 strategies=random,density,ranked-batch,k-center,expected-error"
        let first = ok(s, line)
        for name in ["density", "ranked-batch", "k-center", "expected-error"] {
            let row = try XCTUnwrap(first.split(separator: "\n").first { $0.hasPrefix(name + " ") }, first)
            let aubc = try XCTUnwrap(Double(row.split(separator: " ")[1]))
            XCTAssertTrue((0.3...1).contains(aubc), "\(name): \(row)")
        }
        XCTAssertEqual(ok(s, line), first)  // deterministic for the session seed
        let error = try XCTUnwrap(s.execute("simulate m strategies=k-centre").error)
        XCTAssertEqual(error.suggestion, "k-center")
    }
}
