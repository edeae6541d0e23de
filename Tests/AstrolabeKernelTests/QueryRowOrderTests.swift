import XCTest
@testable import AstrolabeKernel
@testable import AstrolabeLearn

/// Queries must not depend on the order of the file's rows: ties among the strategy's scores (a
/// forest's or kNN's vote fractions tie often) are broken by keys from the row ids. Before, ties
/// went to the earliest row, so on a catalogue sorted by class the queries fed the model one class.
final class QueryRowOrderTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-order-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Three overlapping classes in two features, 300 rows each; written sorted by class and shuffled.
    func writeCatalogues() throws -> (sorted: String, shuffled: String) {
        var generator = SeededGenerator(seed: 2026)
        func normal() -> Double {
            let u = max(generator.nextDouble(), 1e-12), v = generator.nextDouble()
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        let names = ["alpha", "beta", "gamma"]
        var rows: [String] = []
        for (c, name) in names.enumerated() {
            for i in 0..<300 {
                let x = Double(c) * 1.5 + normal(), y = Double(c % 2) * 1.5 + normal()
                rows.append("s\(c)-\(i),\(x),\(y),\(name)")
            }
        }
        var shuffled = rows
        shuffled.seededShuffle(using: &generator)
        let header = "id,x,y,label\n"
        let sortedPath = directory.appendingPathComponent("sorted.csv").path
        let shuffledPath = directory.appendingPathComponent("shuffled.csv").path
        try (header + rows.joined(separator: "\n") + "\n").write(toFile: sortedPath, atomically: true, encoding: .utf8)
        try (header + shuffled.joined(separator: "\n") + "\n").write(toFile: shuffledPath, atomically: true, encoding: .utf8)
        return (sortedPath, shuffledPath)
    }

    func session(_ path: String) throws -> Session {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path))
        let load = s.execute("load \(path) as cat id=id label=label")
        XCTAssertNil(load.error, load.error?.rendered ?? "")
        return s
    }

    func run(_ s: Session, _ line: String, file: StaticString = #filePath, line number: UInt = #line) -> String {
        let result = s.execute(line)
        XCTAssertNil(result.error, "`\(line)`: \(result.error?.rendered ?? "")", file: file, line: number)
        return result.outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
    }

    /// AUBC of one strategy from simulate's table.
    func aubc(_ text: String, _ strategy: String) throws -> Double {
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix(strategy + " ") }, text)
        return try XCTUnwrap(Double(line.split(separator: " ")[1]), String(line))
    }

    /// A forest's margin curve on the sorted file is as good as on the shuffled one (within the
    /// noise of different splits), and as good as random sampling; ties broken by row order fed the
    /// model one class and fell far below both.
    func testSortedAndShuffledCataloguesGiveTheSameCurvesWithinNoise() throws {
        let paths = try writeCatalogues()
        var margin: [Double] = [], random: [Double] = []
        for path in [paths.sorted, paths.shuffled] {
            let s = try session(path)
            _ = run(s, "model m classifier=forest trees=20 features=x,y")
            let text = run(s, "simulate m budget=40 repeats=3 strategies=random,margin")
            margin.append(try aubc(text, "margin"))
            random.append(try aubc(text, "random"))
        }
        XCTAssertEqual(margin[0], margin[1], accuracy: 0.04, "margin AUBC sorted \(margin[0]) vs shuffled \(margin[1])")
        XCTAssertGreaterThan(margin[0], random[0] - 0.04, "margin on the sorted file \(margin[0]) vs random \(random[0])")
    }

    /// The same taught rows in a sorted and a shuffled file: a kNN model (order-independent, its
    /// vote fractions in thirds tie widely) asks about the same ids, and says how many rows tied.
    func testQueriesAskTheSameIdsWhateverTheRowOrder() throws {
        let paths = try writeCatalogues()
        var asked: [[String]] = []
        for path in [paths.sorted, paths.shuffled] {
            let s = try session(path)
            _ = run(s, "model m classifier=knn k=3 initial=0 test=0 features=x,y")
            for (id, label) in [("s0-1", "alpha"), ("s0-2", "alpha"), ("s1-1", "beta"), ("s1-2", "beta"), ("s2-1", "gamma"), ("s2-2", "gamma")] {
                _ = run(s, "teach \(id) \(label)")
            }
            let text = run(s, "query m 5")
            XCTAssertTrue(text.contains(" rows tie at score ") && text.contains("drawn from them at random (seeded, by row id)"), text)
            asked.append(text.split(separator: "\n").dropFirst(3).prefix(5).map { String($0.split(separator: " ")[1]) })
        }
        XCTAssertEqual(asked[0].count, 5)
        XCTAssertEqual(asked[0], asked[1])
        XCTAssertFalse(asked[0].allSatisfy { $0.hasPrefix("s0-") }, "not the first rows of the sorted file: \(asked[0])")
    }
}
