import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// `stopping`, the verdict column of `history`, the stopping table of `simulate`, and
/// `strategy=adaptive` in `query` and `simulate`.
final class StoppingCommandTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    func error(_ session: Session, _ line: String) throws -> Diagnostic {
        try XCTUnwrap(session.execute(line).error, "`\(line)` should fail")
    }

    /// Teaches pool rows their catalogue class (iris rows are ordered by class).
    func teach(_ s: Session, count: Int) throws {
        let model = try XCTUnwrap(s.models["m"])
        let pool = s.poolRows(model)
        let names = ["setosa", "versicolor", "virginica"]
        for i in 0..<count { ok(s, "teach \(pool[i * 7 % pool.count]) \(names[pool[i * 7 % pool.count] / 50])") }
    }

    /// The verdicts are the rule's decisions on the signals history records, after every fit.
    func testStoppingVerdictFollowsTheRecordedSignals() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        try teach(s, count: 8)
        let model = try XCTUnwrap(s.models["m"])
        let steps = model.stoppingSteps.steps
        XCTAssertEqual(steps.count, 9)
        XCTAssertNotNil(steps[1].kappa)
        XCTAssertNotNil(steps[1].unchanged)
        XCTAssertNotNil(steps[0].uncertainty)
        for rule: StoppingRule in [.kappa(threshold: 0.9, window: 2), .uncertainty(threshold: 0.2), .change(threshold: 0.05)] {
            let decision = try XCTUnwrap(rule.decisions(steps).last)
            let line = switch rule {
            case .kappa: "stopping m rule=kappa threshold=0.9 window=2"
            case .uncertainty: "stopping m rule=uncertainty threshold=0.2"
            default: "stopping m rule=change threshold=0.05"
            }
            let out = ok(s, line)
            let row = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix(rule.name + " ") }, out)
            XCTAssertTrue(row.contains(decision ? " stop " : " continue "), out)
            XCTAssertTrue(out.contains(decision ? "recommendation: stop" : "recommendation: keep labelling"), out)
        }
        let all = ok(s, "stopping m budget=12")
        for name in StoppingRule.names { XCTAssertTrue(all.contains("\n" + name + " "), all) }
        XCTAssertTrue(all.contains("budget       12 labels"), all)
        let history = ok(s, "history m rule=budget budget=10")
        let rows = history.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.first?.isNumber == true }
        XCTAssertEqual(rows.count, 9)
        for (row, step) in zip(rows, steps) {
            XCTAssertTrue(row.hasSuffix(step.labels >= 10 ? "stop" : "continue"), row)
        }
        XCTAssertTrue(history.contains("recommendation: stop"), history)
        // A refit on the same labels (`retrain`) adds a fit but no stopping step: its predictions are the same.
        ok(s, "retrain m")
        let after = try XCTUnwrap(s.models["m"])
        XCTAssertEqual(after.history.count, 10)
        XCTAssertEqual(after.stoppingSteps.steps, steps)
        XCTAssertEqual(after.stoppingSteps.stepOfRecord.last, 8)
    }

    func testStoppingErrors() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        XCTAssertEqual(try error(s, "stopping m rule=kapa").suggestion, "kappa")
        XCTAssertTrue(try error(s, "stopping m rule=budget").message.contains("budget=N"))
        XCTAssertTrue(try error(s, "stopping m threshold=0.9").message.contains("rule="))
        XCTAssertTrue(try error(s, "stopping m rule=uncertainty threshold=1").message.contains("below 1"))
    }

    func testSimulateReportsStoppingAndTheBandit() throws {
        let s = try session()
        ok(s, "model m trees=10 \(features)")
        let out = ok(s, "simulate m budget=16 repeats=2 strategies=random,adaptive")
        XCTAssertTrue(out.contains("stopping rules"), out)
        XCTAssertNotNil(out.split(separator: "\n").first { $0.hasPrefix("kappa ") && $0.contains(" adaptive ") }, out)
        XCTAssertTrue(out.contains("adaptive: the strategy its bandit chose"), out)
        XCTAssertTrue(out.contains("margin  entropy  density  k-center  random"), out)
        // Seeded: the same simulation twice gives the same text.
        XCTAssertEqual(ok(s, "simulate m budget=16 repeats=2 strategies=random,adaptive"), out)
    }

    /// The bandit learns across queries: a second model value keeps its own copy, and the same
    /// session replayed gives the same questions.
    func testAdaptiveQueriesAreReproducible() throws {
        func questions() throws -> [String] {
            let s = try session()
            ok(s, "model m trees=10 strategy=adaptive \(features)")
            var asked: [String] = []
            for _ in 0..<3 {
                let out = ok(s, "query m 2")
                XCTAssertTrue(out.contains("m asks (adaptive"), out)
                let model = try XCTUnwrap(s.models["m"])
                let rows = model.lastQuery.keys.sorted()
                asked.append(rows.map(String.init).joined(separator: ","))
                let names = ["setosa", "versicolor", "virginica"]
                for row in rows { ok(s, "teach \(row) \(names[row / 50])") }
            }
            XCTAssertEqual(try XCTUnwrap(s.models["m"]?.bandit).choices.count, 6)
            return asked
        }
        XCTAssertEqual(try questions(), try questions())
    }
}
