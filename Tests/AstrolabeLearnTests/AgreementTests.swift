import Foundation
import XCTest
@testable import AstrolabeLearn

/// Agreement statistics against the reference libraries: Fixtures/agreement.json is written by
/// Fixtures/make_agreement.py (krippendorff 0.9.0, scikit-learn 1.9.1, statsmodels 0.15.0).
final class AgreementTests: XCTestCase {
    struct Fixture: Decodable {
        struct Alpha: Decodable { var name: String; var coders: [[Int]]; var classes: Int; var alpha: Double }
        struct Cohen: Decodable { var a: [Int]; var b: [Int]; var classes: Int; var kappa: Double }
        struct Fleiss: Decodable { var answers: [[Int]]; var classes: Int; var kappa: Double }
        var krippendorff: [Alpha]
        var cohen: [Cohen]
        var fleiss: [Fleiss]
    }

    static func fixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    /// Coders × units with -1 for missing, as the fixture has them, to units × coders.
    func units(_ coders: [[Int]]) -> [[Int?]] {
        (0..<(coders.first?.count ?? 0)).map { u in coders.map { $0[u] < 0 ? nil : $0[u] } }
    }

    func testKrippendorffDocumentedExample() throws {
        let fixture = try Self.fixture("agreement.json", as: Fixture.self)
        let documented = try XCTUnwrap(fixture.krippendorff.first { $0.name == "documented" })
        let result = try Agreement.krippendorffAlpha(units(documented.coders), classCount: documented.classes)
        XCTAssertEqual(result.alpha, 0.691358, accuracy: 5e-7)
        XCTAssertEqual(result.alpha, documented.alpha, accuracy: 1e-12)
        // Units 1, 2 and 14 hold fewer than two answers; the other 12 are pairable.
        XCTAssertEqual(result.pairableRows, 12)
    }

    func testKrippendorffSeededMatricesWithMissingAnswers() throws {
        let fixture = try Self.fixture("agreement.json", as: Fixture.self)
        XCTAssertGreaterThan(fixture.krippendorff.count, 20)
        for case_ in fixture.krippendorff {
            let alpha = try Agreement.krippendorffAlpha(units(case_.coders), classCount: case_.classes).alpha
            XCTAssertEqual(alpha, case_.alpha, accuracy: 1e-9, case_.name)
        }
    }

    func testCohenKappaMatchesScikitLearn() throws {
        for case_ in try Self.fixture("agreement.json", as: Fixture.self).cohen {
            XCTAssertEqual(try Agreement.cohenKappa(case_.a, case_.b, classCount: case_.classes), case_.kappa, accuracy: 1e-12)
        }
    }

    func testFleissKappaMatchesStatsmodels() throws {
        for case_ in try Self.fixture("agreement.json", as: Fixture.self).fleiss {
            let (kappa, rows) = try Agreement.fleissKappa(case_.answers.map { $0.map { Optional($0) } }, classCount: case_.classes)
            XCTAssertEqual(rows, case_.answers.count)
            XCTAssertEqual(kappa, case_.kappa, accuracy: 1e-12)
        }
    }

    func testUndefinedAndBadInput() throws {
        // One class only: no disagreement is expected, so alpha and kappa are undefined (NaN), not a trap.
        XCTAssertTrue(try Agreement.krippendorffAlpha([[0, 0], [0, 0]], classCount: 2).alpha.isNaN)
        XCTAssertTrue(try Agreement.cohenKappa([1, 1], [1, 1], classCount: 2).isNaN)
        XCTAssertTrue(try Agreement.cohenKappa([], [], classCount: 2).isNaN)
        XCTAssertEqual(try Agreement.krippendorffAlpha([[0, nil], [nil, 1]], classCount: 2).pairableRows, 0)
        XCTAssertThrowsError(try Agreement.krippendorffAlpha([[0, 3]], classCount: 2))
        XCTAssertThrowsError(try Agreement.cohenKappa([0], [0, 1], classCount: 2))
        XCTAssertThrowsError(try Agreement.fleissKappa(counts: [[2, 0], [1, 2]]))
    }
}
