import XCTest
@testable import AstrolabeKernel

/// `rule`, `rules`, `labelmodel`, `model … weak=labelmodel` and `query … strategy=conflict skip_covered=yes`
/// on iris: what they report, and bad input refused with the place and nothing stored changed.
final class RuleCommandTests: IrisSessionTestCase {
    func ruled() throws -> Session {
        let s = try session()
        ok(s, "feature pw = `petal width (cm)`")
        ok(s, "feature sl = `sepal length (cm)`")
        ok(s, "classes setosa versicolor virginica")
        ok(s, "rule small: setosa when pw < 0.8")
        ok(s, "rule big: virginica when pw > 1.7")
        ok(s, "rule mid: versicolor when pw > 1 and pw < 1.6")
        ok(s, "rule long: virginica when sl > 6.5")
        return s
    }

    func error(_ s: Session, _ line: String) throws -> Diagnostic {
        try XCTUnwrap(s.execute(line).error, "`\(line)` should fail")
    }

    func testRulesTableAndLabelModel() throws {
        let s = try ruled()
        let table = ok(s, "rules")
        XCTAssertTrue(table.contains("small  setosa"), table)
        // iris' petal width: 50 setosa below 0.8 of 150 rows, every one right.
        XCTAssertTrue(table.contains("0.333") && table.contains("50          0      1.000"), table)
        XCTAssertTrue(table.contains("4 rules on iris (150 rows, 150 with a known label)"), table)
        let majority = ok(s, "labelmodel fit method=majority")
        XCTAssertTrue(majority.contains("label model (majority) on iris"), majority)
        let generative = ok(s, "labelmodel fit")
        XCTAssertTrue(generative.contains("est. acc.") && generative.contains("class balance (estimated)"), generative)
        XCTAssertTrue(ok(s, "rules").contains("est. acc."))
        XCTAssertEqual(ok(s, "labelmodel"), generative)
        // Changing the rules drops the label model.
        XCTAssertTrue(ok(s, "rule drop long").contains("out of date"))
        XCTAssertNotNil(s.execute("labelmodel").error)
    }

    func testBadRulesAreRefusedWithThePlaceAndChangeNothing() throws {
        let s = try ruled()
        let before = SessionFingerprint(s).text
        let badClass = try error(s, "rule x: setsa when pw < 1")
        XCTAssertEqual(badClass.suggestion, "setosa")
        XCTAssertEqual(badClass.location.column, 9)
        let badColumn = try error(s, "rule x: setosa when pww < 1")
        XCTAssertEqual(badColumn.suggestion, "pw")
        XCTAssertEqual(badColumn.location.column, 21)
        XCTAssertTrue(try error(s, "rule x setosa when pw < 1").message.contains("NAME:"))
        XCTAssertTrue(try error(s, "rule x: setosa if pw < 1").message.contains("when"))
        XCTAssertTrue(try error(s, "rule x: setosa when").message.contains("condition"))
        XCTAssertEqual(try error(s, "rule drop smal").suggestion, "small")
        XCTAssertEqual(SessionFingerprint(s).text, before)
        XCTAssertEqual(s.ruleState.rules["iris"]?.count, 4)
        // A rule that never fires is kept, with a warning giving its coverage.
        let never = s.execute("rule none: setosa when pw < 0")
        XCTAssertNil(never.error)
        XCTAssertTrue(never.outputs.contains { if case .warning(let w) = $0 { w.contains("never fires") && w.contains("coverage 0.000") } else { false } })
    }

    func testLabelModelAndWeakOptionsNeedWhatTheyUse() throws {
        let s = try session()
        ok(s, "feature pw = `petal width (cm)`")
        ok(s, "classes setosa versicolor virginica")
        ok(s, "rule small: setosa when pw < 0.8")
        XCTAssertTrue(try error(s, "labelmodel fit").message.contains("at least two rules"))
        let weak = try error(s, "model m features=pw weak=labelmodel")
        XCTAssertTrue(weak.message.contains("needs a label model"), weak.message)
        XCTAssertTrue(s.models.isEmpty)
        ok(s, "rule big: virginica when pw > 1.7")
        XCTAssertTrue(try error(s, "labelmodel fit balance=1,2").message.contains("3 non-negative shares"))
        XCTAssertTrue(try error(s, "labelmodel fit method=majority balance=1,1,1").message.contains("generative"))
        XCTAssertEqual(try error(s, "labelmodel fit method=majorty").suggestion, "majority")
        XCTAssertNil(s.ruleState.fits["iris"])
        ok(s, "labelmodel fit")
        let made = ok(s, "model m features=pw weak=labelmodel weak_min=0.9 initial=3")
        XCTAssertTrue(made.contains("from the label model with confidence ≥ 0.9"), made)
        let model = try XCTUnwrap(s.models["m"])
        XCTAssertTrue(Set(model.testRows).isDisjoint(with: model.trainingRows), "held-out rows are never trained on")
        XCTAssertGreaterThan(model.trainingRows.count, 50)
        // An answer wins over the label model's label.
        let setosaRow = try XCTUnwrap(model.weakLabels.first { $0.value == 0 && !model.testRows.contains($0.key) }?.key)
        let ids = try XCTUnwrap(s.tables["iris"]).rowIdentifiers()
        ok(s, "teach \(ids[setosaRow]) versicolor")
        let trained = try XCTUnwrap(s.models["m"])
        XCTAssertEqual(trained.trainingLabels[try XCTUnwrap(trained.trainingRows.firstIndex(of: setosaRow))], 1)
    }

    func testConflictQueryAndSkipCovered() throws {
        let s = try ruled()
        ok(s, "model m features=pw,sl")
        XCTAssertTrue(try error(s, "query m strategy=conflict").message.contains("label model"))
        XCTAssertTrue(try error(s, "query m skip_covered=yes").message.contains("label model"))
        ok(s, "labelmodel fit")
        let asked = ok(s, "query m 3 strategy=conflict")
        XCTAssertTrue(asked.contains("m asks (conflict"), asked)
        // Rows where `big` and `long` vote virginica and `mid` versicolor come first: score 2 + unsureness.
        let firstScore = asked.split(separator: "\n")[3].split(separator: " ").compactMap { Double($0) }.last ?? 0
        XCTAssertGreaterThanOrEqual(firstScore, 2, asked)
        let skipping = ok(s, "query m 150 skip_covered=yes")
        let fit = try XCTUnwrap(s.ruleState.fits["iris"])
        let ids = try XCTUnwrap(s.tables["iris"]).rowIdentifiers()
        let shown = skipping.split(separator: "\n").dropFirst(3).compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }
        XCTAssertFalse(shown.isEmpty, skipping)
        for row in 0..<150 where fit.model.labels[row] >= 0 && fit.model.confidence(row: row) >= 0.7 {
            XCTAssertFalse(shown.contains(ids[row]), "row \(ids[row]) is covered")
        }
    }
}
