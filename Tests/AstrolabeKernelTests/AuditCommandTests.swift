import XCTest
@testable import AstrolabeKernel
@testable import AstrolabeLearn

/// `audit`, `query MODEL strategy=suspect` and the answers that confirm or correct flagged labels,
/// on iris (versicolor and virginica overlap: an out-of-fold forest doubts a few of them).
final class AuditCommandTests: IrisSessionTestCase {
    func prepared() throws -> Session {
        let s = try session()
        ok(s, "feature sl = `sepal length (cm)`")
        ok(s, "feature sw = `sepal width (cm)`")
        ok(s, "classes setosa versicolor virginica")
        ok(s, "model m features=sl,sw trees=20")
        return s
    }

    func error(_ s: Session, _ line: String) -> String { s.execute(line).error?.rendered ?? "" }

    func testAuditFlagsWhatConfidentLearningFindsInItsOutOfFoldProbabilities() throws {
        let s = try prepared()
        let report = ok(s, "audit m folds=4 top=5")
        let audit = try XCTUnwrap(s.models["m"]?.audit)
        XCTAssertEqual(audit.rows.count, 150)
        XCTAssertEqual(audit.given, (0..<150).map { $0 / 50 }, "iris.csv lists 50 of each class in order")
        let again = try findLabelIssues(labels: audit.given, probabilities: audit.probabilities, classCount: 3)
        XCTAssertEqual(again, audit.issues)
        let flagged = audit.issues.flagged.filter { $0 }.count
        XCTAssertGreaterThan(flagged, 0)
        XCTAssertTrue(report.contains("flagged \(flagged) "), report)
        XCTAssertTrue(report.contains("lowest quality first (5 of 150)"), report)
        // The same seed gives the same audit.
        ok(s, "audit m folds=4")
        XCTAssertEqual(s.models["m"]?.audit?.probabilities, audit.probabilities)
    }

    func testCSVHoldsEveryFlaggedRowLowestQualityFirst() throws {
        let s = try prepared()
        ok(s, "audit m to=out/flagged.csv")
        let audit = try XCTUnwrap(s.models["m"]?.audit)
        let csv = try String(contentsOf: directory.appendingPathComponent("out/flagged.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.first, "id,given,suggested,quality,p_setosa,p_versicolor,p_virginica")
        XCTAssertEqual(lines.count - 1, audit.issues.flagged.filter { $0 }.count)
        let qualities = lines.dropFirst().compactMap { Double($0.split(separator: ",")[3]) }
        XCTAssertEqual(qualities, qualities.sorted())
    }

    func testSuspectQueueAsksFlaggedRowsAndAnswersConfirmOrCorrect() throws {
        let s = try prepared()
        XCTAssertTrue(error(s, "query m strategy=suspect").contains("run `audit m` first"))
        ok(s, "audit m")
        let audit = try XCTUnwrap(s.models["m"]?.audit)
        let order = audit.flaggedByQuality
        XCTAssertGreaterThanOrEqual(order.count, 2)
        let asked = ok(s, "query m 2 strategy=suspect")
        XCTAssertTrue(asked.contains("suspect: \(order.count) flagged"), asked)
        // The rows shown (rank id given suggested quality ...): the two lowest qualities of the flagged rows.
        let lines: [[Substring]] = asked.split(separator: "\n").map { $0.split(separator: " ") }
        let shown = lines.filter { $0.first == "1" || $0.first == "2" }
        XCTAssertEqual(shown.count, 2, asked)
        let expected: [String] = order.prefix(2).map { fixed(audit.issues.quality[$0]) }
        XCTAssertEqual(shown.map { String($0[4]) }, expected)
        let (first, given) = (String(shown[0][1]), String(shown[0][2]))
        let (second, suggested) = (String(shown[1][1]), String(shown[1][3]))
        XCTAssertTrue(ok(s, "teach \(first) \(given)").contains("confirms the given label \(given)"))
        XCTAssertTrue(ok(s, "teach \(second) \(suggested)").contains("corrects the flagged label"))
        let next = ok(s, "query m 50 strategy=suspect")
        XCTAssertTrue(next.contains("2 answered or skipped"), next)
        XCTAssertFalse(next.contains(" \(first) "), next)
        // The model's own strategy is unchanged, and answers cite the strategy that asked.
        XCTAssertEqual(s.models["m"]?.strategyName, "margin")
    }

    func testBadInputIsAClearError() throws {
        let s = try prepared()
        XCTAssertTrue(error(s, "audit mm").contains("no model `mm`"))
        XCTAssertTrue(error(s, "audit mm").contains("did you mean `m`"), error(s, "audit mm"))
        ok(s, "where `petal width (cm)` > 1.7 as few")
        ok(s, "model small features=sl,sw test=0")
        XCTAssertTrue(error(s, "audit small folds=5").contains("needs at least 5 per class"), error(s, "audit small folds=5"))
        XCTAssertTrue(error(s, "audit m folds=1").contains("folds"))
        XCTAssertTrue(error(s, "audit m to=out/flagged.txt").contains(".csv"))
        XCTAssertTrue(s.models["m"]?.audit == nil, "a failed audit stores nothing")
        XCTAssertTrue(error(s, "model n features=sl,sw strategy=suspect").contains("query MODEL strategy=suspect"))
        XCTAssertTrue(error(s, "query m strategy=suspekt").contains("suspect"))
    }

    func testSavedSessionReplaysTheAudit() throws {
        let s = try prepared()
        ok(s, "audit m folds=3 top=3 to=out/a.csv")
        ok(s, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        XCTAssertTrue(script.contains("audit m folds=3\n"), script)
        let replayed = try Session(options: SessionOptions(workingDirectory: directory.path))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNil(replayed.execute(String(line)).error, "replaying `\(line)` failed")
        }
        XCTAssertEqual(replayed.models["m"]?.audit?.issues, s.models["m"]?.audit?.issues)
    }
}
