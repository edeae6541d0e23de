import Foundation
import XCTest
@testable import AstrolabeKernel

/// Inputs the kernel fuzz targets once crashed on (Tests/Fixtures/fuzz-crashes), each now a clear error.
final class KernelFuzzRegressionTests: XCTestCase {
    static let crashes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz-crashes")

    /// A session on the fuzz table, in a fresh folder.
    private func session() throws -> Session {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fuzz-regression-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try SessionFuzzTests.writeTable(to: directory.appendingPathComponent("iris.csv"))
        let session = try Session(options: SessionOptions(workingDirectory: directory.path))
        XCTAssertNil(session.execute("load iris.csv as iris id=id label=label").error)
        return session
    }

    /// A training history whose confusion counts add up past `Int.max` trapped in `history`
    /// (checkpoint fuzzing, seed 1 iteration 111; its negative feature scale made valid again, so the
    /// counts are the file's only damage); now the file is refused as damaged.
    func testHistoryCountsThatOverflowAreADamagedFile() throws {
        let path = Self.crashes.appendingPathComponent("checkpoint-history-counts-overflow.json").path
        let result = try session().execute("load model \(path)")
        let error = try XCTUnwrap(result.error, "the damaged file loaded")
        XCTAssertTrue(error.message.contains("is damaged") && error.message.contains("add up to more than"), error.message)
    }

    /// `fits` of -2147483649 loaded, and the next `query` trapped converting it to a seed
    /// (checkpoint fuzzing, seed 2 iteration 6468). Refused by the model-file validation of the
    /// store hardening branch (h-store), which names the field.
    func testNegativeFitCountIsADamagedFile() throws {
        let path = Self.crashes.appendingPathComponent("checkpoint-negative-fits.json").path
        let s = try session()
        let result = s.execute("load model \(path)")
        let error = try XCTUnwrap(result.error, "the damaged file loaded")
        XCTAssertTrue(error.message.contains("is damaged") && error.message.contains("`fits`"), error.message)
        XCTAssertNil(s.execute("tables").error)
    }

    /// A model file with no features was refused with "row index 12 is outside a matrix of 0
    /// rows", which names neither the file nor the problem (checkpoint fuzzing, seed 2 iterations
    /// 839 and 4486; this fixture is that file reduced to the one change).
    func testModelFileWithoutFeaturesIsRefusedNamingTheFile() throws {
        let path = Self.crashes.appendingPathComponent("checkpoint-no-features.json").path
        let result = try session().execute("load model \(path)")
        let error = try XCTUnwrap(result.error, "a model without features loaded")
        XCTAssertTrue(error.message.contains(path) && error.message.contains("features"), error.rendered)
    }

    /// A format-1 file listing `versicolor` twice among its classes loaded, and the next command
    /// that listed the model's classes trapped on the duplicate key (checkpoint fuzzing, seed 3
    /// iteration 5394); now refused when loading, naming the class.
    func testRepeatedClassNamesAreADamagedFile() throws {
        let path = Self.crashes.appendingPathComponent("checkpoint-duplicate-class.json").path
        let result = try session().execute("load model \(path)")
        let error = try XCTUnwrap(result.error, "a model with a repeated class loaded")
        XCTAssertTrue(error.message.contains(path) && error.message.contains("versicolor"), error.rendered)
    }
}
