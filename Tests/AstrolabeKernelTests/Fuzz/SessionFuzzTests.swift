import Foundation
import XCTest
@testable import AstrolabeKernel

/// Whole-session fuzzing: short scripts of mutated command lines run on a fresh session with a
/// small table loaded. Every line must come back as outputs or a diagnostic that points inside
/// the line, and the session must stay usable afterwards; nothing may trap.
final class SessionFuzzTests: XCTestCase {
    /// Valid commands on the fuzz table (`sl sw pl pw`, ids 0–149, classes setosa, versicolor,
    /// virginica), kept cheap: few trees, small plots.
    static let corpus = [
        "model m features=sl,sw,pl,pw trees=5", "model k classifier=knn features=pl,pw strategy=entropy",
        "model c classifier=committee members=logistic,naive-bayes features=sl,pw strategy=vote-entropy",
        "model b classifier=boosting features=sl,sw trees=5 split=0.6:0.2:0.2 target=setosa",
        "model a classifier=adaboost features=pw,pl strategy=k-center scaling=standard initial=6",
        "query m 3 show=sl,label", "teach 17 setosa", "teach \"120\" virginica", "unsure 42", "skip 3", "undo",
        "score m on=validation", "history m average=weighted", "labels", "retrain m every=2",
        "classes setosa versicolor unknown=virginica", "feature ratio = log10(pl / pw) - clip(sl, 4.5, 7)",
        "where sl > 5.5 and not isnan(pw) as big", "sample 20 seed=3 as=small", "use iris", "tables",
        "head 3 columns=id,sl,label", "describe sl pw", "columns",
        "features combine ratio sl sw pl n=2", "join iris on=id", "find where pw > 2", "testset use m",
        "plot scatter sl pw by=label width=120 height=90 to=p/s.png", "plot density sl pw width=100 height=80 to=p/d.svg",
        "plot histogram sl bins=7 width=100 height=80 to=p/h.pdf", "plot heatmap sl pw binsx=4 binsy=3 agg=mean(pl) width=100 height=80 to=p/m.png",
        "plot confusion m width=100 height=80 to=p/c.png", "plot training m width=100 height=80 to=p/t.png",
        "plot confidence m sl pw width=100 height=80 to=p/f.png", "figure 1x2 share=xy to=p/fig.png", "figure end",
        "overlay curve y = 0.5 * x + 1 where=x > 5", "overlay region sl > 6", "replot", "set plot.cmap=viridis",
        "simulate m oracle=label budget=8 repeats=2 strategies=random,margin to=p/sim.png", "predict m to=out/pred.csv",
        "checkpoint m to=ck", "export iris out/iris.csv columns=id,sl rows=sl>7", "save session s.alab",
        "save config c.json", "load config c.json", "record r.alab", "help plot", "load iris.csv as other id=id label=label sep=,",
    ]

    func testMutatedScriptsGiveOutputsOrDiagnostics() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fuzz-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeTable(to: directory.appendingPathComponent("iris.csv"))

        let fuzzer = Fuzzer(name: "session", iterations: 400, maxLength: 2000)
        var (succeeded, failed) = (0, 0)
        let report = try fuzzer.run(corpus: Self.corpus.map { Array($0.utf8) }, mutate: Self.script) { input in
            let session = try Session(options: SessionOptions(workingDirectory: directory.path))
            XCTAssertNil(session.execute("load iris.csv as iris id=id label=label").error)
            let before = failed
            for line in Self.lines(of: input) where Self.staysInside(line) {
                let result = session.execute(line)
                if result.error == nil { succeeded += 1 }
                if let error = result.error {
                    failed += 1
                    _ = error.rendered
                    let column = error.location.column - 1
                    XCTAssertTrue(column >= 0 && column <= line.count && !error.message.isEmpty,
                                  "diagnostic at column \(error.location.column) of a \(line.count)-character line: \(input.context)")
                }
            }
            // Still usable: a plain command works after whatever the script did.
            XCTAssertNil(session.execute("tables").error, "the session broke: \(input.context)")
            return failed == before ? .accepted : .refused
        }
        // Scripts mostly hold an error somewhere; what matters is that many lines ran, and many failed.
        print("fuzz session: \(succeeded) lines ran, \(failed) gave a diagnostic")
        XCTAssertGreaterThan(succeeded, report.tried / 2)
        XCTAssertGreaterThan(failed, report.tried / 2)
    }

    /// Scripts of one to four corpus lines, one or two of them mutated, separated by 0x1E (a byte
    /// the mutations rarely make, so a mutated line may hold line breaks of its own).
    static func script(_ random: inout FuzzRandom, _ base: [UInt8], _ corpus: [[UInt8]]) -> [UInt8] {
        var lines = [base] + (0 ..< random.below(4)).map { _ in random.pick(corpus) }
        if random.chance(60) { lines.insert(random.pick(Array(corpus.prefix(5))), at: 0) }  // a model to work on
        for _ in 0 ..< 1 + random.below(2) {
            let i = random.below(lines.count)
            lines[i] = FuzzMutator.mutate(lines[i], others: corpus, random: &random, maxLength: 400)
        }
        return Array(lines.joined(separator: [0x1E]))
    }

    static func lines(of input: FuzzInput) -> [String] {
        input.bytes.split(separator: 0x1E, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Lines whose words could name a path outside the session's folder are not run: the fuzzer
    /// must not write anywhere else. (Expressions with `/` inside a word are still run.)
    static func staysInside(_ line: String) -> Bool {
        guard let command = try? CommandParser.parse(line) else { return true }
        let texts = ([command.verb] + command.positionals + command.options.map(\.value)).map(\.text)
        return !texts.contains { $0.hasPrefix("/") || $0.hasPrefix("~") || $0.contains("..") }
    }

    /// Iris (Samples/iris.csv) with short column names, so corpus lines need no backquotes.
    static func writeTable(to url: URL) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Samples/iris.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines[0] = "id,sl,sw,pl,pw,label"
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }
}
