import Foundation
import XCTest
@testable import AstrolabeData

/// Mutated VOTables (each serialisation), ECSV files and bzip2/xz streams must be read or refused
/// with a DataError naming the source, never trap.
final class FormatsFuzzTests: XCTestCase {
    private func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: try FormatFixtures.path(name))))
    }

    private func check(_ name: String, _ input: FuzzInput, read: ([UInt8]) throws -> Table) -> FuzzOutcome {
        tableReadOutcome(input, file: "fuzz", reader: name) { try read(input.bytes) }
    }

    func testMutatedVOTablesAreReadOrRefused() throws {
        let corpus = try ["types_tabledata.vot", "types_binary.vot", "types_binary2.vot"].map(fixture)
        let report = Fuzzer(name: "votable", iterations: 1500, maxLength: 20_000).run(corpus: corpus) { input in
            check("votable", input) { try VOTableReader().read(bytes: $0, source: "fuzz", tableName: "t") }
        }
        XCTAssertGreaterThan(report.accepted, report.tried / 20)
        XCTAssertGreaterThan(report.refused, report.tried / 20)
    }

    func testMutatedECSVIsReadOrRefused() throws {
        let corpus = [try fixture("types.ecsv")]
        let report = Fuzzer(name: "ecsv", iterations: 1500, maxLength: 20_000).run(corpus: corpus) { input in
            check("ecsv", input) { try ECSVReader().read(bytes: $0, source: "fuzz", tableName: "t") }
        }
        XCTAssertGreaterThan(report.accepted, report.tried / 20)
        XCTAssertGreaterThan(report.refused, report.tried / 20)
    }

    func testMutatedCompressedStreamsAreReadOrRefused() throws {
        let corpus = try ["stars.csv.bz2", "stars.csv.xz", "stars.csv.gz"].map(fixture)
        let report = Fuzzer(name: "compressed", iterations: 1500, maxLength: 4_000).run(corpus: corpus) { input in
            check("compressed", input) { try CSVReader().read(bytes: $0, source: "fuzz", tableName: "t") }
        }
        XCTAssertGreaterThan(report.refused, report.tried / 10)
    }
}
