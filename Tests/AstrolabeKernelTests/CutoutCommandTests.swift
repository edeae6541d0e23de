import AstrolabePlot
import Foundation
import XCTest
@testable import AstrolabeKernel

/// `image`, `sed`, `plot sed` and `query … images=yes sed=yes` on a small table of M13 positions
/// (Samples/m13.fits, a real DSS image) with photometry columns.
final class CutoutCommandTests: XCTestCase {
    var dir: URL!
    var session: Session!
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("astrolabe-cutcmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Samples/m13.fits"), to: dir.appendingPathComponent("m13.fits"))
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Tests/AstrolabeKernelTests/Fixtures/cutouts/gradient.jpg"),
                                         to: dir.appendingPathComponent("g.jpg"))
        // Positions around the centre of M13 (the image's reference pixel is at RA 250.4226, Dec 36.4602).
        var csv = "id,ra,dec,u,g,r,eu,eg,er,picture,label\n"
        for i in 0..<12 {
            let ra = 250.4226 + Double(i % 4 - 2) * 0.0004, dec = 36.4602 + Double(i / 4 - 1) * 0.0004
            let u = 18 + Double(i) * 0.1, g = 17 + Double(i % 3) * 0.2, r = 16.5 + Double(i % 5) * 0.1
            let label = i < 4 ? (i % 2 == 0 ? "a" : "b") : ""
            csv += "s\(i),\(ra),\(dec),\(u),\(g),\(r),0.05,0.02,0.01,\(i % 2 == 0 ? "m13.fits" : "g.jpg"),\(label)\n"
        }
        try csv.write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        session = try Session(options: SessionOptions(workingDirectory: dir.path))
        session.cutouts.offline = true
        try run("load t.csv as t id=id label=label")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    func run(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) throws -> [Output] {
        let result = session.execute(line)
        if let error = result.error { XCTFail("\(line): \(error)", file: file, line: lineNumber); throw error }
        return result.outputs
    }

    func error(_ line: String) -> String { session.execute(line).error.map { "\($0)" } ?? "" }
    func text(_ outputs: [Output]) -> String {
        outputs.compactMap { if case .text(let t) = $0 { return t } else if case .warning(let w) = $0 { return w } else { return nil } }.joined(separator: "\n")
    }
    func images(_ outputs: [Output]) -> [PNGImage] { outputs.compactMap { if case .image(let i) = $0 { return i } else { return nil } } }

    func testImageFromAFITSFileIsCutAtTheWCSPixelOfTheRow() throws {
        let outputs = try run("image s5 file=m13.fits fov=40arcsec size=64 stretch=zscale to=c.png")
        // s5 is RA 250.4222 Dec 36.4602: 0.0004° east of the reference pixel (149.5, 149.5), about 1.16 px.
        XCTAssertTrue(text(outputs).contains("at pixel (150.66, 149.50)"), text(outputs))
        XCTAssertTrue(text(outputs).contains("fov 40″ = 40.0 px"), text(outputs))
        let png = try XCTUnwrap(images(outputs).first)
        XCTAssertEqual([png.width, png.height], [64, 64])
        XCTAssertEqual(png.path, "c.png")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.png").path))
    }

    func testAPositionOutsideTheImageWarnsAndTilesGrey() throws {
        try "id,ra,dec\nfar,250.6,36.6\n".write(to: dir.appendingPathComponent("far.csv"), atomically: true, encoding: .utf8)
        try run("load far.csv as far id=id")
        let outputs = try run("image far file=m13.fits size=32 to=f.png")
        XCTAssertTrue(text(outputs).contains("lies outside m13.fits"), text(outputs))
    }

    func testImageColumnReadsFITSAndJPEGAndRefusesOtherFiles() throws {
        let fits = try run("image s0 column=picture size=48 to=a.png")
        XCTAssertTrue(text(fits).contains("s0: m13.fits at pixel"), text(fits))
        let jpeg = try run("image s1 column=picture size=48 to=b.png")
        let pixels = try XCTUnwrap(PNGPixels(png: try XCTUnwrap(images(jpeg).first).bytes))
        // The 24×16 gradient fills the 48-pixel width; its top-left is red as PIL decodes it (248, 3, 2).
        let top = 8 * 48 * 4
        XCTAssertEqual(Array(pixels.rgba[top..<(top + 3)]), [248, 3, 2])
        try Data("not an image".utf8).write(to: dir.appendingPathComponent("g.jpg"))
        XCTAssertTrue(error("image s1 column=picture").contains("not a PNG or JPEG image"), error("image s1 column=picture"))
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A]).write(to: dir.appendingPathComponent("g.jpg"))
        XCTAssertTrue(error("image s1 column=picture").contains("cannot read the JPEG"), error("image s1 column=picture"))
    }

    func testImageOptionsAreChecked() {
        XCTAssertTrue(error("image s0 file=m13.fits survey=X").contains("give one of column=, file= or survey="))
        XCTAssertTrue(error("image s0 fov=wide").contains("fov= expects an angle"))
        XCTAssertTrue(error("image s0 stretch=log").contains("stretch= expects asinh, zscale or linear"))
        XCTAssertTrue(error("image nobody file=m13.fits").contains("no row with id `nobody`"))
        XCTAssertTrue(error("image s0 file=missing.fits").contains("no such file"), error("image s0 file=missing.fits"))
    }

    func testSEDDeclarationIsCheckedAndKeptBySaveSession() throws {
        XCTAssertTrue(error("sed bands=u:354nm,g:fast").contains("each band is COLUMN:WAVELENGTH"))
        XCTAssertTrue(error("sed bands=u:354nm,x:477nm").contains("x"))
        XCTAssertTrue(error("sed bands=u:354nm,g:477nm err=eu").contains("err= names 1 columns for 2 bands"))
        XCTAssertTrue(error("sed bands=u:354nm unit=ergs").contains("unit= expects ABmag, Jy or mJy"))
        try run("sed bands=u:354nm,g:477nm,r:623nm err=eu,eg,er unit=ABmag")
        try run("save session s.alab")
        let script = try String(contentsOf: dir.appendingPathComponent("s.alab"), encoding: .utf8)
        XCTAssertTrue(script.contains("\nsed bands=u:354nm,g:477nm,r:623nm err=eu,eg,er unit=ABmag\n"), script)
        // The saved script replays into a session with the same declaration.
        let replay = try Session(options: SessionOptions(workingDirectory: dir.path))
        for line in script.split(separator: "\n") where !line.hasPrefix("#") { XCTAssertNil(replay.execute(String(line)).error, String(line)) }
        XCTAssertEqual(replay.cutouts.seds["t"], session.cutouts.seds["t"])
        // A view shares its table's declaration.
        try run("where u > 18.5 as faint")
        XCTAssertEqual(images(try run("plot sed s6 to=v.png")).count, 1)
    }

    func testPlotSEDDrawsSeveralSourcesOnLogAxes() throws {
        XCTAssertTrue(error("plot sed s0").contains("no SED declared for t"))
        try run("sed bands=u:354nm,g:477nm,r:623nm err=eu,eg,er")
        let outputs = try run("plot sed s0 s1 s2 flux=nuFnu to=sed.png")
        XCTAssertEqual(images(outputs).first?.path, "sed.png")
        XCTAssertTrue(error("plot sed s0 flux=lambda").contains("flux= expects one of: fnu, nuFnu"))
        XCTAssertTrue(error("plot sed").contains("expected ID"))
    }

    func testSEDPointsAreTheDeclaredFluxes() throws {
        try run("sed bands=u:354nm,g:477nm err=eu,eg")
        let table = try XCTUnwrap(session.tables["t"])
        let (plot, skipped) = session.sedPlot(try XCTUnwrap(session.cutouts.seds["t"]), table: table, rows: [0], ids: ["s0"], nuFnu: false)
        XCTAssertEqual(skipped, 0)
        XCTAssertEqual(plot.x, [354, 477])
        XCTAssertEqual(plot.y[0], 3630.7805477010033 * pow(10, -0.4 * 18), accuracy: 1e-12 * plot.y[0])
        // The error bar spans the fluxes of m ± σ (asymmetric).
        XCTAssertEqual(plot.yError?.upper[0] ?? 0, SpectralFlux.janskys(17.95, unit: .ABmag) - plot.y[0], accuracy: 1e-15)
        XCTAssertEqual(plot.yError?.lower[0] ?? 0, plot.y[0] - SpectralFlux.janskys(18.05, unit: .ABmag), accuracy: 1e-15)
    }

    func testQueryShowsAContactSheetWithCutoutsAndSEDs() throws {
        try run("sed bands=u:354nm,g:477nm,r:623nm err=eu,eg,er")
        try run("image s0 column=picture size=64 to=first.png")
        try run("model m features=u,g,r classifier=knn k=1 test=0 initial=2")
        let outputs = try run("query m 3 images=yes sed=yes")
        let sheet = try XCTUnwrap(images(outputs).first)
        XCTAssertTrue(sheet.path?.hasPrefix("plots/query-") == true)
        // Two cells a row (cutout + SED, the SED at least FigureStyle's smallest side tall and 1.5 times as wide).
        let cell = 64 + 150 + ContactSheet.gap / 2
        XCTAssertEqual(sheet.width, 2 * cell + 3 * ContactSheet.gap)
        XCTAssertTrue(text(outputs).contains("m asks"))
        XCTAssertTrue(error("query m 3 images=maybe").contains("images="))
        // Without the option the query prints only its table, as before.
        XCTAssertTrue(images(try run("query m 3")).isEmpty)
    }

    final class Keys: KeyInput {
        var keys: [Character]
        var images: [PNGImage] = []
        init(_ keys: String) { self.keys = Array(keys) }
        func show(_ outputs: [Output]) { images += outputs.compactMap { if case .image(let i) = $0 { return i } else { return nil } } }
        func readKey(prompt: String) -> Character? { keys.isEmpty ? nil : keys.removeFirst() }
    }

    func testTheKeyboardLoopShowsEachQuestionsTile() throws {
        try run("sed bands=u:354nm,g:477nm,r:623nm err=eu,eg,er")
        try run("image s0 file=m13.fits size=48 to=first.png")
        try run("model m features=u,g,r classifier=knn k=1 test=0 initial=2")
        let keys = Keys("12q")
        session.setKeyInput(keys)
        try run("teach m loop images=yes sed=yes")
        XCTAssertEqual(keys.images.count, 3, "one contact sheet per question asked")
        XCTAssertTrue(keys.images.allSatisfy { $0.path?.hasPrefix("plots/query-") == true })
        XCTAssertTrue(error("teach s5 a images=yes").contains("images= is for the keyboard loop"))
        XCTAssertEqual(session.completions(forLine: "teach m loop im", cursor: 15), ["images="])
        XCTAssertEqual(session.completions(forLine: "teach s5 a im", cursor: 13), [])
    }

    func testQuerySEDsNeedADeclaration() throws {
        try run("model m features=u,g,r classifier=knn k=1 test=0 initial=2")
        XCTAssertTrue(error("query m 2 sed=yes").contains("sed=yes needs the table's photometry"))
    }
}
