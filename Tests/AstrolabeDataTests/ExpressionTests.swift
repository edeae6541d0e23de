import XCTest
@testable import AstrolabeData

/// Parsing and evaluating expressions: precedence, associativity, NaN and infinity semantics.
/// Expected values are worked out by hand in the comments.
final class ExpressionTests: XCTestCase {
    /// x = [1, 2, NaN, -4], y = [2, 0, 1, 0.5], `g-r` = [0.25, 1, 2, 3], SED_class text, pi column absent.
    private func table() throws -> Table {
        try Table(name: "stars", columns: [
            Column(name: "x", numbers: [1, 2, .nan, -4]),
            Column(name: "y", numbers: [2, 0, 1, 0.5]),
            Column(name: "g-r", numbers: [0.25, 1, 2, 3]),
            Column(name: "SED_class", strings: ["LSP", nil, "HSP", "ISP"]),
            Column(name: "Flux1000", numbers: [10, 100, 1000, 0]),
        ])
    }

    /// Evaluates a constant expression (broadcast over a one-row table).
    private func value(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
        let t = try Table(name: "one", columns: [Column(name: "k", numbers: [7])])
        let result = try Expression(parsing: text).evaluate(in: t)
        XCTAssertEqual(result.count, 1, file: file, line: line)
        return result.first ?? .nan
    }

    private func values(_ text: String) throws -> [Double] {
        try Expression(parsing: text).evaluate(in: try table())
    }

    private func parseError(_ text: String) -> ExpressionError? {
        do {
            _ = try Expression(parsing: text)
            XCTFail("expected a parse error for \(text)")
            return nil
        } catch {
            return error as? ExpressionError
        }
    }

    private func evaluationError(_ text: String) -> ExpressionError? {
        do {
            _ = try values(text)
            XCTFail("expected an evaluation error for \(text)")
            return nil
        } catch {
            return error as? ExpressionError
        }
    }

    /// Asserts equality where NaN equals NaN.
    private func assertSame(_ a: [Double], _ b: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) where !(x == y || (x.isNaN && y.isNaN)) {
            XCTFail("\(a) is not \(b)", file: file, line: line)
            return
        }
    }

    // MARK: Numbers and precedence

    func testNumberLiterals() throws {
        XCTAssertEqual(try value("1"), 1)
        XCTAssertEqual(try value("2.5"), 2.5)
        XCTAssertEqual(try value(".5"), 0.5)
        XCTAssertEqual(try value("1e-3"), 0.001)
        XCTAssertEqual(try value("1.5E+2"), 150)
    }

    func testPrecedence() throws {
        XCTAssertEqual(try value("1 + 2 * 3"), 7)
        XCTAssertEqual(try value("(1 + 2) * 3"), 9)
        XCTAssertEqual(try value("2 * 3 ^ 2"), 18)
        XCTAssertEqual(try value("-2 ^ 2"), -4)        // like Python's -2**2
        XCTAssertEqual(try value("(-2) ^ 2"), 4)
        XCTAssertEqual(try value("2 ^ -1"), 0.5)
        XCTAssertEqual(try value("- - 3"), 3)
        XCTAssertEqual(try value("+3 - -2"), 5)
        XCTAssertEqual(try value("1 + 2 < 4"), 1)       // (1+2) < 4
        XCTAssertEqual(try value("1 < 2 and 3 < 2 or 1"), 1)  // (0) or 1
        XCTAssertEqual(try value("0 and 1 or 1"), 1)    // and binds tighter: (0 and 1) or 1
        XCTAssertEqual(try value("1 or 1 and 0"), 1)    // 1 or (1 and 0)
        XCTAssertEqual(try value("not 1 == 2"), 1)      // not (1 == 2)
        XCTAssertEqual(try value("not 0 and 0"), 0)     // (not 0) and 0
        XCTAssertEqual(try value("2 ** 3"), 8)
    }

    func testAssociativity() throws {
        XCTAssertEqual(try value("10 - 4 - 3"), 3)      // (10-4)-3
        XCTAssertEqual(try value("64 / 4 / 2"), 8)      // (64/4)/2
        XCTAssertEqual(try value("2 ^ 3 ^ 2"), 512)     // 2^(3^2)
        XCTAssertEqual(try value("2 ^ 3 * 2"), 16)      // (2^3)*2
    }

    // MARK: Columns

    func testColumnArithmeticIsElementWise() throws {
        // x + 2*y = [1+4, 2+0, NaN, -4+1]
        assertSame(try values("x + 2 * y"), [5, 2, .nan, -3])
        // backquoted names may contain operators
        assertSame(try values("`g-r` * 4"), [1, 4, 8, 12])
        // a scalar expression broadcasts to every row
        assertSame(try values("1 + 1"), [2, 2, 2, 2])
    }

    func testDivisionByZeroGivesInfinityOrNaN() throws {
        // x / y = [0.5, 2/0 = inf, NaN, -8]
        assertSame(try values("x / y"), [0.5, .infinity, .nan, -8])
        assertSame(try values("-x / y"), [-0.5, -.infinity, .nan, 8])
        XCTAssertTrue(try value("0 / 0").isNaN)
    }

    func testNaNPropagatesThroughEverything() throws {
        // Row 2 has x = NaN: every result there must be NaN, except isnan.
        for text in ["x + 1", "x * 0", "x ^ 0", "1 ^ x", "log10(x)", "sqrt(x)", "abs(x)", "exp(x)",
                     "min(x, 5)", "max(x, -1)", "clip(x, 0, 1)", "x < 1", "x == x", "x != 3",
                     "not x", "x and 1", "x or 1", "0 and x"] {
            let result = try values(text)
            XCTAssertTrue(result[2].isNaN, "\(text) gave \(result[2])")
        }
        assertSame(try values("isnan(x)"), [0, 0, 1, 0])
    }

    func testFunctions() throws {
        assertSame(try values("log10(Flux1000)"), [1, 2, 3, -.infinity])
        XCTAssertTrue(try value("log10(-1)").isNaN)
    }

    func testMoreFunctions() throws {
        XCTAssertEqual(try value("ln(1)"), 0)
        XCTAssertEqual(try value("log(exp(2))"), 2, accuracy: 1e-15)
        XCTAssertEqual(try value("sqrt(16)"), 4)
        XCTAssertTrue(try value("sqrt(-1)").isNaN)
        XCTAssertEqual(try value("abs(-3.5)"), 3.5)
        XCTAssertEqual(try value("min(3, -1)"), -1)
        XCTAssertEqual(try value("max(3, -1)"), 3)
        XCTAssertEqual(try value("clip(5, 0, 1)"), 1)
        XCTAssertEqual(try value("clip(-5, 0, 1)"), 0)
        XCTAssertEqual(try value("clip(0.5, 0, 1)"), 0.5)
        XCTAssertEqual(try value("isnan(0/0)"), 1)
        XCTAssertEqual(try value("isnan(1/0)"), 0)
        // clip broadcasts over a column: x = [1, 2, NaN, -4] clipped to [0, 1.5]
        assertSame(try values("clip(x, 0, 1.5)"), [1, 1.5, .nan, 0])
    }

    func testComparisonsGiveOneOrZero() throws {
        // x = [1, 2, NaN, -4], y = [2, 0, 1, 0.5]
        assertSame(try values("x < y"), [1, 0, .nan, 1])
        assertSame(try values("x >= 1"), [1, 1, .nan, 0])
        assertSame(try values("x == 2"), [0, 1, .nan, 0])
        assertSame(try values("y != 0"), [1, 0, 1, 1])
        assertSame(try values("x > 0 and y > 0"), [1, 0, .nan, 0])
        assertSame(try values("not y"), [0, 1, 0, 0])
    }

    func testPiIsAConstantUnlessAColumnIsCalledPi() throws {
        XCTAssertEqual(try value("pi"), Double.pi)
        let t = try Table(name: "t", columns: [Column(name: "pi", numbers: [3])])
        XCTAssertEqual(try Expression(parsing: "pi * 2").evaluate(in: t), [6])
        XCTAssertEqual(try Expression(parsing: "pi").columnNames, [])
        XCTAssertEqual(try Expression(parsing: "`pi`").columnNames, ["pi"])
    }

    func testColumnNamesInOrderOfFirstUse() throws {
        let e = try Expression(parsing: "log10(b) + a * `g-r` - b / max(a, c)")
        XCTAssertEqual(e.columnNames, ["b", "a", "g-r", "c"])
        XCTAssertEqual(e.text, "log10(b) + a * `g-r` - b / max(a, c)")
    }

    func testDottedIdentifiers() throws {
        let t = try Table(name: "t", columns: [Column(name: "mag.g", numbers: [1, 2])])
        XCTAssertEqual(try Expression(parsing: "mag.g + 1").evaluate(in: t), [2, 3])
    }

    // MARK: Errors

    func testEmptyExpression() {
        let error = parseError("   ")
        XCTAssertEqual(error?.message, "empty expression")
        XCTAssertEqual(error?.range, 0 ..< 3)
    }

    func testMissingOperand() {
        // "x + " : the end of the expression at offset 4
        let error = parseError("x + ")
        XCTAssertEqual(error?.range, 4 ..< 4)
        XCTAssertEqual(error?.message, "expected an operand, found the end of the expression")
        XCTAssertEqual(parseError("x * * y")?.range, 4 ..< 5)
    }

    func testUnclosedParenthesis() {
        // "(x + 1" : expected `)` at the end, offset 6
        let error = parseError("(x + 1")
        XCTAssertEqual(error?.expected, "`)`")
        XCTAssertEqual(error?.range, 6 ..< 6)
    }

    func testUnmatchedClosingParenthesis() {
        let error = parseError("x + 1)")
        XCTAssertEqual(error?.message, "unmatched `)`")
        XCTAssertEqual(error?.range, 5 ..< 6)
    }

    func testTrailingGarbage() {
        let error = parseError("x y")
        XCTAssertEqual(error?.message, "unexpected `y`")
        XCTAssertEqual(error?.range, 2 ..< 3)
    }

    func testUnknownFunctionSuggestsNearest() {
        let error = parseError("1 + lg10(x)")
        XCTAssertEqual(error?.range, 4 ..< 8)
        XCTAssertEqual(error?.suggestion, "log10")
        XCTAssertEqual(error?.message, "unknown function `lg10`; did you mean `log10`?")
        XCTAssertNil(parseError("frobnicate(x)")?.suggestion)
    }

    func testWrongArity() {
        let error = parseError("clip(x, 1)")
        XCTAssertEqual(error?.message, "`clip` takes 3 arguments, got 2")
        XCTAssertEqual(error?.range, 0 ..< 10)
        XCTAssertEqual(parseError("log10()")?.message, "`log10` takes 1 argument, got 0")
    }

    func testChainedComparisonIsRejected() {
        let error = parseError("0 < x < 1")
        XCTAssertEqual(error?.range, 6 ..< 7)
        XCTAssertEqual(error?.suggestion, "and")
    }

    func testSingleEqualsSuggestsDoubleEquals() {
        let error = parseError("x = 1")
        XCTAssertEqual(error?.range, 2 ..< 3)
        XCTAssertEqual(error?.suggestion, "==")
    }

    func testUnterminatedBackquote() {
        XCTAssertEqual(parseError("1 + `g-r")?.range, 4 ..< 8)
    }

    func testRangesCountCharactersNotBytes() {
        // "é" is one character but two UTF-8 bytes; `@` is at character offset 6.
        let error = parseError("`é` + @")
        XCTAssertEqual(error?.range, 6 ..< 7)
    }

    func testUnknownColumnAtEvaluation() {
        let error = evaluationError("log10(Flux100) + x")
        XCTAssertEqual(error?.range, 6 ..< 13)
        XCTAssertEqual(error?.suggestion, "Flux1000")
        XCTAssertEqual(error?.message, "unknown column `Flux100`; did you mean `Flux1000`?")
        XCTAssertEqual(evaluationError("`g_r` + 1")?.suggestion, "g-r")
    }

    func testTextColumnInArithmetic() {
        let error = evaluationError("x + SED_class")
        XCTAssertEqual(error?.message, "column `SED_class` is text, not numeric")
        XCTAssertEqual(error?.range, 4 ..< 13)
    }

    func testCancellationStopsEvaluation() throws {
        let e = try Expression(parsing: "x + y")
        let t = try table()
        Cancellation.request()
        defer { Cancellation.reset() }
        XCTAssertThrowsError(try e.evaluate(in: t)) { XCTAssertTrue($0 is Cancelled) }
    }
}
