import Foundation
import XCTest
@testable import AstrolabeLearn

/// The rules' analysis and label models against the reference libraries (Fixtures/make_rules.py):
/// snorkel 0.10's LFAnalysis.lf_summary and MajorityLabelVoter, and Dawid–Skene driven by crowd-kit
/// 1.4.2's own M and E steps, on 30,000 seeded rows, 3 classes and 9 one-class rules of known accuracy.
final class WeakLabelModelTests: XCTestCase {
    struct Fixture: Decodable {
        struct Rule: Decodable {
            var polarity: [Int]
            var coverage: Double, overlaps: Double, conflicts: Double
            var correct: Int, incorrect: Int, empirical_accuracy: Double
        }
        var rows: Int, classes: Int, rules: Int
        var votes: String, gold: String
        var true_accuracies: [Double], realised_accuracies: [Double]
        var summary: [Rule]
        var totals: [String: Double]
        var majority_probabilities: [Double]
        var majority_labels: String
        var generative_labels: String
        var generative_accuracies: [Double]
        var generative_priors: [Double]
    }

    /// base64 bytes of value + 1 → values.
    static func unpack(_ text: String) -> [Int32] {
        [UInt8](Data(base64Encoded: text) ?? Data()).map { Int32($0) - 1 }
    }

    static let fixture = Result { try AgreementTests.fixture("rules.json", as: Fixture.self) }

    func matrix() throws -> (LabelMatrix, Fixture) {
        let f = try Self.fixture.get()
        return (try LabelMatrix(rows: f.rows, rules: f.rules, classes: f.classes, votes: Self.unpack(f.votes)), f)
    }

    func testSummaryEqualsSnorkelLFSummary() throws {
        let (L, f) = try matrix()
        let summary = LabelMatrixSummary(L, gold: Self.unpack(f.gold).map(Int.init))
        XCTAssertEqual(summary.rules.count, f.rules)
        for (j, (mine, theirs)) in zip(summary.rules, f.summary).enumerated() {
            XCTAssertEqual(mine.polarity, theirs.polarity, "rule \(j)")
            XCTAssertEqual(mine.coverage, theirs.coverage, accuracy: 1e-12, "rule \(j)")
            XCTAssertEqual(mine.overlaps, theirs.overlaps, accuracy: 1e-12, "rule \(j)")
            XCTAssertEqual(mine.conflicts, theirs.conflicts, accuracy: 1e-12, "rule \(j)")
            XCTAssertEqual(mine.correct, theirs.correct, "rule \(j)")
            XCTAssertEqual(mine.incorrect, theirs.incorrect, "rule \(j)")
            XCTAssertEqual(mine.empiricalAccuracy, theirs.empirical_accuracy, accuracy: 1e-12, "rule \(j)")
        }
        XCTAssertEqual(summary.coverage, f.totals["coverage"] ?? .nan, accuracy: 1e-12)
        XCTAssertEqual(summary.overlap, f.totals["overlap"] ?? .nan, accuracy: 1e-12)
        XCTAssertEqual(summary.conflict, f.totals["conflict"] ?? .nan, accuracy: 1e-12)
    }

    func testMajorityEqualsSnorkelMajorityLabelVoter() throws {
        let (L, f) = try matrix()
        let model = try WeakLabelModel(L, method: .majority)
        XCTAssertEqual(model.labels, Self.unpack(f.majority_labels), "ties and rows without a vote abstain")
        for (i, p) in f.majority_probabilities.enumerated() { XCTAssertEqual(model.probabilities[i], p, accuracy: 1e-12, "entry \(i)") }
    }

    func testGenerativeAgreesWithCrowdKitStepsAndRecoversAccuracies() throws {
        let (L, f) = try matrix()
        let model = try WeakLabelModel(L, method: .generative)
        let reference = Self.unpack(f.generative_labels)
        // Rows some rule votes on: the label model abstains on the others (the reference's argmax is its prior's).
        let voted = (0..<L.rows).filter { row in (0..<L.rules).contains { L.votes[row * L.rules + $0] >= 0 } }
        let same = voted.filter { model.labels[$0] == reference[$0] }.count
        print("label model: same labels as crowd-kit's Dawid–Skene steps on \(same) of \(voted.count) voted rows")
        XCTAssertGreaterThanOrEqual(Double(same) / Double(voted.count), 0.99)
        let accuracies = try XCTUnwrap(model.accuracies)
        for j in 0..<f.rules {
            XCTAssertEqual(accuracies[j], f.generative_accuracies[j], accuracy: 0.005, "rule \(j): as crowd-kit's steps estimate")
            XCTAssertEqual(accuracies[j], f.realised_accuracies[j], accuracy: 0.03, "rule \(j): the accuracy it has on this sample")
        }
        for (mine, theirs) in zip(try XCTUnwrap(model.priors), f.generative_priors) { XCTAssertEqual(mine, theirs, accuracy: 0.005) }
        print("label model: estimated accuracies \(accuracies.map { (($0 * 1000).rounded() / 1000) }), realised \(f.realised_accuracies.map { (($0 * 1000).rounded() / 1000) })")
    }

    func testGivenBalanceAndDeterminism() throws {
        let (L, _) = try matrix()
        let a = try WeakLabelModel(L, method: .generative, balance: [0.5, 0.3, 0.2])
        XCTAssertEqual(a.priors, [0.5, 0.3, 0.2])
        let b = try WeakLabelModel(L, method: .generative, balance: [5, 3, 2])
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertThrowsError(try WeakLabelModel(L, method: .generative, balance: [1, 1]))
        XCTAssertThrowsError(try LabelMatrix(rows: 2, rules: 1, classes: 2, votes: [0, 2]))
    }
}
