import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import AstrolabePlot
@testable import AstrolabeKernel

/// The newer plot kinds through a session: histogram, line/step, error bars, overlays, confusion,
/// figure panels, legend placement and class colours — with their errors.
final class PlotKindsCommandsTests: PlotSessionTestCase {
    func testHistogramCommand() throws {
        let out = try run("plot histogram x by=label bins=12 mode=stack density=yes to=h.png")
        XCTAssertEqual(size(try bytes("h.png")), [800, 600])
        XCTAssertTrue(text(out).contains("12 bins of width 0.830"), text(out))
        try run("plot histogram x to=h.svg")
        XCTAssertEqual(try XMLDocument(data: Data(try bytes("h.svg"))).rootElement()?.name, "svg")
        XCTAssertTrue(error("plot histogram x bins=0").contains("bins="))
        XCTAssertTrue(error("plot histogram x mode=stak").contains("did you mean `stack`"), error("plot histogram x mode=stak"))
        XCTAssertTrue(error("plot histogram x y").contains("unexpected `y`"))
        XCTAssertTrue(error("plot histogram x by=y").contains("numeric"))
        XCTAssertTrue(error("plot scatter x y bins=3").contains("histogram"))
    }

    /// The image data of a PNG (its IDAT chunks), without the text chunk naming the command.
    func pixelData(_ name: String) throws -> [UInt8] {
        let b = try bytes(name)
        var out: [UInt8] = [], i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            if Array(b[(i + 4)..<(i + 8)]) == Array("IDAT".utf8) { out += b[(i + 8)..<(i + 8 + length)] }
            i += 12 + length
        }
        return out
    }

    func testAxisTitlesCanBeGivenWithUnits() throws {
        for kind in ["scatter x y", "density x y", "line x y", "histogram x"] {
            try run("plot \(kind) to=default.png")
            // The default titles are the column names: naming them explicitly draws the same pixels.
            try run("plot \(kind) xlabel=x\(kind.hasPrefix("histogram") ? "" : " ylabel=y") to=same.png")
            XCTAssertTrue(try pixelData("default.png") == pixelData("same.png"), kind)
            try run("plot \(kind) xlabel=\"x [kpc]\" to=xunits.png")
            XCTAssertFalse(try pixelData("default.png") == pixelData("xunits.png"), "\(kind): xlabel= is drawn")
            try run("plot \(kind) ylabel=\"flux [mJy]\" to=yunits.png")
            XCTAssertFalse(try pixelData("default.png") == pixelData("yunits.png"), "\(kind): ylabel= is drawn")
        }
    }

    func testLineAndStepCommands() throws {
        let out = try run("plot line x y by=label to=l.png")
        XCTAssertTrue(text(out).contains("line breaks"), text(out))
        try run("plot step x y order=rows legend=outside-top to=s.pdf")
        XCTAssertEqual(String(decoding: try bytes("s.pdf").prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertTrue(error("plot line x").contains("expected X and Y"))
        XCTAssertTrue(error("plot line x y order=y").contains("order="))
    }

    func testErrorBarsAndColours() throws {
        try run("plot scatter x y xerr=e yerr=lo,hi by=label colors=a:#000000,b:orange to=e.png")
        XCTAssertTrue(error("plot scatter x y yerr=lo,").contains("LO,HI"))
        XCTAssertTrue(error("plot scatter x y yerr=x-20").contains("negative"), error("plot scatter x y yerr=x-20"))
        XCTAssertTrue(error("plot scatter x y yerr=ee").contains("did you mean"))
        XCTAssertTrue(error("plot scatter x y by=label colors=c:#000000").contains("unknown class `c`"))
        XCTAssertTrue(error("plot scatter x y by=label colors=a:#00000G").contains("not a colour"))
        // `#` after `:` is a colour, not a comment.
        let parsed = try XCTUnwrap(CommandParser.parse("plot scatter x y colors=a:#0072B2,b:#E69F00 # note"))
        XCTAssertEqual(parsed.option("colors")?.value.text, "a:#0072B2,b:#E69F00")
    }

    func testOverlaysReplotAndClear() throws {
        try run("plot scatter x y to=o.png")
        let plain = try bytes("o.png")
        let out = try run("overlay curve y = 0.61/(x-4.7)+1.19 where=x<4.7 label=\"Kewley+01\"")
        XCTAssertTrue(try bytes("o.png") != plain, "the plot is redrawn with the curve")
        try run("overlay curve y=1 line=dashed color=grey")
        try run("overlay region \"y > 2 and x < 5\" alpha=0.3")
        XCTAssertTrue(text(try run("overlay list")).contains("Kewley"), text(out))
        try run("replot title=again")
        XCTAssertEqual(session.plotSettings.overlays.count, 3, "replot keeps overlays")
        try run("replot title=")
        try run("overlay clear")
        XCTAssertTrue(try bytes("o.png") == plain, "clearing gives the plain plot back, byte for byte")
        try run("overlay curve x = 5")
        try run("plot scatter x y to=p.png")
        XCTAssertTrue(session.plotSettings.overlays.isEmpty, "a new plot starts without overlays")
        // Errors point into the expression.
        XCTAssertTrue(error("overlay curve y = 2*y").contains("unknown column `y`"), error("overlay curve y = 2*y"))
        XCTAssertTrue(error("overlay curve z = x").contains("y = EXPRESSION"))
        XCTAssertTrue(error("overlay curv y = x").contains("did you mean `curve`"))
        XCTAssertTrue(error("overlay curve y = x where=z<1").contains("unknown column `z`"))
        XCTAssertTrue(error("overlay curve y = x line=dash").contains("did you mean"))
        let fresh = try Session(options: SessionOptions(workingDirectory: dir.path))
        XCTAssertTrue("\(fresh.execute("overlay curve y = x").error.map { "\($0)" } ?? "")".contains("make a plot first"))
    }

    func testConfusionMatrixPlot() throws {
        XCTAssertTrue(error("plot confusion nope").contains("model"), error("plot confusion nope"))
        try run("model m features=x,y initial=20 trees=10")
        try run("plot confusion m to=c.png")
        XCTAssertEqual(size(try bytes("c.png")), [800, 600])
        try run("plot confusion m normalize=yes cmap=viridis to=c.svg")
        XCTAssertEqual(try XMLDocument(data: Data(try bytes("c.svg"))).rootElement()?.name, "svg")
        XCTAssertTrue(error("overlay curve y = x").contains("confusion"))
        XCTAssertTrue(error("plot confusion m bins=3").contains("histogram"))
    }

    func testFigurePanels() throws {
        let start = try run("figure 1x3 to=f.png share=y")
        XCTAssertTrue(text(start).contains("1500×400"), text(start))
        XCTAssertTrue(error("plot scatter x y to=x.png").contains("figure"))
        try run("plot scatter x y")
        try run("overlay curve y = 0")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("f.png").path) == false)
        try run("plot line x y panel=3")
        let last = try run("plot histogram y")
        XCTAssertTrue(text(last).contains("panel 2 of 3"), text(last))
        XCTAssertEqual(size(try bytes("f.png")), [1500, 400], "written when full")
        XCTAssertNil(session.plotSettings.figure)
        try run("figure 2x2 style=publication2 to=g.pdf")
        try run("plot density x y")
        XCTAssertTrue(error("figure 2x2").contains("already"))
        try run("figure end")
        XCTAssertEqual(String(decoding: try bytes("g.pdf").prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertTrue(error("figure end").contains("no figure"))
        XCTAssertTrue(error("figure 0x2").contains("ROWSxCOLS"))
        try run("figure 1x2")
        try run("figure cancel")
        XCTAssertNil(session.plotSettings.figure)
    }

    func testLegendPlacements() throws {
        for placement in ["outside-top", "outside-bottom", "outside-left", "outside-right", "top-left"] {
            try run("plot scatter x y by=label legend=\(placement) to=\(placement).png")
        }
        XCTAssertNotEqual(try bytes("outside-top.png"), try bytes("outside-bottom.png"))
        XCTAssertTrue(error("plot scatter x y legend=outside-up").contains("did you mean"))
    }
}

/// `plot heatmap X Y`: the binned values against numpy.histogram2d on the same table, and its errors.
final class PlotHeatmapCommandTests: PlotSessionTestCase {
    /// The table PlotKindsCommandsTests loads, without its error columns.
    override func table() -> String { Self.wave(errorColumns: false) }

    /// The heatmap a command builds, as numpy's H[ix][iy].
    func binned(_ line: String) throws -> [[Double]] {
        guard let command = try CommandParser.parse(line) else { XCTFail("no command"); return [] }
        let request = PlotRequest(command: command, kindWord: command.positionals[0], overlays: [])
        guard let map = try PlotKind.heatmap.build(session, request).panel as? Heatmap else {
            XCTFail("not a heatmap"); return []
        }
        // Rows are top-down (highest y first).
        return (0..<map.columns).map { ix in (0..<map.rows).map { iy in map.values[(map.rows - 1 - iy) * map.columns + ix] } }
    }

    func testBinnedValuesMatchNumpy() throws {
        // keep = i != 150; np.histogram2d(x[keep], y[keep], bins=[4, 3])
        XCTAssertEqual(try binned("plot heatmap x y binsx=4 binsy=3"), [[9, 29, 37], [4, 33, 38], [37, 25, 12], [37, 37, 1]])
        // range=[[2, 8], [0, 2]], bins=[2, 2]
        XCTAssertEqual(try binned("plot heatmap x y bins=2 xrange=2:8 yrange=0:2"), [[45, 0], [3, 41]])
        // histogram2d(..., bins=[3, 2], weights=x) / histogram2d(..., bins=[3, 2])
        let means = try binned("plot heatmap x y binsx=3 binsy=2 agg=mean(x)")
        let expected: [[Double]] = [[1.6333333333333335, 1.6666666666666665], [4.965986394557824, 5.0], [8.299999999999999, 8.333333333333332]]
        for (a, b) in zip(means.joined(), expected.joined()) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    func testHeatmapCommandWritesFiguresAndReportsBadOptions() throws {
        XCTAssertNil(session.execute("plot heatmap x y bins=8 how=log to=h.png").error)
        XCTAssertNil(session.execute("plot heatmap x y agg=mean(x) values=yes to=h.svg").error)
        let svg = try String(contentsOf: dir.appendingPathComponent("h.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("<svg"))
        XCTAssertTrue(error("plot heatmap x y bins=0").contains("bins= expects a whole number from 1 to 500"), error("plot heatmap x y bins=0"))
        XCTAssertTrue(error("plot heatmap x y binsx=many").contains("binsx="))
        XCTAssertTrue(error("plot heatmap x y agg=sum(x)").contains("count or mean(COLUMN)"))
        XCTAssertTrue(error("plot heatmap x y agg=mean(nosuch)").contains("nosuch"))
        XCTAssertTrue(error("plot heatmap x y how=eq_hist").contains("linear or log"))
        XCTAssertTrue(error("plot heatmap x y how=logg").contains("did you mean `log`"), error("plot heatmap x y how=logg"))
        XCTAssertTrue(error("plot heatmap x y values=some").contains("auto, yes or no"))
        XCTAssertTrue(error("plot heatmap x y log=x").contains("log10"))
        XCTAssertTrue(error("plot heatmap x y by=label").contains("agg=mean"))
        XCTAssertTrue(error("plot heatmap x").contains("expected X and Y"))
        XCTAssertTrue(error("plot heatmap x y spread=2").contains("density"))
        XCTAssertTrue(error("plot scatter x y binsx=3").contains("heatmap"))
        XCTAssertTrue(error("plot heatmp x y").contains("did you mean `heatmap`"))
        XCTAssertNil(session.execute("plot heatmap x y to=h2.png").error)
        XCTAssertTrue(error("overlay curve y = x").contains("heatmap"))
        // Every plot kind completes, not only the first two.
        // (options starting with the same letters are offered too)
        XCTAssertEqual(session.completions(forLine: "plot he", cursor: 7).filter { !$0.hasSuffix("=") }, ["heatmap"])
        XCTAssertEqual(Set(session.completions(forLine: "plot h", cursor: 6).filter { !$0.hasSuffix("=") }), ["histogram", "heatmap"])
        // Once the kind is typed, only the options that kind takes are offered.
        let heatmapOptions = Set(session.completions(forLine: "plot heatmap x y b", cursor: 18))
        XCTAssertEqual(heatmapOptions, ["bins=", "binsx=", "binsy=", "bounds="])
        let scatterOptions = Set(session.completions(forLine: "plot scatter x y ", cursor: 17))
        XCTAssertTrue(scatterOptions.contains("highlight=") && scatterOptions.contains("by="))
        XCTAssertFalse(scatterOptions.contains("bins=") || scatterOptions.contains("normalize=") || scatterOptions.contains("spread="))
    }
}
