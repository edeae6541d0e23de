import Foundation
import XCTest
@testable import AstrolabeData

/// Mutated Parquet files must be read or refused with a `DataError` naming the file, never trap.
/// Most inputs keep the file's frame (magic, footer length) and damage the footer's Thrift or the
/// pages, since that is what gets past the first checks; the rest are byte mutations anywhere.
final class ParquetFuzzTests: XCTestCase {
    func testMutatedParquetIsReadOrRefusedNamingTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fuzz-parquet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpus = try ["t_none_v1_dict", "t_snappy_v2_plain", "t_zstd_v2_dict", "t_gzip_v1_plain", "nested"].map {
            Array(try Data(contentsOf: URL(fileURLWithPath: try ParquetReaderTests.fixture($0 + ".parquet"))))
        }
        let path = directory.appendingPathComponent("fuzz.parquet").path

        let fuzzer = Fuzzer(name: "parquet", iterations: 1000, maxLength: 40_000)
        let report = fuzzer.run(corpus: corpus, mutate: Self.mutate) { input in
            _ = FileManager.default.createFile(atPath: path, contents: Data(input.bytes))
            var random = input.random
            let columns: [String]? = random.chance(70) ? nil : random.chance(50) ? ["x"] : ["name", "f64", "flag"]
            return tableReadOutcome(input, file: path) {
                let table = try ParquetReader(columns: columns).read(path: path, tableName: "t")
                _ = try? ParquetFile(path: path).statistics
                return table
            }
        }
        XCTAssertGreaterThan(report.accepted, report.tried / 20)
        XCTAssertGreaterThan(report.refused, report.tried / 10)
    }

    /// Two inputs in five damage the footer, two the pages (both keeping the frame), one anything.
    static func mutate(_ random: inout FuzzRandom, _ base: [UInt8], _ corpus: [[UInt8]]) -> [UInt8] {
        let n = base.count
        let footerLength = Int(base[n - 8]) | Int(base[n - 7]) << 8 | Int(base[n - 6]) << 16 | Int(base[n - 5]) << 24
        let footer = (n - 8 - footerLength) ..< (n - 8)
        switch random.below(5) {
        case 0, 1: return damage(base, in: footer, random: &random)
        case 2, 3: return damage(base, in: 4 ..< footer.lowerBound, random: &random)
        default: return FuzzMutator.mutate(base, others: corpus, random: &random, maxLength: 40_000)
        }
    }

    /// One to four bytes in `range` flipped, set to a boundary value, or a varint's worth overwritten.
    static func damage(_ base: [UInt8], in range: Range<Int>, random: inout FuzzRandom) -> [UInt8] {
        var bytes = base
        for _ in 0 ..< 1 + random.below(4) {
            let i = range.lowerBound + random.below(range.count)
            switch random.below(4) {
            case 0: bytes[i] ^= 1 << UInt8(random.below(8))
            case 1: bytes[i] = random.pick([0x00, 0x01, 0x7F, 0x80, 0xFF, 0x15, 0x19, 0x1C, 0x0C])
            case 2: for k in i ..< min(range.upperBound, i + 5) { bytes[k] = 0xFF }
            default: bytes[i] = bytes[i] &+ UInt8(random.below(3)) &- 1
            }
        }
        return bytes
    }
}
