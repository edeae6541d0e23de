import CFastCSV
import XCTest
@testable import AstrolabeData

/// The vectorised all-numbers record loops (C with AVX2 or AVX-512, `vectorRecords`) against
/// their Swift twins (`numericRecordsOfDoubles`, and `numericRecords` for float32 columns) and
/// the standard library: the same records read, the same stopping place, the same values bit for
/// bit, the same column flags, on random records of every cell shape the loops meet, at random
/// starting points and limits, for every loop this CPU runs.
final class CSVVectorRecordsTests: XCTestCase {
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func digits(_ count: Int) -> String { String((0 ..< count).map { _ in Character(String(next(10))) }) }

        /// Mostly the vector path's shapes (up to eight bytes after a `-`, at most one point; 9–15
        /// bytes for the AVX-512 loop), with everything it must hand back or stop at sprinkled in.
        mutating func cell() -> String {
            let sign = next(4) == 0 ? "-" : ""
            switch next(64) {
            case 0: return ""
            case 1: return "\(digits(1 + next(3)))e-\(digits(2))"
            case 2: return sign + digits(1 + next(12)) + "." + digits(1 + next(12)) // 9–25 bytes
            case 3: return "0." + digits(70)                                        // longer than a block
            case 4: return "+" + digits(1 + next(4))
            case 5: return ["NA", "x", ".", "-", "-.", "1.2.3", "1-2", "\"5\"", " 7", "7 ", "1e", "inf", "NaN", "nan", "null",
                            "NULL", "Na", "NAN", "nulls", " NA"][next(20)]
            case 6: return sign + digits(9 + next(8))                               // long integers
            case 7: return sign + "." + digits(1 + next(7))
            case 8: return sign + digits(1 + next(7)) + "."
            case 9: return sign + "0"
            case 10, 11: // exponents, read in C when Clinger's exact case, else by the Swift scanner
                let mantissa = digits(1 + next(6)) + (next(2) == 0 ? "" : "." + digits(next(4)))
                return (next(4) == 0 ? "+" : sign) + mantissa + ["e", "E"][next(2)] + ["", "+", "-"][next(3)] + digits(1 + next(3))
            case 12: return ["0e400", "-0e-400", "1e23", "1e22", "1e-22", "1e-23", "9007199254740993", "9007199254740992",
                             "12345678901234567890", "1234567890123456789", "0.000000000000000000001", "1.e5", ".5e1",
                             "5e", "e5", "1e+", "1.5e3x", "00000000000000000001"][next(18)]
            default:
                return next(3) == 0 ? sign + digits(1 + next(8)) : sign + digits(next(5)) + "." + digits(1 + next(7))
            }
        }
    }

    func testVectorLoopMatchesTheSwiftLoopAndTheStandardLibrary() throws {
        try XCTSkipUnless(CSVChunkParser.vectorRecordsAvailable, "no AVX2 on this machine")
        var g = Generator(state: 0xA1AB)
        var comparedRecords = 0
        for columns in [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 63, 64] {
            for ending in ["\n", "\r\n"] {
                var text = ""
                for r in 0 ..< 1500 {
                    var cells = (0 ..< columns).map { _ in g.cell() }
                    if columns == 1, cells[0].isEmpty { cells[0] = "0" }
                    var line = cells.joined(separator: ",")
                    switch g.next(120) {
                    case 0: line += ",5"                         // too many cells
                    case 1: if columns > 1 { line = cells.dropLast().joined(separator: ",") }
                    case 2: line = ""                            // a blank line
                    case 3: line = "#" + line                    // a comment
                    case 4: line += "\r"                         // a stray CR
                    default: break
                    }
                    text += line + (r == 1499 && g.next(2) == 0 ? "" : ending)
                }
                let bytes = Array(text.utf8)
                // Each C loop this CPU runs: AVX2, and AVX-512 where there is one.
                // Float32 columns (precision=float32) for some tables: every other column, or all.
                let narrow: UInt64 = columns % 4 == 1 ? 0xAAAA_AAAA_AAAA_AAAA & (columns == 64 ? ~0 : (1 << UInt64(columns)) - 1)
                    : columns == 3 ? 0b111 : 0
                for level in 2 ... CSVChunkParser.bestVectorLevel {
                    comparedRecords += try compareLoops(bytes, columns: columns, comment: UInt8(ascii: "#"), level: level,
                                                        narrow: narrow, generator: &g)
                    comparedRecords += try compareLoops(bytes, columns: columns, comment: nil, level: level, narrow: 0,
                                                        generator: &g)
                }
            }
        }
        XCTAssertGreaterThan(comparedRecords, 20_000)
    }

    /// Cells mostly of shapes the C loops hand back (17 significant digits, as in points_1m.csv):
    /// they decline after a few hundred records, and the Swift loop reads the rest; the values
    /// are the same either way, through the whole reader too.
    func testMostlyLongCellsAreHandedBackToTheSwiftLoop() throws {
        try XCTSkipUnless(CSVChunkParser.vectorRecordsAvailable, "no AVX2 on this machine")
        var g = Generator(state: 0x17D)
        var rows: [[String]] = []
        for _ in 0 ..< 3000 {
            rows.append([g.digits(1) + "." + g.digits(16), "-" + g.digits(1) + "." + g.digits(15), g.digits(1 + g.next(3))])
        }
        let text = rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        for level in 2 ... CSVChunkParser.bestVectorLevel {
            XCTAssertGreaterThan(try compareLoops(Array(text.utf8), columns: 3, comment: nil, level: level, generator: &g,
                                                  expectDeclines: true), 2000)
        }
        for pieces in [1, 3] {
            var options = CSVOptions()
            options.chunkCount = pieces
            let table = try CSVReader(options: options).read(bytes: Array(("x,y,k\n" + text).utf8), source: "p.csv", tableName: "t")
            for c in 0 ..< 3 {
                let got = try XCTUnwrap(table.columns[c].numbers)
                XCTAssertEqual(got.count, rows.count)
                for (r, row) in rows.enumerated() where got[r].bitPattern != Double(row[c])?.bitPattern {
                    XCTFail("row \(r) column \(c): `\(row[c])` read as \(got[r]), \(pieces) pieces")
                }
            }
        }
    }

    /// The AVX-512 loop divides without a division (`divide_exactly`): the same quotients as the
    /// IEEE division on every integer below 2^20 and on blocks spread up to 2^27, for every
    /// power of ten it uses. (All of [0, 2^27) is checked in bench/load/README.md's command.)
    func testDivisionFreeQuotientsAreTheDivisions() throws {
        try XCTSkipUnless(CSVChunkParser.bestVectorLevel >= 3, "no AVX-512 on this machine")
        XCTAssertEqual(alab_check_division(0, 1 << 20), 0)
        var g = Generator(state: 0xD1F)
        for _ in 0 ..< 64 {
            XCTAssertEqual(alab_check_division(Int64(g.next(1 << 27 - 4096)), 4096), 0)
        }
        XCTAssertEqual(alab_check_division((1 << 27) - 4096, 4096), 0)
    }

    /// Runs both loops from many starting points (each line start, in order, and random ones)
    /// with random stops and row limits; returns how many records they read.
    private func compareLoops(_ bytes: [UInt8], columns: Int, comment: UInt8?, level: Int, narrow: UInt64 = 0,
                              generator g: inout Generator, expectDeclines: Bool = false) throws -> Int {
        func isNarrow(_ c: Int) -> Bool { narrow >> UInt64(c) & 1 != 0 }
        /// Row `row` of column c, widened to a double when the column holds floats.
        func value(_ arrays: [[Double]], _ c: Int, _ row: Int) -> Double {
            isNarrow(c) ? Double(arrays[c].withUnsafeBytes { $0.load(fromByteOffset: row * 4, as: Float.self) }) : arrays[c][row]
        }
        var compared = 0
        var declined = 0
        defer { if expectDeclines { XCTAssertGreaterThan(declined, 0) } }
        try bytes.withUnsafeBufferPointer { buffer in
            let base = try XCTUnwrap(buffer.baseAddress)
            var p = CSVChunkParser(bytes: buffer, separator: UInt8(ascii: ","), whitespace: false, comment: comment,
                                   columnCount: columns, skipBadRows: false, sentinels: CSVSentinels([]),
                                   release: nil, progress: nil)
            p.vectorLevel = level
            let rowsRoom = 1600
            var swiftArrays = (0 ..< columns).map { _ in [Double](repeating: 42, count: rowsRoom) }
            var vectorArrays = swiftArrays
            var lineStarts = [0]
            for (k, b) in bytes.enumerated() where b == 0x0A && k + 1 < bytes.count { lineStarts.append(k + 1) }
            var starts = lineStarts
            for _ in 0 ..< 40 { starts.append(g.next(bytes.count)) }
            var at = 0
            while at < starts.count {
                let start = starts[at]
                let stop = g.next(8) == 0 ? Swift.min(bytes.count, start + g.next(400)) : bytes.count
                let firstRow = g.next(50)
                let rowLimit = g.next(10) == 0 ? firstRow + g.next(5) : rowsRoom
                func run(_ arrays: inout [[Double]], vector: Bool, limit: Int)
                    -> (end: Int, records: Int, lines: Int, lineStart: Int, flags: [UInt8], declined: Bool) {
                    let fast = FastColumns(columnCount: columns)
                    defer { fast.deallocate() }
                    fast.allDoubles = narrow == 0
                    fast.narrowMask = narrow
                    var pointers: [UnsafeMutablePointer<Double>] = []
                    for c in 0 ..< columns {
                        pointers.append(arrays[c].withUnsafeMutableBufferPointer { $0.baseAddress! })
                    }
                    for c in 0 ..< columns {
                        fast.columns[c] = UnsafeMutableRawPointer(pointers[c])
                        fast.narrow[c] = isNarrow(c)
                    }
                    let r = vector
                        ? p.vectorRecords(base, from: start, until: stop, row: firstRow, rowLimit: limit, fast: fast)
                        : narrow == 0
                        ? p.numericRecordsOfDoubles(base, from: start, until: stop, row: firstRow, rowLimit: limit, fast: fast)
                        : p.numericRecords(base, from: start, until: stop, row: firstRow, rowLimit: limit, fast: fast)
                    return (r.end, r.records, r.lines, r.lineStart, (0 ..< columns).map { fast.flags[$0] }, fast.vectorDeclined)
                }
                let v = run(&vectorArrays, vector: true, limit: rowLimit)
                // A C loop that declined (mostly cells for the Swift scanner) stopped early, after
                // whole records: the Swift loop is held to the same records.
                let s = run(&swiftArrays, vector: false, limit: v.declined ? firstRow + v.records : rowLimit)
                declined += v.declined ? 1 : 0
                let context = "level \(level), \(columns) columns from byte \(start)"
                XCTAssertEqual(v.end, s.end, context)
                XCTAssertEqual(v.records, s.records, context)
                XCTAssertEqual(v.lines, s.lines, context)
                XCTAssertEqual(v.lineStart, s.lineStart, context)
                // Flags of whole records only: not of a record given up on (which the general
                // path may skip as malformed).
                XCTAssertEqual(v.flags, s.flags, context)
                for c in 0 ..< columns {
                    for row in firstRow ..< firstRow + s.records
                    where value(vectorArrays, c, row).bitPattern != value(swiftArrays, c, row).bitPattern {
                        XCTFail("\(context): row \(row) column \(c): \(value(vectorArrays, c, row)) against \(value(swiftArrays, c, row))")
                    }
                }
                // Independently: each record read holds cells equal to `Double(String)` of their text.
                var recordStart = start
                for row in firstRow ..< firstRow + s.records {
                    var end = recordStart
                    while bytes[end] != 0x0A { end += 1 }
                    var line = Array(bytes[recordStart ..< end])
                    if line.last == 0x0D { line.removeLast() }
                    let cells = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                    XCTAssertEqual(cells.count, columns, context)
                    for (c, cell) in cells.enumerated() where c < columns {
                        let text = String(decoding: cell, as: UTF8.self)
                        // Empty cells and the missing-value markers are NaN.
                        let missing = text.isEmpty || ["NA", "NaN", "nan", "null", "NULL"].contains(text)
                        var want = missing ? Double.nan : Double(text)
                        if isNarrow(c), let w = want { want = Double(Float(w)) }
                        if want?.bitPattern != value(vectorArrays, c, row).bitPattern {
                            XCTFail("\(context): `\(text)` read as \(value(vectorArrays, c, row))")
                        }
                    }
                    recordStart = end + 1
                }
                compared += s.records
                // Next: the first line start past this run's end (or the next start given).
                if s.records > 0, let next = starts[(at + 1)...].firstIndex(where: { $0 >= s.end }) {
                    at = next
                } else {
                    at += 1
                }
            }
        }
        return compared
    }
}
