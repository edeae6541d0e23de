import AstrolabePlot
import Foundation
import XCTest
@testable import AstrolabeKernel

/// `run` into every format, byte-identical across runs and thread counts, and `check` catching a
/// changed number and a changed pixel — on the quickstart, a real session.
final class NotebookCheckTests: XCTestCase {
    var directories: [URL] = []

    override func tearDownWithError() throws {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }

    func workspace() throws -> URL {
        let directory = try notebookWorkspace(copying: ["quickstart.alab", "quickstart.ipynb"])
        directories.append(directory)
        return directory
    }

    /// Runs the binary, optionally pinned to one CPU with `taskset` (so every parallel loop runs on one
    /// thread) and as another user (nothing of the machine or the person may reach the outputs).
    func astrolabe(_ arguments: [String], in directory: URL, oneCPU: Bool = false) throws -> AstrolabeRun {
        guard oneCPU else { return try runAstrolabe(arguments, in: directory) }
        let binary = productsDirectory.appendingPathComponent("astrolabe").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
        process.arguments = ["-c", "0", binary] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = "ada"
        environment["HOME"] = directory.path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return AstrolabeRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self))
    }

    func replayAll(in directory: URL, oneCPU: Bool = false) throws -> [String: Data] {
        let run = try astrolabe(["run", "Notebooks/quickstart.alab", "--quiet", "--notebook", "out/q.ipynb",
                                 "--markdown", "out/q.md", "--html", "out/q.html"], in: directory, oneCPU: oneCPU)
        XCTAssertEqual(run.status, 0, run.stderr)
        var files: [String: Data] = [:]
        for folder in ["out", "plots"] {
            let base = directory.appendingPathComponent(folder)
            for case let path as String in FileManager.default.enumerator(atPath: base.path) ?? FileManager.default.enumerator(atPath: "/nonexistent")! {
                var isDirectory: ObjCBool = false
                let url = base.appendingPathComponent(path)
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files[folder + "/" + path] = try Data(contentsOf: url)
                }
            }
        }
        return files
    }

    func testEveryFormatIsByteIdenticalAcrossRunsAndThreadCounts() throws {
        let parallel = try replayAll(in: try workspace())
        let again = try replayAll(in: try workspace())
        let serial = try replayAll(in: try workspace(), oneCPU: true)
        XCTAssertEqual(Set(parallel.keys), Set(serial.keys))
        XCTAssertTrue(parallel.keys.contains("out/q.html"))
        XCTAssertTrue(parallel.keys.contains("out/q_files/figure-1.png"))
        for (path, bytes) in parallel {
            XCTAssertEqual(bytes, again[path], "\(path) differs between two runs")
            XCTAssertEqual(bytes, serial[path], "\(path) differs between 2 threads and 1 (and another user)")
        }
    }

    func testHTMLIsOneSelfContainedPage() throws {
        let directory = try workspace()
        let files = try replayAll(in: directory)
        let html = String(decoding: try XCTUnwrap(files["out/q.html"]), as: UTF8.self)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<h1>Quickstart: which gamma-ray blazars are BL Lacs?</h1>"), "prose headings are HTML")
        XCTAssertTrue(html.contains("<h2>Features</h2>"))
        XCTAssertTrue(html.contains("<em>blazars of uncertain type</em>"), "emphasis is kept")
        XCTAssertEqual(html.components(separatedBy: "<img src=\"data:image/png;base64,").count - 1, 3, "three embedded figures")
        // Nothing to fetch: every src is a data: URI, and no stylesheet or script is linked.
        for piece in html.components(separatedBy: "src=\"").dropFirst() { XCTAssertTrue(piece.hasPrefix("data:")) }
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains(directory.path), "no absolute paths")
        // Text outputs are escaped: the confusion-matrix header `true \ predicted` and table text survive.
        XCTAssertTrue(html.contains("true \\ predicted"))
        if let check = try runPython("""
            import sys, html.parser
            class P(html.parser.HTMLParser):
                def __init__(self):
                    super().__init__(); self.stack = []
                def handle_starttag(self, tag, attrs):
                    if tag not in ('meta', 'img', 'br', 'hr', 'input', 'link'): self.stack.append(tag)
                def handle_endtag(self, tag):
                    assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
                    self.stack.pop()
            p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); assert p.stack == [], p.stack
            """, [directory.appendingPathComponent("out/q.html").path]) {
            XCTAssertEqual(check.status, 0, "tags balance: \(check.output)")
        }
    }

    func testCheckPassesOnTheCommittedNotebook() throws {
        let directory = try workspace()
        let run = try astrolabe(["check", "Notebooks/quickstart.alab", "Notebooks/quickstart.ipynb"], in: directory)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("match"), run.stdout)
    }

    func testCheckCatchesAChangedNumber() throws {
        let directory = try workspace()
        let url = directory.appendingPathComponent("Notebooks/quickstart.ipynb")
        var text = try String(contentsOf: url, encoding: .utf8)
        // The first score line after fifteen answers: nudge its accuracy's last digit.
        let range = try XCTUnwrap(text.range(of: "accuracy "))
        let digits = text[range.upperBound...].prefix(while: { $0.isNumber || $0 == "." })
        let original = String(digits)
        let changed = String(original.dropLast()) + (original.last == "9" ? "8" : "9")
        text.replaceSubrange(range.upperBound..<text.index(range.upperBound, offsetBy: original.count), with: changed)
        try text.write(to: url, atomically: true, encoding: .utf8)

        let run = try astrolabe(["check", "Notebooks/quickstart.alab", "Notebooks/quickstart.ipynb"], in: directory)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("(Notebooks/quickstart.alab:"), "names the script line: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("- accuracy \(changed)"), "shows the notebook's line: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("+ accuracy \(original)"), "shows the replay's line: \(run.stdout)")
        XCTAssertTrue(run.stderr.contains("1 difference"), run.stderr)
    }

    func testCheckCatchesAChangedPixelAndHonoursTolerance() throws {
        let directory = try workspace()
        let url = directory.appendingPathComponent("Notebooks/quickstart.ipynb")
        var text = try String(contentsOf: url, encoding: .utf8)
        let marker = "\"image/png\": \""
        let start = try XCTUnwrap(text.range(of: marker)).upperBound
        let end = try XCTUnwrap(text[start...].firstIndex(of: "\""))
        let png = try XCTUnwrap(Data(base64Encoded: String(text[start..<end])))
        let pixels = try XCTUnwrap(PNGPixels(png: [UInt8](png)))
        var changed = pixels.rgba
        let x = 321, y = 123
        let offset = (y * pixels.width + x) * 4
        changed[offset + 1] = changed[offset + 1] == 255 ? 254 : changed[offset + 1] + 1   // green off by one
        let image = try RGBAImage(width: pixels.width, height: pixels.height, pixels: changed)
        let bytes = try PNGEncoder.encode(image, dpi: 100, text: [])
        text.replaceSubrange(start..<end, with: Data(bytes).base64EncodedString())
        try text.write(to: url, atomically: true, encoding: .utf8)

        let strict = try astrolabe(["check", "Notebooks/quickstart.alab", "Notebooks/quickstart.ipynb"], in: directory)
        XCTAssertEqual(strict.status, 1, strict.stdout + strict.stderr)
        XCTAssertTrue(strict.stdout.contains("figure differs in 1 of \(pixels.width * pixels.height) pixels"), strict.stdout)
        XCTAssertTrue(strict.stdout.contains("largest channel difference 1, tolerance 0"), strict.stdout)
        XCTAssertTrue(strict.stdout.contains("at x=\(x), y=\(y)"), strict.stdout)

        let tolerant = try astrolabe(["check", "Notebooks/quickstart.alab", "Notebooks/quickstart.ipynb", "--tolerance", "1"], in: directory)
        XCTAssertEqual(tolerant.status, 0, "a difference of 1 is within --tolerance 1: \(tolerant.stdout)")
    }

    func testCheckCatchesAnEditedScript() throws {
        let directory = try workspace()
        let url = directory.appendingPathComponent("Notebooks/quickstart.alab")
        var text = try String(contentsOf: url, encoding: .utf8)
        // The first query only (the answers after it name whichever sources it asks about).
        let first = try XCTUnwrap(text.range(of: "\nquery m 3\n"))
        text.replaceSubrange(first, with: "\nquery m 4\n")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let run = try astrolabe(["check", "Notebooks/quickstart.alab", "Notebooks/quickstart.ipynb"], in: directory)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("source differs from the script"), run.stdout)
        XCTAssertTrue(run.stdout.contains("- query m 3") && run.stdout.contains("+ query m 4"), run.stdout)
    }

    func testCheckUnreadableNotebookExitsTwo() throws {
        let directory = try workspace()
        try Data("{\"cells\": [".utf8).write(to: directory.appendingPathComponent("broken.ipynb"))
        let run = try astrolabe(["check", "Notebooks/quickstart.alab", "broken.ipynb"], in: directory)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("line 1, column 12"), run.stderr)
    }
}
