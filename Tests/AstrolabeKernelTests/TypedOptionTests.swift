import XCTest
@testable import AstrolabeKernel
import AstrolabeLearn

/// Options are declared once in the verb table (OptionSpec): completion of their values, type and
/// range errors at the value, help and the order `save session` writes all come from there.
final class TypedOptionTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    private func matches(_ s: Session, _ line: String) -> [String] {
        s.complete(line, cursor: line.unicodeScalars.count).matches
    }

    // MARK: Completion of option values

    func testClassifierValuesComeFromTheCatalogue() throws {
        let s = try session()
        XCTAssertEqual(matches(s, "model m classifier="), ClassifierKind.allNames.map { "classifier=" + $0 })
        XCTAssertTrue(ClassifierKind.allNames.contains("committee"))
        XCTAssertEqual(matches(s, "model m classifier=kn"), ClassifierKind.allNames.filter { $0.hasPrefix("kn") }.map { "classifier=" + $0 })
        XCTAssertFalse(matches(s, "model m classifier=kn").isEmpty)
    }

    func testStrategyValuesComeFromTheRegistries() throws {
        let s = try session()
        // The classifiers' strategies, then those only regression models take.
        let regression = RegressionStrategyKind.allNames.filter { !StrategyKind.allNames.contains($0) }
        XCTAssertEqual(matches(s, "model m \(features) strategy="), (StrategyKind.allNames + regression).map { "strategy=" + $0 })
        let ma = matches(s, "model m strategy=ma")
        XCTAssertEqual(ma, StrategyKind.allNames.filter { $0.hasPrefix("ma") }.map { "strategy=" + $0 })
        XCTAssertTrue(ma.contains("strategy=margin"), "\(ma)")
        // Lists complete their last item.
        XCTAssertEqual(matches(s, "simulate m strategies=random,ma"), ma.map { "strategies=random," + $0.dropFirst("strategy=".count) })
        XCTAssertEqual(matches(s, "model m members=forest,kn"), ClassifierKind.memberNames.filter { $0.hasPrefix("kn") }.map { "members=forest," + $0 })
    }

    func testColormapValuesAlsoAfterSetPlot() throws {
        let s = try session()
        XCTAssertEqual(matches(s, "plot density x y cmap=c"), ["cmap=cividis", "cmap=coolwarm"])
        XCTAssertEqual(matches(s, "set plot.cmap=vir"), ["plot.cmap=viridis"])
    }

    func testEnumAndYesNoValues() throws {
        let s = try session()
        XCTAssertEqual(matches(s, "plot scatter x y legend=outside-"), ["legend=outside-top", "legend=outside-bottom", "legend=outside-left"])
        XCTAssertEqual(matches(s, "score m on=v"), ["on=validation"])
        XCTAssertEqual(matches(s, "plot heatmap x y colorbar="), ["colorbar=yes", "colorbar=no"])
        // Free-form values offer nothing; column lists still complete their last item.
        XCTAssertEqual(matches(s, "model m split="), [])
        XCTAssertEqual(matches(s, "head 3 columns=id,lab"), ["columns=id,label"])
    }

    // MARK: Type and range errors at the value

    private func error(_ s: Session, _ line: String) -> Diagnostic? {
        let execution = s.execute(line)
        XCTAssertNotNil(execution.error, "`\(line)` should fail")
        return execution.error
    }

    /// The caret's column (1-based) is where the value starts, and it spans the value.
    private func assertCaret(_ diagnostic: Diagnostic?, under value: String, in line: String, message: String,
                             file: StaticString = #filePath, line number: UInt = #line) {
        guard let diagnostic else { return }
        XCTAssertEqual(diagnostic.message, message, file: file, line: number)
        let start = line.range(of: "=" + value)!.lowerBound
        XCTAssertEqual(diagnostic.location.column, line.distance(from: line.startIndex, to: start) + 2, file: file, line: number)
        XCTAssertEqual(diagnostic.length, value.count, file: file, line: number)
    }

    func testIntRangeErrorPointsAtTheValue() throws {
        let s = try session()
        let line = "model m \(features) trees=0"
        assertCaret(error(s, line), under: "0", in: line, message: "trees= expects a whole number from 1 to 10000")
        let word = "model m \(features) k=five"
        assertCaret(error(s, word), under: "five", in: word, message: "k= expects a whole number from 1 to 10000")
    }

    func testDoubleRangeErrorPointsAtTheValue() throws {
        let s = try session()
        let line = "model m \(features) test=1.5"
        assertCaret(error(s, line), under: "1.5", in: line, message: "test= expects a number from 0 to 0.9")
    }

    func testEnumAndYesNoErrorsPointAtTheValue() throws {
        let s = try session()
        let legend = "plot scatter `petal length (cm)` `petal width (cm)` legend=nowhere to=a.png"
        let diagnostic = error(s, legend)
        assertCaret(diagnostic, under: "nowhere", in: legend,
                    message: "legend= expects one of: " + (VerbCatalog.named("plot")?.option("legend")?.choices ?? []).joined(separator: ", "))
        let colorbar = "plot density `petal length (cm)` `petal width (cm)` colorbar=maybe to=a.png"
        assertCaret(error(s, colorbar), under: "maybe", in: colorbar, message: "colorbar= expects yes or no")
    }

    // MARK: The declarations themselves

    /// Every declared option has a help line, a usable type, and a default its type accepts.
    func testEveryDeclaredOptionHasHelpTypeAndAValidDefault() {
        for verb in VerbCatalog.all {
            XCTAssertEqual(Set(verb.optionNames).count, verb.optionNames.count, "\(verb.name) declares an option twice")
            for spec in verb.options {
                let place = "\(verb.name) \(spec.name)="
                XCTAssertFalse(spec.help.trimmingCharacters(in: .whitespaces).isEmpty, "\(place) has no help line")
                XCTAssertTrue(verb.helpText.contains("  \(spec.name)= "), "\(place) is missing from help \(verb.name)")
                guard let value = spec.defaultValue else { continue }
                switch spec.type {
                case .int(let range): XCTAssertTrue(Int(value).map(range.contains) == true, "\(place) default \(value) outside \(range)")
                case .double(let range): XCTAssertTrue(Double(value).map(range.contains) == true, "\(place) default \(value) outside \(range)")
                case .yesNo, .choice: XCTAssertTrue(spec.choices?.contains(value) == true, "\(place) default \(value) is not a choice")
                default: break
                }
                if case .choice = spec.type { XCTAssertFalse(spec.choices?.isEmpty ?? true, "\(place) offers no choices") }
            }
        }
    }

    /// Every option a handler reads by name is declared by a verb (a read of an undeclared option
    /// also stops a debug build at once, see `ParsedCommand.declaration`), and no handler reads
    /// options around the typed accessors.
    func testEveryOptionReadInTheKernelIsDeclared() throws {
        let sources = Self.root.appendingPathComponent("Sources/AstrolabeKernel")
        let declared = Set(VerbCatalog.all.flatMap(\.optionNames))
        let read = try NSRegularExpression(pattern: #"\.(word|text|has|list|int|optionalInt|double|yesNo|choice|optionEntry)\("([a-z_]+)""#)
        let raw = try NSRegularExpression(pattern: #"\.option\(""#)
        var reads = 0
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in read.matches(in: text, range: range) {
                let key = String(text[Range(match.range(at: 2), in: text)!])
                reads += 1
                XCTAssertTrue(declared.contains(key), "\(url.lastPathComponent) reads \(key)= that no verb declares")
            }
            if !["ParsedCommand.swift", "CommandOptions.swift"].contains(url.lastPathComponent) {
                XCTAssertEqual(raw.numberOfMatches(in: text, range: range), 0,
                               "\(url.lastPathComponent) reads an option by name without its declaration: use the typed accessors")
            }
        }
        XCTAssertGreaterThan(reads, 100)
    }

    func testHelpShowsTypeRangeAndDefault() throws {
        let help = try XCTUnwrap(VerbCatalog.named("model")).helpText
        XCTAssertTrue(help.contains("trees=         number of trees (forest, extra-trees) [whole number 1–10000; default 100]"), help)
        XCTAssertTrue(help.contains("test=          held-out fraction [number 0–0.9; default 0.25]"), help)
    }

    // MARK: save session

    /// A model's options are written in the order the verb declares them, whatever order they were typed in.
    func testSaveSessionWritesModelOptionsInDeclarationOrder() throws {
        let s = try session()
        ok(s, "model m trees=5 strategy=entropy classifier=forest test=0.2 \(features) k=3")
        ok(s, "save session saved.alab")
        let script = try String(contentsOf: directory.appendingPathComponent("saved.alab"), encoding: .utf8)
        let line = try XCTUnwrap(script.split(separator: "\n").first { $0.hasPrefix("model m ") }).description
        let written = try XCTUnwrap(CommandParser.parse(line)).options.map(\.key)
        let order = try XCTUnwrap(VerbCatalog.named("model")).optionNames
        XCTAssertEqual(Set(written), ["trees", "strategy", "classifier", "test", "features", "k"])
        XCTAssertEqual(written, order.filter { written.contains($0) }, line)
        XCTAssertEqual(SessionProvenance.modelOptionOrder, order)
    }
}
