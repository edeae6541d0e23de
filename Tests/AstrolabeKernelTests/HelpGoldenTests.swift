import XCTest
@testable import AstrolabeKernel

/// `help VERB` for every verb of the catalogue, kept as golden files in Fixtures/help/VERB.txt so
/// that a change of help text is deliberate (it shows in the diff). After an intended change,
/// rewrite them with `ASTROLABE_UPDATE_GOLDEN=1 swift test --filter HelpGoldenTests`.
final class HelpGoldenTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/help")
    static let updating = ProcessInfo.processInfo.environment["ASTROLABE_UPDATE_GOLDEN"] == "1"

    private func help(_ words: String) throws -> String {
        let session = try Session(options: SessionOptions())
        let execution = session.execute("help " + words)
        if let error = execution.error { throw error }
        guard case .text(let text)? = execution.outputs.first else { XCTFail("help \(words): no text"); return "" }
        return text
    }

    private func check(_ name: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.directory.appendingPathComponent(name + ".txt")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data((text + "\n").utf8).write(to: url)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text + "\n", golden, "help text of \(name) changed (update the golden files if intended)",
                       file: file, line: line)
    }

    func testEveryVerbsHelpMatchesItsGoldenFile() throws {
        for name in VerbCatalog.names { try check(name, try help(name)) }
        try check("_overview", try help(""))
    }

    /// No golden file is left over from a verb that no longer exists.
    func testEveryGoldenFileNamesAVerb() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
        let verbs = Set(VerbCatalog.names + ["_overview"])
        for file in files where file.hasSuffix(".txt") {
            XCTAssertTrue(verbs.contains(String(file.dropLast(4))), "\(file) names no verb")
        }
    }

    func testHelpOfAWordThatIsNoVerbListsTheVerbsMentioningIt() throws {
        let text = try help("strategy")
        XCTAssertTrue(text.hasPrefix("`strategy` is not a verb; it appears in the help of:"), text)
        let verbs = text.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertFalse(verbs.isEmpty)
        for verb in verbs {
            let own = try help(verb)
            XCTAssertTrue(own.lowercased().contains("strategy"), "\(verb) help does not mention strategy")
        }
        let mentioning = VerbCatalog.all.filter { $0.helpText.lowercased().contains("strategy") }.map(\.name)
        XCTAssertEqual(verbs, mentioning)
    }

    func testHelpOfAnUnknownWordIsAnErrorWithASuggestion() throws {
        let session = try Session(options: SessionOptions())
        let error = session.execute("help tech").error
        XCTAssertEqual(error?.message, "no command `tech`, and no help text mentions it")
        XCTAssertEqual(error?.suggestion, "teach")
    }
}
