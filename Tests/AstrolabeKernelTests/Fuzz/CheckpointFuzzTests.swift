import Foundation
import XCTest
@testable import AstrolabeKernel

/// Damaged model files: `load model` must restore them or refuse them naming the file, and a
/// restored model must then query, score, predict and retrain without trapping — a file that
/// passes the loader's checks but holds an impossible tree or weight vector is found by using it.
final class CheckpointFuzzTests: XCTestCase {
    /// One model of every classifier kind, and the options that change what a checkpoint holds.
    static let models = [
        "model m features=sl,sw,pl,pw trees=4", "model m classifier=extra-trees features=sl,pw trees=3 scaling=standard",
        "model m classifier=tree features=pl,pw", "model m classifier=knn features=sl,sw,pl k=3",
        "model m classifier=logistic features=sl,pw split=0.6:0.2:0.2", "model m classifier=naive-bayes features=pl,sw target=setosa",
        "model m classifier=adaboost features=sl,pw estimators=4", "model m classifier=boosting features=pl,pw estimators=3",
        "model m classifier=committee members=logistic,naive-bayes,knn features=sl,pl strategy=vote-entropy",
    ]

    func testDamagedCheckpointsLoadAndWorkOrAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-fuzz-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try SessionFuzzTests.writeTable(to: directory.appendingPathComponent("iris.csv"))
        let corpus = try Self.corpus(in: directory)
        let path = directory.appendingPathComponent("model.json").path

        let fuzzer = Fuzzer(name: "checkpoint", iterations: 300, maxLength: 200_000)
        let report = try fuzzer.run(corpus: corpus, mutate: JSONMutator.mutate) { input in
            _ = FileManager.default.createFile(atPath: path, contents: Data(input.bytes))
            let session = try Session(options: SessionOptions(workingDirectory: directory.path))
            XCTAssertNil(session.execute("load iris.csv as iris id=id label=label").error)
            let loaded = session.execute("load model model.json")
            if let error = loaded.error {
                // Named in the message, or underlined: the caret under `model.json` (column 12).
                XCTAssertTrue(error.message.contains("model.json") || error.location.column == 12,
                              "the error does not point at the file: \(error) on \(input.context)")
                return .refused
            }
            // Loaded: it must work. Errors are allowed (a model may be unusable); traps are not.
            var random = input.random
            let name = session.modelOrder.last.map(quoteIfNeeded) ?? "m"
            for line in ["query \(name) 2", "score \(name)", "predict \(name) to=p.csv", "history \(name)",
                         "teach \(random.below(150)) \(random.pick(["setosa", "versicolor", "virginica"]))",
                         "query \(name) 1", "checkpoint \(name) to=again"] {
                _ = session.execute(line)
            }
            return .accepted
        }
        XCTAssertGreaterThan(report.accepted, report.tried / 10)
        XCTAssertGreaterThan(report.refused, report.tried / 10)
    }

    /// Checkpoints of every model in `models`, a few answers in, plus a format-1 file.
    static func corpus(in directory: URL) throws -> [[UInt8]] {
        var files: [[UInt8]] = []
        for (n, line) in models.enumerated() {
            let session = try Session(options: SessionOptions(workingDirectory: directory.path))
            for command in ["load iris.csv as iris id=id label=label", line, "teach 60 versicolor", "teach 130 virginica",
                            "checkpoint m to=corpus\(n)"] {
                let result = session.execute(command)
                XCTAssertNil(result.error, "`\(command)`: \(result.error?.rendered ?? "")")
            }
            let folder = directory.appendingPathComponent("corpus\(n)")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                files.append(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
            }
        }
        XCTAssertEqual(files.count, models.count)
        // Format 1: the spec and labels only, refitted on load.
        if case .object(var members)? = try? JSONReader.parse(files[0]) {
            members["format"] = .string("astrolabe-model-1")
            members["fitted"] = nil
            files.append(Array(JSONWriter.write(.object(members), indent: 0).utf8))
        }
        return files
    }
}
