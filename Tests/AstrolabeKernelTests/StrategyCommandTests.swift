import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// Expected error reduction in `query`, and `simulate` over density-weighted, batch and
/// expected-error strategies.
final class StrategyCommandTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    /// The kernel's pick is a row of the library's expected-error maximum over the model's own pool
    /// (among tied rows, the seeded draw by row id picks; see QueryRowOrderTests).
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
        let best = try XCTUnwrap(scores.max())
        let firstRow = out.split(separator: "\n")[3].split(separator: " ").map(String.init)
        XCTAssertEqual(firstRow[0], "1")
        let ids = try XCTUnwrap(s.tables["iris"]).rowIdentifiers()
        let chosen = try XCTUnwrap(pool.firstIndex { ids[$0] == firstRow[1] }, out)
        XCTAssertEqual(scores[chosen], best, out)
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
        // strategy=conflict asks the table's label model.
        ok(s, "rule small: setosa when `petal width (cm)` < 0.8")
        ok(s, "rule big: virginica when `petal width (cm)` > 1.7")
        ok(s, "labelmodel fit")
        let line = "simulate m budget=12 repeats=2 strategies=random,density,ranked-batch,k-center,expected-error,conflict,adaptive"
        let first = ok(s, line)
        for name in StrategyKind.all.filter({ if case .pool = $0.rule { !$0.needsAudit } else { false } }).map(\.name) {
            let row = try XCTUnwrap(first.split(separator: "\n").first { $0.hasPrefix(name + " ") }, first)
            let aubc = try XCTUnwrap(Double(row.split(separator: " ")[1]))
            XCTAssertTrue((0.3...1).contains(aubc), "\(name): \(row)")
        }
        XCTAssertEqual(ok(s, line), first)  // deterministic for the session seed
        let error = try XCTUnwrap(s.execute("simulate m strategies=k-centre").error)
        XCTAssertEqual(error.suggestion, "k-center")
    }

    /// Diversity strategies measure distance on standardised features with missing values at the
    /// centre. By hand (population standard deviations over the 7 rows, NaN ignored): wide has
    /// mean 92.86 and sd 132.1, narrow mean 0.833 and sd 1.067. From the labelled rows 0 (0,0) and
    /// 1 (100,0), row 3 (0,3) is 2.81 sd away, row 2 (400,0) 2.27, row 6 (50,NaN→centre) 0.87, rows
    /// 4 and 5 0.94: k-center asks 3 then 2. Unscaled it would ask row 2 first (300 against 3), and a
    /// NaN distance made row 6 "infinitely far" (asked first) and every density NaN.
    func testDiversityStrategiesStandardiseAndIgnoreMissingValues() throws {
        let csv = "id,wide,narrow,label\n0,0,0,x\n1,100,0,y\n2,400,0,?\n3,0,3,?\n4,100,1,?\n5,0,1,?\n6,50,,?\n"
        let path = directory.appendingPathComponent("spread.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        ok(s, "load \(path) as spread id=id label=label")
        ok(s, "classes x y unknown=?")
        ok(s, "model k features=wide,narrow strategy=k-center initial=2 test=0 trees=5")
        XCTAssertEqual(s.models["k"]?.trainingRows, [0, 1])
        let out = ok(s, "query k 2")
        let picks = out.split(separator: "\n").dropFirst(3).map { $0.split(separator: " ").map(String.init)[1] }
        XCTAssertEqual(picks, ["3", "2"], out)
        ok(s, "model d features=wide,narrow strategy=density initial=2 test=0 trees=5")
        let density = ok(s, "query d 5")
        XCTAssertFalse(density.contains("nan"), density)
        ok(s, "model r features=wide,narrow strategy=ranked-batch initial=2 test=0 trees=5")
        XCTAssertNotEqual(ok(s, "query r 1").split(separator: "\n").dropFirst(3).first?.split(separator: " ")[1], "6")
    }

    /// With two classes margin (1 − |p₁ − p₂|) and entropy are both decreasing in |p₁ − ½|, so they
    /// rank the pool alike and draw one curve; simulate says so (the plot shows only the later line).
    func testSimulateNamesStrategiesWithIdenticalCurves() throws {
        let s = try session()
        ok(s, "classes versicolor virginica unknown=setosa")
        ok(s, "model m classifier=logistic \(features)")
        let out = ok(s, "simulate m budget=20 repeats=2 strategies=random,margin,entropy")
        XCTAssertTrue(out.contains("entropy gave the same curves as margin (with two classes these measures rank rows alike)"), out)
        XCTAssertFalse(out.contains("margin gave the same curves as random"), out)
    }
}
