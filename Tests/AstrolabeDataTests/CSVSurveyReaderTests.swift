import Foundation
import XCTest
@testable import AstrolabeData

/// The survey-scale CSV reader: options, type inference, skipping bad rows, and the parallel
/// split giving exactly the result of a serial read.
final class CSVSurveyReaderTests: XCTestCase {
    private func read(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> (Table, ReadReport) {
        var options = CSVOptions()
        configure(&options)
        let r = try CSVReader(options: options).readWithReport(bytes: Array(text.utf8), source: "s.csv", tableName: "t")
        return (r.table, r.report)
    }

    func testKindsAreInferred() throws {
        let (t, _) = try read("i,f,b,s,c\n1,1.5,true,x1,a\n-2,2,False,x2,b\n,3e2,,x3,a\n4,NA,TRUE,,a\n")
        XCTAssertEqual(t.columns.map(\.kind), [.integer, .float, .boolean, .text, .text])
        XCTAssertEqual(t.column(named: "b")?.number(row: 1), 0)
        XCTAssertTrue(t.column(named: "b")?.number(row: 2).isNaN ?? false)
        XCTAssertEqual(t.column(named: "b")?.displayText(row: 3), "true")
    }

    func testLowCardinalityTextIsACategory() throws {
        let rows = (0 ..< 100).map { "\($0),\(["star", "galaxy", "qso"][$0 % 3])" }
        let (t, _) = try read("id,label\n" + rows.joined(separator: "\n"))
        XCTAssertEqual(t.column(named: "label")?.kind, .category)
        XCTAssertEqual(t.column(named: "label")?.strings?.prefix(3), ["star", "galaxy", "qso"])
        XCTAssertEqual(t.column(named: "id")?.kind, .integer)
    }

    func testTypesOverrideInference() throws {
        let (t, report) = try read("a,b,c\n1,x,1\n2,3,0\n") { $0.types = ["a": .text, "b": .float, "c": .boolean] }
        XCTAssertEqual(t.column(named: "a")?.strings, ["1", "2"])
        XCTAssertTrue(t.column(named: "b")?.number(row: 0).isNaN ?? false)
        XCTAssertEqual(t.column(named: "b")?.number(row: 1), 3)
        XCTAssertEqual(t.column(named: "c")?.numbers, [1, 0])
        XCTAssertEqual(report.warnings, ["column `b`: 1 value is not a number and became missing"])
        XCTAssertThrowsError(try read("a\n1\n") { $0.types = ["A": .text] }) { error in
            XCTAssertEqual((error as? DataError)?.suggestion, "a")
        }
    }

    func testMissingSentinelsMatchNumericallyAndAsText() throws {
        let (t, _) = try read("m,s\n-99.99,none\n-99.990,x\n1.5,none\n") { $0.missing = ["-99.99", "none"] }
        let m = try XCTUnwrap(t.column(named: "m")?.numbers)
        XCTAssertTrue(m[0].isNaN && m[1].isNaN)
        XCTAssertEqual(m[2], 1.5)
        XCTAssertEqual(t.column(named: "s")?.strings, [nil, "x", nil])
    }

    func testSeparatorsCommentsAndWhitespace() throws {
        let (tab, _) = try read("a\tb\n1\t2\n") { $0.separator = .byte(9) }
        XCTAssertEqual(tab.column(named: "b")?.numbers, [2])
        let (semi, _) = try read("a;b\n\"x;y\";2\n") { $0.separator = .byte(UInt8(ascii: ";")) }
        XCTAssertEqual(semi.column(named: "a")?.strings, ["x;y"])
        let (ws, _) = try read("# a comment\n  ra   dec\n 1.5  2 \n\t3 4\n# more\n\n5     6\n") {
            $0.separator = .whitespace
            $0.comment = UInt8(ascii: "#")
        }
        XCTAssertEqual(ws.columnNames, ["ra", "dec"])
        XCTAssertEqual(ws.column(named: "ra")?.numbers, [1.5, 3, 5])
        XCTAssertEqual(ws.column(named: "dec")?.numbers, [2, 4, 6])
        XCTAssertEqual(CSVOptions.separator(named: "tab"), .byte(9))
        XCTAssertNil(CSVOptions.separator(named: "ab"))
    }

    func testSkippingMalformedRowsIsCounted() throws {
        let (t, report) = try read("a,b\n1,2\nabc\n4,5,6\n\"x\"y,1\n7,8\n9,\"open\n10,11\n") { $0.onError = .skip }
        XCTAssertEqual(t.column(named: "a")?.numbers, [1, 7, 10])
        XCTAssertEqual(t.column(named: "b")?.numbers, [2, 8, 11])
        XCTAssertEqual(report.skippedRows, 4)
        XCTAssertEqual(report.warnings, ["skipped 4 malformed rows (lines 3, 4, 5, 7)"])
    }

    func testColumnThatTurnsTextLateKeepsItsEarlierCellsExactly() throws {
        // `007` and `1.50` must come back as written, not as re-printed numbers.
        let (t, _) = try read("v,w\n007,1\n1.50,2\nNA,3\nabc,4\n")
        XCTAssertEqual(t.column(named: "v")?.strings, ["007", "1.50", "NA", "abc"])
    }

    func testNonUTF8HugeFieldsAllMissingAndHeaderOnly() throws {
        let huge = String(repeating: "x", count: 300_000)
        let (t, _) = try read("a,b,c\n\"\(huge)\",,1\nq,,2\n")
        XCTAssertEqual(t.column(named: "a")?.strings?[0]?.count, 300_000)
        XCTAssertEqual(t.column(named: "b")?.missingCount, 2)
        XCTAssertEqual(t.column(named: "b")?.kind, .float)
        let (h, _) = try read("x,y\r\n")
        XCTAssertEqual(h.rowCount, 0)
        XCTAssertEqual(h.columnNames, ["x", "y"])
    }

    func testFloat32PrecisionHalvesFloatColumns() throws {
        let (t, _) = try read("i,f\n1,0.1\n2,\n") { $0.precision = .float32 }
        guard case .float32(let f)? = t.column(named: "f")?.values else { return XCTFail("float32 storage expected") }
        XCTAssertEqual(f[0], Float(0.1))
        XCTAssertTrue(f[1].isNaN)
        guard case .numeric? = t.column(named: "i")?.values else { return XCTFail("integers stay exact doubles") }
        XCTAssertEqual(t.column(named: "f")?.memoryBytes, 8)
    }

    /// `precision=float32` writes columns that start with fractions as floats in place and the
    /// others as doubles; whichever guess the first rows made, the result is the float64 read
    /// narrowed (`Float(Double(text))`) for float columns and exact doubles for integer ones —
    /// including a column whose fractions only start after the sample, integers beyond 2^24,
    /// a fraction column that turns text, blank and skipped lines, and any split into pieces.
    func testFloat32InPlaceMatchesTheNarrowedFloat64Read() throws {
        var lines = ["id,early,late,big,flag,note"]
        for r in 0 ..< 20_000 {
            if r % 997 == 0 { lines.append("") }
            if r % 1009 == 0 { lines.append("\(r),1,2") } // skipped: too few fields
            let late = r < 15_000 ? "\(r % 50)" : "\(Double(r) / 7)"
            let note = r == 19_000 ? "text" : "\(Double(r) * 0.3)"
            lines.append("\(r),\(Double(r) * 1.1),\(late),\(16_777_217 + 2 * r),\(r % 2),\(note)")
        }
        let text = lines.joined(separator: "\n") + "\n"
        let wide = try read(text) { $0.onError = .skip }.0
        for pieces in [1, 4, 9] {
            let (t, report) = try read(text) {
                $0.precision = .float32
                $0.chunkCount = pieces
                $0.onError = .skip
            }
            XCTAssertEqual(report.skippedRows, 20, "\(pieces) pieces")
            XCTAssertEqual(t.rowCount, 20_000)
            for name in ["early", "late"] {
                guard case .float32(let got)? = t.column(named: name)?.values else {
                    return XCTFail("\(name): float32 storage expected, \(pieces) pieces")
                }
                let want = try XCTUnwrap(wide.column(named: name)?.numbers).map(Float.init)
                XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "\(name), \(pieces) pieces")
            }
            for name in ["id", "big", "flag"] {
                guard case .numeric(let got)? = t.column(named: name)?.values else {
                    return XCTFail("\(name): integers stay exact doubles, \(pieces) pieces")
                }
                XCTAssertEqual(got, wide.column(named: name)?.numbers, "\(name), \(pieces) pieces")
            }
            XCTAssertEqual(t.column(named: "big")?.numbers?[1], 16_777_219) // not a float
            XCTAssertEqual(t.column(named: "note")?.strings?[19_000], "text")
            XCTAssertEqual(t.column(named: "note")?.strings?[3], "0.8999999999999999")
        }
    }

    /// The split into pieces must never change the result: quoted line breaks, CRLF, text that
    /// appears late, and bad rows placed near every boundary.
    func testParallelPiecesGiveTheSerialResult() throws {
        var lines = ["id,name,x,flag,note"]
        for r in 0 ..< 3000 {
            var name = "\"n\(r)\""
            if r % 97 == 0 { name = "\"multi\nline \"\"\(r)\"\"\"" }
            let x = r == 2500 ? "oops" : (r % 13 == 0 ? "" : "\(Double(r) / 8)")
            let flag = r % 2 == 0 ? "true" : "false"
            lines.append("\(r),\(name),\(x),\(flag),c\(r % 4)")
        }
        let text = lines.joined(separator: r_n) + "\r\n"
        let serial = try read(text) { $0.chunkCount = 1 }.0
        for pieces in [2, 3, 7, 16, 61] {
            let parallel = try read(text) { $0.chunkCount = pieces }.0
            XCTAssertEqual(parallel.columns, serial.columns, "\(pieces) pieces")
        }
        XCTAssertEqual(serial.rowCount, 3000)
        XCTAssertEqual(serial.column(named: "x")?.kind, .text)
        XCTAssertEqual(serial.column(named: "x")?.strings?[8], "1.0")
        XCTAssertEqual(serial.column(named: "name")?.strings?[97], "multi\nline \"97\"")
        XCTAssertEqual(serial.column(named: "note")?.kind, .category)
        // An error after a quoted line break reports the same line however the file is split.
        let bad = text + "1,2\r\n"
        for pieces in [1, 5] {
            XCTAssertThrowsError(try read(bad) { $0.chunkCount = pieces }) { error in
                XCTAssertEqual((error as? DataError)?.line, 3000 + 2 + 31)
            }
        }
    }

    /// Numbers are written in place into the final columns, each piece in room counted from its
    /// line breaks; blank, comment and skipped lines leave room unused that must be closed up,
    /// and any line ending (LF, CRLF, CR alone) must leave enough room.
    func testNumbersInPlaceWithBlankCommentAndSkippedLines() throws {
        var lines = ["a,b"]
        var want: [Double] = []
        for r in 0 ..< 2000 {
            if r % 7 == 0 { lines.append("") }
            if r % 11 == 0 { lines.append("# comment \(r)") }
            if r % 13 == 0 { lines.append("\(r),1,extra") } // skipped
            lines.append("\(r),\(Double(r) * 0.25)")
            want.append(Double(r) * 0.25)
        }
        for ending in ["\n", "\r\n", "\r"] {
            let text = lines.joined(separator: ending) + ending
            for pieces in [1, 2, 5, 33] {
                let (table, report) = try read(text) {
                    $0.chunkCount = pieces
                    $0.comment = UInt8(ascii: "#")
                    $0.onError = .skip
                }
                XCTAssertEqual(report.skippedRows, 154, "\(pieces) pieces")
                XCTAssertEqual(table.column(named: "b")?.numbers, want, "\(pieces) pieces, ending \(Array(ending.utf8))")
                XCTAssertEqual(table.column(named: "a")?.numbers, (0 ..< 2000).map(Double.init))
                XCTAssertEqual(table.column(named: "a")?.kind, .integer)
            }
        }
    }

    /// The all-numbers fast path (delimiters found 64 bytes at a time, then each cell converted)
    /// on records of every length, so CRs, LFs and separators fall on every position of a block,
    /// with cells it must hand to the general path (exponents, `NA`, quotes, a cell longer than a
    /// block, a lone CR) scattered among them: every cell equals `Double(String)` of its text.
    func testFastPathCellsMatchTheStandardLibrary() throws {
        var state: UInt64 = 0xC5F
        func next(_ bound: UInt64) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % bound)
        }
        func digits(_ count: Int) -> String { String((0 ..< count).map { _ in Character(String(next(10))) }) }
        func cell() -> String {
            switch next(40) {
            case 0: return ""
            case 1: return "\(digits(1 + next(3)))e-\(digits(2))"
            case 2: return "-" + digits(1 + next(12)) + "." + digits(1 + next(12))
            case 3: return "0." + digits(70) // longer than a block
            case 4: return "+" + digits(1 + next(4))
            default:
                let sign = next(4) == 0 ? "-" : ""
                return next(3) == 0 ? sign + digits(1 + next(9)) : sign + digits(next(4)) + "." + digits(1 + next(7))
            }
        }
        let columns = 4
        var rows: [[String]] = []
        for _ in 0 ..< 3000 { rows.append((0 ..< columns).map { _ in cell() }) }
        for ending in ["\n", "\r\n"] {
            var text = "a,b,c,d" + ending
            for (r, row) in rows.enumerated() {
                var cells = row
                if r % 211 == 5 { cells[1] = "NA" }
                if r % 307 == 9 { cells[2] = "\"" + cells[2] + "\"" }
                // A CR before the line break: CRLF in an LF file; in a CRLF file, a lone CR (a line
                // break of its own) and then a blank line.
                if r % 401 == 11 { cells[3] += "\r" }
                text += cells.joined(separator: ",") + ending
            }
            let reference: [[String]] = rows.enumerated().map { r, row in
                var cells = row
                if r % 211 == 5 { cells[1] = "" }
                return cells
            }
            for pieces in [1, 3, 8] {
                let table = try read(text) { $0.chunkCount = pieces }.0
                XCTAssertEqual(table.rowCount, rows.count, "\(pieces) pieces")
                for c in 0 ..< columns {
                    let got = try XCTUnwrap(table.columns[c].numbers)
                    for (r, row) in reference.enumerated() where got.indices.contains(r) {
                        let want = row[c].isEmpty ? Double.nan : try XCTUnwrap(Double(row[c]), row[c])
                        if got[r].bitPattern != want.bitPattern {
                            XCTFail("row \(r) column \(c): `\(row[c])` read as \(got[r]), \(pieces) pieces")
                        }
                    }
                }
            }
        }
    }

    /// The fast path's two shapes (all float64 columns and at most 64 of them, with the column
    /// flags kept as bit masks; and the general one, here for 70 columns) on random integers and
    /// fractions: every cell equals `Double(String)` of its text, and a column is an integer
    /// column exactly when every cell in it is an integer or empty (the reference decides from
    /// the text), whatever the split into pieces.
    func testFastPathKindsAndValuesForNarrowAndWideTables() throws {
        var state: UInt64 = 0x5EED
        func next(_ bound: UInt64) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % bound)
        }
        func digits(_ count: Int) -> String { String((0 ..< count).map { _ in Character(String(next(10))) }) }
        for columns in [1, 3, 8, 63, 64, 65, 70] {
            // Column c holds fractions from row `fractionFrom[c]` on (never, for some columns).
            let fractionFrom = (0 ..< columns).map { _ in next(3) == 0 ? Int.max : next(400) }
            var rows: [[String]] = []
            for r in 0 ..< 400 {
                rows.append((0 ..< columns).map { c in
                    if columns > 1, next(50) == 0 { return "" } // (a lone empty cell is a blank line)
                    let sign = next(5) == 0 ? "-" : ""
                    return r >= fractionFrom[c] && next(2) == 0 ? sign + digits(1 + next(4)) + "." + digits(1 + next(5))
                                                                : sign + digits(1 + next(8))
                })
            }
            let header = (0 ..< columns).map { "c\($0)" }.joined(separator: ",")
            let text = header + "\n" + rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
            for pieces in [1, 4, 9] {
                let table = try read(text) { $0.chunkCount = pieces }.0
                XCTAssertEqual(table.rowCount, rows.count)
                for c in 0 ..< columns {
                    let cells = rows.map { $0[c] }
                    let integer = cells.contains { !$0.isEmpty } && cells.allSatisfy { !$0.contains(".") }
                    XCTAssertEqual(table.columns[c].kind, integer ? .integer : .float,
                                   "\(columns) columns, column \(c), \(pieces) pieces")
                    let got = try XCTUnwrap(table.columns[c].numbers)
                    for (r, cell) in cells.enumerated() where got.indices.contains(r) {
                        let want = cell.isEmpty ? Double.nan : try XCTUnwrap(Double(cell), cell)
                        if got[r].bitPattern != want.bitPattern {
                            XCTFail("\(columns) columns: row \(r) column \(c): `\(cell)` read as \(got[r]), \(pieces) pieces")
                        }
                    }
                }
            }
        }
    }

    /// The line-break count that sizes each piece's room, against counting byte by byte: random
    /// bytes rich in LF and CR at every length and alignment, and long runs of nothing but line
    /// breaks (the per-lane counters' worst case).
    func testLineBreakCountMatchesCountingBytes() {
        var state: UInt64 = 0xB1EAC
        func next(_ bound: UInt64) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % bound)
        }
        var inputs: [[UInt8]] = []
        for length in [0, 1, 15, 63, 64, 65, 127, 4031, 4032, 4033, 4096, 70_000] {
            inputs.append((0 ..< length).map { _ in [0x0A, 0x0D, 0x2C, 0x31][next(4)] })
        }
        inputs.append([UInt8](repeating: 0x0A, count: 64 * 63 * 3 + 17))
        inputs.append([UInt8](repeating: 0x0D, count: 64 * 63 * 2 + 1))
        inputs.append([UInt8](repeating: 0x31, count: 10_000) + [0x0D])
        for bytes in inputs {
            let lfs = bytes.filter { $0 == 0x0A }.count, crs = bytes.filter { $0 == 0x0D }.count
            bytes.withUnsafeBufferPointer { buffer in
                for skip in [0, 1, 7] where skip <= buffer.count {
                    guard let base = buffer.baseAddress else { continue }
                    // The count this CPU uses (AVX-512 where there is one) and the Swift one.
                    for counted in [CSVReader.count(0x0A, from: base + skip, to: base + buffer.count, noting: 0x0D),
                                    CSVReader.countInSwift(0x0A, from: base + skip, to: base + buffer.count, noting: 0x0D)] {
                        let tail = buffer[skip...]
                        XCTAssertEqual(counted.count, tail.filter { $0 == 0x0A }.count, "\(buffer.count) bytes from \(skip)")
                        XCTAssertEqual(counted.sawOther, tail.contains(0x0D), "\(buffer.count) bytes from \(skip)")
                    }
                }
                for pieces in [1, 2, 3] {
                    var bounds = (0 ..< pieces).map { buffer.count / pieces * $0 }
                    bounds.append(buffer.count)
                    let counts = CSVReader.lineBreakCounts(buffer, bounds: bounds, release: nil)
                    XCTAssertEqual(counts.reduce(0, +), lfs + crs, "\(buffer.count) bytes, \(pieces) pieces")
                }
            }
        }
    }

    /// Mapping in a column's 4 KB head and tail pages ahead of the parser leaves every value in
    /// place, whatever stretch of the array is asked for; a read large enough for 2 MB pages
    /// (populated a stretch at a time while parsing) equals the values written in its text.
    func testPopulatingSmallPagesKeepsTheValues() throws {
        let count = 1_300_000 // 10.4 MB: a head and a tail around 2 MB pages
        var values = ColumnStorage.uninitialized(Double.self, count: count)
        for r in 0 ..< count { values[r] = Double(r) * 0.5 }
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return XCTFail("no storage") }
            let raw = UnsafeMutableRawPointer(base)
            for (from, to) in [(0, count), (0, 1000), (999, 300_000), (1_000_000, count), (count - 1, count), (5, 5)] {
                ColumnStorage.populateSmallPages(raw + from * 8, bytes: (to - from) * 8, arrayStart: raw, arrayBytes: count * 8)
            }
        }
        XCTAssertTrue(values.indices.allSatisfy { values[$0] == Double($0) * 0.5 })

        let rows = 300_000
        var text = "a,b\n"
        for r in 0 ..< rows { text += "\(r),\(r % 1000).25\n" }
        for pieces in [1, 3] {
            let table = try read(text) { $0.chunkCount = pieces }.0
            XCTAssertEqual(table.column(named: "a")?.numbers, (0 ..< rows).map(Double.init))
            XCTAssertEqual(table.column(named: "b")?.numbers, (0 ..< rows).map { Double($0 % 1000) + 0.25 })
        }
    }

    /// A piece with more rows than the room it was given keeps them all (moved to its own array).
    func testBuilderSpillsWhenItsRoomIsFull() {
        let room = UnsafeMutablePointer<Double>.allocate(capacity: 3)
        defer { room.deallocate() }
        var b = CSVColumnBuilder(forced: nil, float32: false, internLimit: 10)
        b.direct = room
        b.directCapacity = 3
        for v in 0 ..< 8 { b.appendNumber(Double(v), isInteger: true, sentinels: []) }
        XCTAssertTrue(b.spilled)
        XCTAssertNil(b.direct)
        XCTAssertEqual(b.doubles, (0 ..< 8).map(Double.init))
        XCTAssertEqual(b.count, 8)
    }
}

private let r_n = "\r\n"
