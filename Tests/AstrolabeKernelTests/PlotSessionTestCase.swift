import Foundation
import XCTest
@testable import AstrolabeKernel

/// Shared fixture of the plot-command tests: a fresh folder holding `t.csv` (the text `table()`
/// gives), a session with it loaded as `t` (ids `id`, labels `label`), and helpers to run commands
/// and read the files they write.
class PlotSessionTestCase: XCTestCase {
    var dir: URL!
    var session: Session!

    /// The CSV text of table `t`; by default `wave(errorColumns: true)`.
    func table() -> String { Self.wave(errorColumns: true) }

    /// 300 rows, i = 0..<299: x = 10 i/300, y = sin(6 i/300) (+2 for class b, the odd rows), y
    /// missing at i = 150; with `errorColumns`, also e = 0.1, lo = 0.05, hi = 0.2 on every row.
    static func wave(errorColumns: Bool) -> String {
        var csv = errorColumns ? "id,x,y,e,lo,hi,label\n" : "id,x,y,label\n"
        for i in 0..<300 {
            let t = Double(i) / 300
            let label = i % 2 == 0 ? "a" : "b"
            let y = i == 150 ? "" : String(sin(t * 6) + (label == "a" ? 0 : 2))
            csv += "s\(i),\(t * 10),\(y)," + (errorColumns ? "0.1,0.05,0.2," : "") + "\(label)\n"
        }
        return csv
    }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try table().write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        session = try Session(options: SessionOptions(workingDirectory: dir.path))
        try run("load t.csv as t id=id label=label")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Runs a command that must succeed (a failure fails the test and throws); returns its outputs.
    @discardableResult
    func run(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) throws -> [Output] {
        let result = session.execute(line)
        if let error = result.error { XCTFail("\(line): \(error)", file: file, line: lineNumber); throw error }
        return result.outputs
    }

    /// The error a command gives, as text ("" when it succeeds).
    func error(_ line: String) -> String { session.execute(line).error.map { "\($0)" } ?? "" }

    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: dir.appendingPathComponent(name))) }

    /// Width and height from a PNG's IHDR.
    func size(_ b: [UInt8]) -> [Int] {
        func u32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return [u32(16), u32(20)]
    }

    /// The text and warning outputs, one a line.
    func text(_ outputs: [Output]) -> String {
        outputs.compactMap { if case .text(let t) = $0 { return t } else if case .warning(let w) = $0 { return w } else { return nil } }.joined(separator: "\n")
    }
}
