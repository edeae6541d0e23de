import XCTest
@testable import AstrolabeData

/// Hostile input must give an error or a table, never a trap. Inputs come from a fixed-seed
/// generator so any failure reproduces exactly.
final class RobustnessTests: XCTestCase {
    /// SplitMix64: tiny, deterministic, good enough to shake out parser edge cases.
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    func testRandomCSVBytesNeverTrap() {
        var g = Generator(state: 42)
        let alphabet: [UInt8] = Array("ab,\"\n\r1.e-+ NA".utf8) + [0xFF, 0xC3, 0xEF, 0xBB, 0xBF]
        var tables = 0, errors = 0
        for _ in 0 ..< 3000 {
            let length = Int(g.next() % 40)
            let bytes = (0 ..< length).map { _ in g.pick(alphabet) }
            do {
                let table = try CSVReader().read(bytes: bytes, source: "fuzz", tableName: "t")
                // Every column has the same number of rows.
                XCTAssertTrue(table.columns.allSatisfy { $0.count == table.rowCount })
                tables += 1
            } catch let error as DataError {
                XCTAssertEqual(error.file, "fuzz")
                XCTAssertNotNil(error.line)
                errors += 1
            } catch {
                XCTFail("unexpected error type \(error)")
            }
        }
        // Both outcomes must actually be exercised for the test to mean anything.
        XCTAssertGreaterThan(tables, 100)
        XCTAssertGreaterThan(errors, 100)
    }

    func testRandomExpressionsNeverTrap() throws {
        var g = Generator(state: 7)
        let pieces = ["x", "y", "`g-r`", "1", "2.5", ".5", "1e3", "+", "-", "*", "/", "^", "**", "(", ")",
                      ",", "<", "<=", "==", "!=", "and", "or", "not", "log10(", "clip(", "min(", "isnan(",
                      "pi", " ", "`", "=", "é", "0/0"]
        let table = try Table(name: "t", columns: [
            Column(name: "x", numbers: [1, .nan, -2]),
            Column(name: "y", numbers: [0, 3, .infinity]),
            Column(name: "g-r", numbers: [1, 2, 3]),
        ])
        var parsed = 0
        for _ in 0 ..< 5000 {
            let count = 1 + Int(g.next() % 8)
            let text = (0 ..< count).map { _ in g.pick(pieces) }.joined()
            do {
                let expression = try Expression(parsing: text)
                parsed += 1
                let result = try expression.evaluate(in: table)
                XCTAssertEqual(result.count, 3, text)
            } catch let error as ExpressionError {
                // Ranges must lie within the text so a front end can underline them.
                XCTAssertGreaterThanOrEqual(error.range.lowerBound, 0, text)
                XCTAssertLessThanOrEqual(error.range.upperBound, text.count, text)
            } catch {
                XCTFail("unexpected error type \(error) for \(text)")
            }
        }
        XCTAssertGreaterThan(parsed, 200)
    }

    func testDeepNestingDoesNotOverflowQuickly() throws {
        // 200 levels of parentheses is far beyond any real formula and must still work.
        let text = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        XCTAssertEqual(try Expression(parsing: text).evaluate(in: try Table(name: "t", columns: [
            Column(name: "k", numbers: [0]),
        ])), [1])
        // Pathological nesting is an error, not a stack overflow.
        for text in [String(repeating: "(", count: 1000) + "1", String(repeating: "-", count: 1000) + "1",
                     String(repeating: "not ", count: 1000) + "1", String(repeating: "2^", count: 900) + "1",
                     String(repeating: "log10(", count: 600) + "1"] {
            XCTAssertThrowsError(try Expression(parsing: text)) { error in
                XCTAssertTrue((error as? ExpressionError)?.message.contains("nested too deeply") ?? false,
                              "\(error)")
            }
        }
        // A long flat chain is refused by length, before it can make a deep tree.
        let chain = Array(repeating: "1", count: 100_000).joined(separator: "+")
        XCTAssertThrowsError(try Expression(parsing: chain)) { error in
            XCTAssertEqual((error as? ExpressionError)?.message, "expression is too long (more than 2000 tokens)")
        }
        // 999 additions are fine: 1999 tokens.
        let ok = Array(repeating: "1", count: 1000).joined(separator: "+")
        XCTAssertEqual(try Expression(parsing: ok).evaluate(in: try Table(name: "t", columns: [
            Column(name: "k", numbers: [0]),
        ])), [1000])
    }
}
