import Foundation
import XCTest
@testable import AstrolabeData

/// Mutated CSV files must be read or refused with an error naming the file and line, never trap,
/// and never depend on how the reader splits the file: the same bytes parsed in one piece, in
/// several pieces and from a file on disk give the same table or the same error.
final class CSVFuzzTests: XCTestCase {
    /// Small files covering what the reader distinguishes: quoting, embedded separators and line
    /// breaks, CRLF, a byte-order mark, missing values, booleans, categories, other separators.
    static let corpus: [String] = [
        "id,x,y,label\n1,0.5,-1e3,a\n2,NA,2.25,b\n3,1.5e-7,,a\n4,7,8,\"b\"\n",
        "a,b\n\"x, y\",1\n\"multi\nline\",2\n\"quote \"\"inside\"\"\",3\n",
        "\u{FEFF}name,flag,n\r\nvega,true,1\r\ndeneb,false,2\r\naltair,TRUE,3\r\n",
        "ra\tdec\tmag\n10.684\t41.269\t3.44\n83.822\t-5.391\tnan\n",
        "x;y;z\n1;2;3\n4;5;6\n\n7;8;9",
        "# comment line\nk,v\n1,-99.99\n2,1.7976931348623157e308\n3,4.9e-324\n",
        "c\nred\nred\nblue\nred\ngreen\nblue\nred\nred\nblue\nred\n",
        "x y  z\n 1 2 3\n4   5 6 \n",
        "id,text\n1,é ü\n2,\"\"\n3,null\n4,-0\n5,+.5\n6,1e+\n",
        "a,a2,b\n18446744073709551616,-9223372036854775808,0x10\n1,2,3\n",
    ]

    func testMutatedCSVReadsAlikeInAnyPiecesOrFailsNamingTheLine() {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fuzz-csv-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("fuzz.csv").path

        let fuzzer = Fuzzer(name: "csv", iterations: 3000, maxLength: 4096)
        let report = fuzzer.run(corpus: Self.corpus.map { Array($0.utf8) }) { input in
            var random = input.random
            var options = Self.options(&random)
            options.chunkCount = 1
            let whole = Self.read(input.bytes, options: options, source: "fuzz.csv", input: input)
            // The same bytes in 2 to 6 pieces: a different split must not change the answer.
            options.chunkCount = 2 + random.below(5)
            let pieces = Self.read(input.bytes, options: options, source: "fuzz.csv", input: input)
            XCTAssertEqual(whole, pieces, "\(options.chunkCount!) pieces differ from one on \(input.context)")
            // Memory-mapped from disk, one input in eight (it costs a file write).
            if input.iteration % 8 == 0 {
                _ = FileManager.default.createFile(atPath: file, contents: Data(input.bytes))
                let mapped = Self.read(path: file, options: options, input: input)
                XCTAssertEqual(whole, mapped, "reading from the file differs on \(input.context)")
            }
            if case .refused = whole { return .refused }
            return .accepted
        }
        // Both outcomes must be common, or the mutations are too weak (or too strong) to mean much.
        XCTAssertGreaterThan(report.accepted, report.tried / 10)
        XCTAssertGreaterThan(report.refused, report.tried / 10)
    }

    /// What a read gave, comparable across ways of reading: the table's contents (NaN compared by
    /// bits), the warnings, or the error's text.
    enum Result: Equatable {
        case table(String)
        case refused(String)
    }

    /// Mostly the default options; sometimes each of the `load` options with an odd value.
    static func options(_ random: inout FuzzRandom) -> CSVOptions {
        var options = CSVOptions()
        guard random.chance(40) else { return options }
        options.separator = random.pick([.byte(0x2C), .byte(0x3B), .byte(0x09), .byte(0x7C), .byte(0x20), .whitespace])
        if random.chance(30) { options.comment = random.pick([UInt8(0x23), 0x25, 0x2C]) }
        if random.chance(30) { options.missing = random.pick([["-99.99"], ["NA", ""], ["red"], ["1e400"]]) }
        if random.chance(30) { options.onError = .skip }
        if random.chance(30) { options.precision = .float32 }
        if random.chance(30) {
            options.types = [random.pick(["id", "x", "a", "c", "k", "text"]): random.pick(ColumnKind.allCases)]
        }
        if random.chance(20) { options.categoryLimit = random.below(4); options.categoryMinimumRepeat = random.below(3) }
        return options
    }

    static func read(_ bytes: [UInt8], options: CSVOptions, source: String, input: FuzzInput) -> Result {
        outcome(input: input, source: source) {
            try CSVReader(options: options).readWithReport(bytes: bytes, source: source, tableName: "t")
        }
    }

    static func read(path: String, options: CSVOptions, input: FuzzInput) -> Result {
        // Errors name the file as given; compare under the name the in-memory reads use.
        switch outcome(input: input, source: path, { try CSVReader(options: options).readWithReport(path: path, tableName: "t") }) {
        case .table(let t): return .table(t)
        case .refused(let message): return .refused(message.replacingOccurrences(of: path, with: "fuzz.csv"))
        }
    }

    private static func outcome(input: FuzzInput, source: String,
                                _ read: () throws -> (table: Table, report: ReadReport)) -> Result {
        do {
            let (table, report) = try read()
            for column in table.columns where column.count != table.rowCount {
                XCTFail("column `\(column.name)` has \(column.count) rows of \(table.rowCount) on \(input.context)")
            }
            return .table(fingerprint(table) + "\n" + report.warnings.joined(separator: "\n"))
        } catch let error as DataError {
            XCTAssertEqual(error.file, source, "the error does not name the file: \(error) on \(input.context)")
            XCTAssertFalse(error.message.isEmpty, input.context)
            return .refused(error.description)
        } catch {
            XCTFail("not a DataError: \(error) on \(input.context)")
            return .refused("\(error)")
        }
    }

    /// Every column's name, kind and values, numbers by their bit patterns (so NaN equals NaN).
    static func fingerprint(_ table: Table) -> String {
        table.columns.map { column in
            let values: String
            switch column.values {
            case .numeric(let v): values = v.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
            case .float32(let v): values = v.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
            case .text(let v): values = v.map { $0.map { "\"\($0)\"" } ?? "nil" }.joined(separator: " ")
            }
            return "\(column.name):\(column.kind):\(values)"
        }.joined(separator: "\n")
    }
}
