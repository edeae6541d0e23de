import XCTest
@testable import AstrolabePlot

/// A mean ± sd band stays inside the values the quantity can take.
final class LineBandTests: XCTestCase {
    func testBandEdgesAreClippedToTheBandRange() throws {
        var plot = LinePlot(x: [1, 2, 3], y: [0.05, 0.5, 0.95], xLabel: "labels", yLabel: "recall")
        plot.band = [0.2, 0.1, 0.2]
        var edges = try XCTUnwrap(plot.bandEdges())
        XCTAssertEqual(edges.low[0], -0.15, accuracy: 1e-12)   // unclipped without a range
        plot.bandRange = 0...1
        edges = try XCTUnwrap(plot.bandEdges())
        XCTAssertEqual(edges.low, [0, 0.4, 0.75].map { $0 }, accuracy: 1e-12)
        XCTAssertEqual(edges.high, [0.25, 0.6, 1], accuracy: 1e-12)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
