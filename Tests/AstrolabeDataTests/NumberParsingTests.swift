import XCTest
@testable import AstrolabeData

/// The byte-level number parser against the standard library's correctly rounded `Double(String)`,
/// on many generated decimal strings: every result must be bit-identical.
final class NumberParsingTests: XCTestCase {
    private func parse(_ text: String) -> NumberParsing.Cell {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { NumberParsing.parse($0, start: 0, end: $0.count) }
    }

    func testAgreesWithStandardLibraryBitForBit() {
        var state: UInt64 = 12345
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        for _ in 0 ..< 20000 {
            var text = next() % 2 == 0 ? "" : "-"
            let integerDigits = Int(next() % 8)
            let fractionDigits = Int(next() % 20)
            for _ in 0 ..< integerDigits { text += String(next() % 10) }
            if fractionDigits > 0 || integerDigits == 0 {
                text += "."
                for _ in 0 ..< max(1, fractionDigits) { text += String(next() % 10) }
            }
            if next() % 3 == 0 { text += "e" + String(Int(next() % 60) - 30) }
            guard let expected = Double(text) else {
                XCTFail("generator made \(text), which is not a number")
                return
            }
            guard case .number(let got) = parse(text) else {
                XCTFail("\(text) was not parsed as a number")
                return
            }
            XCTAssertEqual(got.bitPattern, expected.bitPattern, text)
        }
    }

    func testNotNumbers() {
        for text in ["1.2.3", "e5", "1e", "1e+", "--1", "0x10", "1,5", "abc", "inf5", "nan(1)", ".", "+", "1 2"] {
            XCTAssertEqual(parse(text), .notANumber, text)
        }
    }

    func testMissing() {
        for text in ["", "  ", "NA", "NaN", "nan", "null", "NULL", " NA "] {
            XCTAssertEqual(parse(text), .missing, text)
        }
        // Other spellings are not silently treated as missing: they make the column text.
        XCTAssertEqual(parse("N/A"), .notANumber)
        XCTAssertEqual(parse("None"), .notANumber)
    }

    func testHugeExponentDoesNotOverflow() {
        XCTAssertEqual(parse("1e99999999999999999999"), .number(.infinity))
        XCTAssertEqual(parse("1e-99999999999999999999"), .number(0))
    }
}
