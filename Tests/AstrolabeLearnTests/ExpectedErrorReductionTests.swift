import XCTest
@testable import AstrolabeLearn

final class ExpectedErrorReductionTests: XCTestCase {
    let training = [[0.0, 0.1], [0.3, -0.2], [2.0, 2.1], [2.4, 1.8], [4.1, 0.2], [3.7, -0.3]]
    let labels = [0, 0, 1, 1, 2, 2]
    let pool = [[1.0, 1.0], [0.5, 0.4], [2.2, 1.0], [3.0, 1.2], [3.9, 0.0], [1.5, 1.6], [0.2, 2.0], [2.9, -0.1]]

    /// modAL 0.4.2.1 `expected_error_reduction` with scikit-learn's GaussianNB on the same rows
    /// (the expected errors before its argmin).
    let modAL: [ExpectedErrorReduction.Loss: [Double]] = [
        .binary: [0.3952034552947793, 0.06686799265069587, 0.025442357824074453, 0.39158961796224245,
                  0.09865396326239051, 8.937924091956262e-07, 0.10990087792189285, 0.6106722413269358],
        .log: [0.9229663624938151, 0.24546105823187334, 0.11887765097690454, 0.6363114028957428,
               0.3221610996153427, 1.334243359712525e-05, 0.3472098654244515, 1.0573830645624176],
    ]

    func testMatchesModAL() throws {
        let x = try FeatureMatrix(rows: training)
        let poolX = try FeatureMatrix(rows: pool)
        var current = GaussianNaiveBayes()
        try current.fit(x, labels: labels, classCount: 3, seed: 0)
        let p = try current.predictProbabilities(poolX)
        for loss in [ExpectedErrorReduction.Loss.binary, .log] {
            let scores = try ExpectedErrorReduction(loss: loss).scores(
                classifier: GaussianNaiveBayes(), training: x, labels: labels, pool: poolX, probabilities: p, classCount: 3, seed: 0)
            let expected = try XCTUnwrap(modAL[loss])
            for (score, reference) in zip(scores, expected) {
                XCTAssertEqual(-score, reference, accuracy: 1e-9 * max(1, reference), "\(loss)")
            }
            // modAL's pick: the lowest expected error (row 5).
            XCTAssertEqual(rankQueries(scores: scores, count: 1), [5])
        }
    }

    func testRefusesLargePools() throws {
        let x = try FeatureMatrix(rows: training)
        let big = try FeatureMatrix(rows: ExpectedErrorReduction.maxPool + 1, columns: 2,
                                    values: [Double](repeating: 0.5, count: 2 * (ExpectedErrorReduction.maxPool + 1)))
        XCTAssertThrowsError(try ExpectedErrorReduction().scores(
            classifier: GaussianNaiveBayes(), training: x, labels: labels, pool: big,
            probabilities: [Double](repeating: 1.0 / 3, count: 3 * big.rows), classCount: 3, seed: 0)) { error in
            XCTAssertTrue("\(error)".contains("limit is 1000"), "\(error)")
        }
    }
}
