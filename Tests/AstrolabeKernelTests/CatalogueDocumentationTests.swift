import XCTest
import AstrolabeLearn
@testable import AstrolabeKernel

/// The names users read about come from the catalogues: `help model` lists what `ClassifierKind`
/// and `StrategyKind` hold, and the README names every classifier and strategy, so an entry added
/// to a catalogue without a word in the README fails here.
final class CatalogueDocumentationTests: IrisSessionTestCase {
    func testHelpListsTheCatalogues() throws {
        let help = ok(try session(), "help model")
        XCTAssertTrue(help.contains("one of: " + ClassifierKind.allNames.joined(separator: ", ")), help)
        XCTAssertTrue(help.contains(StrategyKind.helpList), help)
    }

    func testReadmeNamesEveryClassifierAndStrategy() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        // The learning row of the verb table: "`model` (forest, extra-trees, ...; `scaling=`, ...".
        let start = try XCTUnwrap(readme.range(of: "`model` ("))
        let list = readme[start.upperBound...].prefix { $0 != ";" }
        XCTAssertEqual(list.components(separatedBy: ", "), ClassifierKind.allNames)
        // "Query strategies: margin (default), ... expected-error (small pools)."
        let paragraph = try XCTUnwrap(readme.range(of: "Query strategies:"))
        let strategies = readme[paragraph.upperBound...].prefix { $0 != "." }
        for name in StrategyKind.allNames {
            XCTAssertTrue(strategies.contains(name), "README's strategy paragraph does not name \(name)")
        }
    }

    /// Unknown names get the catalogue's message, the caret under the word and the nearest name.
    func testUnknownNamesSuggestTheNearest() throws {
        let s = try session()
        let features = "features=`petal length (cm)`,`petal width (cm)`"
        let classifier = try XCTUnwrap(s.execute("model m classifier=boostng \(features)").error)
        XCTAssertEqual(classifier.suggestion, "boosting")
        XCTAssertTrue(classifier.message.contains(ClassifierKind.allNames.joined(separator: ", ")), classifier.message)
        let member = try XCTUnwrap(s.execute("model m classifier=committee members=forest,knm \(features)").error)
        XCTAssertEqual(member.suggestion, "knn")
        XCTAssertTrue(member.message.hasPrefix("unknown committee member `knm`"), member.message)
        let strategy = try XCTUnwrap(s.execute("model m strategy=entropi \(features)").error)
        XCTAssertEqual(strategy.suggestion, "entropy")
        ok(s, "model m \(features) trees=5")
        let simulated = try XCTUnwrap(s.execute("simulate m strategies=random,marginn").error)
        XCTAssertEqual(simulated.suggestion, "margin")
    }
}
