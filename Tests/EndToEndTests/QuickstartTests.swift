import Foundation
import XCTest

/// The quickstart as `make demo` replays it: reproducible to the byte, valid nbformat 4.5, real PNGs.
final class QuickstartTests: XCTestCase {
    var directories: [URL] = []

    override func tearDownWithError() throws {
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }

    /// A fresh working folder holding the script and a link to Samples/, as in a checkout.
    func workspace() throws -> URL {
        let directory = try notebookWorkspace(copying: ["quickstart.alab"])
        directories.append(directory)
        return directory
    }

    func replay(in directory: URL) throws {
        let run = try runAstrolabe(["run", "Notebooks/quickstart.alab", "--quiet",
                                    "--notebook", "Notebooks/quickstart.ipynb", "--markdown", "Notebooks/quickstart.md"],
                                   in: directory)
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    /// Every file the replay wrote, by path relative to the workspace.
    func outputs(in directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for folder in ["Notebooks", "plots"] {
            let base = directory.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let path as String in walker {
                let url = base.appendingPathComponent(path)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files[folder + "/" + path] = try Data(contentsOf: url)
                }
            }
        }
        return files
    }

    func testReplayingTwiceGivesByteIdenticalNotebooksAndFigures() throws {
        let first = try workspace(), second = try workspace()
        try replay(in: first)
        try replay(in: second)
        let a = try outputs(in: first), b = try outputs(in: second)
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        for (path, bytes) in a { XCTAssertEqual(bytes, b[path], "\(path) differs between two replays") }
        XCTAssertNotNil(a["Notebooks/quickstart.ipynb"])
        XCTAssertNotNil(a["Notebooks/quickstart.md"])
        XCTAssertGreaterThanOrEqual(a.keys.filter { $0.hasPrefix("plots/") && $0.hasSuffix(".png") }.count, 3)
        // Nothing of the machine leaks into the outputs: no absolute paths of either workspace.
        for (path, bytes) in a where path.hasSuffix(".ipynb") || path.hasSuffix(".md") {
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(text.contains(first.path), "\(path) holds an absolute path")
            XCTAssertFalse(text.contains(FileManager.default.temporaryDirectory.path), "\(path) holds a temporary path")
        }
    }

    func testCommittedNotebookIsWhatTheScriptReplaysInto() throws {
        let directory = try workspace()
        try replay(in: directory)
        let replayed = try Data(contentsOf: directory.appendingPathComponent("Notebooks/quickstart.ipynb"))
        let committed = try Data(contentsOf: repositoryRoot.appendingPathComponent("Notebooks/quickstart.ipynb"))
        XCTAssertEqual(replayed, committed, "Notebooks/quickstart.ipynb is stale: run `make demo` and commit it")
        let replayedMarkdown = try Data(contentsOf: directory.appendingPathComponent("Notebooks/quickstart.md"))
        let committedMarkdown = try Data(contentsOf: repositoryRoot.appendingPathComponent("Notebooks/quickstart.md"))
        XCTAssertEqual(replayedMarkdown, committedMarkdown, "Notebooks/quickstart.md is stale")
    }

    func testNotebookHasNbformat45StructureWithProseCodeAndFigures() throws {
        let directory = try workspace()
        try replay(in: directory)
        let url = directory.appendingPathComponent("Notebooks/quickstart.ipynb")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        XCTAssertEqual(json["nbformat"] as? Int, 4)
        XCTAssertEqual(json["nbformat_minor"] as? Int, 5)
        let metadata = try XCTUnwrap(json["metadata"] as? [String: Any])
        XCTAssertNotNil(metadata["kernelspec"])
        XCTAssertNotNil(metadata["language_info"])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let ids = cells.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, cells.count, "every cell has an id")
        XCTAssertEqual(Set(ids).count, ids.count, "cell ids are unique")
        for id in ids { XCTAssertNotNil(id.range(of: "^[a-zA-Z0-9-_]{1,64}$", options: .regularExpression), id) }
        let markdown = cells.filter { $0["cell_type"] as? String == "markdown" }
        let code = cells.filter { $0["cell_type"] as? String == "code" }
        XCTAssertGreaterThanOrEqual(markdown.count, 4)
        XCTAssertGreaterThanOrEqual(code.count, 5)
        let firstProse = (markdown.first?["source"] as? [String])?.joined() ?? ""
        XCTAssertTrue(firstProse.hasPrefix("# Quickstart"), firstProse)
        let outputs = code.flatMap { ($0["outputs"] as? [[String: Any]]) ?? [] }
        let images = outputs.compactMap { ($0["data"] as? [String: Any])?["image/png"] as? String }
        XCTAssertGreaterThanOrEqual(images.count, 3)
        for image in images {
            let png = try XCTUnwrap(Data(base64Encoded: image), "image/png is base64")
            XCTAssertEqual(Array(png.prefix(8)), [137, 80, 78, 71, 13, 10, 26, 10])
        }
        let text = outputs.compactMap { ($0["text"] as? [String])?.joined() }.joined()
        XCTAssertTrue(text.contains("accuracy"), "score output is in the notebook")
        if let check = try runPython("import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); assert nb.nbformat_minor == 5",
                                     [url.path]) {
            XCTAssertEqual(check.status, 0, "nbformat.validate: \(check.output)")
        }
    }

    func testFiguresArePNGsWithSizeDPIAndTheCommandThatMadeThem() throws {
        let directory = try workspace()
        try replay(in: directory)
        let png = try Data(contentsOf: directory.appendingPathComponent("plots/index.png"))
        let chunks = try PNGChunks.parse(png)
        let ihdr = try XCTUnwrap(chunks.first { $0.type == "IHDR" })
        XCTAssertEqual(chunks.first?.type, "IHDR")
        XCTAssertEqual(PNGChunks.bigEndian(ihdr.data, at: 0), 800)
        XCTAssertEqual(PNGChunks.bigEndian(ihdr.data, at: 4), 600)
        let phys = try XCTUnwrap(chunks.first { $0.type == "pHYs" }, "PNG carries its DPI")
        // 100 dpi = 3937 pixels per metre in both directions, unit byte 1 (metre).
        XCTAssertEqual(PNGChunks.bigEndian(phys.data, at: 0), 3937)
        XCTAssertEqual(PNGChunks.bigEndian(phys.data, at: 4), 3937)
        XCTAssertEqual(phys.data.last, 1)
        let texts = chunks.filter { $0.type == "tEXt" }.map { String(decoding: $0.data, as: UTF8.self) }
        XCTAssertTrue(texts.contains("Description\u{0}plot density PL_Index hardness pixel=3 to=plots/index.png"), "\(texts)")
        XCTAssertFalse(chunks.contains { $0.type == "tIME" }, "no timestamps")
        XCTAssertEqual(chunks.last?.type, "IEND")
    }
}

/// Just enough PNG reading to check chunks; CRCs are checked by the plot module's own tests.
enum PNGChunks {
    struct Chunk { var type: String; var data: [UInt8] }
    struct Malformed: Error {}

    static func parse(_ data: Data) throws -> [Chunk] {
        let bytes = [UInt8](data)
        guard bytes.count >= 8, Array(bytes[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10] else { throw Malformed() }
        var chunks: [Chunk] = []
        var i = 8
        while i + 12 <= bytes.count {
            let length = Int(bigEndian(bytes, at: i))
            guard i + 12 + length <= bytes.count else { throw Malformed() }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            chunks.append(Chunk(type: type, data: Array(bytes[(i + 8)..<(i + 8 + length)])))
            i += 12 + length
        }
        return chunks
    }

    static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
