import Foundation
import AstrolabeData
import XCTest
@testable import AstrolabeKernel

/// `predict MODEL to=PATH`: every pool row once, with the predicted class, the probabilities, the
/// model's uncertainty measure and the model version — each checked from the file's own numbers.
final class PredictFileTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`sepal width (cm)`"

    func table(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testEveryPoolRowWithClassProbabilitiesUncertaintyAndVersion() throws {
        let s = try session()
        ok(s, "model m classifier=logistic strategy=entropy \(features)")
        let first = s.poolRows(try XCTUnwrap(s.models["m"])).filter { (50..<100).contains($0) }
        ok(s, "teach \(first[0]) versicolor")
        ok(s, "unsure \(first[1])")
        let message = ok(s, "predict m to=p.csv")
        XCTAssertTrue(message.contains("version m@3:7; uncertainty: entropy"), message)
        let rows = try table("p.csv")
        XCTAssertEqual(rows.first, ["id", "predicted", "p_setosa", "p_versicolor", "p_virginica", "uncertainty", "model"])
        let model = try XCTUnwrap(s.models["m"])
        // Iris ids are row numbers: the file lists exactly the pool (the unsure row included), in order.
        let pool = s.poolRows(model)
        XCTAssertTrue(pool.contains(first[1]))
        XCTAssertFalse(pool.contains(first[0]))
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, pool.map(String.init))
        let names = ["setosa", "versicolor", "virginica"]
        for row in rows.dropFirst() {
            let p = row[2...4].compactMap(Double.init)
            XCTAssertEqual(p.count, 3)
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-12)
            // Predicted: the most probable class, ties to the first.
            let best = p.indices.reduce(0) { p[$1] > p[$0] ? $1 : $0 }
            XCTAssertEqual(row[1], names[best])
            // Uncertainty: entropy in nats, −Σ p ln p.
            let entropy = -p.filter { $0 > 0 }.reduce(0) { $0 + $1 * log($1) }
            XCTAssertEqual(try XCTUnwrap(Double(row[5])), entropy, accuracy: 1e-12)
            XCTAssertEqual(row[6], "m@3:7")
        }
        // The default strategy's measure is the margin, 1 − (p₁ − p₂).
        ok(s, "model n classifier=logistic \(features)")
        ok(s, "predict n to=n.csv")
        for row in try table("n.csv").dropFirst() {
            let p = row[2...4].compactMap(Double.init).sorted(by: >)
            XCTAssertEqual(try XCTUnwrap(Double(row[5])), 1 - (p[0] - p[1]), accuracy: 1e-12)
        }
        XCTAssertNotNil(s.execute("predict m").error)
    }
}

extension PredictFileTests {
    /// `to=….fits` writes a FITS binary table with the CSV's columns and numbers, read back here
    /// with the project's FITS reader; any other extension is refused rather than given CSV text.
    func testPredictWritesARealFITSTable() throws {
        let s = try session()
        ok(s, "model m classifier=logistic strategy=entropy \(features)")
        ok(s, "predict m to=p.csv")
        ok(s, "predict m to=out/p.fits")
        let fits = try FITSReader().read(path: directory.appendingPathComponent("out/p.fits").path, tableName: "p")
        let rows = try table("p.csv")
        XCTAssertEqual(fits.columns.map(\.name), rows[0])
        XCTAssertEqual(fits.rowCount, rows.count - 1)
        XCTAssertEqual(fits.column(named: "id")?.strings?.map { $0 ?? "" }, rows.dropFirst().map { $0[0] })
        XCTAssertEqual(fits.column(named: "predicted")?.strings?.map { $0 ?? "" }, rows.dropFirst().map { $0[1] })
        XCTAssertEqual(fits.column(named: "p_versicolor")?.numbers, rows.dropFirst().map { Double($0[3]) ?? .nan })
        XCTAssertEqual(fits.column(named: "uncertainty")?.numbers, rows.dropFirst().map { Double($0[5]) ?? .nan })
        XCTAssertEqual(Set(fits.column(named: "model")?.strings?.map { $0 ?? "" } ?? []), [rows[1][6]])

        for bad in ["p.txt", "p"] {
            let error = try XCTUnwrap(s.execute("predict m to=\(bad)").error)
            XCTAssertTrue(error.message.contains("predict writes .csv, .fits or .parquet files"), error.message)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent(bad).path))
        }
    }
}
