import XCTest
@testable import AstrolabeKernel

/// Shared fixture of the learning-command tests: a fresh folder and a session with iris loaded
/// (Samples/iris.csv, ids and labels set), and `ok` to run a command that must succeed.
class IrisSessionTestCase: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-iris-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func session(store: String? = nil) throws -> Session {
        let s = try Session(options: SessionOptions(workingDirectory: directory.path, storePath: store))
        ok(s, "load \(Self.root.appendingPathComponent("Samples/iris.csv").path) as iris id=id label=label")
        return s
    }

    func text(_ execution: Execution) -> String {
        execution.outputs.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined(separator: "\n")
    }

    /// Runs a command that must succeed; returns its text output.
    @discardableResult
    func ok(_ session: Session, _ line: String, file: StaticString = #filePath, line number: UInt = #line) -> String {
        let result = session.execute(line)
        XCTAssertNil(result.error, "`\(line)` failed: \(result.error?.rendered ?? "")", file: file, line: number)
        return text(result)
    }
}
