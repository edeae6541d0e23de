import Foundation
import XCTest
@testable import AstrolabeData

/// The byte-level number parser against the standard library's correctly rounded `Double(String)`,
/// on many generated decimal strings: every result must be bit-identical.
final class NumberParsingTests: XCTestCase {
    private func parse(_ text: String) -> NumberParsing.Cell {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { NumberParsing.parse($0, start: 0, end: $0.count) }
    }

    func testAgreesWithStandardLibraryBitForBit() throws {
        var texts: [String] = []
        var values: [Double] = []
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
            texts.append(text)
            values.append(expected)
        }
        // The same numbers as a CSV column (the reader's fast path, eight digits at a time).
        let csv = "v\n" + texts.joined(separator: "\n") + "\n"
        let column = try CSVReader().read(bytes: Array(csv.utf8), source: "r.csv", tableName: "t").column(named: "v")
        XCTAssertEqual(column?.numbers?.map(\.bitPattern), values.map(\.bitPattern))
    }

    /// Decimal strings that are hard to round (exact midpoints between doubles and a hair either
    /// side, 19+ digit significands, the largest double and overflow, the smallest normal,
    /// subnormals and underflow), each with the bits Python's correctly rounded float() gives
    /// (Fixtures/make_hard_decimals.py). Parsed alone, and as a CSV column, where the reader's
    /// fast path reads them eight bytes at a time with the rest of the file after them.
    func testHardDecimalsMatchPythonBitForBit() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/hard_decimals", withExtension: "csv"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        var texts: [String] = []
        var expected: [UInt64] = []
        for line in lines {
            let parts = line.split(separator: ",")
            texts.append(String(parts[0]))
            expected.append(try XCTUnwrap(UInt64(parts[1], radix: 16)))
        }
        XCTAssertGreaterThan(texts.count, 1500)
        for (text, bits) in zip(texts, expected) {
            guard case .number(let got) = parse(text) else {
                XCTFail("\(text) was not parsed as a number")
                continue
            }
            XCTAssertEqual(got.bitPattern, bits, text)
        }
        let csv = "x,y\n" + texts.enumerated().map { "\($1),\($0)" }.joined(separator: "\n")
        let table = try CSVReader().read(bytes: Array(csv.utf8), source: "hard.csv", tableName: "t")
        let column = try XCTUnwrap(table.column(named: "x")?.numbers)
        XCTAssertEqual(column.count, texts.count)
        for (k, value) in column.enumerated() where value.bitPattern != expected[k] {
            XCTFail("\(texts[k]) read as \(value) (\(String(value.bitPattern, radix: 16))) in a CSV column")
        }
    }

    /// Hand-checked conversions of w × 10^q, and entries of the powers-of-five table.
    func testEiselLemireAndItsTable() {
        XCTAssertEqual(EiselLemire.convert(1, 0), 1)
        XCTAssertEqual(EiselLemire.convert(5, -1), 0.5)
        XCTAssertEqual(EiselLemire.convert(125, -3), 0.125)
        XCTAssertEqual(EiselLemire.convert(1, 23), 1e23)
        XCTAssertEqual(EiselLemire.convert(17_976_931_348_623_157, 292), .greatestFiniteMagnitude)
        XCTAssertEqual(EiselLemire.convert(1, 309), .infinity)
        XCTAssertEqual(EiselLemire.convert(3, -324), .leastNonzeroMagnitude)
        XCTAssertEqual(EiselLemire.convert(2, -324), 0) // below half the smallest subnormal
        XCTAssertEqual(EiselLemire.convert(22_250_738_585_072_014, -324), .leastNormalMagnitude)
        XCTAssertEqual(EiselLemire.convert(0, 100), 0)
        // 5^0 = 1, 5^1 = 5 = 0b101, 5^-1 = 0.2 = 0b0.0011 0011 ... (rounded up in the last bit).
        let t = PowersOfFive.table
        XCTAssertEqual(t.count, 2 * 651)
        XCTAssertEqual(t[2 * 342], 0x8000_0000_0000_0000)
        XCTAssertEqual(t[2 * 343], 0xA000_0000_0000_0000)
        XCTAssertEqual(t[2 * 341], 0xCCCC_CCCC_CCCC_CCCC)
        XCTAssertEqual(t[2 * 341 + 1], 0xCCCC_CCCC_CCCC_CCCD)
    }

    /// The reader's fast path (whole records of numbers into the columns) and its hand-over to
    /// the general path mid-piece: empty and missing cells, quotes, text, signs, a missing last
    /// cell, no line break at the end, CRLF, and digits running up to the very last byte.
    func testFastPathHandsOverToTheGeneralPath() throws {
        let text = "a,b,c\r\n1,2.5,-3\r\n4,,6\r\n\"7\",8e1,+9\r\n10,NA,11\r\n12,13,\r\n,14.25,15\r\n16,17,123456789012"
        for pieces in [1, 3] {
            var options = CSVOptions()
            options.chunkCount = pieces
            let t = try CSVReader(options: options).read(bytes: Array(text.utf8), source: "f.csv", tableName: "t")
            let nan = Double.nan
            func same(_ got: [Double]?, _ want: [Double], _ name: String) {
                XCTAssertEqual(got?.map(\.bitPattern), want.map(\.bitPattern), "\(name), \(pieces) pieces")
            }
            same(t.column(named: "a")?.numbers, [1, 4, 7, 10, 12, nan, 16], "a")
            same(t.column(named: "b")?.numbers, [2.5, nan, 80, nan, 13, 14.25, 17], "b")
            same(t.column(named: "c")?.numbers, [-3, 6, 9, 11, nan, 15, 123_456_789_012], "c")
            XCTAssertEqual(t.columns.map(\.kind), [.integer, .float, .integer])
        }
        // A column that becomes text after the fast path has filled it keeps its cells exactly.
        let late = "n,s\n" + (0 ..< 500).map { "\($0),\($0 * 3)" }.joined(separator: "\n") + "\n500,x\n501,0.10\n"
        let t = try CSVReader().read(bytes: Array(late.utf8), source: "l.csv", tableName: "t")
        XCTAssertEqual(t.column(named: "s")?.strings?[499], "1497")
        XCTAssertEqual(t.column(named: "s")?.strings?[500], "x")
        XCTAssertEqual(t.column(named: "s")?.strings?[501], "0.10")
        XCTAssertEqual(t.column(named: "n")?.numbers, (0 ... 501).map(Double.init))
    }

    /// The reader of cells whose end is known agrees with the general scanner (value bits,
    /// integer-ness) on every shape, accepts a cell only when the number fills it exactly, and
    /// never reads past `readable`'s bound into a neighbour's digits.
    func testCellReaderAgreesWithTheGeneralScanner() {
        let shapes = ["0", "7", "-7", "1234567", "12345678", "123456789", "0.5", "-0.5", ".5", "-.5", "5.", "-5.",
                      "1234567.1234567", "1234567.12345678", "12345678.5", "1.5e3", "1.5E-3", "2e5", "-0", "-0.0",
                      "00012.0500", "-", ".", "-.", "+1", "--1", "e5", "1.2.3", "9.9999999", "0.0000001",
                      "0.49035635702469327", "-1.1234729362584204", "1234567.123456789012", "1234567.1234567890123",
                      "0.12345678901234567890", "1.12345678e5", "0.1234567890123456", "9999999.999999999999",
                      "1e", "1e+", "1.5x", "x1.5", "1 ", " 1", "1-", "1.-5", ".e5", "-.e5"]
        var accepted = 0
        for shape in shapes {
            for tail in [",123456789012345678901", "\n12345678901234567890", "abcdefghijklmnopqrstu", ""] {
                let bytes = Array((shape + tail).utf8)
                bytes.withUnsafeBufferPointer { b in
                    guard let base = b.baseAddress else { return }
                    let cellEnd = shape.utf8.count
                    let general = NumberParsing.scan(base, from: 0, to: cellEnd)
                    let cell = NumberParsing.scanCell(base, from: 0, to: cellEnd, readable: b.count)
                    guard let general, general.end == cellEnd else {
                        XCTAssertNil(cell, shape + tail)
                        return
                    }
                    accepted += 1
                    XCTAssertEqual(cell?.value.bitPattern, general.value.bitPattern, shape + tail)
                    XCTAssertEqual(cell?.end, cellEnd, shape + tail)
                    XCTAssertEqual(cell?.isInteger, general.isInteger, shape + tail)
                    XCTAssertEqual(cell?.value.bitPattern, Double(shape)?.bitPattern, shape + tail)
                }
            }
        }
        XCTAssertGreaterThan(accepted, 100)
    }

    /// Every shape of cell the one- and two-word paths read, and longer ones the general scanner
    /// takes (sign, 0–20 integer digits, a point or not, 0–20 fraction digits), with random
    /// digits and every kind of byte after it, against
    /// the standard library's correctly rounded `Double(String)`; the same digits with a stray
    /// byte inside are not numbers.
    func testCellReaderOnEveryShortShape() {
        var state: UInt64 = 0x5EED
        func digit() -> String {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return String((state >> 33) % 10)
        }
        var checked = 0
        for sign in ["", "-"] {
            for integerDigits in 0 ... 20 {
                for point in [false, true] {
                    for fractionDigits in 0 ... (point ? 20 : 0) {
                        for _ in 0 ..< 6 {
                            var text = sign
                            for _ in 0 ..< integerDigits { text += digit() }
                            if point { text += "." }
                            for _ in 0 ..< fractionDigits { text += digit() }
                            for tail in [",", "\n", "\r\n", ".", "e", "E5", "x", ";", " "] {
                                for stray in [false, true] {
                                    // A stray byte in place of the cell's last character.
                                    let cell = stray && !text.isEmpty ? String(text.dropLast()) + "x" : text
                                    let bytes = Array((cell + tail + "123456789012345678").utf8)
                                    bytes.withUnsafeBufferPointer { b in
                                        guard let base = b.baseAddress, !cell.isEmpty else { return }
                                        let got = NumberParsing.scanCell(base, from: 0, to: cell.utf8.count,
                                                                         readable: b.count)
                                        checked += 1
                                        XCTAssertEqual(got?.value.bitPattern, Double(cell)?.bitPattern, cell + tail)
                                        if let got { XCTAssertEqual(got.end, cell.utf8.count, cell + tail) }
                                        // An integer: no point, and exact in a double.
                                        if let got {
                                            let exact = got.value.magnitude <= 9_007_199_254_740_992
                                            XCTAssertEqual(got.isInteger, !point && !stray && exact, cell + tail)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 90_000)
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
