import Foundation
import XCTest
@testable import AstrolabeData

/// Mutated FITS files must be read or refused with an error naming the file, never trap. Most
/// inputs change one header card (a row count, a column format, a scaling) since that is where a
/// damaged or hand-edited FITS file misleads a reader; the rest are byte mutations anywhere.
final class FITSFuzzTests: XCTestCase {
    func testMutatedFITSIsReadOrRefusedNamingTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fuzz-fits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let corpus = try Self.corpus(in: directory)
        let path = directory.appendingPathComponent("fuzz.fits").path

        let fuzzer = Fuzzer(name: "fits", iterations: 1000, maxLength: 40_000)
        let report = fuzzer.run(corpus: corpus, mutate: Self.mutate) { input in
            _ = FileManager.default.createFile(atPath: path, contents: Data(input.bytes))
            var random = input.random
            let hdu: FITSReader.HDU? = random.chance(80) ? nil
                : random.chance(50) ? .number(random.below(4) - 1) : .name(random.pick(["SOURCES", "T", "", "sources"]))
            let reader = FITSReader(hdu: hdu, precision: random.chance(20) ? .float32 : .float64)
            return tableReadOutcome(input, file: path) { try reader.read(path: path, tableName: "t") }
        }
        XCTAssertGreaterThan(report.accepted, report.tried / 20)
        XCTAssertGreaterThan(report.refused, report.tried / 10)
    }

    /// The astropy-written fixtures (binary with every column type, ASCII, variable-length
    /// arrays) and a table written by Astrolabe's own writer.
    static func corpus(in directory: URL) throws -> [[UInt8]] {
        let fixtures = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        var files = try ["types.fits", "ascii.fits", "vla.fits"].map {
            Array(try Data(contentsOf: fixtures.appendingPathComponent($0)))
        }
        let table = try Table(name: "written", columns: [
            Column(name: "id", values: .numeric([1, 2, 3]), kind: .integer),
            Column(name: "x", numbers: [0.5, .nan, -.infinity]),
            Column(name: "ok", values: .numeric([1, 0, .nan]), kind: .boolean),
            Column(name: "name", strings: ["a", nil, "ccc"]),
        ])
        let written = directory.appendingPathComponent("written.fits").path
        try TableWriter.writeFITS(table, to: written)
        files.append(Array(try Data(contentsOf: URL(fileURLWithPath: written))))
        return files
    }

    /// Values that a header card may plausibly be damaged into.
    static let cardValues = [
        "0", "-1", "1", "2", "7", "1000000", "2147483647", "-2147483648", "9223372036854775807", "99999999999999999999",
        "1E400", "9e307", "1e-310", "0.01", "NaN", "T", "F", "''", "'BINTABLE'", "'TABLE   '", "'IMAGE   '",
        "'1000000E'", "'0A'", "'PE(0)'", "'PJ(99999999)'", "'QD(5)'", "'3C'", "'2M'", "'-5J'", "'X'", "'17X'",
        "'10A'", "'E'", "'K'", "'L'", "'B'", "'I'", "'D'", "'3D'", "'2A4'", "'A'", "'F8.3'", "'I5'", "'E20.10'",
        "'(2,2)'", "'(1000000,1000000)'", "'é'", "'x'",
    ]
    static let cardKeywords = ["NAXIS1", "NAXIS2", "PCOUNT", "GCOUNT", "TFIELDS", "THEAP", "BITPIX", "NAXIS",
                               "TFORM", "TTYPE", "TSCAL", "TZERO", "TNULL", "TDIM", "TBCOL", "XTENSION"]

    /// Three inputs in five change header cards; the others get byte mutations.
    static func mutate(_ random: inout FuzzRandom, _ base: [UInt8], _ corpus: [[UInt8]]) -> [UInt8] {
        guard random.chance(60) else { return FuzzMutator.mutate(base, others: [], random: &random, maxLength: 40_000) }
        var bytes = base
        for _ in 0 ..< 1 + random.below(3) { mutateCard(&bytes, random: &random) }
        if random.chance(15) { bytes.removeSubrange(random.below(bytes.count)...) }
        return bytes
    }

    /// Rewrites one header card as `KEYWORD = VALUE`, the keyword numbered for a column when it
    /// is a per-column one.
    static func mutateCard(_ bytes: inout [UInt8], random: inout FuzzRandom) {
        let cards = stride(from: 0, to: bytes.count - 80, by: 80).filter { start in
            bytes[start + 8] == 0x3D && (0x41 ... 0x5A).contains(bytes[start])
        }
        guard !cards.isEmpty else { return }
        let start = random.pick(cards)
        var keyword = random.pick(cardKeywords)
        if keyword.hasPrefix("T"), !["TFIELDS", "THEAP"].contains(keyword) { keyword += String(1 + random.below(14)) }
        if random.chance(50) {  // keep the card's own keyword, change only the value
            keyword = String(decoding: bytes[start ..< start + 8], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        let value = random.pick(cardValues)
        let field = value.hasPrefix("'") ? value.padding(toLength: 20, withPad: " ", startingAt: 0)
            : String(repeating: " ", count: max(0, 20 - value.count)) + value
        let card = (keyword.padding(toLength: 8, withPad: " ", startingAt: 0) + "= " + field)
            .padding(toLength: 80, withPad: " ", startingAt: 0)
        bytes.replaceSubrange(start ..< start + 80, with: Array(card.utf8).prefix(80))
    }
}
