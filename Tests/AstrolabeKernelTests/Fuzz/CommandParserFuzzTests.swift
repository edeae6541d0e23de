import Foundation
import XCTest
@testable import AstrolabeKernel

/// Mutated command lines must split into words that point at exactly what was typed, or be
/// refused with a `LexError` inside the line: diagnostics underline those spans, so a span outside
/// the line would trap the renderer or point at the wrong text.
final class CommandParserFuzzTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every command line of the gallery notebooks, plus the lexer's special cases.
    static func corpus() throws -> [[UInt8]] {
        var lines = [
            #"teach "4FGL J0001.2+4741" bll # a comment"#, #"teach "a \"b\" \\ c" x"#,
            "plot scatter a b colors=bll:#0072B2,fsrq:#D55E00 title=\"x # y\"",
            "feature `g-r` = `g mag` - `r mag`", "where (a == 1) or b<=2", "plot density log10(a / b) clip(c, 0, 1) to=x.png",
            "set plot.cmap=viridis", "load x.csv sep=\\t missing=-99.99,NA", "figure 2x2 share=xy\t\r",
        ]
        let notebooks = root.appendingPathComponent("Notebooks")
        for name in try FileManager.default.contentsOfDirectory(atPath: notebooks.path).sorted() where name.hasSuffix(".alab") {
            let text = try String(contentsOf: notebooks.appendingPathComponent(name), encoding: .utf8)
            lines += text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        }
        return lines.map { Array($0.utf8) }
    }

    func testMutatedCommandLinesSplitIntoSpansOfTheLine() throws {
        let fuzzer = Fuzzer(name: "command-parser", iterations: 6000, maxLength: 600)
        let report = try fuzzer.run(corpus: Self.corpus()) { input in
            let line = input.text
            let chars = Array(line)
            func inside(_ offset: Int, _ length: Int) -> Bool { offset >= 0 && length >= 0 && offset + length <= chars.count }
            do {
                guard let command = try CommandParser.parse(line) else { return .accepted }
                for word in [command.verb] + command.positionals {
                    XCTAssertTrue(inside(word.offset, word.length) && String(chars[word.offset ..< word.offset + word.length]) == word.raw,
                                  "word `\(word.raw)` at \(word.offset) is not what the line has there: \(input.context)")
                }
                for option in command.options {
                    XCTAssertTrue(inside(option.keyOffset, option.key.count) && inside(option.value.offset, option.value.length),
                                  "option `\(option.key)` lies outside the line: \(input.context)")
                }
                XCTAssertTrue(inside(command.restOffset, command.rest.count), "rest outside the line: \(input.context)")
                return .accepted
            } catch let error as CommandLexer.LexError {
                XCTAssertTrue(inside(error.offset, error.length) && error.length > 0,
                              "error span \(error.offset)+\(error.length) outside the line: \(input.context)")
                return .refused
            }
        }
        XCTAssertGreaterThan(report.accepted, report.tried / 4)
        XCTAssertGreaterThan(report.refused, report.tried / 50)
    }
}
