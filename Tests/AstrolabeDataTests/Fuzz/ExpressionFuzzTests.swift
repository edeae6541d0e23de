import Foundation
import XCTest
@testable import AstrolabeData

/// Mutated expressions must evaluate to one value per row or be refused with an `ExpressionError`
/// whose range lies inside the text (front ends underline it), never trap or overflow the stack.
final class ExpressionFuzzTests: XCTestCase {
    /// Formulas as users write them (the gallery's features and filters among them).
    static let corpus = [
        "log10(nu_syn)", "log10(Energy_Flux100 / Flux1000)", "u - r", "g_minus_r + r_minus_i",
        "`g-r` > 0.5 and not isnan(z)", "clip(x, -1, 1) * 2 ^ -y", "min(x, y) <= max(x, 0.5e-3)",
        "sqrt(abs(x)) + exp(-y ** 2) / ln(2)", "label == \"bll\" or label != 'fsrq'", "-(-x) ^ 2 ^ 0.5",
        "pi * x / 180", "(x + y) * (x - y) >= 1e308", "isnan(z) or z < 4.9e-324", "log(x) == log10(x) * ln(10)",
    ]

    func testMutatedExpressionsEvaluateOrFailInsideTheirText() throws {
        let rows: [Double] = [0, -1, 1e308, .leastNonzeroMagnitude, .nan, .infinity, -.infinity, 2.5]
        let table = try Table(name: "t", columns: [
            Column(name: "x", numbers: rows),
            Column(name: "y", numbers: rows.reversed()),
            Column(name: "z", numbers: rows.map { -$0 }),
            Column(name: "g-r", numbers: rows),
            Column(name: "nu_syn", numbers: rows),
            Column(name: "Energy_Flux100", numbers: rows),
            Column(name: "Flux1000", numbers: rows.reversed()),
            Column(name: "u", numbers: rows), Column(name: "r", numbers: rows),
            Column(name: "g_minus_r", numbers: rows), Column(name: "r_minus_i", numbers: rows),
            Column(name: "label", strings: ["bll", "fsrq", nil, "bll", "", "bcu", "fsrq", "bll"]),
        ])
        let fuzzer = Fuzzer(name: "expression", iterations: 6000, maxLength: 1200)
        let report = fuzzer.run(corpus: Self.corpus.map { Array($0.utf8) }) { input in
            let text = input.text
            do {
                let values = try Expression(parsing: text).evaluate(in: table)
                XCTAssertEqual(values.count, table.rowCount, input.context)
                return .accepted
            } catch let error as ExpressionError {
                XCTAssertTrue(error.range.lowerBound >= 0 && error.range.upperBound <= text.count,
                              "range \(error.range) outside the \(text.count) characters of \(input.context)")
                XCTAssertFalse(error.message.isEmpty, input.context)
                return .refused
            } catch {
                XCTFail("not an ExpressionError: \(error) on \(input.context)")
                return .refused
            }
        }
        XCTAssertGreaterThan(report.accepted, report.tried / 20)
        XCTAssertGreaterThan(report.refused, report.tried / 10)
    }
}
