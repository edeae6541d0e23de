import XCTest
@testable import AstrolabeKernel

final class CommandParserTests: XCTestCase {
    func testSplitsVerbPositionalsAndOptionsWithOffsets() throws {
        let line = "load Samples/fermi_4lac.csv as blazars id=id label=label"
        let command = try XCTUnwrap(CommandParser.parse(line))
        XCTAssertEqual(command.verb.text, "load")
        XCTAssertEqual(command.positionals.map(\.text), ["Samples/fermi_4lac.csv", "as", "blazars"])
        XCTAssertEqual(command.positionals[0].offset, 5)
        XCTAssertEqual(command.options.map(\.key), ["id", "label"])
        XCTAssertEqual(command.option("label")?.value.text, "label")
        // "label=label" starts at offset 45; its value after the `=` at 51.
        XCTAssertEqual(command.option("label")?.keyOffset, 45)
        XCTAssertEqual(command.option("label")?.value.offset, 51)
    }

    func testQuotedIdsKeepSpacesAndEscapes() throws {
        let command = try XCTUnwrap(CommandParser.parse(#"teach "4FGL J0001.2+4741" bll"#))
        XCTAssertEqual(command.positionals.map(\.text), ["4FGL J0001.2+4741", "bll"])
        XCTAssertTrue(command.positionals[0].quoted)
        XCTAssertEqual(command.positionals[0].length, 19)  // quotes included in the span
        let escaped = try XCTUnwrap(CommandParser.parse(#"teach "a \"b\"" c"#))
        XCTAssertEqual(escaped.positionals[0].text, #"a "b""#)
    }

    func testParenthesesKeepExpressionsTogetherAndComparisonsAreNotOptions() throws {
        let command = try XCTUnwrap(CommandParser.parse("plot density PL_Index log10(Flux1000 / Energy_Flux100) to=x.png # note"))
        XCTAssertEqual(command.positionals.map(\.text), ["density", "PL_Index", "log10(Flux1000 / Energy_Flux100)"])
        XCTAssertEqual(command.options.map(\.key), ["to"])
        let comparison = try XCTUnwrap(CommandParser.parse("where a==1 b<=2"))
        XCTAssertTrue(comparison.options.isEmpty)
        XCTAssertEqual(comparison.positionals.map(\.text), ["a==1", "b<=2"])
    }

    func testQuotedOptionValue() throws {
        let command = try XCTUnwrap(CommandParser.parse(#"plot scatter a b title="Index vs hardness""#))
        XCTAssertEqual(command.option("title")?.value.text, "Index vs hardness")
        XCTAssertEqual(command.positionals.count, 3)
    }

    func testCommentsAndBlankLinesParseToNothing() throws {
        XCTAssertNil(try CommandParser.parse("   # just a comment"))
        XCTAssertNil(try CommandParser.parse(""))
        let command = try XCTUnwrap(CommandParser.parse("feature c = a - b   # colour"))
        XCTAssertEqual(command.rest, "c = a - b")
        XCTAssertEqual(command.restOffset, 8)
    }

    func testBackquotedNamesMayHoldSpacesAndHashes() throws {
        let command = try XCTUnwrap(CommandParser.parse("describe `g - r` `#x`"))
        XCTAssertEqual(command.positionals.map(\.text), ["`g - r`", "`#x`"])
    }

    func testUnterminatedQuoteAndParenthesisReportPositions() {
        XCTAssertThrowsError(try CommandParser.parse(#"teach "4FGL J0001 bll"#)) { error in
            let lex = error as? CommandLexer.LexError
            XCTAssertEqual(lex?.offset, 6)
            XCTAssertTrue(lex?.message.contains("unterminated") ?? false)
        }
        XCTAssertThrowsError(try CommandParser.parse("plot density log10(a b")) { error in
            XCTAssertEqual((error as? CommandLexer.LexError)?.offset, 18)
        }
    }
}
