import Foundation
import XCTest
import AstrolabeLearn
import AstrolabePlot
@testable import AstrolabeKernel

/// `plot training` and `plot confidence`, checked against a model refitted here with the same
/// labels, kind, scaling and seed (so the counts and uncertainties are computed independently of
/// the plot code), and against the pixels of the legend.
final class PlotTrainingTests: IrisSessionTestCase {
    let features = "features=`petal length (cm)`,`petal width (cm)`"

    /// A logistic model taught two wrong answers (versicolor rows called setosa), after a query.
    func taughtSession() throws -> Session {
        let s = try session()
        ok(s, "model m classifier=logistic \(features)")
        ok(s, "query m 3")
        let asked = try XCTUnwrap(s.models["m"]?.lastQuery.keys.sorted())
        ok(s, "teach \(asked[0]) \(asked[0] < 50 ? "setosa" : asked[0] < 100 ? "versicolor" : "virginica")")
        // Two rows the query did not show, so exactly one training row was asked for.
        let pool = s.poolRows(try XCTUnwrap(s.models["m"])).filter { (50..<100).contains($0) && !asked.contains($0) }
        ok(s, "teach \(pool[0]) setosa")
        ok(s, "teach \(pool[1]) setosa")
        return s
    }

    /// The same model fitted outside the session.
    func reference(_ model: ActiveModel) throws -> ScaledClassifier {
        var classifier = ScaledClassifier(LogisticRegression(), scaling: .standard)
        try classifier.fit(model.x.selecting(rows: model.trainingRows), labels: model.trainingLabels,
                           classCount: model.classes.count, seed: model.seed)
        return classifier
    }

    func render(_ panel: Panel) throws -> RGBAImage { try panel.renderFigure().image }

    func count(_ color: RGBA, in image: RGBAImage) -> Int {
        var n = 0
        for y in 0..<image.height { for x in 0..<image.width where image.pixel(x: x, y: y) == color { n += 1 } }
        return n
    }

    /// Pixels within 6 levels of `color` in every channel.
    func count(near color: RGBA, in image: RGBAImage) -> Int {
        var n = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = image.pixel(x: x, y: y)
                if abs(Int(p.r) - Int(color.r)) <= 6 && abs(Int(p.g) - Int(color.g)) <= 6 && abs(Int(p.b) - Int(color.b)) <= 6 { n += 1 }
            }
        }
        return n
    }

    func testTrainingPlotCountsAndLegend() throws {
        let s = try taughtSession()
        let model = try XCTUnwrap(s.models["m"])
        let predicted = try reference(model).predict(model.x.selecting(rows: model.trainingRows))
        let right = zip(predicted, model.trainingLabels).filter { $0 == $1 }.count
        let wrong = model.trainingRows.count - right
        XCTAssertGreaterThan(wrong, 0, "the wrong answers are not all learned")
        let queried = model.trainingRows.filter { model.asked.contains($0) }.count
        XCTAssertEqual(queried, 1)
        let note = ok(s, "plot training m to=training.png")
        XCTAssertTrue(note.contains("\(model.trainingRows.count) training labels: \(right) correct, \(wrong) incorrect; 1 of them asked"), note)

        let command = try XCTUnwrap(try CommandParser.parse("plot training m"))
        let (panel, _) = try s.trainingPanel(command, modelWord: command.positionals[1])
        guard let plot = panel as? ScatterPlot, case .categories(let codes, let names) = plot.coloring else {
            return XCTFail("not a scatter by class")
        }
        XCTAssertEqual(codes.filter { $0 == 1 }.count, wrong)
        XCTAssertEqual(names, ["correct (\(right))", "incorrect (\(wrong))"])
        XCTAssertEqual(plot.highlighted.count, 1)
        // The x and y are the model's first two features, row by row.
        XCTAssertEqual(plot.x, model.trainingRows.map { model.x.values[$0 * 2] })
        // Legend swatches are opaque: both colours and the black ring are drawn.
        let image = try render(panel)
        XCTAssertGreaterThan(count(RGBA(hex: 0x009E73), in: image), 10)
        XCTAssertGreaterThan(count(RGBA(hex: 0xD55E00), in: image), 10)
        XCTAssertGreaterThan(count(RGBA(0, 0, 0), in: image), 100)

        // Deterministic: another session with the same commands writes the same bytes.
        let first = try Data(contentsOf: directory.appendingPathComponent("training.png"))
        let other = try taughtSession()
        ok(other, "plot training m to=training.png")
        XCTAssertEqual(try Data(contentsOf: directory.appendingPathComponent("training.png")), first)
        // Other axes, and errors.
        ok(s, "plot training m `sepal length (cm)` `sepal width (cm)` to=sepal.png")
        XCTAssertNotNil(s.execute("plot training m `sepal length (cm)`").error)
        XCTAssertNotNil(s.execute("plot training nope").error)
        XCTAssertTrue(s.execute("plot training m bins=3").error?.message.contains("histogram") ?? false)
        // Tab completion knows the kinds and offers models after them.
        XCTAssertEqual(s.completions(forLine: "plot tr", cursor: 7), ["training"])
        XCTAssertEqual(s.completions(forLine: "plot confidence ", cursor: 16).filter { !$0.hasSuffix("=") }, ["m"])
    }

    /// A curated test set of rows the catalogue calls unknown (virginica declared unknown here), labelled
    /// by hand: `plot confusion` takes the hand labels as truth, as `score` does (it failed with
    /// "class -1 is outside 0..<2"), and `plot training on=test` colours those rows. The accuracy is
    /// counted from a reference model fitted outside the session.
    func testConfusionAndTrainingPlotsOfACuratedTestSet() throws {
        let s = try session()
        ok(s, "classes setosa versicolor unknown=virginica")
        ok(s, "model m classifier=logistic \(features)")
        for _ in 0..<4 {
            let found = ok(s, "find where `petal length (cm)` > 5")
            let id = try XCTUnwrap(found.split(separator: " ").dropFirst().first.map(String.init))
            ok(s, "teach \(id) versicolor")
        }
        ok(s, "testset use")
        let model = try XCTUnwrap(s.models["m"])
        XCTAssertEqual(model.testRows.count, 4)
        XCTAssertTrue(model.testRows.allSatisfy { $0 >= 100 }, "virginica rows: unknown to the catalogue")
        let predicted = try reference(model).predict(model.x.selecting(rows: model.testRows))
        let right = predicted.filter { $0 == 1 }.count
        ok(s, "plot confusion m to=\(directory.path)/c.png")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("c.png").path))
        let (matrix, _) = try s.plotConfusion(of: model, command: try XCTUnwrap(CommandParser.parse("plot confusion m")),
                                              at: Word(text: "m", raw: "m", quoted: false, offset: 0))
        XCTAssertEqual(matrix.counts[1][1], right)
        XCTAssertEqual(matrix.total, 4)
        let training = ok(s, "plot training m on=test to=\(directory.path)/t.png")
        XCTAssertTrue(training.contains("m on its 4 test rows: \(right) correct, \(4 - right) incorrect"), training)
        XCTAssertEqual(s.execute("plot training m on=tset").error?.suggestion, "test")
        XCTAssertNotNil(s.execute("plot scatter a b on=test").error)
    }

    func testConfidenceMapIsTheModelsUncertainty() throws {
        let s = try taughtSession()
        let model = try XCTUnwrap(s.models["m"])
        // Margin uncertainty 1 − (p₁ − p₂) of every row, from the refitted model.
        let p = try reference(model).predictProbabilities(model.x)
        let k = model.classes.count
        let margins = (0..<model.x.rows).map { r -> Double in
            let row = p[(r * k)..<(r * k + k)].sorted(by: >)
            return 1 - (row[0] - row[1])
        }
        let mean = margins.reduce(0, +) / Double(margins.count)
        let note = ok(s, "plot confidence m to=confidence.png")
        XCTAssertTrue(note.contains("uncertainty (margin) of 150 rows, mean \(String(format: "%.3f", mean))"), note)
        let command = try XCTUnwrap(try CommandParser.parse("plot confidence m"))
        let (panel, _) = try s.confidencePanel(command, modelWord: command.positionals[1])
        guard let plot = panel as? ScatterPlot, case .continuous(let values, let label) = plot.coloring else {
            return XCTFail("not a scatter coloured by value")
        }
        XCTAssertEqual(label, "uncertainty (margin)")
        XCTAssertEqual(values.count, margins.count)
        for (a, b) in zip(values, margins) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertEqual(plot.highlighted, model.trainingRows)
        // The colour bar's ends: viridis' first and last colours are drawn.
        let image = try render(panel)
        XCTAssertGreaterThan(count(near: RGBA(hex: 0xFDE725), in: image), 10)
        XCTAssertGreaterThan(count(near: RGBA(hex: 0x440154), in: image), 10)
        // The binned map: the mean uncertainty per bin.
        let dense = try XCTUnwrap(try CommandParser.parse("plot confidence m map=density"))
        guard let density = try s.confidencePanel(dense, modelWord: dense.positionals[1]).0 as? DensityPlot,
              case .reduce(let reduction, let binned, _) = density.aggregation else { return XCTFail("not a density map") }
        XCTAssertEqual(reduction, .mean)
        XCTAssertEqual(binned?.count, 150)
        ok(s, "plot confidence m map=density to=dense.png")
        let error = try XCTUnwrap(s.execute("plot confidence m map=densty").error)
        XCTAssertEqual(error.suggestion, "density", error.message)
    }
}
