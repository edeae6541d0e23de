import Foundation
import XCTest
@testable import AstrolabeKernel

/// Plot commands on hostile data and sizes: values near ±9e307, a subnormal range, a constant
/// column, infinities and gaps; sizes past the pixel cap. Each command gives a figure or a clear
/// error — a trap would end the test run.
final class PlotHardeningTests: PlotSessionTestCase {
    /// 1e-310, a subnormal (written as a product: the literal itself draws an underflow warning).
    static let tiny = 1e-300 * 1e-10
    override func table() -> String {
        var csv = "id,x,big,sub,const,mix,pos,label\n"
        for i in 0..<60 {
            // ±9e307: every value fits a double, their span does not.
            let big = i % 2 == 0 ? 9e307 : -9e307
            let sub = Self.tiny + Double(i) * Self.tiny / 59
            let mix = ["inf", "-inf", "", "1", "2"][i % 5]
            // Log-normal, ten decades wide.
            let pos = pow(10, Double((i * 37) % 60) / 6)
            csv += "s\(i),\(Double(i) / 6),\(big),\(sub),3.5,\(mix),\(pos),c\(i % 26)\n"
        }
        return csv
    }

    func testExtremeColumnsGiveAFigureOrAnError() throws {
        let columns = ["big", "sub", "const", "mix"]
        var figures = 0, errors = 0
        for a in columns {
            for b in ["x", "big", "sub"] {
                for command in ["scatter \(a) \(b)", "scatter \(a) \(b) by=\(b)", "density \(a) \(b)", "density \(a) \(b) agg=mean(\(a))",
                                "density \(a) \(b) by=label", "line \(a) \(b)", "heatmap \(a) \(b)", "heatmap \(a) \(b) agg=mean(\(b))",
                                "histogram \(a)", "histogram \(a) by=label density=yes", "histogram \(a) bins=50"] {
                    for extra in ["", " clip=4sigma", " log=xy"] where !(command.hasPrefix("heatmap") && !extra.isEmpty)
                        && !(command.hasPrefix("histogram") && extra == " log=xy") {
                        let result = session.execute("plot \(command)\(extra) width=160 height=120 to=p.png")
                        if let error = result.error {
                            XCTAssertFalse("\(error)".isEmpty)
                            errors += 1
                        } else {
                            XCTAssertTrue(result.outputs.contains { if case .image = $0 { return true } else { return false } }, command)
                            figures += 1
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(figures, 50)
        XCTAssertGreaterThan(errors, 10)
        // The errors say what is wrong with which axis.
        XCTAssertTrue(error("plot scatter x big").contains("the y values run from"), error("plot scatter x big"))
        XCTAssertTrue(error("plot density sub x").contains("too narrow"), error("plot density sub x"))
        XCTAssertTrue(error("plot histogram big").contains("too wide"), error("plot histogram big"))
    }

    func testPixelCapHoldsAfterEverySizeComputation() throws {
        for command in ["plot scatter x pos style=publication2 dpi=2400", "plot scatter x pos style=screen dpi=1200",
                        "plot scatter x pos width=1e308mm", "plot scatter x pos height=1e308in dpi=2400",
                        "plot scatter x pos width=9000", "figure 1x2 style=publication2 dpi=2400"] {
            let message = error(command)
            XCTAssertTrue(message.contains("8000 pixels"), "\(command): \(message)")
        }
        // width= replaces the preset's width, so only the height is checked against the cap there.
        XCTAssertTrue(error("plot scatter x pos style=publication2 dpi=2400 width=50mm").contains("a height of 134.959 mm at 2400 dpi is 12752 pixels"),
                      error("plot scatter x pos style=publication2 dpi=2400 width=50mm"))
        try run("plot scatter x pos style=publication2 dpi=2400 width=20mm height=20mm to=ok.png")
        XCTAssertEqual(size(try bytes("ok.png")), [1890, 1890])
    }

    func testTwentySixClassesGetTwentySixColours() throws {
        let out = try run("plot density x pos by=label to=d.png")
        XCTAssertFalse(text(out).contains("repeat"))
        try run("plot histogram x by=label mode=stack to=h.png")
        try run("plot line x pos by=label to=l.png")
    }

    func testSigmaClipOnALogAxisWorksInDecades() throws {
        // pos spans 1 … 1e10 evenly in log10: ±4σ of log10 covers every decade, so no point is cut.
        let out = try run("plot scatter x pos log=y clip=4sigma to=c.png")
        XCTAssertFalse(text(out).contains("outside the axis limits"), text(out))
    }

    func testPublicationFigureGrowsForAnOutsideLegend() throws {
        try run("plot scatter x pos by=label style=publication legend=none to=none.png")
        try run("plot scatter x pos by=label style=publication legend=outside to=right.png")
        try run("plot scatter x pos by=label style=publication legend=outside-bottom to=bottom.png")
        let none = size(try bytes("none.png")), right = size(try bytes("right.png")), bottom = size(try bytes("bottom.png"))
        XCTAssertEqual(none, [1039, 780])
        XCTAssertGreaterThan(right[0], none[0])
        XCTAssertEqual(right[1], none[1])
        XCTAssertEqual(bottom[0], none[0])
        XCTAssertGreaterThan(bottom[1], none[1])
        let out = try run("plot scatter x pos by=label style=publication legend=outside to=right.pdf")
        XCTAssertFalse(text(out).contains("88 × 66 mm"), text(out))
    }
}
