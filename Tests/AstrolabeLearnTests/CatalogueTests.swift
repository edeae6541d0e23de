import XCTest
@testable import AstrolabeLearn

/// The classifier and strategy catalogues, entry by entry: every entry the catalogue lists is
/// checked here, so a new entry is tested without touching this file.
final class CatalogueTests: XCTestCase {
    /// Iris rows 0, 3, 6, ... train; every row is predicted.
    func fitted(_ kind: ClassifierKind, _ settings: ClassifierSettings) throws -> (any Classifier & Sendable, FeatureMatrix) {
        let iris = try LabelledDataset.load("iris")
        let train = (0..<iris.features.rows).filter { $0 % 3 == 0 }
        var model = kind.make(settings)
        try model.fit(iris.features.selecting(rows: train), labels: train.map { iris.labels[$0] }, classCount: 3, seed: 4)
        return (model, iris.features)
    }

    func small() -> ClassifierSettings {
        var settings = ClassifierSettings()
        settings.trees = 5
        settings.estimators = 5
        return settings
    }

    /// Each kind fits, predicts, is tagged with its own name in its archive and comes back from
    /// the archive through the catalogue predicting the same numbers; fitting twice gives the same model.
    func testEveryClassifierFitsPredictsArchivesAndRestoresIdentically() throws {
        for kind in ClassifierKind.all {
            let (model, x) = try fitted(kind, small())
            let p = try model.predictProbabilities(x)
            XCTAssertEqual(p.count, x.rows * 3, kind.name)
            let archive = try ClassifierArchive(model)
            XCTAssertEqual(archive.kind, kind.name, "an archive is tagged with its catalogue name")
            let restored = try archive.restore()
            XCTAssertEqual(try restored.predictProbabilities(x).map(\.bitPattern), p.map(\.bitPattern), kind.name)
            XCTAssertEqual(try ClassifierArchive(restored), archive, kind.name)
            XCTAssertEqual(try ClassifierArchive(try fitted(kind, small()).0), archive, "\(kind.name) is deterministic")
        }
    }

    /// A kind reads exactly the settings it declares: changing one of them changes the fitted
    /// model's archive, changing any other leaves it as it was.
    func testEveryClassifierReadsExactlyItsDeclaredOptions() throws {
        func changed(_ option: ClassifierOption) -> ClassifierSettings {
            var settings = small()
            switch option {
            case .trees: settings.trees = 6
            case .depth: settings.maxDepth = 2
            case .k: settings.k = 3
            case .c: settings.c = 0.25
            case .estimators: settings.estimators = 4
            case .classWeight: settings.classWeighting = .explicit([0: 3])
            }
            return settings
        }
        for kind in ClassifierKind.all {
            let base = try ClassifierArchive(try fitted(kind, small()).0)
            for option in ClassifierOption.allCases {
                let other = try ClassifierArchive(try fitted(kind, changed(option)).0)
                XCTAssertEqual(other != base, kind.options.contains(option), "\(kind.name) and \(option.rawValue)=")
            }
        }
    }

    func testClassifierNamesResolveWithDidYouMean() throws {
        for kind in ClassifierKind.all {
            XCTAssertEqual(try ClassifierKind.resolve(kind.name).name, kind.name)
            XCTAssertThrowsError(try ClassifierKind.resolve(kind.name + "x")) { error in
                let unknown = error as? UnknownName
                XCTAssertEqual(unknown?.suggestion, kind.name)
                XCTAssertEqual(unknown?.message, "unknown classifier `\(kind.name)x` (available: \(ClassifierKind.allNames.joined(separator: ", ")))")
            }
        }
        XCTAssertFalse(ClassifierKind.memberNames.contains("committee"), "a committee is no member")
        XCTAssertThrowsError(try ClassifierKind.resolve("committee", as: "committee member", among: ClassifierKind.members)) { error in
            XCTAssertEqual((error as? UnknownName)?.what, "committee member")
        }
        XCTAssertEqual(Set(ClassifierKind.allNames).count, ClassifierKind.all.count, "names are unique")
    }

    /// A pool of iris rows, probabilities from a fitted committee of three forests.
    func pool(committee: Bool) throws -> QueryPool {
        let iris = try LabelledDataset.load("iris")
        let train = (0..<iris.features.rows).filter { $0 % 10 == 0 }
        let rest = (0..<iris.features.rows).filter { $0 % 10 != 0 && $0 % 3 == 0 }
        var model = ScaledClassifier(Committee(members: (0..<3).map { _ in RandomForest(trees: 5) }), scaling: .standard)
        try model.fit(iris.features.selecting(rows: train), labels: train.map { iris.labels[$0] }, classCount: 3, seed: 9)
        let fitted = model
        let x = try iris.features.selecting(rows: rest)
        let training = try iris.features.selecting(rows: train)
        let probabilities = try model.predictProbabilities(x)
        var pool = QueryPool(probabilities: probabilities, classCount: 3, seed: 17,
                         tieBreakKeys: tieBreakKeys(ids: rest.map(String.init), seed: 17),
                         memberProbabilities: { committee ? try fitted.memberProbabilities(x) : nil },
                         poolSpace: { try fitted.transform(x) }, labelledSpace: { try fitted.transform(training) },
                         refitting: {
                             QueryPool.Refitting(classifier: GaussianNaiveBayes(), training: training,
                                                 labels: train.map { iris.labels[$0] }, pool: x, seed: 9)
                         },
                         labelQuality: rest.indices.map { probabilities[$0 * 3 + iris.labels[rest[$0]]] })
        // A label model's view for strategy=conflict: rules on every third row, conflicting on every ninth.
        let n = rest.count
        pool.weak = {
            WeakSignal(probabilities: (0..<n).flatMap { i -> [Double] in i % 3 == 0 ? [0.6, 0.3, 0.1] : [1 / 3.0, 1 / 3.0, 1 / 3.0] },
                       covered: (0..<n).map { $0 % 3 == 0 }, conflicting: (0..<n).map { $0 % 9 == 0 })
        }
        return pool
    }

    /// `suspect` needs an audit's label-quality scores, and asks the lowest quality first.
    func testSuspectNeedsAnAuditAndAsksLowestQualityFirst() throws {
        var candidates = try pool(committee: false)
        let quality = try XCTUnwrap(candidates.labelQuality)
        let selection = try XCTUnwrap(StrategyKind.named("suspect")).select(candidates, count: 3)
        let lowest = quality.indices.sorted { (quality[$0], $0) < (quality[$1], $1) }.prefix(3).map { quality[$0] }
        XCTAssertEqual(selection.ranked.map { quality[$0] }, Array(lowest))
        candidates.labelQuality = nil
        XCTAssertThrowsError(try XCTUnwrap(StrategyKind.named("suspect")).select(candidates, count: 3))
    }

    /// Every strategy picks a batch of distinct pool rows, the same batch every time; the ones that
    /// rank by score pick the best scores; the ones that need a committee refuse a single model.
    func testEveryStrategySelectsADeterministicBatch() throws {
        let candidates = try pool(committee: true)
        let rows = candidates.probabilities.count / 3
        for strategy in StrategyKind.all {
            let selection = try strategy.select(candidates, count: 5)
            XCTAssertEqual(selection.ranked.count, 5, strategy.name)
            XCTAssertEqual(Set(selection.ranked).count, 5, strategy.name)
            XCTAssertTrue(selection.ranked.allSatisfy { (0..<rows).contains($0) }, strategy.name)
            XCTAssertEqual(selection.scores.count, rows, strategy.name)
            XCTAssertEqual(try strategy.select(candidates, count: 5).ranked, selection.ranked, strategy.name)
            if selection.byScore {
                XCTAssertEqual(selection.ranked, rankQueries(scores: selection.scores, count: 5, tieBreakKeys: candidates.tieBreakKeys),
                               strategy.name)
            }
            if strategy.needsCommittee {
                XCTAssertThrowsError(try strategy.select(try pool(committee: false), count: 5), strategy.name)
            } else {
                XCTAssertEqual(try strategy.select(try pool(committee: false), count: 5).ranked, selection.ranked, strategy.name)
            }
        }
    }

    func testStrategyNamesResolveWithDidYouMean() throws {
        for strategy in StrategyKind.all {
            XCTAssertEqual(StrategyKind.named(strategy.name.uppercased().replacingOccurrences(of: "-", with: "_"))?.name, strategy.name)
            XCTAssertThrowsError(try StrategyKind.resolve(strategy.name + "x")) { error in
                XCTAssertEqual((error as? UnknownName)?.suggestion, strategy.name)
            }
            XCTAssertTrue(StrategyKind.helpList.contains(strategy.name), strategy.name)
        }
        XCTAssertEqual(Set(StrategyKind.allNames).count, StrategyKind.all.count, "names are unique")
    }
}
