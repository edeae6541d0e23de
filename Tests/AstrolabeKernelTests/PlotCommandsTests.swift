import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import AstrolabeKernel

/// The plot verbs end to end through a session: options, defaults, replot, vector output, errors.
final class PlotCommandsTests: PlotSessionTestCase {
    /// 400 rows: x = 10 i/400 + 0.1, y = sin(6 i/400) + i/400, m = 10 + 5 i/400; label a, b or
    /// missing by i mod 3.
    override func table() -> String {
        var csv = "id,x,y,m,label\n"
        for i in 0..<400 {
            let t = Double(i) / 400
            csv += "s\(i),\(t * 10 + 0.1),\(sin(t * 6) + t),\(10 + 5 * t),\(i % 3 == 0 ? "a" : (i % 3 == 1 ? "b" : ""))\n"
        }
        return csv
    }

    /// pHYs pixels per metre and IHDR size read from the PNG.
    func pngInfo(_ b: [UInt8]) -> (width: Int, height: Int, ppm: Int) {
        func u32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        var i = 8, ppm = 0
        while i + 8 <= b.count {
            let len = u32(i), type = String(bytes: b[(i + 4)..<(i + 8)], encoding: .ascii)
            if type == "pHYs" { ppm = u32(i + 8) }
            i += 12 + len
        }
        return (u32(16), u32(20), ppm)
    }

    func testPublicationStyleHasPhysicalSizeAndDPI() throws {
        try run("plot scatter x y by=label style=publication to=a.png")
        let info = pngInfo(try bytes("a.png"))
        // 88 mm at 300 dpi = 1039 px; 300 dpi = 11811 px/m.
        XCTAssertEqual(info.width, 1039)
        XCTAssertEqual(info.height, 780)
        XCTAssertEqual(info.ppm, 11811)
        try run("plot scatter x y width=7in height=5in dpi=200 to=b.png")
        let b = pngInfo(try bytes("b.png"))
        XCTAssertEqual([b.width, b.height], [1400, 1000])
    }

    func testVectorOutputsParse() throws {
        try run("plot density x y to=f.pdf")
        let pdf = try bytes("f.pdf")
        XCTAssertEqual(String(bytes: pdf.prefix(5), encoding: .ascii), "%PDF-")
        XCTAssertTrue(String(decoding: pdf.suffix(8), as: UTF8.self).contains("%%EOF"))
        try run("plot scatter x y log=x invert=y to=f.svg")
        let svg = try XMLDocument(data: Data(try bytes("f.svg")))
        XCTAssertEqual(svg.rootElement()?.name, "svg")
        // Same command, same bytes (no timestamps in the PDF).
        try run("plot density x y to=g.pdf")
        XCTAssertEqual(try bytes("f.pdf"), try bytes("g.pdf"))
    }

    func testDefaultsAreVisibleAndReplotChangesOptions() throws {
        try run("set plot.style=publication plot.cmap=cividis")
        let shown = try run("show plot")
        XCTAssertTrue("\(shown)".contains("cmap=cividis"), "\(shown)")
        try run("plot density x y to=d.png")
        XCTAssertEqual(pngInfo(try bytes("d.png")).width, 1039, "the default style applies")
        try run("replot how=log to=e.png")
        XCTAssertEqual(pngInfo(try bytes("e.png")).width, 1039)
        XCTAssertNotEqual(try bytes("d.png"), try bytes("e.png"))
        let last = "\(try run("show plot"))"
        XCTAssertTrue(last.contains("how=log") && last.contains("style=publication"), last)
        XCTAssertTrue(error("set plot.cmapp=viridis").contains("did you mean"), error("set plot.cmapp=viridis"))
    }

    func testDensityOptionsAndErrors() throws {
        try run("plot density x y agg=mean(m) how=linear to=m.png")
        try run("plot density x y by=label min_alpha=100 spread=2 to=c.png")
        try run("plot density x y agg=std(m) span=0:1 how=cbrt clip=4sigma to=s.png")
        XCTAssertTrue(error("plot density x y how=eq_hist span=0:1").contains("span"), error("plot density x y span=0:1"))
        XCTAssertTrue(error("plot density x y agg=median(m)").contains("agg"))
        XCTAssertTrue(error("plot density x y agg=mean(mm)").contains("did you mean"), error("plot density x y agg=mean(mm)"))
        XCTAssertTrue(error("plot density x y cmap=viridiss").contains("did you mean"))
        XCTAssertTrue(error("plot density x y to=a.jpg").contains(".png, .pdf or .svg"))
        XCTAssertTrue(error("plot scatter x y how=log").contains("density"))
        XCTAssertTrue(error("replot").isEmpty, "replot after a plot works")
    }

    func testLogAxisReportsNonPositiveValues() throws {
        let out = try run("plot scatter y x log=x to=l.png")
        XCTAssertTrue(out.contains { if case .warning(let w) = $0 { return w.contains("log axis") } else { return false } }, "no log-axis warning")
    }

    func testReplotBeforeAnyPlotIsAnError() throws {
        let fresh = try Session(options: SessionOptions(workingDirectory: dir.path))
        XCTAssertNotNil(fresh.execute("replot how=log").error)
    }
}
