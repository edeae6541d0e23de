import XCTest
@testable import AstrolabeLearn

final class FeatureImportanceTests: XCTestCase {
    /// Worked by hand (and equal to scikit-learn's `DecisionTreeClassifier().feature_importances_`
    /// on the same rows, for random_state 0..4): the root splits on feature 0 (Σcount²/w proxy 4
    /// against 3.67 for feature 1), a decrease of 4 − 17/5 = 0.6; its impure left child splits on
    /// feature 1, a decrease of 2 − 2/2 = 1. Normalised: (0.375, 0.625).
    func testSingleTreeImportancesByHand() throws {
        let x = try FeatureMatrix(rows: [[0, 0], [0, 1], [1, 0], [1, 1], [1, 0]])
        var tree = RandomForest(trees: 1, maxFeatures: .all, bootstrap: false)
        try tree.fit(x, labels: [0, 1, 1, 1, 1], classCount: 2, seed: 0)
        let importances = tree.featureImportances
        XCTAssertEqual(importances[0], 0.375, accuracy: 1e-12)
        XCTAssertEqual(importances[1], 0.625, accuracy: 1e-12)
    }

    /// Iris, 100 trees on all rows. scikit-learn `RandomForestClassifier(random_state=s)` for
    /// s = 0..19: mean importances (0.0998, 0.0229, 0.4276, 0.4497), standard deviations
    /// (0.013, 0.004, 0.031, 0.028). Allow about three standard deviations.
    func testForestImportancesMatchScikitLearnOnIris() throws {
        let data = try LabelledDataset.load("iris")
        var forest = RandomForest()
        try forest.fit(data.features, labels: data.labels, classCount: 3, seed: 2)
        let importances = forest.featureImportances
        XCTAssertEqual(importances.reduce(0, +), 1, accuracy: 1e-12)
        let reference = [0.0998, 0.0229, 0.4276, 0.4497]
        let tolerance = [0.04, 0.012, 0.09, 0.085]
        for f in 0..<4 {
            XCTAssertEqual(importances[f], reference[f], accuracy: tolerance[f], "feature \(f)")
        }
    }

    func testNoSplitsMeansNoImportance() throws {
        let x = try FeatureMatrix(rows: [[1, 2], [3, 4]])
        var forest = RandomForest(trees: 3)
        XCTAssertEqual(forest.featureImportances, [])
        try forest.fit(x, labels: [1, 1], classCount: 2, seed: 0)
        XCTAssertEqual(forest.featureImportances, [0, 0])
    }
}
