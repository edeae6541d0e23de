import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import AstrolabeKernel

/// Every plot kind, read from `PlotKind.all` rather than listed here: each draws a small figure
/// alone and as a panel, and its help, option checks and completion come from its declaration.
final class PlotKindCatalogTests: PlotSessionTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // For the kinds that take a MODEL.
        try run("model m features=x,y initial=20 trees=10")
        try run("audit m folds=3")
        // For the kinds of a regression model (plot predicted).
        try run("model r regressor=tree features=x target=y initial=20")
        // For the kinds that take row ids (plot sed): the columns as AB magnitudes in two bands.
        try run("sed bands=x:354nm,y:477nm")
        // For plot rules: two rules that overlap and disagree where x > 5 and y < 1.
        try run("rule low: a when y < 1")
        try run("rule right: b when x > 5")
    }

    /// `plot KIND ARGS`, the arguments filled from their declared kinds: a model, or columns.
    func command(_ kind: PlotKind) -> String {
        var columns = ["x", "y"].makeIterator()
        let firstID = quoteIfNeeded(session.tables[session.currentTableName ?? ""]?.rowIdentifiers().first ?? "1")
        let arguments = kind.arguments.map { argument -> String in
            switch argument.kind {
            case .model: return kind.name == PlotKind.predicted.name ? "r" : "m"
            case .id: return firstID
            default: return columns.next() ?? "x"
            }
        }
        return (["plot", kind.name] + arguments).joined(separator: " ")
    }

    func testEveryKindDrawsAFigure() throws {
        XCTAssertEqual(Set(PlotKind.names).count, PlotKind.all.count, "kind names are unique")
        for kind in PlotKind.all {
            try run("\(command(kind)) to=\(kind.name).png")
            XCTAssertEqual(size(try bytes("\(kind.name).png")), [800, 600], kind.name)
            try run("\(command(kind)) to=\(kind.name).svg")
            XCTAssertEqual(try XMLDocument(data: Data(try bytes("\(kind.name).svg"))).rootElement()?.name, "svg", kind.name)
        }
    }

    func testEveryKindIsAPanelOfASharedFigure() throws {
        let columns = 3, rows = (PlotKind.all.count + columns - 1) / columns
        try run("figure \(rows)x\(columns) share=xy to=all.png")
        for kind in PlotKind.all { try run(command(kind)) }
        if session.plotSettings.figure != nil { try run("figure end") }
        XCTAssertEqual(size(try bytes("all.png")), [500 * columns, 400 * rows])
    }

    func testHelpComesFromTheDeclarations() throws {
        let verb = try XCTUnwrap(VerbCatalog.named("plot"))
        let help = verb.helpText
        let usage = help.split(separator: "\n")[0]
        for kind in PlotKind.all {
            XCTAssertTrue(usage.contains(kind.name), "usage names \(kind.name)")
            for line in kind.help.split(separator: "\n") {
                XCTAssertTrue(help.contains(line), "help plot has \(kind.name)'s line: \(line)")
            }
            for option in kind.options {
                let described = try XCTUnwrap(verb.options.first { $0.name == option.name }, option.name).help
                XCTAssertTrue(described.contains(kind.name) && described.contains(option.help), "\(option.name)= describes \(kind.name): \(described)")
            }
        }
    }

    func testKindOnlyOptionsAreCheckedFromTheDeclarations() throws {
        let kindOptions = Set(PlotKind.all.flatMap { $0.options.map(\.name) })
        for kind in PlotKind.all {
            for name in kindOptions.sorted() {
                let line = "\(command(kind)) \(name)=1"
                if kind.options.contains(where: { $0.name == name }) {
                    // Accepted (the option's own value checks come later, when the panel is built).
                    let parsed = try XCTUnwrap(try CommandParser.parse(line))
                    XCTAssertNoThrow(try session.checkKindOptions(parsed, kind: kind), line)
                } else {
                    let message = error(line)
                    let takers = PlotKind.all.filter { $0.options.contains { $0.name == name } }.map(\.name)
                    XCTAssertTrue(message.contains("\(name)= is for \(takers.joined(separator: " and ")) plots"), "\(line): \(message)")
                }
            }
            for refused in kind.refused {
                XCTAssertTrue(error("\(command(kind)) \(refused.name)=x").contains("\(refused.name)= is not available for \(kind.name) plots; \(refused.hint)"))
            }
        }
    }

    /// `overlay` refuses the kinds that declare why, alone and as the last panel of a figure, in
    /// the kind's own words (a confusion matrix in a figure was once called a heatmap).
    func testOverlayRefusalsComeFromTheDeclarations() throws {
        for kind in PlotKind.all {
            try run(command(kind))
            let alone = error("overlay curve y = x")
            try run("figure 1x2")
            try run(command(kind))
            let inFigure = error("overlay curve y = x")
            try run("figure cancel")
            if let refusal = kind.overlayRefusal {
                XCTAssertTrue(alone.contains("the last plot is \(refusal)"), "\(kind.name): \(alone)")
                XCTAssertTrue(inFigure.contains("the last panel is \(refusal)"), "\(kind.name): \(inFigure)")
            } else {
                XCTAssertEqual(alone, "", kind.name)
                XCTAssertEqual(inFigure, "", kind.name)
            }
        }
    }

    func testCompletionOffersTheKindsAndEachKindsOptions() throws {
        let line = "plot "
        let kinds = session.completions(forLine: line, cursor: line.count).filter { !$0.hasSuffix("=") }
        XCTAssertEqual(Set(kinds), Set(PlotKind.names))
        let kindOptions = Set(PlotKind.all.flatMap { $0.options.map(\.name) })
        for kind in PlotKind.all {
            let typed = command(kind) + " "
            let offered = Set(session.completions(forLine: typed, cursor: typed.count).filter { $0.hasSuffix("=") }.map { String($0.dropLast()) })
            let own = Set(kind.options.map(\.name)), refused = Set(kind.refused.map(\.name))
            XCTAssertTrue(own.isSubset(of: offered), "\(kind.name) offers its options")
            XCTAssertTrue(offered.isDisjoint(with: kindOptions.subtracting(own)), "\(kind.name) offers no other kind's options")
            XCTAssertTrue(offered.isDisjoint(with: refused), "\(kind.name) offers none it refuses")
            XCTAssertTrue(offered.contains("title"), "\(kind.name) offers the common options")
        }
        // A MODEL argument completes model names.
        for kind in PlotKind.all where kind.arguments.first?.kind == .model {
            let typed = "plot \(kind.name) "
            XCTAssertEqual(session.completions(forLine: typed, cursor: typed.count).filter { !$0.hasSuffix("=") }, ["m", "r"])
        }
    }
}
