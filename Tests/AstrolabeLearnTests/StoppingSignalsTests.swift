import XCTest
@testable import AstrolabeLearn

final class StoppingSignalsTests: XCTestCase {
    /// References from scikit-learn 1.7.2 `cohen_kappa_score`.
    func testKappaMatchesScikitLearn() throws {
        XCTAssertEqual(try XCTUnwrap(StoppingSignals.kappa([0, 0, 1, 1, 2, 2, 0, 1], [0, 1, 1, 1, 2, 0, 0, 1], classCount: 3)),
                       0.6097560975609756, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(StoppingSignals.kappa([0, 1, 0, 1, 1, 1], [0, 1, 1, 1, 1, 0], classCount: 2)), 0.25, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(StoppingSignals.kappa([0, 0, 1, 1], [1, 1, 0, 0], classCount: 2)), -1, accuracy: 1e-15)
        // Hand-computed: p_o = 3/4, p_e = (2·3 + 2·1)/16 = 1/2, kappa = (3/4 - 1/2)/(1/2) = 1/2.
        XCTAssertEqual(try XCTUnwrap(StoppingSignals.kappa([0, 0, 1, 1], [0, 0, 0, 1], classCount: 2)), 0.5, accuracy: 1e-15)
    }

    func testDegenerateKappa() {
        // One class everywhere on both sides: perfectly stable predictions (scikit-learn says NaN).
        XCTAssertEqual(StoppingSignals.kappa([2, 2, 2], [2, 2, 2], classCount: 3), 1)
        XCTAssertNil(StoppingSignals.kappa([], [], classCount: 2))
        XCTAssertNil(StoppingSignals.kappa([0, 1], [0], classCount: 2))
    }

    func testKappaOverShrinkingPools() throws {
        // Row 3 was labelled between the fits and left the pool; row 9 only in the new pool.
        let value = StoppingSignals.kappa(rows: [1, 2, 3, 5, 7], previous: [0, 0, 1, 1, 1],
                                          rows: [1, 2, 5, 7, 9], current: [0, 1, 1, 1, 0], classCount: 2)
        // Shared rows 1, 2, 5, 7: [0, 0, 1, 1] against [0, 1, 1, 1] → p_o = 3/4, p_e = (2·1 + 2·3)/16 = 1/2.
        XCTAssertEqual(try XCTUnwrap(value), 0.5, accuracy: 1e-15)
        XCTAssertNil(StoppingSignals.kappa(rows: [1], previous: [0], rows: [2], current: [0], classCount: 2))
    }
}
